import type { Issue } from '../order/order.types';
import { customerKey } from '../store/store.port';
import type { Rule } from './rule';

/**
 * Duplicate orders (the first risk in the seed's flow table): the same customer sending the same PO
 * again, or the same content under another or no PO number, e.g. one order mailed and also keyed
 * into the shop. Only live orders count; the store leaves out rejected and cancelled ones.
 */
export const duplicateRule: Rule = {
  name: 'duplicate',
  async check({ order, settings, data }) {
    const { enabled, samePoNumber, sameContent } = settings.duplicate;
    if (!enabled) return [];
    const others = await data.orders.findDuplicates({
      customerKey: customerKey(order.customer),
      poNumber: order.poNumber,
      contentHash: order.contentHash,
      excludeOrderId: order.id,
    });
    const samePo = others.filter((other) => order.poNumber !== undefined && other.poNumber === order.poNumber);
    if (samePo.length > 0) {
      return [
        issue('duplicate.po_number', samePoNumber, 'poNumber', `PO ${order.poNumber} already came in as order ${ids(samePo)}`),
      ];
    }
    const sameLines = others.filter((other) => other.contentHash === order.contentHash);
    if (sameLines.length > 0) {
      return [issue('duplicate.content', sameContent, 'lines', `same content as order ${ids(sameLines)} of this customer`)];
    }
    return [];
  },
};

function ids(orders: readonly { readonly id: string }[]): string {
  return orders.map((o) => o.id).join(', ');
}

function issue(code: string, severity: Issue['severity'], path: string, message: string): Issue {
  return { rule: 'duplicate', code, severity, path, message };
}
