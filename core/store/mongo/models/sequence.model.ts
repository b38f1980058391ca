import { Schema, type Connection, type Model } from 'mongoose';

export interface SequenceDoc {
  _id: string;
  value: number;
}

const sequenceSchema = new Schema<SequenceDoc>({ _id: { type: String }, value: { type: Number } }, { collection: 'sequences', versionKey: false });

export type SequenceModel = Model<SequenceDoc>;

export function sequenceModel(connection: Connection): SequenceModel {
  return connection.model<SequenceDoc>('Sequence', sequenceSchema);
}
