import { decide } from '../../../core/rules/decide';
import { defaultRules } from '../../../core/rules/default-rules';
import type { Rule } from '../../../core/rules/rule';
import { runChecks } from '../../../core/rules/run-checks';
import type { HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext } from './rule-context';

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ store, dispose } = await openRuleStore());
  await store.inventory.setStock([
    { sku: 'PANEL-A', location: 'WH-SH', onHand: '100' },
    { sku: 'BRACKET-B', location: 'WH-SH', onHand: '50' },
  ]);
  await store.prices.setPrices([
    { sku: 'PANEL-A', currency: 'CNY', unitPrice: '120.00' },
    { sku: 'BRACKET-B', currency: 'CNY', unitPrice: '8.40' },
  ]);
});
afterAll(() => dispose());

/** The factory's order (PANEL-A 10 × 120.00, BRACKET-B 2.5 × 8.40), made complete. */
const complete = { requestedDeliveryDate: '2026-03-16', paymentTerms: 'net 30' };

describe('defaultRules', () => {
  it('lists every intake check in reading order', () => {
    expect(defaultRules.map((r) => r.name)).toEqual(['required-fields', 'duplicate', 'delivery-date', 'stock', 'price', 'totals']);
  });
});

describe('runChecks', () => {
  describe('when a complete order matches stock, prices and calendar', () => {
    it('finds nothing, so the order is confirmed', async () => {
      const ctx = ruleContext(store, makeOrder(complete));
      const issues = await runChecks(ctx);
      expect(issues).toEqual([]);
      expect(decide(issues, ctx.settings)).toEqual({ status: 'confirmed' });
    });
  });

  describe('when several rules find something', () => {
    it('returns their issues in rule order, which decide turns into a joint review', async () => {
      const order = makeOrder({
        ...complete,
        requestedDeliveryDate: '2026-03-14',
        lines: [{ lineNo: 1, sku: 'PANEL-A', quantity: '101', uom: 'EA', unitPrice: '110.00' }],
        claimedTotals: { net: '11100.00' },
      });
      const ctx = ruleContext(store, order);
      const issues = await runChecks(ctx);
      expect(issues.map((i) => [i.rule, i.code])).toEqual([
        ['delivery-date', 'delivery.non_working_day'],
        ['stock', 'stock.shortage'],
        ['price', 'price.out_of_tolerance'],
        ['totals', 'totals.mismatch'],
      ]);
      expect(decide(issues, ctx.settings)).toEqual({ status: 'needs_review', requiredRoles: ['sales', 'production', 'finance'] });
    });
  });

  describe('when given its own list of rules', () => {
    it('runs exactly those, one after another', async () => {
      const ran: string[] = [];
      const rule = (name: string): Rule => ({
        name,
        async check() {
          ran.push(name);
          return [{ rule: name, code: `${name}.found`, severity: 'warning', path: 'poNumber', message: name }];
        },
      });
      const issues = await runChecks(ruleContext(store, makeOrder()), [rule('b'), rule('a')]);
      expect(ran).toEqual(['b', 'a']);
      expect(issues.map((i) => i.rule)).toEqual(['b', 'a']);
    });
  });

  describe('when a rule throws', () => {
    it('lets the error through instead of reporting a partial result', async () => {
      const broken: Rule = {
        name: 'broken',
        async check() {
          throw new TypeError('bug in rule');
        },
      };
      await expect(runChecks(ruleContext(store, makeOrder()), [broken])).rejects.toThrow('bug in rule');
    });
  });
});
