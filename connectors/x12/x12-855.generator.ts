import type { CanonicalOrder } from '../../core/order/order.types';
import type { OutboundDocument } from '../connector';
import { productIds, requirePoNumber } from './x12-outbound-segments';
import { toX12Date } from './x12-values';
import { outboundDocument, writeInterchange, type SegmentData, type X12OutboundOptions } from './x12-writer';

/** Statuses whose answer to the PO is a rejection; any other status acknowledges it. */
const REJECTED = new Set<CanonicalOrder['status']>(['rejected', 'cancelled']);

/**
 * An 855 purchase order acknowledgment: BAK (AD, accepted as ordered, or RD, rejected, from the
 * order's status), then each line as PO1 with its ACK (IA or IR), the date being the line's
 * requested date (qualifier 068, current schedule ship) when known.
 */
export async function generate855(order: CanonicalOrder, options: X12OutboundOptions): Promise<OutboundDocument> {
  const rejected = REJECTED.has(order.status);
  const segments: SegmentData[] = [
    ['BAK', '00', rejected ? 'RD' : 'AD', requirePoNumber(order, '855'), toX12Date(order.createdAt)],
    ['CUR', 'SE', order.currency],
    ...order.lines.flatMap((line): SegmentData[] => {
      const date = line.requestedDate ?? order.requestedDeliveryDate;
      return [
        ['PO1', String(line.lineNo), line.quantity, line.uom, line.unitPrice, undefined, ...productIds(line)],
        ['ACK', rejected ? 'IR' : 'IA', line.quantity, line.uom, date ? '068' : undefined, date ? toX12Date(date) : undefined],
      ];
    }),
    ['CTT', String(order.lines.length)],
  ];
  return outboundDocument('855', await writeInterchange('PR', [{ id: '855', segments }], options));
}
