import type { CanonicalOrder, OrderLine } from '../../../core/order/order.types';
import { deliveryDateRule } from '../../../core/rules/delivery-date.rule';
import type { HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext, type SettingsInput } from './rule-context';

// "Today" is Monday 2026-03-02; with the default lead time of 7 working days the earliest day is Wednesday 2026-03-11.

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ store, dispose } = await openRuleStore());
  await store.calendar.setDays([
    { date: '2026-03-18', working: false, note: 'plant holiday' },
    { date: '2026-03-21', working: true, note: '调休' },
    // A holiday week, Thu Oct 1 – Wed Oct 7, made up on Sunday Sep 20 and Saturday Oct 10.
    { date: '2026-09-20', working: true, note: '调休' },
    ...['01', '02', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, working: false, note: '国庆节' })),
    { date: '2026-10-10', working: true, note: '调休' },
  ]);
  await store.capacity.setCapacity([
    { date: '2026-03-23', units: '100' },
    { date: '2026-03-26', units: '40' },
    { date: '2026-03-27', units: '10' },
    { date: '2026-03-31', units: '5' },
  ]);
  await store.orders.create(makeOrder({ status: 'confirmed' }), { events: [], capacity: [{ date: '2026-03-23', units: '80' }] });
});
afterAll(() => dispose());

function line(lineNo: number, quantity: string, requestedDate?: string): OrderLine {
  return { lineNo, sku: 'PANEL-A', quantity, uom: 'EA', unitPrice: '10.00', ...(requestedDate && { requestedDate }) };
}

function check(order: CanonicalOrder, options: { now?: string; settings?: SettingsInput } = {}) {
  return deliveryDateRule.check(ruleContext(store, order, options));
}

function onDate(requestedDeliveryDate: string, lines: OrderLine[] = [line(1, '1')]): CanonicalOrder {
  return makeOrder({ requestedDeliveryDate, lines });
}

describe('delivery-date', () => {
  describe('when the date leaves the lead time and falls on a working day', () => {
    it('reports nothing', async () => {
      expect(await check(onDate('2026-03-16'))).toEqual([]);
    });
  });

  describe('when no date is requested', () => {
    it('reports nothing', async () => {
      expect(await check(makeOrder())).toEqual([]);
    });
  });

  describe('when the date is in the past', () => {
    it('reports an error, and nothing else about that date', async () => {
      expect(await check(onDate('2026-03-01'), { settings: { delivery: { severity: 'warning' } } })).toEqual([
        {
          rule: 'delivery-date',
          code: 'delivery.absurd_date',
          severity: 'error',
          path: 'requestedDeliveryDate',
          message: '2026-03-01 is in the past (today is 2026-03-02)',
        },
      ]);
    });

    it('takes today from the local date of `now`, not the UTC one', async () => {
      const settings = { delivery: { leadTimeDays: 0 } };
      expect(await check(onDate('2026-03-02'), { now: '2026-03-02T01:00:00+08:00', settings })).toEqual([]);
    });
  });

  describe('when the date is beyond the horizon', () => {
    it('reports an error; the last day of the horizon is still fine', async () => {
      const settings = { delivery: { maxHorizonDays: 30 } };
      expect(await check(onDate('2026-04-01'), { settings })).toEqual([]);
      expect(await check(onDate('2026-04-02'), { settings })).toEqual([
        {
          rule: 'delivery-date',
          code: 'delivery.absurd_date',
          severity: 'error',
          path: 'requestedDeliveryDate',
          message: '2026-04-02 is more than 30 days ahead',
        },
      ]);
    });
  });

  describe('when the date is sooner than the lead time in working days', () => {
    it('warns with the working days left and the earliest possible day', async () => {
      expect(await check(onDate('2026-03-05'))).toEqual([
        {
          rule: 'delivery-date',
          code: 'delivery.lead_time',
          severity: 'warning',
          path: 'requestedDeliveryDate',
          message: '2026-03-05 is 3 working days away; lead time is 7 working days, earliest 2026-03-11',
        },
      ]);
    });

    it('accepts the earliest day and warns for the day before it', async () => {
      expect(await check(onDate('2026-03-11'))).toEqual([]);
      expect((await check(onDate('2026-03-10'))).map((i) => i.code)).toEqual(['delivery.lead_time']);
    });

    it('uses the severity from config', async () => {
      const issues = await check(onDate('2026-03-05'), { settings: { delivery: { severity: 'error' } } });
      expect(issues.map((i) => i.severity)).toEqual(['error']);
    });
  });

  describe('when the lead time spans a holiday week', () => {
    const now = '2026-09-25T10:00:00+08:00';

    it('pushes the earliest day past the holiday, counting the worked Saturday', async () => {
      expect(await check(onDate('2026-10-09'), { now })).toEqual([
        {
          rule: 'delivery-date',
          code: 'delivery.lead_time',
          severity: 'warning',
          path: 'requestedDeliveryDate',
          message: '2026-10-09 is 5 working days away; lead time is 7 working days, earliest 2026-10-12',
        },
      ]);
      expect(await check(onDate('2026-10-12'), { now })).toEqual([]);
    });
  });

  describe('when the date is not a working day', () => {
    it('warns for a weekend day', async () => {
      expect(await check(onDate('2026-03-14'))).toEqual([
        {
          rule: 'delivery-date',
          code: 'delivery.non_working_day',
          severity: 'warning',
          path: 'requestedDeliveryDate',
          message: '2026-03-14 is not a working day',
        },
      ]);
    });

    it('warns for a holiday on a weekday', async () => {
      expect((await check(onDate('2026-03-18'))).map((i) => i.code)).toEqual(['delivery.non_working_day']);
    });

    it('accepts a weekend day the calendar marks as worked (调休)', async () => {
      expect(await check(onDate('2026-03-21'))).toEqual([]);
    });

    it('follows the configured weekend', async () => {
      const settings = { delivery: { weekend: ['fri', 'sat'] } } satisfies SettingsInput;
      expect((await check(onDate('2026-03-20'), { settings })).map((i) => i.code)).toEqual(['delivery.non_working_day']);
      expect(await check(onDate('2026-03-22'), { settings })).toEqual([]);
    });
  });

  describe('when a line asks for its own date', () => {
    it("checks it at the line's path", async () => {
      const order = onDate('2026-03-16', [line(1, '1'), line(2, '1', '2026-03-04'), line(3, '1', '2026-03-15')]);
      expect((await check(order)).map((i) => [i.path, i.code])).toEqual([
        ['lines[1].requestedDate', 'delivery.lead_time'],
        ['lines[2].requestedDate', 'delivery.non_working_day'],
      ]);
    });
  });

  describe("when the day's capacity is not enough", () => {
    it('warns with the units needed, booked and available; a day filled exactly is fine', async () => {
      expect(await check(onDate('2026-03-23', [line(1, '12'), line(2, '8')]))).toEqual([]);
      expect(await check(onDate('2026-03-23', [line(1, '12'), line(2, '8.5')]))).toEqual([
        {
          rule: 'delivery-date',
          code: 'delivery.capacity',
          severity: 'warning',
          path: 'requestedDeliveryDate',
          message: '2026-03-23: this order needs 20.5 units, 80 of 100 are already booked',
        },
      ]);
    });

    it('counts only the lines delivered that day', async () => {
      expect(await check(onDate('2026-03-27', [line(1, '8'), line(2, '8', '2026-03-30')]))).toEqual([]);
      expect((await check(onDate('2026-03-27', [line(1, '8'), line(2, '8', '2026-03-27')]))).map((i) => i.code)).toEqual([
        'delivery.capacity',
      ]);
    });

    it("names the first line asking for a day the order's date does not", async () => {
      const issues = await check(onDate('2026-03-27', [line(1, '1'), line(2, '6', '2026-03-31')]));
      expect(issues.map((i) => [i.path, i.code])).toEqual([['lines[1].requestedDate', 'delivery.capacity']]);
    });
  });

  describe('when no capacity was loaded for the day', () => {
    it('uses the configured default, and without one takes the day as unlimited', async () => {
      const order = onDate('2026-03-25', [line(1, '6')]);
      expect(await check(order)).toEqual([]);
      expect((await check(order, { settings: { delivery: { defaultDailyCapacity: '5' } } })).map((i) => i.message)).toEqual([
        '2026-03-25: this order needs 6 units, 0 of 5 are already booked',
      ]);
    });
  });

  describe('when the order is checked again after booking its own capacity', () => {
    it('does not count its own booking against itself', async () => {
      const order = makeOrder({ status: 'confirmed', requestedDeliveryDate: '2026-03-26', lines: [line(1, '30')], capacityBookings: [{ date: '2026-03-26', units: '30' }] });
      await store.orders.create(order, { events: [], capacity: [{ date: '2026-03-26', units: '30' }] });
      expect(await check(order)).toEqual([]);
    });
  });
});
