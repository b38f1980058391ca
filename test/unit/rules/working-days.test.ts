import { ruleSettingsSchema } from '../../../core/rules/rule-settings.schema';
import {
  addDays,
  addWorkingDays,
  countWorkingDays,
  isWorkingDay,
  weekdayOf,
  workingCalendar,
} from '../../../core/rules/working-days';

/** China's 2025 National Day: Oct 1–8 off, made up by working Sunday Sep 28 and Saturday Oct 11. */
const nationalDay2025 = workingCalendar(
  ['sat', 'sun'],
  [
    { date: '2025-09-28', working: true, note: '调休' },
    ...['01', '02', '03', '06', '07', '08'].map((d) => ({ date: `2025-10-${d}`, working: false, note: '国庆节' })),
    { date: '2025-10-11', working: true, note: '调休' },
  ],
);
const plainWeek = workingCalendar(['sat', 'sun'], []);

describe('dates', () => {
  it('names the weekday of a date', () => {
    expect(weekdayOf('2025-10-01')).toBe('wed');
    expect(weekdayOf('2025-09-28')).toBe('sun');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2025-10-01', 730)).toBe('2027-10-01');
  });
});

describe('when the calendar has no exceptions', () => {
  it('works Monday to Friday and rests at the weekend', () => {
    expect(isWorkingDay(plainWeek, '2025-09-26')).toBe(true);
    expect(isWorkingDay(plainWeek, '2025-09-27')).toBe(false);
    expect(isWorkingDay(plainWeek, '2025-09-28')).toBe(false);
  });

  it('moves a Friday plus one working day to Monday', () => {
    expect(addWorkingDays(plainWeek, '2025-09-26', 1)).toBe('2025-09-29');
  });

  it('returns the start date for zero working days', () => {
    expect(addWorkingDays(plainWeek, '2025-09-27', 0)).toBe('2025-09-27');
  });

  it('follows a configured weekend other than Saturday and Sunday', () => {
    const fridaySaturday = workingCalendar(['fri', 'sat'], []);
    expect(isWorkingDay(fridaySaturday, '2025-09-28')).toBe(true);
    expect(isWorkingDay(fridaySaturday, '2025-09-26')).toBe(false);
  });
});

describe('when the calendar has holidays and worked weekend days (调休)', () => {
  it('rests on a holiday that falls on a weekday', () => {
    expect(isWorkingDay(nationalDay2025, '2025-10-01')).toBe(false);
    expect(isWorkingDay(nationalDay2025, '2025-10-08')).toBe(false);
  });

  it('works on a weekend day the calendar marks as worked', () => {
    expect(isWorkingDay(nationalDay2025, '2025-09-28')).toBe(true);
    expect(isWorkingDay(nationalDay2025, '2025-10-11')).toBe(true);
  });

  it('lets a lead time that spans the holiday week end after it, counting the worked weekend days', () => {
    // Sep 28 (Sun, worked), 29, 30, then Oct 9, 10, 11 (Sat, worked), 13.
    expect(addWorkingDays(nationalDay2025, '2025-09-26', 7)).toBe('2025-10-13');
    expect(addWorkingDays(plainWeek, '2025-09-26', 7)).toBe('2025-10-07');
  });

  it('counts the working days after a date up to and including another', () => {
    expect(countWorkingDays(nationalDay2025, '2025-09-26', '2025-10-13')).toBe(7);
    expect(countWorkingDays(nationalDay2025, '2025-09-30', '2025-10-08')).toBe(0);
    expect(countWorkingDays(nationalDay2025, '2025-10-08', '2025-10-09')).toBe(1);
  });

  it('counts zero when the end is not after the start', () => {
    expect(countWorkingDays(nationalDay2025, '2025-10-09', '2025-10-09')).toBe(0);
    expect(countWorkingDays(nationalDay2025, '2025-10-10', '2025-10-09')).toBe(0);
  });

  it('counts back exactly the working days it added', () => {
    for (let n = 0; n <= 30; n += 1) {
      expect(countWorkingDays(nationalDay2025, '2025-09-20', addWorkingDays(nationalDay2025, '2025-09-20', n))).toBe(n);
    }
  });
});

describe('when every weekday is weekend', () => {
  it('refuses the calendar, since no working day would ever come', () => {
    expect(() => workingCalendar(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], [])).toThrow(RangeError);
  });

  it('rejects such a setting at config load', () => {
    const result = ruleSettingsSchema.safeParse({ delivery: { weekend: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } });
    expect(result.success).toBe(false);
  });
});
