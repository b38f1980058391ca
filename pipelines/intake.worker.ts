import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { acceptOrder } from '../core/intake/accept-order';
import { OrderCommands } from '../core/lifecycle/order-commands';
import { canTransition } from '../core/lifecycle/transitions';
import type { Rule } from '../core/rules/rule';
import type { RuleSettings } from '../core/rules/rule-settings.schema';
import type { HubStore, RawMessage } from '../core/store/store.port';
import type { ErrorDetail } from '../core/errors/hub-error';
import { contactSchema, orderDraftSchema } from '../core/order/order.schema';
import type { Issue, OrderDraft } from '../core/order/order.types';
import { readingKey, type FormatParser, type HandOff, type InboundMapper, type ParseContext, type ParseResult, type SourceOrderIdentity } from '../connectors/connector';
import type { DocumentArchive } from '../connectors/documents/document-archive';
import { parseRestOrder } from '../connectors/rest-api/rest-order.parser';
import type { HubMetrics } from './metrics';
import { QUEUES } from './queues';

export interface IntakeDeps {
  readonly store: HubStore;
  readonly settings: RuleSettings;
  /** A source's own settings where its config overrides the hub's `rules:` (a web shop needs no delivery date). */
  readonly settingsFor?: (connectorId: string) => RuleSettings | undefined;
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
  /** Keeps what a parser saw (an OCR reading) beside the raw message, once its orders exist. */
  readonly archive?: DocumentArchive;
  /** Queues a raw message this intake wrote (a scan handed off by a mail) for its own intake run. */
  readonly enqueue?: (rawMessageId: string) => Promise<unknown>;
  /** "Now" for the checks and the records; tests fix it so dated documents (contracts) check the same every day. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** A business document as its format's parser read it, for the acknowledgement. */
export interface ParsedDocument {
  readonly result: ParseResult;
  /** The interchange was received before in another raw message; nothing in it was taken. */
  readonly duplicate: boolean;
}

export type IntakeResult =
  | { outcome: 'accepted'; orderId: string; status: string }
  | { outcome: 'handed_off'; rawMessageIds: readonly string[] }
  | { outcome: 'updated'; orderId?: string; status?: string }
  | { outcome: 'quarantined'; reason: string }
  | { outcome: 'skipped'; status: string };

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

    const now = (deps.now?.() ?? new Date()).toISOString();
    const onProgress = (done: number, total: number): void => void job.updateProgress({ done, total }).catch((err: unknown) => log.debug({ err }, 'progress not recorded'));
    const parsed = await parseRaw(raw, deps, onProgress);
    if (!parsed.ok) {
      if (parsed.document) await deps.acknowledge?.(raw, parsed.document, []);
      await deps.store.raw.quarantine(raw.id, parsed.code, parsed.details, now);
      deps.metrics.intake.inc({ outcome: 'quarantined' });
      log.warn({ reason: parsed.code, details: parsed.details }, 'raw message quarantined');
      return { outcome: 'quarantined', reason: parsed.code };
    }
    if (parsed.identity) {
      const update = await takeSourceVersion(raw, parsed.identity, now, deps, log);
      if (update) return update;
    }
    const orders = [];
    for (const { ref, draft, doubts, confidence } of parsed.drafts) {
      const order = await acceptOrder(
        {
          orderId: parsed.identity ? sourceOrderId(raw.connectorId, parsed.identity) : parsed.drafts.length === 1 && raw.plannedOrderId ? raw.plannedOrderId : derivedOrderId(raw, ref),
          draft,
          now,
          source: {
            connectorId: raw.connectorId,
            channel: raw.channel,
            rawMessageId: raw.id,
            receivedAt: raw.receivedAt,
            ...(raw.externalId ? { externalId: raw.externalId } : {}),
            ...(draft.poNumber ? { poNumber: draft.poNumber } : {}),
            ...(confidence === undefined ? {} : { confidence }),
          },
          issues: doubts,
        },
        { store: deps.store, settings: deps.settingsFor?.(raw.connectorId) ?? deps.settings, ...(deps.rules ? { rules: deps.rules } : {}) },
      );
      orders.push(order);
      deps.metrics.intake.inc({ outcome: order.status });
      log.info({ orderId: order.id, status: order.status, ref }, 'order taken in');
    }
    const orderIds = orders.map((o) => o.id);
    const parts = await handOff(raw, parsed.document?.result.handOffs ?? [], deps, log);
    const reading = parsed.document?.result.reading;
    if (reading && orderIds.length > 0) {
      await deps.archive?.once({ connectorId: raw.connectorId, key: readingKey(raw.id), fileName: (doc) => doc.fileName, orderIds, about: { reads: raw.id } }, async () => reading);
    }
    if (parsed.document) await deps.acknowledge?.(raw, parsed.document, orderIds);
    await deps.store.raw.markProcessed(raw.id, orderIds, now);
    deps.onOrderStored?.();
    if (orders.length === 0) return { outcome: 'handed_off', rawMessageIds: parts };
    return { outcome: 'accepted', orderId: orders[0]!.id, status: orders[0]!.status };
  };
}

/**
 * Keeps each hand-off as a raw message of its own, under an id and key fixed by (raw message,
 * place), so a retried intake finds the ones already kept; then queues them. Written before the
 * document is marked processed: a crash in between leaves the document to be taken again.
 */
async function handOff(raw: RawMessage, parts: readonly HandOff[], deps: IntakeDeps, log: Logger): Promise<string[]> {
  const ids: string[] = [];
  for (const part of parts) {
    const { message } = await deps.store.raw.put({
      id: stableUuid(`part:${raw.id}:${part.n}`),
      connectorId: raw.connectorId,
      channel: raw.channel,
      format: part.format,
      contentType: part.contentType,
      body: part.body,
      externalId: `${part.parentExternalId ?? raw.externalId ?? raw.id}#${part.n}`,
      idempotencyKey: `part:${raw.id}#${part.n}`,
      receivedAt: raw.receivedAt,
      meta: { ...part.meta, ...(part.fileName ? { fileName: part.fileName } : {}), ...(part.owner ? { owner: part.owner } : {}), partOf: raw.id },
    });
    ids.push(message.id);
    if (message.status === 'received') await deps.enqueue?.(message.id).catch((err: unknown) => log.warn({ err, part: message.id }, 'hand-off not queued; the sweeper will'));
    log.info({ part: message.id, format: part.format, fileName: part.fileName }, 'part handed off to be read on its own');
  }
  return ids;
}

interface ReadDraft {
  readonly ref: string;
  readonly draft: OrderDraft;
  /** The parser's doubts, as warnings for the checks to decide on. */
  readonly doubts: Issue[];
  readonly confidence?: number;
}

type Parsed = ({ ok: true; drafts: ReadDraft[]; identity?: SourceOrderIdentity } | { ok: false; code: string; details: ErrorDetail[] }) & { document?: ParsedDocument };

/**
 * A version of a source order the hub already holds, or one cancelled before the hub took it:
 * nothing new is created. A cancellation cancels the hub order where the lifecycle allows; other
 * changes are recorded on the raw message (kept, linked to the order) and left to people, since
 * the order may already be reserved, reviewed or sent to the ERP. Returns undefined when the
 * version is the first of a live order, which intake then takes in as usual.
 */
async function takeSourceVersion(raw: RawMessage, identity: SourceOrderIdentity, now: string, deps: IntakeDeps, log: Logger): Promise<IntakeResult | undefined> {
  const orderId = sourceOrderId(raw.connectorId, identity);
  const existing = await deps.store.orders.get(orderId);
  if (!existing && !identity.cancelled) return undefined;
  if (!existing) {
    await deps.store.raw.markProcessed(raw.id, [], now);
    log.info({ sourceOrder: identity.key }, 'source order cancelled before the hub took it in; nothing created');
    return { outcome: 'updated' };
  }
  let order = existing;
  if (identity.cancelled && existing.status !== 'cancelled') {
    if (canTransition(existing.status, 'cancelled', existing.heldFrom)) {
      order = await new OrderCommands(deps.store).changeStatus({ orderId, to: 'cancelled', actor: `connector:${raw.connectorId}`, reason: `cancelled at the source (${identity.key})` });
      deps.onOrderStored?.();
      log.info({ orderId, sourceOrder: identity.key }, 'order cancelled at its source');
    } else {
      log.warn({ orderId, status: existing.status, sourceOrder: identity.key }, 'the source cancelled an order the hub can no longer cancel; left for people');
    }
  }
  await deps.store.raw.markProcessed(raw.id, [orderId], now);
  deps.metrics.intake.inc({ outcome: 'source_update' });
  return { outcome: 'updated', orderId, status: order.status };
}

/** The one hub order of a source order, whichever version arrives first. */
function sourceOrderId(connectorId: string, identity: SourceOrderIdentity): string {
  return stableUuid(`source-order:${connectorId}:${identity.key}`);
}

/** REST bodies are one order each; business documents may hold several, each read by its format's parser. */
async function parseRaw(raw: RawMessage, deps: IntakeDeps, onProgress: ParseContext['onProgress']): Promise<Parsed> {
  const connectorMapper = deps.mappers.get(raw.connectorId);
  if (raw.format === 'mapped-json' || raw.format === 'canonical-json' || raw.format === connectorMapper?.format) {
    const mapper = raw.format === 'canonical-json' ? undefined : connectorMapper;
    if (raw.format === 'mapped-json' && !mapper) return { ok: false, code: 'connector.not_found', details: [{ path: 'connectorId', message: `connector ${raw.connectorId} has no mapping` }] };
    const outcome = await parseRestOrder(raw, mapper);
    if (!outcome.ok) {
      // A source's own refusal (shop.currency_mismatch) names the quarantine better than the generic mapping.failed.
      const sourceCode = raw.format !== 'mapped-json' ? outcome.details.find((d) => d.code && d.code !== 'validation.failed')?.code : undefined;
      return { ok: false, code: sourceCode ?? outcome.code, details: [...outcome.details] };
    }
    const identity = await mapper?.identify?.(JSON.parse(raw.body.toString('utf8')) as unknown);
    return { ok: true, drafts: [{ ref: 'body', draft: outcome.draft, doubts: [] }], ...(identity ? { identity } : {}) };
  }
  const parser = deps.parsers.find((p) => p.format === raw.format);
  if (!parser) return { ok: false, code: 'format.unsupported', details: [{ path: 'format', message: `no parser reads ${raw.format}` }] };
  const fileName = typeof raw.meta?.fileName === 'string' ? raw.meta.fileName : undefined;
  const context: ParseContext = { mapping: deps.mappingFor?.(raw.connectorId, raw.format) ?? {}, contentType: raw.contentType, ...(fileName ? { fileName } : {}), ...(onProgress ? { onProgress } : {}) };
  const result = await parser.parse(raw.body, context);
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
  const drafts: ReadDraft[] = [];
  const owner = contactSchema.safeParse(raw.meta?.owner);
  const details: ErrorDetail[] = [...result.issues];
  for (const order of result.orders) {
    if (!order.draft) {
      details.push(...order.issues.map((i) => ({ ...i, path: `${order.ref} ${i.path}` })));
      continue;
    }
    // A part handed off by a mail belongs to the salesperson who forwarded the mail, unless it names its own.
    const draft = owner.success && order.draft.owner === undefined ? { ...order.draft, owner: owner.data } : order.draft;
    const checked = orderDraftSchema.safeParse(draft);
    const doubts = (order.doubts ?? []).map((doubt): Issue => ({ ...doubt, severity: 'warning' }));
    if (checked.success) drafts.push({ ref: order.ref, draft: checked.data, doubts, ...(order.confidence === undefined ? {} : { confidence: order.confidence }) });
    else details.push(...checked.error.issues.map((i) => ({ path: `${order.ref} ${i.path.join('.')}`, message: i.message })));
  }
  // A mail whose only orders are scans it handed off is done once they are kept.
  const handedOff = (result.handOffs?.length ?? 0) > 0 && result.orders.length === 0;
  if (drafts.length === 0 && !handedOff) return { ok: false, code: 'document.no_orders', details: details.length ? details : [{ path: '', message: 'the document holds no order' }], document };
  return { ok: true, drafts, document };
}

/** A stable order id per (raw message, place in it), so a retried intake reuses it. */
function derivedOrderId(raw: RawMessage, ref: string): string {
  return stableUuid(`order:${raw.id}:${ref}`);
}

/** A uuid-shaped id fixed by `seed`. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
