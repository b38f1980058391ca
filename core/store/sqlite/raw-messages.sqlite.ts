import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ConflictError } from '../../errors/conflict.error';
import type { ErrorDetail } from '../../errors/hub-error';
import { NotFoundError } from '../../errors/not-found.error';
import type { Page, RawMessage, RawMessageInput, RawMessageQuery, RawMessageStatus, RawMessageStore, RawOutcome } from '../store.port';
import { clampLimit, decodeCursor, toPage, toUtc } from './paging';
import { isConstraintError } from './sqlite-errors';
import { StatementCache, WhereClause } from './dynamic-queries';

interface RawRow {
  readonly id: string;
  readonly connector_id: string;
  readonly channel: string;
  readonly format: string;
  readonly content_type: string;
  readonly content_hash: string;
  readonly size: number;
  readonly external_id: string | null;
  readonly idempotency_key: string | null;
  readonly planned_order_id: string | null;
  readonly received_at: string;
  readonly received_utc: string;
  readonly meta: string | null;
  readonly status: RawMessageStatus;
  readonly reason: string | null;
  readonly details: string;
  readonly order_ids: string;
  readonly outcomes: string;
  readonly body: Buffer;
}

const COLUMNS = `id, connector_id, channel, format, content_type, content_hash, size, external_id, idempotency_key,
  planned_order_id, received_at, received_utc, meta, status, reason, details, order_ids, outcomes, body`;

/** Appends one JSON value to a JSON array column without reading it into JavaScript. */
const APPEND_OUTCOME = `outcomes = json_insert(outcomes, '$[#]', json(@outcome))`;

/**
 * Raw messages, body kept byte for byte as a BLOB. Writes go through the store's WriteBatch (write-batch.ts).
 * `list` is oldest first, by (receivedAt, id): the order a replay should walk them in.
 */
export class SqliteRawMessageStore implements RawMessageStore {
  private readonly insert: Database.Statement<[RawRow]>;
  private readonly byId: Database.Statement<[string], RawRow>;
  private readonly byKey: Database.Statement<[string, string], RawRow>;
  private readonly processed: Database.Statement<[{ id: string; order_ids: string; outcome: string }]>;
  private readonly quarantined: Database.Statement<[{ id: string; reason: string; details: string; outcome: string }]>;
  private readonly replayed: Database.Statement<[{ id: string; outcome: string }]>;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.insert = db.prepare(`INSERT INTO raw_messages (${COLUMNS}) VALUES (${COLUMNS.split(',').map((c) => `@${c.trim()}`).join(', ')})`);
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM raw_messages WHERE id = ?`);
    this.byKey = db.prepare(`SELECT ${COLUMNS} FROM raw_messages WHERE connector_id = ? AND idempotency_key = ?`);
    this.processed = db.prepare(
      `UPDATE raw_messages SET status = 'processed', order_ids = @order_ids, reason = NULL, details = '[]', ${APPEND_OUTCOME} WHERE id = @id`,
    );
    this.quarantined = db.prepare(
      `UPDATE raw_messages SET status = 'quarantined', reason = @reason, details = @details, ${APPEND_OUTCOME} WHERE id = @id`,
    );
    this.replayed = db.prepare(`UPDATE raw_messages SET status = 'received', ${APPEND_OUTCOME} WHERE id = @id`);
  }

  async put(input: RawMessageInput): Promise<{ message: RawMessage; created: boolean }> {
    return this.insertOrFind(toRow(input));
  }

  async get(id: string): Promise<RawMessage | undefined> {
    const row = this.byId.get(id);
    return row && toMessage(row);
  }

  async markProcessed(id: string, orderIds: readonly string[], at: string): Promise<void> {
    const outcome: RawOutcome = { at, outcome: 'processed', orderIds };
    this.expectOne(this.processed.run({ id, order_ids: JSON.stringify(orderIds), outcome: JSON.stringify(outcome) }), id);
  }

  async quarantine(id: string, reason: string, details: readonly ErrorDetail[], at: string): Promise<void> {
    const outcome: RawOutcome = { at, outcome: 'quarantined', reason, details };
    this.expectOne(this.quarantined.run({ id, reason, details: JSON.stringify(details), outcome: JSON.stringify(outcome) }), id);
  }

  async markForReplay(id: string, at: string): Promise<void> {
    const outcome: RawOutcome = { at, outcome: 'replayed' };
    this.expectOne(this.replayed.run({ id, outcome: JSON.stringify(outcome) }), id);
  }

  async list(query: RawMessageQuery): Promise<Page<RawMessage>> {
    const limit = clampLimit(query.limit);
    const where = new WhereClause();
    if (query.status) where.add('status = ?', query.status);
    if (query.connectorId) where.add('connector_id = ?', query.connectorId);
    if (query.receivedBefore) where.add('received_utc < ?', toUtc(query.receivedBefore, 'receivedBefore'));
    if (query.cursor) where.add('(received_utc, id) > (?, ?)', ...decodeCursor(query.cursor));
    const rows = this.statements
      .get<RawRow>(`SELECT ${COLUMNS} FROM raw_messages ${where} ORDER BY received_utc, id LIMIT ?`)
      .all(...where.params, limit + 1);
    return toPage(rows, limit, (row) => [row.received_utc, row.id], toMessage);
  }

  private insertOrFind(row: RawRow): { message: RawMessage; created: boolean } {
    try {
      this.insert.run(row);
      return { message: toMessage(row), created: true };
    } catch (err) {
      if (!isConstraintError(err)) throw err;
      const earlier = row.idempotency_key === null ? undefined : this.byKey.get(row.connector_id, row.idempotency_key);
      if (earlier) return { message: toMessage(earlier), created: false };
      throw new ConflictError('raw.id_taken', `raw message ${row.id} already exists`, [{ path: 'id', message: 'already used' }]);
    }
  }

  private expectOne(result: Database.RunResult, id: string): void {
    if (result.changes === 0) throw new NotFoundError('raw_message', id);
  }
}

function toRow(input: RawMessageInput): RawRow {
  const outcomes: RawOutcome[] = input.quarantine
    ? [{ at: input.receivedAt, outcome: 'quarantined', reason: input.quarantine.reason, details: input.quarantine.details }]
    : input.processed
      ? [{ at: input.receivedAt, outcome: 'processed', orderIds: input.processed.orderIds }]
      : [];
  return {
    id: input.id ?? randomUUID(),
    connector_id: input.connectorId,
    channel: input.channel,
    format: input.format,
    content_type: input.contentType,
    content_hash: createHash('sha256').update(input.body).digest('hex'),
    size: input.body.length,
    external_id: input.externalId ?? null,
    idempotency_key: input.idempotencyKey ?? null,
    planned_order_id: input.plannedOrderId ?? null,
    received_at: input.receivedAt,
    received_utc: toUtc(input.receivedAt, 'receivedAt'),
    meta: input.meta === undefined ? null : JSON.stringify(input.meta),
    status: input.quarantine ? 'quarantined' : input.processed ? 'processed' : 'received',
    reason: input.quarantine?.reason ?? null,
    details: JSON.stringify(input.quarantine?.details ?? []),
    order_ids: JSON.stringify(input.processed?.orderIds ?? []),
    outcomes: JSON.stringify(outcomes),
    body: input.body,
  };
}

function toMessage(row: RawRow): RawMessage {
  return {
    id: row.id,
    connectorId: row.connector_id,
    channel: row.channel,
    format: row.format,
    contentType: row.content_type,
    body: row.body,
    contentHash: row.content_hash,
    size: row.size,
    receivedAt: row.received_at,
    status: row.status,
    details: JSON.parse(row.details) as ErrorDetail[],
    orderIds: JSON.parse(row.order_ids) as string[],
    outcomes: JSON.parse(row.outcomes) as RawOutcome[],
    ...(row.external_id !== null && { externalId: row.external_id }),
    ...(row.idempotency_key !== null && { idempotencyKey: row.idempotency_key }),
    ...(row.planned_order_id !== null && { plannedOrderId: row.planned_order_id }),
    ...(row.meta !== null && { meta: JSON.parse(row.meta) as Record<string, unknown> }),
    ...(row.reason !== null && { reason: row.reason }),
  };
}
