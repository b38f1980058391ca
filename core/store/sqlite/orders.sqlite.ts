import type Database from 'better-sqlite3';
import { ConflictError, VersionConflictError } from '../../errors/conflict.error';
import { NotFoundError } from '../../errors/not-found.error';
import type { CanonicalOrder, OrderStatus } from '../../order/order.types';
import { customerKey, type DuplicateQuery, type OrderQuery, type OrderStore, type OrderSummary, type OrderWrite, type Page } from '../store.port';
import type { SqliteOutboxStore } from './outbox.sqlite';
import { clampLimit, decodeCursor, toPage, toUtc } from './paging';
import type { Reservations } from './reservations.sqlite';
import { isConstraintError } from './sqlite-errors';
import { StatementCache, WhereClause } from './dynamic-queries';

/** The indexed columns beside the JSON document; always derived from the document itself. */
interface OrderColumns {
  readonly id: string;
  readonly version: number;
  readonly status: OrderStatus;
  readonly customer_key: string;
  readonly customer_id: string | null;
  readonly customer_name: string;
  readonly po_number: string | null;
  readonly content_hash: string;
  readonly created_at: string;
  readonly created_utc: string;
  readonly doc: string;
}

interface SummaryRow {
  readonly id: string;
  readonly status: OrderStatus;
  readonly po_number: string | null;
  readonly content_hash: string;
  readonly created_at: string;
}

const SET_COLUMNS = `version = @version, status = @status, customer_key = @customer_key, customer_id = @customer_id,
  customer_name = @customer_name, po_number = @po_number, content_hash = @content_hash, created_at = @created_at,
  created_utc = @created_utc, doc = @doc`;

/** Statuses that no longer count as a live order for duplicate detection. */
const DEAD_STATUSES = `('rejected', 'cancelled')`;

/**
 * Orders as a JSON document plus indexed columns. Every write is one IMMEDIATE transaction holding
 * the order, its outbox events and its stock and capacity changes: all of them or none.
 * `list` is newest first by (createdAt, id).
 */
export class SqliteOrderStore implements OrderStore {
  private readonly insert: Database.Statement<[OrderColumns]>;
  private readonly update: Database.Statement<[OrderColumns & { expected_version: number }]>;
  private readonly byId: Database.Statement<[string], { doc: string }>;
  private readonly exists: Database.Statement<[string], { id: string }>;
  private readonly byPoOrContent: Database.Statement<[{ customerKey: string; excludeOrderId: string; poNumber: string; contentHash: string }], SummaryRow>;
  private readonly byContent: Database.Statement<[string, string, string], SummaryRow>;
  private readonly statusCounts: Database.Statement<[], { status: OrderStatus; n: number }>;
  private readonly createTx: Database.Transaction<(order: CanonicalOrder, write: OrderWrite) => CanonicalOrder>;
  private readonly saveTx: Database.Transaction<(order: CanonicalOrder, expectedVersion: number, write: OrderWrite) => CanonicalOrder>;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
    private readonly outbox: SqliteOutboxStore,
    private readonly reservations: Reservations,
  ) {
    this.insert = db.prepare(
      `INSERT INTO orders (id, version, status, customer_key, customer_id, customer_name, po_number, content_hash, created_at, created_utc, doc)
       VALUES (@id, @version, @status, @customer_key, @customer_id, @customer_name, @po_number, @content_hash, @created_at, @created_utc, @doc)`,
    );
    this.update = db.prepare(`UPDATE orders SET ${SET_COLUMNS} WHERE id = @id AND version = @expected_version`);
    this.byId = db.prepare('SELECT doc FROM orders WHERE id = ?');
    this.exists = db.prepare('SELECT id FROM orders WHERE id = ?');
    const summary = `SELECT id, status, po_number, content_hash, created_at FROM orders
      WHERE customer_key = ? AND status NOT IN ${DEAD_STATUSES} AND id != ?`;
    // Two shapes rather than `(? IS NULL OR po_number = ?)`, which would keep SQLite off the PO index.
    // A UNION, not `po_number = ? OR content_hash = ?`: with the OR, SQLite uses only the customer_key
    // prefix and walks every order of the customer, which grows with the customer's history.
    this.byPoOrContent = db.prepare(
      `SELECT id, status, po_number, content_hash, created_at FROM (
         SELECT id, status, po_number, content_hash, created_at, created_utc FROM orders WHERE customer_key = @customerKey AND po_number = @poNumber AND status NOT IN ${DEAD_STATUSES} AND id != @excludeOrderId
         UNION
         SELECT id, status, po_number, content_hash, created_at, created_utc FROM orders WHERE customer_key = @customerKey AND content_hash = @contentHash AND status NOT IN ${DEAD_STATUSES} AND id != @excludeOrderId
       ) ORDER BY created_utc, id`,
    );
    this.byContent = db.prepare(`${summary} AND content_hash = ? ORDER BY created_utc, id`);
    this.statusCounts = db.prepare('SELECT status, COUNT(*) AS n FROM orders GROUP BY status');

    this.createTx = db.transaction((order: CanonicalOrder, write: OrderWrite) => {
      const stored: CanonicalOrder = { ...order, version: 1 };
      try {
        this.insert.run(toColumns(stored));
      } catch (err) {
        if (isConstraintError(err, 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
          throw new ConflictError('order.exists', `order ${order.id} already exists`, [{ path: 'id', message: 'already used' }]);
        }
        throw err;
      }
      this.applyEffects(stored, write);
      return stored;
    });

    this.saveTx = db.transaction((order: CanonicalOrder, expectedVersion: number, write: OrderWrite) => {
      const stored: CanonicalOrder = { ...order, version: expectedVersion + 1 };
      if (this.update.run({ ...toColumns(stored), expected_version: expectedVersion }).changes === 0) {
        if (!this.exists.get(order.id)) throw new NotFoundError('order', order.id);
        throw new VersionConflictError(order.id, expectedVersion);
      }
      this.applyEffects(stored, write);
      return stored;
    });
  }

  async create(order: CanonicalOrder, write: OrderWrite): Promise<CanonicalOrder> {
    return this.createTx.immediate(order, write);
  }

  async get(id: string): Promise<CanonicalOrder | undefined> {
    const row = this.byId.get(id);
    return row && (JSON.parse(row.doc) as CanonicalOrder);
  }

  async save(order: CanonicalOrder, expectedVersion: number, write: OrderWrite): Promise<CanonicalOrder> {
    return this.saveTx.immediate(order, expectedVersion, write);
  }

  async list(query: OrderQuery): Promise<Page<CanonicalOrder>> {
    const limit = clampLimit(query.limit);
    const where = new WhereClause();
    if (query.status) where.add('status = ?', query.status);
    if (query.customer) where.add('(customer_id = ? OR customer_name = ?)', query.customer, query.customer);
    if (query.from) where.add('created_utc >= ?', toUtc(query.from, 'from'));
    if (query.to) where.add('created_utc < ?', toUtc(query.to, 'to'));
    if (query.cursor) where.add('(created_utc, id) < (?, ?)', ...decodeCursor(query.cursor));
    const rows = this.statements
      .get<{ id: string; created_utc: string; doc: string }>(
        `SELECT id, created_utc, doc FROM orders ${where} ORDER BY created_utc DESC, id DESC LIMIT ?`,
      )
      .all(...where.params, limit + 1);
    return toPage(rows, limit, (row) => [row.created_utc, row.id], (row) => JSON.parse(row.doc) as CanonicalOrder);
  }

  async findDuplicates(query: DuplicateQuery): Promise<readonly OrderSummary[]> {
    const rows =
      query.poNumber === undefined
        ? this.byContent.all(query.customerKey, query.excludeOrderId, query.contentHash)
        : this.byPoOrContent.all({ customerKey: query.customerKey, excludeOrderId: query.excludeOrderId, poNumber: query.poNumber, contentHash: query.contentHash });
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      contentHash: row.content_hash,
      createdAt: row.created_at,
      ...(row.po_number !== null && { poNumber: row.po_number }),
    }));
  }

  async countByStatus(): Promise<Readonly<Partial<Record<OrderStatus, number>>>> {
    const counts: Partial<Record<OrderStatus, number>> = {};
    for (const row of this.statusCounts.all()) counts[row.status] = row.n;
    return counts;
  }

  private applyEffects(stored: CanonicalOrder, write: OrderWrite): void {
    this.reservations.applyStock(write.stock ?? []);
    this.reservations.bookCapacity(write.capacity ?? []);
    this.outbox.append(write.events, stored.version);
  }
}

function toColumns(order: CanonicalOrder): OrderColumns {
  return {
    id: order.id,
    version: order.version,
    status: order.status,
    customer_key: customerKey(order.customer),
    customer_id: order.customer.id ?? null,
    customer_name: order.customer.name,
    po_number: order.poNumber ?? null,
    content_hash: order.contentHash,
    created_at: order.createdAt,
    created_utc: toUtc(order.createdAt, 'createdAt'),
    doc: JSON.stringify(order),
  };
}
