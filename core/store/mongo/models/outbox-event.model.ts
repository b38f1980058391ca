import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { OrderEventName } from '../../../lifecycle/order-events';

/** An outbox entry; `_id` is the event id, `publishedAt` stays null until the relay has published it. */
export interface OutboxEventDoc {
  _id: string;
  name: OrderEventName;
  orderId: string;
  orderVersion: number;
  at: string;
  data: Record<string, unknown>;
  /**
   * Insertion order, read back oldest first. ObjectIds made by one process increase, so the events
   * of one write keep the order they were given in; across processes the order is by second.
   */
  seq: Types.ObjectId;
  publishedAt: string | null;
}

const outboxEventSchema = new Schema<OutboxEventDoc>(
  {
    _id: { type: String },
    name: { type: String },
    orderId: { type: String },
    orderVersion: { type: Number },
    at: { type: String },
    data: { type: Schema.Types.Mixed },
    seq: { type: Schema.Types.ObjectId },
    publishedAt: { type: String, default: null },
  },
  { collection: 'outbox', versionKey: false, minimize: false },
);

outboxEventSchema.index({ publishedAt: 1, seq: 1 });

export type OutboxEventModel = Model<OutboxEventDoc>;

export function outboxEventModel(connection: Connection): OutboxEventModel {
  return connection.model<OutboxEventDoc>('OutboxEvent', outboxEventSchema);
}
