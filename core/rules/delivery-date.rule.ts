import { dec, sum, type Dec } from '../order/money';
import type { CanonicalOrder, Issue } from '../order/order.types';
import type { Rule, RuleContext } from './rule';
import { addDays, addWorkingDays, countWorkingDays, isWorkingDay, workingCalendar } from './working-days';

/** A date asked for, and the field it was asked in. */
interface Requested {
  readonly path: string;
  readonly date: string;
}

/**
 * Delivery-date conflicts: the order's date and each line's own date must be plausible (not past,
 * not beyond the horizon: such a date is a typo, always an error), leave the plant its lead time in
 * working days, fall on a working day, and fit the day's remaining capacity.
 *
 * "Today" is the date part of `now` as written, in the offset it was written with: the caller
 * passes local time, so an order received at 01:00+08:00 is checked against the local day.
 */
export const deliveryDateRule: Rule = {
  name: 'delivery-date',
  async check(ctx) {
    const requested = requestedDates(ctx.order);
    if (requested.length === 0) return [];
    const { weekend, leadTimeDays, maxHorizonDays, severity } = ctx.settings.delivery;
    const today = ctx.now.slice(0, 10);
    const horizon = addDays(today, maxHorizonDays);
    const plausible = (date: string): boolean => date >= today && date <= horizon;
    const calendar = workingCalendar(weekend, await ctx.data.calendar.days(today, horizon));
    const earliest = addWorkingDays(calendar, today, leadTimeDays);

    const issues: Issue[] = [];
    for (const { path, date } of requested) {
      if (!plausible(date)) {
        const why = date < today ? `is in the past (today is ${today})` : `is more than ${maxHorizonDays} days ahead`;
        issues.push(issue('delivery.absurd_date', 'error', path, `${date} ${why}`));
        continue;
      }
      if (date < earliest) {
        const away = countWorkingDays(calendar, today, date);
        const message = `${date} is ${away} working day${away === 1 ? '' : 's'} away; lead time is ${leadTimeDays} working days, earliest ${earliest}`;
        issues.push(issue('delivery.lead_time', severity, path, message));
      }
      if (!isWorkingDay(calendar, date)) {
        issues.push(issue('delivery.non_working_day', severity, path, `${date} is not a working day`));
      }
    }
    return [...issues, ...(await capacityIssues(ctx, plausible))];
  },
};

function requestedDates(order: CanonicalOrder): Requested[] {
  const requested: Requested[] = [];
  if (order.requestedDeliveryDate) requested.push({ path: 'requestedDeliveryDate', date: order.requestedDeliveryDate });
  order.lines.forEach((line, i) => {
    if (line.requestedDate) requested.push({ path: `lines[${i}].requestedDate`, date: line.requestedDate });
  });
  return requested;
}

/**
 * Units per delivery day (a line without its own date ships on the order's date) against what the
 * day can still take. The order's own bookings are taken out of the day's booked units, so that
 * checking an order again after it was confirmed does not count it against itself.
 */
async function capacityIssues(ctx: RuleContext, plausible: (date: string) => boolean): Promise<Issue[]> {
  const { order, settings, data } = ctx;
  const perDay = new Map<string, { path: string; units: Dec[] }>();
  order.lines.forEach((line, i) => {
    const date = line.requestedDate ?? order.requestedDeliveryDate;
    if (date === undefined || !plausible(date)) return;
    const path = date === order.requestedDeliveryDate ? 'requestedDeliveryDate' : `lines[${i}].requestedDate`;
    const day = perDay.get(date);
    if (day) day.units.push(dec(line.quantity));
    else perDay.set(date, { path, units: [dec(line.quantity)] });
  });
  if (perDay.size === 0) return [];
  const loaded = new Map((await data.capacity.days([...perDay.keys()])).map((day) => [day.date, day]));
  const issues: Issue[] = [];
  for (const [date, { path, units }] of perDay) {
    const day = loaded.get(date);
    const capacity = day?.capacity ?? settings.delivery.defaultDailyCapacity;
    if (capacity === undefined) continue;
    const own = order.capacityBookings.filter((b) => b.date === date).map((b) => dec(b.units));
    const booked = dec(day?.booked ?? '0').minus(sum(own));
    const needed = sum(units);
    if (booked.plus(needed).greaterThan(dec(capacity))) {
      const message = `${date}: this order needs ${needed.toFixed()} units, ${booked.toFixed()} of ${dec(capacity).toFixed()} are already booked`;
      issues.push(issue('delivery.capacity', settings.delivery.severity, path, message));
    }
  }
  return issues;
}

function issue(code: string, severity: Issue['severity'], path: string, message: string): Issue {
  return { rule: 'delivery-date', code, severity, path, message };
}
