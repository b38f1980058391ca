import { Schema, type Connection, type Model } from 'mongoose';

/** Production capacity of one day (`_id` is the date); units are decimal strings, as for stock. */
export interface CapacityDayDoc {
  _id: string;
  capacity?: string;
  booked: string;
}

const capacityDaySchema = new Schema<CapacityDayDoc>(
  {
    _id: { type: String },
    capacity: { type: String },
    booked: { type: String },
  },
  { collection: 'capacity', versionKey: false, minimize: false },
);

export type CapacityDayModel = Model<CapacityDayDoc>;

export function capacityDayModel(connection: Connection): CapacityDayModel {
  return connection.model<CapacityDayDoc>('CapacityDay', capacityDaySchema);
}
