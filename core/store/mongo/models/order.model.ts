import { Schema, type Connection, type Model } from 'mongoose';
import type { CanonicalOrder, OrderStatus } from '../../../order/order.types';

/** An order: the canonical order verbatim, plus top-level copies of what queries filter and sort on. */
export interface OrderDoc {
  _id: string;
  order: CanonicalOrder;
  status: OrderStatus;
  /** customerKey(order.customer), for duplicate checks. */
  customerKey: string;
  poNumber?: string;
  contentHash: string;
  /** order.createdAt as an instant: ISO strings with different offsets do not sort as text. */
  createdAt: Date;
  /** Equals order.version; the optimistic-concurrency guard of save(). */
  version: number;
}

const orderSchema = new Schema<OrderDoc>(
  {
    _id: { type: String },
    // Mixed: order.schema.ts is the one definition of an order; a second one here would drift from it.
    order: { type: Schema.Types.Mixed },
    status: { type: String },
    customerKey: { type: String },
    poNumber: { type: String },
    contentHash: { type: String },
    createdAt: { type: Date },
    version: { type: Number },
  },
  { collection: 'orders', versionKey: false, minimize: false },
);

orderSchema.index({ createdAt: -1, _id: -1 });
orderSchema.index({ status: 1, createdAt: -1, _id: -1 });
orderSchema.index({ 'order.customer.id': 1, createdAt: -1, _id: -1 });
orderSchema.index({ 'order.customer.name': 1, createdAt: -1, _id: -1 });
orderSchema.index({ customerKey: 1, poNumber: 1 });
orderSchema.index({ customerKey: 1, contentHash: 1 });

export type OrderModel = Model<OrderDoc>;

export function orderModel(connection: Connection): OrderModel {
  return connection.model<OrderDoc>('Order', orderSchema);
}
