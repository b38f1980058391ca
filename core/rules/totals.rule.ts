import { crossCheckTotals } from '../order/totals';
import type { Rule } from './rule';

/**
 * The source's own totals against the hub's: a mismatch usually means a misread line (OCR) or a
 * partner rounding differently, which a person should look at. `order.totals` is computed at intake
 * from the lines, so this rule only compares.
 */
export const totalsRule: Rule = {
  name: 'totals',
  async check({ order }) {
    return crossCheckTotals(order.claimedTotals, order.totals);
  },
};
