import type { CanonicalOrder } from '../../core/order/order.types';
import { jsonNumber } from '../shared/json-decimals';

/**
 * The sale.order values for `create`. `origin` (Source Document) carries the delivery key: it is the
 * field Odoo keeps for "the document that generated this order", and the one a retry searches to
 * find an order a lost reply created. `client_order_ref` is the customer's PO. Lines are created in
 * the same call with the (0, 0, values) command. Quantities, prices and discounts are Float fields,
 * which the external API documents as JSON numbers: they are written digit for digit from the
 * decimal strings. Taxes, units and the pricelist come from Odoo's own product and customer setup.
 */
export function saleOrderValues(order: CanonicalOrder, idempotencyKey: string, partnerId: number, productIds: ReadonlyMap<string, number>): Record<string, unknown> {
  return {
    partner_id: partnerId,
    origin: idempotencyKey,
    ...(order.poNumber ? { client_order_ref: order.poNumber } : {}),
    ...(order.requestedDeliveryDate ? { commitment_date: `${order.requestedDeliveryDate} 00:00:00` } : {}),
    order_line: order.lines.map((line) => [
      0,
      0,
      {
        product_id: productIds.get(line.sku),
        product_uom_qty: jsonNumber(line.quantity),
        price_unit: jsonNumber(line.unitPrice),
        ...(line.discountPct ? { discount: jsonNumber(line.discountPct) } : {}),
      },
    ]),
  };
}

/** Domains for finding the customer, in the order they are tried. */
export function partnerDomains(order: CanonicalOrder, match: 'ref-then-name' | 'ref' | 'name'): unknown[][][] {
  const byRef = order.customer.id ? [[['ref', '=', order.customer.id]]] : [];
  const byName = [[['name', '=', order.customer.name]]];
  if (match === 'ref') return byRef;
  if (match === 'name') return byName;
  return [...byRef, ...byName];
}
