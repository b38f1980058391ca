import { totalsRule } from '../../../core/rules/totals.rule';
import type { HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext } from './rule-context';

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => ({ store, dispose } = await openRuleStore()));
afterAll(() => dispose());

// The factory's lines: 10 × 120.00 at 13% VAT and 2.5 × 8.40 untaxed → net 1221.00, tax 156.00, gross 1377.00.

describe('totals', () => {
  describe('when the source states no totals', () => {
    it('reports nothing', async () => {
      expect(await totalsRule.check(ruleContext(store, makeOrder()))).toEqual([]);
    });
  });

  describe('when the stated totals match the lines, however written', () => {
    it('reports nothing', async () => {
      const order = makeOrder({ claimedTotals: { net: '1221', tax: '156.0', gross: '1377.00' } });
      expect(await totalsRule.check(ruleContext(store, order))).toEqual([]);
    });
  });

  describe('when a stated total differs from the lines', () => {
    it('warns at that total with both amounts', async () => {
      const order = makeOrder({ claimedTotals: { net: '1221.00', gross: '1380.00' } });
      expect(await totalsRule.check(ruleContext(store, order))).toEqual([
        {
          rule: 'totals',
          code: 'totals.mismatch',
          severity: 'warning',
          path: 'claimedTotals.gross',
          message: 'source says gross is 1380.00 but the lines add up to 1377.00',
        },
      ]);
    });
  });
});
