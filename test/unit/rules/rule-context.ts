import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { RuleContext } from '../../../core/rules/rule';
import { ruleSettingsSchema } from '../../../core/rules/rule-settings.schema';
import { openSqliteStore } from '../../../core/store/sqlite/sqlite-store';
import type { HubStore } from '../../../core/store/store.port';

/** Monday 2 March 2026, 09:00 in China: "today" for every rule test unless a test says otherwise. */
export const NOW = '2026-03-02T09:00:00+08:00';

export type SettingsInput = z.input<typeof ruleSettingsSchema>;

/** A real SQLite store in a temp folder of its own; `dispose` closes it and deletes the folder. */
export async function openRuleStore(): Promise<{ store: HubStore; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'order-hub-rules-'));
  const store = await openSqliteStore({ path: join(dir, 'hub.db') });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What intake hands a rule: the order, settings parsed from `settings` as hub.yaml would be, and the store. */
export function ruleContext(store: HubStore, order: CanonicalOrder, options: { now?: string; settings?: SettingsInput } = {}): RuleContext {
  return { order, now: options.now ?? NOW, settings: ruleSettingsSchema.parse(options.settings ?? {}), data: store };
}
