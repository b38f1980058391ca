import type { Connection, QueryFilter } from 'mongoose';
import { ConflictError, VersionConflictError } from '../../errors/conflict.error';
import { NotFoundError } from '../../errors/not-found.error';
import type { CanonicalOrder, OrderStatus } from '../../order/order.types';
import { customerKey, type DuplicateQuery, type OrderQuery, type OrderStore, type OrderSummary, type OrderWrite, type Page } from '../store.port';
import { isDuplicateKeyError } from './mongo-errors';
import type { MongoModels } from './models';
import type { OrderDoc } from './models/order.model';
import { writeOrderEffects } from './order-effects.mongo';
import { beyond, clampLimit, decodeCursor, toInstant, toPage } from './paging';

/** What findDuplicates reads: the summary fields, and the order's createdAt exactly as it was given. */
type SummaryDoc = Pick<OrderDoc, '_id' | 'status' | 'poNumber' | 'contentHash'> & { order: Pick<CanonicalOrder, 'createdAt'> };

/** Statuses that no longer count as a live order for duplicate detection. */
const DEAD_STATUSES: readonly OrderStatus[] = ['rejected', 'cancelled'];

/**
 * Orders as documents holding the canonical order plus indexed copies of its fields. Every write is
 * one transaction holding the order, its outbox events and its stock and capacity changes: all of
 * them or none. `list` is newest first by (createdAt, id).
 */
export class MongoOrderStore implements OrderStore {
  constructor(
    private readonly connection: Connection,
    private readonly models: MongoModels,
  ) {}

  async create(order: CanonicalOrder, write: OrderWrite): Promise<CanonicalOrder> {
    const stored: CanonicalOrder = { ...order, version: 1 };
    const doc = toDoc(stored);
    try {
      await this.connection.transaction(async (session) => {
        await this.models.orders.create([doc], { session });
        await writeOrderEffects(this.models, session, stored.version, write);
      });
    } catch (err) {
      // The duplicate may be an event id instead; only a taken order id is the caller's conflict.
      if (isDuplicateKeyError(err) && (await this.models.orders.exists({ _id: order.id })) !== null) {
        throw new ConflictError('order.exists', `order ${order.id} already exists`, [{ path: 'id', message: 'already used' }]);
      }
      throw err;
    }
    return stored;
  }

  async get(id: string): Promise<CanonicalOrder | undefined> {
    const doc = await this.models.orders.findById(id, { order: 1 }).lean();
    return doc?.order;
  }

  async save(order: CanonicalOrder, expectedVersion: number, write: OrderWrite): Promise<CanonicalOrder> {
    const stored: CanonicalOrder = { ...order, version: expectedVersion + 1 };
    const { _id, ...replacement } = toDoc(stored);
    await this.connection.transaction(async (session) => {
      const { matchedCount } = await this.models.orders.replaceOne({ _id, version: expectedVersion }, replacement, { session });
      if (matchedCount === 0) {
        const exists = await this.models.orders.exists({ _id }).session(session);
        throw exists === null ? new NotFoundError('order', order.id) : new VersionConflictError(order.id, expectedVersion);
      }
      await writeOrderEffects(this.models, session, stored.version, write);
    });
    return stored;
  }

  async list(query: OrderQuery): Promise<Page<CanonicalOrder>> {
    const limit = clampLimit(query.limit);
    const and: QueryFilter<OrderDoc>[] = [];
    if (query.status) and.push({ status: query.status });
    if (query.customer) and.push({ $or: [{ 'order.customer.id': query.customer }, { 'order.customer.name': query.customer }] });
    if (query.from) and.push({ createdAt: { $gte: toInstant(query.from, 'from') } });
    if (query.to) and.push({ createdAt: { $lt: toInstant(query.to, 'to') } });
    if (query.cursor) and.push(beyond('createdAt', decodeCursor(query.cursor), 'desc'));
    const docs = await this.models.orders
      .find(and.length > 0 ? { $and: and } : {}, { order: 1, createdAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean();
    return toPage(docs, limit, (doc) => ({ time: doc.createdAt, id: doc._id }), (doc) => doc.order);
  }

  async findDuplicates(query: DuplicateQuery): Promise<readonly OrderSummary[]> {
    const sameContent: QueryFilter<OrderDoc>[] = [{ contentHash: query.contentHash }];
    if (query.poNumber !== undefined) sameContent.push({ poNumber: query.poNumber });
    const docs = await this.models.orders
      .find(
        { customerKey: query.customerKey, status: { $nin: [...DEAD_STATUSES] }, _id: { $ne: query.excludeOrderId }, $or: sameContent },
        { status: 1, poNumber: 1, contentHash: 1, 'order.createdAt': 1 },
      )
      .sort({ createdAt: 1, _id: 1 })
      .lean<SummaryDoc[]>();
    return docs.map((doc) => ({
      id: doc._id,
      status: doc.status,
      contentHash: doc.contentHash,
      createdAt: doc.order.createdAt,
      ...(doc.poNumber !== undefined && { poNumber: doc.poNumber }),
    }));
  }

  async countByStatus(): Promise<Readonly<Partial<Record<OrderStatus, number>>>> {
    const rows = await this.models.orders.aggregate<{ _id: OrderStatus; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]);
    const counts: Partial<Record<OrderStatus, number>> = {};
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }
}

/** The indexed fields are always derived from the order itself, so they cannot drift from it. */
function toDoc(order: CanonicalOrder): OrderDoc {
  return {
    _id: order.id,
    order,
    status: order.status,
    customerKey: customerKey(order.customer),
    ...(order.poNumber !== undefined && { poNumber: order.poNumber }),
    contentHash: order.contentHash,
    createdAt: toInstant(order.createdAt, 'createdAt'),
    version: order.version,
  };
}
