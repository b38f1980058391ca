import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Stock of one SKU at one location. Quantities are decimal strings, computed with decimal.js
 * inside the order write's transaction, so a quantity never passes through a JS number and reads
 * give back exactly what was written.
 */
export interface StockDoc {
  sku: string;
  location: string;
  onHand: string;
  reserved: string;
}

const stockSchema = new Schema<StockDoc>(
  {
    sku: { type: String },
    location: { type: String },
    onHand: { type: String },
    reserved: { type: String },
  },
  { collection: 'stock', versionKey: false, minimize: false },
);

stockSchema.index({ sku: 1, location: 1 }, { unique: true });

export type StockModel = Model<StockDoc>;

export function stockModel(connection: Connection): StockModel {
  return connection.model<StockDoc>('Stock', stockSchema);
}
