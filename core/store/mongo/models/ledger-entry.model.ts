import { Schema, type Connection, type Model } from 'mongoose';

export interface LedgerEntryDoc {
  connectorId: string;
  key: string;
  at: string;
  rawMessageId?: string;
  data?: Record<string, unknown>;
}

const ledgerEntrySchema = new Schema<LedgerEntryDoc>(
  {
    connectorId: { type: String },
    key: { type: String },
    at: { type: String },
    rawMessageId: { type: String },
    data: { type: Schema.Types.Mixed },
  },
  { collection: 'ledger', versionKey: false, minimize: false },
);

ledgerEntrySchema.index({ connectorId: 1, key: 1 }, { unique: true });

export type LedgerEntryModel = Model<LedgerEntryDoc>;

export function ledgerEntryModel(connection: Connection): LedgerEntryModel {
  return connection.model<LedgerEntryDoc>('LedgerEntry', ledgerEntrySchema);
}
