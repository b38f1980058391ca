import { Schema, type Connection, type Model } from 'mongoose';

/** A connector's poll cursor or ledger entry. */
export interface CursorDoc {
  connectorId: string;
  key: string;
  value: string;
}

const cursorSchema = new Schema<CursorDoc>(
  {
    connectorId: { type: String },
    key: { type: String },
    value: { type: String },
  },
  { collection: 'cursors', versionKey: false, minimize: false },
);

cursorSchema.index({ connectorId: 1, key: 1 }, { unique: true });

export type CursorModel = Model<CursorDoc>;

export function cursorModel(connection: Connection): CursorModel {
  return connection.model<CursorDoc>('Cursor', cursorSchema);
}
