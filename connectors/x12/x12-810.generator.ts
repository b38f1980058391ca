import { Dec, dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { OutboundDocument } from '../connector';
import { description, identifier, partyLoop, paymentTerms, productIds, requirePoNumber } from './x12-outbound-segments';
import { toX12Date } from './x12-values';
import { outboundDocument, writeInterchange, type SegmentData, type X12OutboundOptions } from './x12-writer';

export interface InvoiceInfo {
  /** BIG02. */
  readonly invoiceNumber: string;
  /** YYYY-MM-DD; BIG01. */
  readonly invoiceDate: string;
}

/** TDS01 is type N2: an amount with two implied decimals, whatever the currency's minor unit. */
function impliedTwoDecimals(amount: string): string {
  return dec(amount).times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0);
}

/**
 * An 810 invoice for the whole order: BIG (invoice date and number, PO date and number), CUR,
 * bill-to and ship-to N1 loops, ITD terms, IT1 per line (VP/BP, PID*F), TDS with the order's gross
 * total in cents, TXI*VA with the tax when there is any, and CTT with the line count.
 */
export async function generate810(order: CanonicalOrder, invoice: InvoiceInfo, options: X12OutboundOptions): Promise<OutboundDocument> {
  const tax = dec(order.totals.tax);
  const segments: SegmentData[] = [
    ['BIG', toX12Date(invoice.invoiceDate), identifier(invoice.invoiceNumber), toX12Date(order.createdAt), requirePoNumber(order, '810')],
    ['CUR', 'SE', order.currency],
    ...(order.billTo ? partyLoop('BT', order.billTo) : partyLoop('BT', order.customer)),
    ...(order.shipTo ? partyLoop('ST', order.shipTo) : []),
    ...paymentTerms(order),
    ...order.lines.flatMap((line): SegmentData[] => [
      ['IT1', String(line.lineNo), line.quantity, line.uom, line.unitPrice, undefined, ...productIds(line)],
      ...description(line),
    ]),
    ['TDS', impliedTwoDecimals(order.totals.gross)],
    ...(tax.isZero() ? [] : [['TXI', 'VA', order.totals.tax] as SegmentData]),
    ['CTT', String(order.lines.length)],
  ];
  return outboundDocument('810', await writeInterchange('IN', [{ id: '810', segments }], options));
}
