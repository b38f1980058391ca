import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { acceptOrder } from '../core/intake/accept-order';
import type { Rule } from '../core/rules/rule';
import type { RuleSettings } from '../core/rules/rule-settings.schema';
import type { HubStore, RawMessage } from '../core/store/store.port';
import type { ErrorDetail } from '../core/errors/hub-error';
import { orderDraftSchema } from '../core/order/order.schema';
import type { OrderDraft } from '../core/order/order.types';
import type { FormatParser, InboundMapper, ParseResult } from '../connectors/connector';
import { parseRestOrder } from '../connectors/rest-api/rest-order.parser';
import type { HubMetrics } from './metrics';
import { QUEUES } from './queues';

export interface IntakeDeps {
  readonly store: HubStore;
  readonly settings: RuleSettings;
  readonly rules?: readonly Rule[];
  /** rest-api connector id → its mapper, for `mapped-json` bodies. */
  readonly mappers: ReadonlyMap<string, InboundMapper>;
  /** Document formats (X12, EDIFACT, XML, spreadsheets), found by the raw message's `format`. */
  readonly parsers: readonly FormatParser[];
  /** Per-partner overrides for a format, from the connector's config. */
  readonly mappingFor?: (connectorId: string, format: string) => Readonly<Record<string, unknown>> | undefined;
  readonly log: Logger;
  readonly metrics: HubMetrics;
  /** Called after an order is stored, so its events are published without waiting for a poll. */
  readonly onOrderStored?: () => void;
  /**
   * Answers a parsed business document to its sender (X12 997), after its orders are stored and
   * before the raw message is marked processed or quarantined: a rejection fails the job, which is
   * retried, so every step of it must be idempotent.
   */
  readonly acknowledge?: (raw: RawMessage, document: ParsedDocument, orderIds: readonly string[]) => Promise<void>;
}

/** A business document as its format's parser read it, for the acknowledgement. */
export interface ParsedDocument {
  readonly result: ParseResult;
  /** The interchange was received before in another raw message; nothing in it was taken. */
  readonly duplicate: boolean;
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
    const parsed = await parseRaw(raw, deps);
    if (!parsed.ok) {
      if (parsed.document) await deps.acknowledge?.(raw, parsed.document, []);
      await deps.store.raw.quarantine(raw.id, parsed.code, parsed.details, now);
      deps.metrics.intake.inc({ outcome: 'quarantined' });
      log.warn({ reason: parsed.code, details: parsed.details }, 'raw message quarantined');
      return { outcome: 'quarantined', reason: parsed.code };
    }
    const orders = [];
    for (const { ref, draft } of parsed.drafts) {
      const order = await acceptOrder(
        {
          orderId: parsed.drafts.length === 1 && raw.plannedOrderId ? raw.plannedOrderId : derivedOrderId(raw, ref),
          draft,
          now,
          source: {
            connectorId: raw.connectorId,
            channel: raw.channel,
            rawMessageId: raw.id,
            receivedAt: raw.receivedAt,
            ...(raw.externalId ? { externalId: raw.externalId } : {}),
            ...(draft.poNumber ? { poNumber: draft.poNumber } : {}),
          },
        },
        { store: deps.store, settings: deps.settings, ...(deps.rules ? { rules: deps.rules } : {}) },
      );
      orders.push(order);
      deps.metrics.intake.inc({ outcome: order.status });
      log.info({ orderId: order.id, status: order.status, ref }, 'order taken in');
    }
    if (parsed.document) await deps.acknowledge?.(raw, parsed.document, orders.map((o) => o.id));
    await deps.store.raw.markProcessed(raw.id, orders.map((o) => o.id), now);
    deps.onOrderStored?.();
    return { outcome: 'accepted', orderId: orders[0]!.id, status: orders[0]!.status };
  };
}

type Parsed = ({ ok: true; drafts: { ref: string; draft: OrderDraft }[] } | { ok: false; code: string; details: ErrorDetail[] }) & { document?: ParsedDocument };

/** REST bodies are one order each; business documents may hold several, each read by its format's parser. */
async function parseRaw(raw: RawMessage, deps: IntakeDeps): Promise<Parsed> {
  if (raw.format === 'mapped-json' || raw.format === 'canonical-json') {
    const mapper = raw.format === 'mapped-json' ? deps.mappers.get(raw.connectorId) : undefined;
    if (raw.format === 'mapped-json' && !mapper) return { ok: false, code: 'connector.not_found', details: [{ path: 'connectorId', message: `connector ${raw.connectorId} has no mapping` }] };
    const outcome = await parseRestOrder(raw, mapper);
    return outcome.ok ? { ok: true, drafts: [{ ref: 'body', draft: outcome.draft }] } : { ok: false, code: outcome.code, details: [...outcome.details] };
  }
  const parser = deps.parsers.find((p) => p.format === raw.format);
  if (!parser) return { ok: false, code: 'format.unsupported', details: [{ path: 'format', message: `no parser reads ${raw.format}` }] };
  const result = await parser.parse(raw.body, { mapping: deps.mappingFor?.(raw.connectorId, raw.format) ?? {} });
  const document = { result, duplicate: false };
  if (!result.ok) return { ok: false, code: result.code ?? `${raw.format}.unreadable`, details: [...result.issues], document };
  if (result.interchange) {
    const { sender, receiver, controlNumber } = result.interchange;
    const { created, entry } = await deps.store.ledger.record({ connectorId: raw.connectorId, key: `interchange:${sender}:${receiver}:${controlNumber}`, at: new Date().toISOString(), rawMessageId: raw.id });
    if (!created && entry.rawMessageId !== raw.id) {
      return {
        ok: false,
        code: 'interchange.duplicate',
        details: [{ path: 'controlNumber', message: `interchange ${controlNumber} from ${sender} to ${receiver} was received before (raw message ${entry.rawMessageId ?? '?'})` }],
        document: { result, duplicate: true },
      };
    }
  }
  const drafts: { ref: string; draft: OrderDraft }[] = [];
  const details: ErrorDetail[] = [...result.issues];
  for (const order of result.orders) {
    if (!order.draft) {
      details.push(...order.issues.map((i) => ({ ...i, path: `${order.ref} ${i.path}` })));
      continue;
    }
    const checked = orderDraftSchema.safeParse(order.draft);
    if (checked.success) drafts.push({ ref: order.ref, draft: checked.data });
    else details.push(...checked.error.issues.map((i) => ({ path: `${order.ref} ${i.path.join('.')}`, message: i.message })));
  }
  if (drafts.length === 0) return { ok: false, code: 'document.no_orders', details: details.length ? details : [{ path: '', message: 'the document holds no order' }], document };
  return { ok: true, drafts, document };
}

/** A stable order id per (raw message, place in it), so a retried intake reuses it. */
function derivedOrderId(raw: RawMessage, ref: string): string {
  const hex = createHash('sha256').update(`order:${raw.id}:${ref}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
