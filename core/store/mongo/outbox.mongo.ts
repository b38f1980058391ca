import type { OrderEvent } from '../../lifecycle/order-events';
import type { OutboxStore } from '../store.port';
import type { MongoModels } from './models';
import type { OutboxEventDoc } from './models/outbox-event.model';

/** Events wait here, oldest first by insertion, until the relay marks them published. Written by order-effects.mongo.ts. */
export class MongoOutboxStore implements OutboxStore {
  constructor(private readonly models: MongoModels) {}

  async unpublished(limit: number): Promise<readonly OrderEvent[]> {
    const count = Math.max(0, Math.floor(limit));
    // MongoDB reads limit(0) as "no limit".
    if (count === 0) return [];
    const docs = await this.models.outbox.find({ publishedAt: null }).sort({ seq: 1 }).limit(count).lean();
    return docs.map(toEvent);
  }

  async markPublished(eventIds: readonly string[], at: string): Promise<void> {
    if (eventIds.length === 0) return;
    await this.models.outbox.updateMany({ _id: { $in: [...eventIds] }, publishedAt: null }, { $set: { publishedAt: at } });
  }
}

function toEvent(doc: OutboxEventDoc): OrderEvent {
  return { id: doc._id, name: doc.name, orderId: doc.orderId, orderVersion: doc.orderVersion, at: doc.at, data: doc.data };
}
