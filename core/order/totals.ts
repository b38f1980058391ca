import { Dec, dec, sum, toMoney } from './money';
import type { Issue, OrderDraft, OrderLine, Totals } from './order.types';

const HUNDRED = new Dec(100);

/** Net amount of one line: quantity × unit price less its discount, unrounded. */
export function lineNet(line: OrderLine): InstanceType<typeof Dec> {
  const gross = dec(line.quantity).times(dec(line.unitPrice));
  const discount = line.discountPct ? gross.times(dec(line.discountPct)).dividedBy(HUNDRED) : new Dec(0);
  return gross.minus(discount);
}

/**
 * Totals computed by the hub. Tax is rounded per line (as Chinese VAT invoices and most ERPs do),
 * so the order's tax equals the sum of what each line's invoice row will show.
 */
export function computeTotals(draft: Pick<OrderDraft, 'lines' | 'currency'>): Totals {
  const nets = draft.lines.map((line) => dec(toMoney(lineNet(line), draft.currency)));
  const taxes = draft.lines.map((line, i) =>
    line.taxRatePct ? dec(toMoney(nets[i]!.times(dec(line.taxRatePct)).dividedBy(HUNDRED), draft.currency)) : new Dec(0),
  );
  const net = sum(nets);
  const tax = sum(taxes);
  return {
    net: toMoney(net, draft.currency),
    tax: toMoney(tax, draft.currency),
    gross: toMoney(net.plus(tax), draft.currency),
  };
}

/** Compares what the source claims with what the lines add up to; each mismatch is one warning. */
export function crossCheckTotals(claimed: Partial<Totals> | undefined, computed: Totals): Issue[] {
  if (!claimed) return [];
  const issues: Issue[] = [];
  for (const key of ['net', 'tax', 'gross'] as const) {
    const value = claimed[key];
    if (value !== undefined && !dec(value).equals(dec(computed[key]))) {
      issues.push({
        rule: 'totals',
        code: 'totals.mismatch',
        severity: 'warning',
        path: `claimedTotals.${key}`,
        message: `source says ${key} is ${value} but the lines add up to ${computed[key]}`,
      });
    }
  }
  return issues;
}
