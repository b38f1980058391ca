import type { OutboundDocument } from '../connector';
import {
  addressGroups,
  cnt,
  customerGroup,
  cux,
  dtm,
  dtmDate,
  ftx,
  lineGroup,
  summary,
  totalsOf,
  type OutboundOrder,
} from './edifact-document.segments';
import { messageIdentifier, writeInterchange, type EdifactOutboundOptions, type OutSegment } from './edifact.writer';

/**
 * An ORDERS message for an order: what the hub sends when it passes an order on (to a supplier,
 * a contract manufacturer), and the other half of every round-trip test of the parser. Written
 * with the default partner mapping's qualifiers, so `edifactOrdersParser` reads back every field.
 */
export async function generateOrders(order: OutboundOrder, options: EdifactOutboundOptions): Promise<OutboundDocument> {
  const totals = order.claimedTotals ?? totalsOf(order);
  const amounts: [string, string | undefined][] = [
    ['79', totals.net],
    ['124', totals.tax],
    ['86', totals.gross],
  ];
  const body: OutSegment[] = [
    ['BGM', '220', [order.poNumber ?? order.orderNumber ?? order.id], '9'],
    dtm('137', options.now),
    ...dtmDate('2', order.requestedDeliveryDate),
    ...ftx('AAI', order.notes),
    ...ftx('DEL', order.specialRequirements),
    ...ftx('AAB', order.paymentTerms),
    ...customerGroup('BY', order.customer),
    ...addressGroups(order),
    cux(order.currency),
    ...order.lines.flatMap((line) => lineGroup(line, { quantityQualifier: '21', prices: true })),
    ...summary(amounts.filter((a): a is [string, string] => a[1] !== undefined)),
    cnt(order.lines.length),
  ];
  return writeInterchange('edifact-orders', 'ORDERS', () => [{ identifier: messageIdentifier('ORDERS', options.version), body }], options);
}
