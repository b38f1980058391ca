import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { acceptOrder } from '../core/intake/accept-order';
import type { Rule } from '../core/rules/rule';
import type { RuleSettings } from '../core/rules/rule-settings.schema';
import type { HubStore, RawMessage } from '../core/store/store.port';
import type { InboundMapper } from '../connectors/connector';
import { parseRestOrder } from '../connectors/rest-api/rest-order.parser';
import type { HubMetrics } from './metrics';
import { QUEUES } from './queues';

export interface IntakeDeps {
  readonly store: HubStore;
  readonly settings: RuleSettings;
  readonly rules?: readonly Rule[];
  /** rest-api connector id → its mapper, for `mapped-json` bodies. */
  readonly mappers: ReadonlyMap<string, InboundMapper>;
  readonly log: Logger;
  readonly metrics: HubMetrics;
  /** Called after an order is stored, so its events are published without waiting for a poll. */
  readonly onOrderStored?: () => void;
}

export type IntakeResult = { outcome: 'accepted'; orderId: string; status: string } | { outcome: 'quarantined'; reason: string } | { outcome: 'skipped'; status: string };

/**
 * Parse → normalise → check → decide, for one raw message. Safe to run twice for the same message:
 * a processed message is skipped, and the order id is fixed before the first write.
 */
export function createIntakeProcessor(deps: IntakeDeps) {
  return async (job: Job): Promise<IntakeResult> => {
    const { rawMessageId } = QUEUES.intake.payload.parse(job.data);
    const log = deps.log.child({ rawMessageId, jobId: job.id });
    const raw = await deps.store.raw.get(rawMessageId);
    if (!raw) throw new Error(`raw message ${rawMessageId} is not in the store`);
    if (raw.status !== 'received') return { outcome: 'skipped', status: raw.status };

    const now = new Date().toISOString();
    const parsed = await parseRaw(raw, deps.mappers);
    if (!parsed.ok) {
      await deps.store.raw.quarantine(raw.id, parsed.code, parsed.details, now);
      deps.metrics.intake.inc({ outcome: 'quarantined' });
      log.warn({ reason: parsed.code, details: parsed.details }, 'raw message quarantined');
      return { outcome: 'quarantined', reason: parsed.code };
    }
    const orderId = raw.plannedOrderId ?? derivedOrderId(raw);
    const order = await acceptOrder(
      {
        orderId,
        draft: parsed.draft,
        now,
        source: {
          connectorId: raw.connectorId,
          channel: raw.channel,
          rawMessageId: raw.id,
          receivedAt: raw.receivedAt,
          ...(raw.externalId ? { externalId: raw.externalId } : {}),
          ...(parsed.draft.poNumber ? { poNumber: parsed.draft.poNumber } : {}),
        },
      },
      { store: deps.store, settings: deps.settings, ...(deps.rules ? { rules: deps.rules } : {}) },
    );
    await deps.store.raw.markProcessed(raw.id, [order.id], now);
    deps.onOrderStored?.();
    deps.metrics.intake.inc({ outcome: order.status });
    log.info({ orderId: order.id, status: order.status }, 'order taken in');
    return { outcome: 'accepted', orderId: order.id, status: order.status };
  };
}

/** Only REST formats exist yet; document parsers (EDI, XML, email) will register here by format. */
async function parseRaw(raw: RawMessage, mappers: ReadonlyMap<string, InboundMapper>) {
  if (raw.format === 'mapped-json') {
    const mapper = mappers.get(raw.connectorId);
    if (!mapper) return { ok: false as const, code: 'connector.not_found', message: `no mapper for ${raw.connectorId}`, details: [{ path: 'connectorId', message: `connector ${raw.connectorId} is not configured` }] };
    return parseRestOrder(raw, mapper);
  }
  if (raw.format === 'canonical-json') return parseRestOrder(raw);
  return { ok: false as const, code: 'format.unsupported', message: `no parser for ${raw.format}`, details: [{ path: 'format', message: `format ${raw.format} has no parser` }] };
}

/** A stable order id for a message that did not announce one, so a retried intake reuses it. */
function derivedOrderId(raw: RawMessage): string {
  const hex = createHash('sha256').update(`order:${raw.id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
