import type { QueryFilter } from 'mongoose';
import { ConflictError } from '../../errors/conflict.error';
import { HubError } from '../../errors/hub-error';
import { NotFoundError } from '../../errors/not-found.error';
import type { Delivery, DeliveryAttempt, DeliveryLog, DeliveryQuery, DeliveryStatus, Page } from '../store.port';
import type { MongoModels } from './models';
import type { DeliveryDoc } from './models/delivery.model';
import { beyond, clampLimit, decodeCursor, toInstant, toPage } from './paging';

type NewDelivery = Omit<Delivery, 'status' | 'attempts' | 'updatedAt'>;

/** One document per (order, event, target), every attempt kept. `list` is newest first by (createdAt, id). */
export class MongoDeliveryLog implements DeliveryLog {
  constructor(private readonly models: MongoModels) {}

  /**
   * One upsert: of two racing ensures of one id, the server retries the one whose insert lost on
   * `_id` as an update, which finds the winner's document and changes nothing.
   */
  async ensure(delivery: NewDelivery): Promise<{ delivery: Delivery; created: boolean }> {
    const { id, ...fields } = delivery;
    const insert = { ...fields, status: 'pending', attempts: [], createdAtTime: toInstant(delivery.createdAt, 'createdAt'), updatedAt: delivery.createdAt };
    const result = await this.models.deliveries.findOneAndUpdate(
      { _id: id },
      { $setOnInsert: insert },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true, lean: true },
    );
    if (!result.value) throw new HubError('store.upsert_without_document', `upsert of delivery ${id} returned no document`, 'unexpected');
    return { delivery: toDelivery(result.value), created: result.lastErrorObject?.upserted !== undefined };
  }

  async get(id: string): Promise<Delivery | undefined> {
    const doc = await this.models.deliveries.findById(id).lean();
    return doc ? toDelivery(doc) : undefined;
  }

  async recordAttempt(id: string, attempt: DeliveryAttempt, status: DeliveryStatus, partnerRef?: string): Promise<Delivery> {
    const set: Partial<DeliveryDoc> = { status, updatedAt: attempt.at };
    if (status === 'delivered') set.deliveredAt = attempt.at;
    if (!attempt.ok && attempt.error !== undefined) set.lastError = attempt.error;
    if (partnerRef !== undefined) set.partnerRef = partnerRef;
    const doc = await this.models.deliveries
      .findOneAndUpdate({ _id: id }, { $set: set, $push: { attempts: { ...attempt } } }, { returnDocument: 'after' })
      .lean();
    if (!doc) throw new NotFoundError('delivery', id);
    return toDelivery(doc);
  }

  async markPending(id: string, at: string): Promise<Delivery> {
    const doc = await this.models.deliveries
      .findOneAndUpdate({ _id: id, status: 'dead' }, { $set: { status: 'pending', updatedAt: at } }, { returnDocument: 'after' })
      .lean();
    if (doc) return toDelivery(doc);
    const current = await this.models.deliveries.findById(id, { status: 1 }).lean();
    if (!current) throw new NotFoundError('delivery', id);
    throw new ConflictError('delivery.not_dead', `delivery ${id} is ${current.status}; only a dead delivery can be replayed`, [
      { path: 'status', message: `is ${current.status}, not dead` },
    ]);
  }

  async list(query: DeliveryQuery): Promise<Page<Delivery>> {
    const limit = clampLimit(query.limit);
    const and: QueryFilter<DeliveryDoc>[] = [];
    if (query.status) and.push({ status: query.status });
    if (query.target) and.push({ target: query.target });
    if (query.orderId) and.push({ orderId: query.orderId });
    if (query.cursor) and.push(beyond('createdAtTime', decodeCursor(query.cursor), 'desc'));
    const docs = await this.models.deliveries
      .find(and.length > 0 ? { $and: and } : {})
      .sort({ createdAtTime: -1, _id: -1 })
      .limit(limit + 1)
      .lean();
    return toPage(docs, limit, (doc) => ({ time: doc.createdAtTime, id: doc._id }), toDelivery);
  }
}

function toDelivery(doc: DeliveryDoc): Delivery {
  const { _id, createdAtTime, ...fields } = doc;
  return { ...fields, id: _id };
}
