import { dec, type Dec } from '../order/money';
import type { Issue } from '../order/order.types';
import type { Rule } from './rule';

/**
 * Stock match (to stop overselling): the order's total per SKU against available-to-promise. Lines
 * of the same SKU are added up first, since two lines of 60 against 100 available are a shortage
 * although each line alone fits. The order's own reservations count as available, so that
 * checking it again after it was confirmed does not find it short of its own stock. Issues point at
 * the first line with the SKU.
 */
export const stockRule: Rule = {
  name: 'stock',
  async check({ order, settings, data }) {
    const { enabled, shortage, unknownSku } = settings.stock;
    if (!enabled) return [];
    const ordered = new Map<string, { firstLine: number; quantity: Dec }>();
    order.lines.forEach((line, i) => {
      const seen = ordered.get(line.sku);
      if (seen) seen.quantity = seen.quantity.plus(dec(line.quantity));
      else ordered.set(line.sku, { firstLine: i, quantity: dec(line.quantity) });
    });
    const positions = await data.inventory.positions([...ordered.keys()]);
    const available = new Map(positions.map((p) => [p.sku, dec(p.available)]));
    for (const own of order.reservations) {
      const atp = available.get(own.sku);
      if (atp) available.set(own.sku, atp.plus(dec(own.quantity)));
    }
    const issues: Issue[] = [];
    for (const [sku, { firstLine, quantity }] of ordered) {
      const atp = available.get(sku);
      if (atp === undefined) {
        issues.push(issue('stock.unknown_sku', unknownSku, `lines[${firstLine}].sku`, `SKU ${sku} is not in inventory`));
      } else if (quantity.greaterThan(atp)) {
        const message = `SKU ${sku}: ordered ${quantity.toFixed()} but only ${atp.toFixed()} available`;
        issues.push(issue('stock.shortage', shortage, `lines[${firstLine}].quantity`, message));
      }
    }
    return issues;
  },
};

function issue(code: string, severity: Issue['severity'], path: string, message: string): Issue {
  return { rule: 'stock', code, severity, path, message };
}
