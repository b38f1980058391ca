import { Schema, type Connection, type Model } from 'mongoose';
import type { ErrorDetail } from '../../../errors/hub-error';
import type { RawMessageStatus, RawOutcome } from '../../store.port';

/** A raw message exactly as it arrived; the body is BSON binary, never re-encoded text. */
export interface RawMessageDoc {
  _id: string;
  connectorId: string;
  channel: string;
  format: string;
  contentType: string;
  body: Buffer;
  externalId?: string;
  idempotencyKey?: string;
  plannedOrderId?: string;
  receivedAt: string;
  /** `receivedAt` as an instant, for oldest-first paging and `receivedBefore`. */
  receivedAtTime: Date;
  meta?: Record<string, unknown>;
  contentHash: string;
  size: number;
  status: RawMessageStatus;
  reason?: string;
  details: ErrorDetail[];
  orderIds: string[];
  outcomes: RawOutcome[];
}

const rawMessageSchema = new Schema<RawMessageDoc>(
  {
    _id: { type: String },
    connectorId: { type: String },
    channel: { type: String },
    format: { type: String },
    contentType: { type: String },
    body: { type: Buffer },
    externalId: { type: String },
    idempotencyKey: { type: String },
    plannedOrderId: { type: String },
    receivedAt: { type: String },
    receivedAtTime: { type: Date },
    meta: { type: Schema.Types.Mixed },
    contentHash: { type: String },
    size: { type: Number },
    status: { type: String },
    reason: { type: String },
    // Mixed elements store the port's shapes verbatim; typed subdocuments would add defaults
    // (an empty `orderIds` on every outcome) and reads would no longer equal writes.
    details: [Schema.Types.Mixed],
    orderIds: { type: [String] },
    outcomes: [Schema.Types.Mixed],
  },
  { collection: 'raw_messages', versionKey: false, minimize: false },
);

rawMessageSchema.index(
  { connectorId: 1, idempotencyKey: 1 },
  { unique: true, partialFilterExpression: { idempotencyKey: { $exists: true } } },
);
rawMessageSchema.index({ receivedAtTime: 1, _id: 1 });
rawMessageSchema.index({ status: 1, receivedAtTime: 1, _id: 1 });
rawMessageSchema.index({ connectorId: 1, receivedAtTime: 1, _id: 1 });

export type RawMessageModel = Model<RawMessageDoc>;

export function rawMessageModel(connection: Connection): RawMessageModel {
  return connection.model<RawMessageDoc>('RawMessage', rawMessageSchema);
}
