import type { OutboundDocument } from '../connector';
import { addressGroups, cnt, customerGroup, cux, dtm, ftx, lineAmount, lineGroup, nad, rff, totalsOf, type OutboundOrder } from './edifact-document.segments';
import { messageIdentifier, partyComponents, writeInterchange, type EdifactOutboundOptions, type OutSegment } from './edifact.writer';

export interface InvoicOptions extends EdifactOutboundOptions {
  /**
   * BGM02, the invoice number. Give the ERP's number where the invoice is the legal document.
   * @defaultValue the interchange control reference
   */
  readonly documentNumber?: string;
}

/**
 * INVOIC (commercial invoice, BGM 380) for an order: supplier, buyer, invoicee and ship-to
 * parties, invoicing currency (CUX 2:…:4), each line with its invoiced quantity (QTY+47), net line
 * amount (MOA+203), price and VAT rate; totals as the hub computes them (tax rounded per line).
 */
export async function generateInvoic(order: OutboundOrder, options: InvoicOptions): Promise<OutboundDocument> {
  const totals = totalsOf(order);
  const body = (documentNumber: string): OutSegment[] => [
    ['BGM', '380', [documentNumber], '9'],
    dtm('137', options.now),
    ...ftx('AAB', order.paymentTerms),
    ...rff('ON', order.poNumber),
    nad('SU', { id: partyComponents(options.sender)[0] }),
    ...customerGroup('BY', order.customer),
    ...addressGroups(order),
    cux(order.currency, '4'),
    ...order.lines.flatMap((line) => lineGroup(line, { quantityQualifier: '47', prices: true, lineAmount: lineAmount(line, order.currency) })),
    ['UNS', 'S'],
    cnt(order.lines.length),
    ['MOA', ['79', totals.net]],
    ['MOA', ['125', totals.net]],
    ['MOA', ['124', totals.tax]],
    ['MOA', ['77', totals.gross]],
    ['MOA', ['86', totals.gross]],
  ];
  const identifier = messageIdentifier('INVOIC', options.version);
  return writeInterchange('edifact-invoic', 'INVOIC', (unb) => [{ identifier, body: body(options.documentNumber ?? unb) }], options);
}
