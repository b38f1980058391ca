import { Dec, dec } from '../order/money';
import type { Issue, OrderLine } from '../order/order.types';
import { customerKey, type PriceEntry } from '../store/store.port';
import type { Rule } from './rule';

const HUNDRED = new Dec(100);

/**
 * Price compliance: each line's unit price against the price list in the order's currency. A price
 * agreed with this customer replaces the list price; a line discount is applied before comparing,
 * since the net price is what the customer pays.
 */
export const priceRule: Rule = {
  name: 'price',
  async check({ order, settings, data }) {
    const { enabled, tolerancePct, outOfTolerance, missingPrice } = settings.price;
    if (!enabled) return [];
    const entries = await data.prices.prices([...new Set(order.lines.map((l) => l.sku))], order.currency);
    const reference = referencePrices(entries, customerKey(order.customer));
    const issues: Issue[] = [];
    order.lines.forEach((line, i) => {
      const path = `lines[${i}].unitPrice`;
      const ref = reference.get(line.sku);
      if (!ref) {
        issues.push(issue('price.missing', missingPrice, path, `no price for SKU ${line.sku} in ${order.currency}`));
        return;
      }
      const net = netUnitPrice(line);
      const listPrice = dec(ref.unitPrice);
      const deviation = deviationPct(net, listPrice);
      if (deviation.greaterThan(dec(tolerancePct))) {
        const kind = ref.customerKey === undefined ? 'list price' : 'customer price';
        const shown = line.discountPct ? `net unit price ${net.toFixed()} (after ${line.discountPct}% discount)` : `unit price ${line.unitPrice}`;
        const off = deviation.isFinite() ? `${deviation.toFixed(2)}%` : 'unbounded';
        const message = `SKU ${line.sku}: ${shown} vs ${kind} ${listPrice.toFixed()} ${order.currency}, deviation ${off} exceeds ${tolerancePct}%`;
        issues.push(issue('price.out_of_tolerance', outOfTolerance, path, message));
      }
    });
    return issues;
  },
};

/** Per SKU, the entry agreed with this customer if there is one, else the list price. */
function referencePrices(entries: readonly PriceEntry[], customer: string): Map<string, PriceEntry> {
  const bySku = new Map<string, PriceEntry>();
  for (const entry of entries) {
    if (entry.customerKey === customer || (entry.customerKey === undefined && !bySku.has(entry.sku))) {
      bySku.set(entry.sku, entry);
    }
  }
  return bySku;
}

function netUnitPrice(line: OrderLine): Dec {
  const gross = dec(line.unitPrice);
  return line.discountPct ? gross.minus(gross.times(dec(line.discountPct)).dividedBy(HUNDRED)) : gross;
}

/** |price − reference| / reference in percent; a free reference makes any charge infinitely off. */
function deviationPct(price: Dec, reference: Dec): Dec {
  if (reference.isZero()) return price.isZero() ? new Dec(0) : new Dec(Infinity);
  return price.minus(reference).abs().dividedBy(reference).times(HUNDRED);
}

function issue(code: string, severity: Issue['severity'], path: string, message: string): Issue {
  return { rule: 'price', code, severity, path, message };
}
