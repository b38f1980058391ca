import type { CanonicalOrder, OrderDraft } from '../../../core/order/order.types';
import { makeOrder } from '../../support/order-factory';

/**
 * The order every XML round trip starts from: Chinese names and addresses, a two-line street, a
 * SKU "007" and a price "12.50" that a number would turn into 7 and 12.5, a discount, a tax rate
 * and per-line dates.
 */
export function roundTripOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return makeOrder({
    poNumber: 'PO-2026-0815',
    customer: { id: 'CUST-0815', name: '华东水务工程有限公司', taxId: '91310115MA1K4XXX', contact: { name: '王工', email: 'wang@example.cn', phone: '+86 21 5555 0000' } },
    shipTo: { name: '青浦泵站工地', street: '华新镇新府中路 88 号\n2 号门 & 卸货区', city: '上海', region: 'SH', postalCode: '201708', country: 'CN' },
    billTo: { name: '华东水务工程有限公司', street: '世纪大道 100 号', city: '上海', postalCode: '200120', country: 'CN' },
    currency: 'CNY',
    paymentTerms: '30% advance, 70% within 30 days of acceptance',
    requestedDeliveryDate: '2027-01-15',
    lines: [
      { lineNo: 1, sku: 'PUMP-200', customerSku: 'HD-P-1', description: '离心泵 200 型 <主泵>', quantity: '2', uom: 'EA', unitPrice: '12160.00', taxRatePct: '13', requestedDate: '2027-01-15' },
      { lineNo: 2, sku: '007', description: '闸阀 DN50', quantity: '20.5', uom: 'EA', unitPrice: '12.50', discountPct: '10', taxRatePct: '13' },
    ],
    ...overrides,
  });
}

/** The draft fields a document carries, as the parser should give them back. */
export function draftOf(order: CanonicalOrder): Omit<OrderDraft, 'claimedTotals'> {
  const { poNumber, customer, shipTo, billTo, currency, paymentTerms, incoterms, requestedDeliveryDate, notes, lines } = order;
  return JSON.parse(JSON.stringify({ poNumber, customer, shipTo, billTo, currency, paymentTerms, incoterms, requestedDeliveryDate, notes, lines })) as Omit<OrderDraft, 'claimedTotals'>;
}
