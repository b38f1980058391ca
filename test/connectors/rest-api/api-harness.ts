import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type express from 'express';
import pino from 'pino';
import { OrderCommands as RealOrderCommands } from '../../../core/lifecycle/order-commands';
import { openSqliteStore } from '../../../core/store/sqlite/sqlite-store';
import type { Delivery, HubStore } from '../../../core/store/store.port';
import type { CallbackHandler, InboundMapper } from '../../../connectors/connector';
import { CallbackService } from '../../../pipelines/callbacks';
import type { ApiRole, OrderCommands, RestApiDeps } from '../../../connectors/rest-api/api-deps';
import { hashApiKey } from '../../../connectors/rest-api/api-keys';
import { createApiApp } from '../../../connectors/rest-api/server';

/** The instant the API sees as "now" in every test. */
export const NOW = new Date('2026-03-02T09:00:00.000Z');

/** One plaintext key per role a test needs; the app gets only their hashes, as from config. */
export const KEYS = {
  intake: 'key-intake-0001',
  admin: 'key-admin-0001',
  operator: 'key-operator-0001',
  viewer: 'key-viewer-0001',
  sales: 'key-sales-0001',
} as const satisfies Partial<Record<ApiRole, string>>;

export const bearer = (role: keyof typeof KEYS): [string, string] => ['Authorization', `Bearer ${KEYS[role]}`];

export interface HarnessOptions {
  readonly bodyLimitBytes?: number;
  readonly mappers?: ReadonlyMap<string, InboundMapper>;
  readonly enqueueFails?: boolean;
  readonly ready?: RestApiDeps['health']['ready'];
  /** Replaces the recording delivery replay, e.g. with one that fails like a lost Redis. */
  readonly replay?: RestApiDeps['deliveries']['replay'];
  /** Callback handlers by connector id, for POST /api/v1/hooks/:connectorId. */
  readonly callbacks?: ReadonlyMap<string, CallbackHandler>;
}

export interface Harness {
  readonly app: express.Express;
  readonly store: HubStore;
  /** Raw message ids handed to the intake queue port, in order. */
  readonly enqueued: string[];
  readonly commandCalls: { name: 'approve' | 'changeStatus'; input: unknown }[];
  readonly replays: { id: string; actor: string }[];
  /** Every pino line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real lifecycle commands over the real store, with each call recorded for assertions. */
function recordingCommands(store: HubStore, calls: Harness['commandCalls']): OrderCommands & Pick<RealOrderCommands, 'applyPartnerEvent'> {
  const real = new RealOrderCommands(store, () => NOW);
  return {
    approve(input) {
      calls.push({ name: 'approve', input });
      return real.approve(input);
    },
    changeStatus(input) {
      calls.push({ name: 'changeStatus', input });
      return real.changeStatus(input);
    },
    applyPartnerEvent: (connectorId, event) => real.applyPartnerEvent(connectorId, event),
  };
}

/** A fresh SQLite store in its own temp folder and the API app over it, with recording ports. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'order-hub-api-'));
  const store = await openSqliteStore({ path: join(dir, 'hub.db') });
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const enqueued: string[] = [];
  const commandCalls: Harness['commandCalls'] = [];
  const replays: Harness['replays'] = [];
  const commands = recordingCommands(store, commandCalls);
  const app = createApiApp({
    store,
    log,
    hooks: new CallbackService(store, commands, options.callbacks ?? new Map(), log),
    apiKeys: (Object.keys(KEYS) as (keyof typeof KEYS)[]).map((role) => ({ name: `${role}-client`, role, hash: hashApiKey(KEYS[role]) })),
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
    mappers: options.mappers ?? new Map(),
    intake: {
      async enqueue(id) {
        if (options.enqueueFails) throw new Error('queue unreachable');
        enqueued.push(id);
      },
    },
    deliveries: {
      replay:
        options.replay ??
        (async (id: string, actor: string): Promise<Delivery> => {
          replays.push({ id, actor });
          return store.deliveries.markPending(id, NOW.toISOString());
        }),
    },
    commands,
    health: { ready: options.ready ?? (async () => ({ ok: true, checks: { store: 'ok' } })) },
    metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', render: async () => 'hub_orders_total 3\n' },
    now: () => NOW,
  });
  return {
    app,
    store,
    enqueued,
    commandCalls,
    replays,
    logs,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A canonical draft that passes validation; tests spread over it to break one thing at a time. */
export function validDraft(): Record<string, unknown> {
  return {
    poNumber: 'PO-7731',
    customer: { id: 'CUST-9', name: 'Harbin Steel Works' },
    currency: 'CNY',
    requestedDeliveryDate: '2026-04-15',
    paymentTerms: '30 days net',
    lines: [
      { lineNo: 1, sku: 'BEAM-H200', quantity: '12', unitPrice: '860.00', taxRatePct: '13' },
      { lineNo: 2, sku: 'BOLT-M20', quantity: '400', uom: 'EA', unitPrice: '1.20' },
    ],
  };
}
