import type { CalendarDay } from '../store/store.port';
import type { RuleSettings } from './rule-settings.schema';

/**
 * Working-day arithmetic on ISO dates (YYYY-MM-DD). A day is worked unless its weekday is in the
 * weekend, and the calendar's exceptions override that pattern both ways: holidays (working=false)
 * and weekend days worked to make up for them (调休, working=true). Dates are computed in UTC so
 * that no host time zone or daylight-saving shift can move a day.
 */

export type Weekday = RuleSettings['delivery']['weekend'][number];

/** Indexed by `Date.prototype.getUTCDay()`. */
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const DAY_MS = 86_400_000;

export interface WorkingCalendar {
  readonly weekend: ReadonlySet<Weekday>;
  /** Days that differ from the weekly pattern, date → worked. */
  readonly exceptions: ReadonlyMap<string, boolean>;
}

/**
 * @throws RangeError when every weekday is weekend: counting forward would never end.
 */
export function workingCalendar(weekend: readonly Weekday[], exceptions: readonly CalendarDay[]): WorkingCalendar {
  const weekendSet = new Set(weekend);
  if (weekendSet.size === WEEKDAYS.length) throw new RangeError('a week needs at least one working weekday');
  return { weekend: weekendSet, exceptions: new Map(exceptions.map((day) => [day.date, day.working])) };
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  return calendar.exceptions.get(date) ?? !calendar.weekend.has(weekdayOf(date));
}

/** The `count`-th working day after `from` (`from` itself when count is 0). */
export function addWorkingDays(calendar: WorkingCalendar, from: string, count: number): string {
  let date = from;
  for (let left = count; left > 0; ) {
    date = addDays(date, 1);
    if (isWorkingDay(calendar, date)) left -= 1;
  }
  return date;
}

/** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function countWorkingDays(calendar: WorkingCalendar, from: string, to: string): number {
  let count = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (isWorkingDay(calendar, date)) count += 1;
  }
  return count;
}
