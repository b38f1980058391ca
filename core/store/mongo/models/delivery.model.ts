import { Schema, type Connection, type Model } from 'mongoose';
import type { DeliveryAttempt, DeliveryStatus } from '../../store.port';

/** One delivery of one event to one target; `_id` is the delivery id, every attempt is kept. */
export interface DeliveryDoc {
  _id: string;
  idempotencyKey: string;
  orderId: string;
  eventId: string;
  event: string;
  target: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  lastError?: string;
  partnerRef?: string;
  createdAt: string;
  /** `createdAt` as an instant, for newest-first paging. */
  createdAtTime: Date;
  updatedAt: string;
  deliveredAt?: string;
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String },
    idempotencyKey: { type: String },
    orderId: { type: String },
    eventId: { type: String },
    event: { type: String },
    target: { type: String },
    status: { type: String },
    // Mixed elements keep attempts exactly as given (see raw-message.model.ts).
    attempts: [Schema.Types.Mixed],
    lastError: { type: String },
    partnerRef: { type: String },
    createdAt: { type: String },
    createdAtTime: { type: Date },
    updatedAt: { type: String },
    deliveredAt: { type: String },
  },
  { collection: 'deliveries', versionKey: false, minimize: false },
);

deliverySchema.index({ createdAtTime: -1, _id: -1 });
deliverySchema.index({ status: 1, createdAtTime: -1, _id: -1 });
deliverySchema.index({ target: 1, createdAtTime: -1, _id: -1 });
deliverySchema.index({ orderId: 1, createdAtTime: -1, _id: -1 });

export type DeliveryModel = Model<DeliveryDoc>;

export function deliveryModel(connection: Connection): DeliveryModel {
  return connection.model<DeliveryDoc>('Delivery', deliverySchema);
}
