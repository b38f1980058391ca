import type Database from 'better-sqlite3';
import { ConflictError } from '../../errors/conflict.error';
import { NotFoundError } from '../../errors/not-found.error';
import type { Delivery, DeliveryAttempt, DeliveryLog, DeliveryQuery, DeliveryStatus, Page } from '../store.port';
import { clampLimit, decodeCursor, toPage, toUtc } from './paging';
import { StatementCache, WhereClause } from './dynamic-queries';

interface DeliveryRow {
  readonly id: string;
  readonly idempotency_key: string;
  readonly order_id: string;
  readonly event_id: string;
  readonly event: string;
  readonly target: string;
  readonly status: DeliveryStatus;
  readonly attempts: string;
  readonly last_error: string | null;
  readonly partner_ref: string | null;
  readonly created_at: string;
  readonly created_utc: string;
  readonly updated_at: string;
  readonly delivered_at: string | null;
}

const COLUMNS = `id, idempotency_key, order_id, event_id, event, target, status, attempts, last_error, partner_ref,
  created_at, created_utc, updated_at, delivered_at`;

interface AttemptParams {
  readonly id: string;
  readonly attempt: string;
  readonly status: DeliveryStatus;
  readonly at: string;
  readonly ok: number;
  readonly error: string | null;
  readonly partner_ref: string | null;
}

/**
 * One row per (order, event, target), attempts kept as a JSON array appended in SQL. `list` is newest
 * first by (createdAt, id).
 */
export class SqliteDeliveryLog implements DeliveryLog {
  private readonly insert: Database.Statement<[DeliveryRow]>;
  private readonly byId: Database.Statement<[string], DeliveryRow>;
  private readonly attempt: Database.Statement<[AttemptParams], DeliveryRow>;
  private readonly revive: Database.Statement<[string, string], DeliveryRow>;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.insert = db.prepare(
      `INSERT INTO deliveries (${COLUMNS}) VALUES (${COLUMNS.split(',').map((c) => `@${c.trim()}`).join(', ')})
       ON CONFLICT (id) DO NOTHING`,
    );
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM deliveries WHERE id = ?`);
    // A successful attempt keeps the previous lastError: it still explains the earlier retries.
    this.attempt = db.prepare(
      `UPDATE deliveries SET
         attempts = json_insert(attempts, '$[#]', json(@attempt)),
         status = @status,
         updated_at = @at,
         delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END,
         last_error = CASE WHEN @ok THEN last_error ELSE COALESCE(@error, last_error) END,
         partner_ref = COALESCE(@partner_ref, partner_ref)
       WHERE id = @id
       RETURNING ${COLUMNS}`,
    );
    this.revive = db.prepare(
      `UPDATE deliveries SET status = 'pending', updated_at = ? WHERE id = ? AND status = 'dead' RETURNING ${COLUMNS}`,
    );
  }

  async ensure(delivery: Omit<Delivery, 'status' | 'attempts' | 'updatedAt'>): Promise<{ delivery: Delivery; created: boolean }> {
    const created =
      this.insert.run({
        id: delivery.id,
        idempotency_key: delivery.idempotencyKey,
        order_id: delivery.orderId,
        event_id: delivery.eventId,
        event: delivery.event,
        target: delivery.target,
        status: 'pending',
        attempts: '[]',
        last_error: delivery.lastError ?? null,
        partner_ref: delivery.partnerRef ?? null,
        created_at: delivery.createdAt,
        created_utc: toUtc(delivery.createdAt, 'createdAt'),
        updated_at: delivery.createdAt,
        delivered_at: delivery.deliveredAt ?? null,
      }).changes === 1;
    return { delivery: toDelivery(this.byId.get(delivery.id)!), created };
  }

  async get(id: string): Promise<Delivery | undefined> {
    const row = this.byId.get(id);
    return row && toDelivery(row);
  }

  async recordAttempt(id: string, attempt: DeliveryAttempt, status: DeliveryStatus, partnerRef?: string): Promise<Delivery> {
    const row = this.attempt.get({
      id,
      attempt: JSON.stringify(attempt),
      status,
      at: attempt.at,
      ok: attempt.ok ? 1 : 0,
      error: attempt.error ?? null,
      partner_ref: partnerRef ?? null,
    });
    if (!row) throw new NotFoundError('delivery', id);
    return toDelivery(row);
  }

  async markPending(id: string, at: string): Promise<Delivery> {
    const row = this.revive.get(at, id);
    if (row) return toDelivery(row);
    const current = this.byId.get(id);
    if (!current) throw new NotFoundError('delivery', id);
    throw new ConflictError('delivery.not_dead', `delivery ${id} is ${current.status}; only a dead delivery can be replayed`, [
      { path: 'status', message: `is ${current.status}, not dead` },
    ]);
  }

  async list(query: DeliveryQuery): Promise<Page<Delivery>> {
    const limit = clampLimit(query.limit);
    const where = new WhereClause();
    if (query.status) where.add('status = ?', query.status);
    if (query.target) where.add('target = ?', query.target);
    if (query.orderId) where.add('order_id = ?', query.orderId);
    if (query.cursor) where.add('(created_utc, id) < (?, ?)', ...decodeCursor(query.cursor));
    const rows = this.statements
      .get<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries ${where} ORDER BY created_utc DESC, id DESC LIMIT ?`)
      .all(...where.params, limit + 1);
    return toPage(rows, limit, (row) => [row.created_utc, row.id], toDelivery);
  }
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    orderId: row.order_id,
    eventId: row.event_id,
    event: row.event,
    target: row.target,
    status: row.status,
    attempts: JSON.parse(row.attempts) as DeliveryAttempt[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.partner_ref !== null && { partnerRef: row.partner_ref }),
    ...(row.delivered_at !== null && { deliveredAt: row.delivered_at }),
  };
}
