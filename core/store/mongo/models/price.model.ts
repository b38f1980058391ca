import { Schema, type Connection, type Model } from 'mongoose';

/** One price-list entry. */
export interface PriceDoc {
  sku: string;
  currency: string;
  /** '' for the list price, so the unique index treats "no customer" as one value. */
  customerKey: string;
  unitPrice: string;
}

const priceSchema = new Schema<PriceDoc>(
  {
    sku: { type: String },
    currency: { type: String },
    customerKey: { type: String },
    unitPrice: { type: String },
  },
  { collection: 'prices', versionKey: false, minimize: false },
);

priceSchema.index({ sku: 1, currency: 1, customerKey: 1 }, { unique: true });

export type PriceModel = Model<PriceDoc>;

export function priceModel(connection: Connection): PriceModel {
  return connection.model<PriceDoc>('Price', priceSchema);
}
