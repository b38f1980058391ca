import { Schema, type Connection, type Model } from 'mongoose';

/** An exception to the weekly working pattern; `_id` is the date (YYYY-MM-DD sorts as text). */
export interface CalendarDayDoc {
  _id: string;
  working: boolean;
  note?: string;
}

const calendarDaySchema = new Schema<CalendarDayDoc>(
  {
    _id: { type: String },
    working: { type: Boolean },
    note: { type: String },
  },
  { collection: 'calendar', versionKey: false, minimize: false },
);

export type CalendarDayModel = Model<CalendarDayDoc>;

export function calendarDayModel(connection: Connection): CalendarDayModel {
  return connection.model<CalendarDayDoc>('CalendarDay', calendarDaySchema);
}
