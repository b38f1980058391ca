import type { CanonicalOrder } from '../../core/order/order.types';
import type { OutboundDocument } from '../connector';
import { description, identifier, partyLoop, paymentTerms, productIds } from './x12-outbound-segments';
import { toX12Date } from './x12-values';
import { outboundDocument, writeInterchange, type SegmentData, type X12OutboundOptions } from './x12-writer';

/**
 * An 850 purchase order from a canonical order: for pushing POs to suppliers, and the inverse of
 * the 850 parser under its default mapping (VP = SKU, BP = customer SKU, N1*BY/ST/BT, DTM*002).
 * BEG03 is the PO number, or the order id when the order has none.
 */
export async function generate850(order: CanonicalOrder, options: X12OutboundOptions): Promise<OutboundDocument> {
  const segments: SegmentData[] = [
    ['BEG', '00', 'SA', identifier(order.poNumber ?? order.id), undefined, toX12Date(order.createdAt)],
    ['CUR', 'BY', order.currency],
    ...paymentTerms(order),
    ...(order.requestedDeliveryDate ? [['DTM', '002', toX12Date(order.requestedDeliveryDate)] as SegmentData] : []),
    ...partyLoop('BY', order.customer, order.customer.contact),
    ...(order.shipTo ? partyLoop('ST', order.shipTo) : []),
    ...(order.billTo ? partyLoop('BT', order.billTo) : []),
    ...order.lines.flatMap((line): SegmentData[] => [
      ['PO1', String(line.lineNo), line.quantity, line.uom, line.unitPrice, undefined, ...productIds(line)],
      ...description(line),
      ...(line.requestedDate ? [['DTM', '002', toX12Date(line.requestedDate)] as SegmentData] : []),
    ]),
    ['CTT', String(order.lines.length)],
    ['AMT', 'TT', order.totals.gross],
  ];
  return outboundDocument('850', await writeInterchange('PO', [{ id: '850', segments }], options));
}
