import type { CanonicalOrder } from '../../core/order/order.types';
import type { OutboundDocument } from '../connector';
import { identifier, partyLoop, productIds, requirePoNumber } from './x12-outbound-segments';
import { toX12Date, toX12Time } from './x12-values';
import { outboundDocument, text, writeInterchange, type SegmentData, type X12OutboundOptions } from './x12-writer';

export interface ShipmentInfo {
  /** Carrier code, ideally the SCAC; TD503. */
  readonly carrier: string;
  /** REF*CN (carrier's reference number). */
  readonly trackingNumber: string;
  /** ISO 8601 date-time; BSN03/BSN04 and DTM*011. */
  readonly shippedAt: string;
  /** BSN02. @defaultValue the tracking number */
  readonly shipmentId?: string;
}

/** BSN05 0004: the hierarchy is Shipment, Order, Item (no packaging level). */
const STRUCTURE_SHIPMENT_ORDER_ITEM = '0004';
/** Longest TD503 (identification code). */
const MAX_CARRIER = 80;

/**
 * An 856 ship notice for the whole order: HL shipment level (TD5 carrier, REF*CN tracking, DTM*011
 * shipped, N1*ST), one HL order level (PRF with the PO number), and one HL item level per line
 * (LIN with VP/BP, SN1 with the quantity shipped: all of it). CTT01 counts the HL segments.
 */
export async function generate856(order: CanonicalOrder, shipment: ShipmentInfo, options: X12OutboundOptions): Promise<OutboundDocument> {
  const shippedAt = new Date(shipment.shippedAt);
  const po = requirePoNumber(order, '856');
  const items = order.lines.flatMap((line, i): SegmentData[] => [
    ['HL', String(i + 3), '2', 'I'],
    ['LIN', String(line.lineNo), ...productIds(line)],
    ['SN1', undefined, line.quantity, line.uom],
  ]);
  const segments: SegmentData[] = [
    ['BSN', '00', identifier(shipment.shipmentId ?? shipment.trackingNumber), toX12Date(shipment.shippedAt), toX12Time(shippedAt), STRUCTURE_SHIPMENT_ORDER_ITEM],
    ['HL', '1', undefined, 'S'],
    ['TD5', 'B', '2', text(shipment.carrier, MAX_CARRIER)],
    ['REF', 'CN', identifier(shipment.trackingNumber)],
    ['DTM', '011', toX12Date(shipment.shippedAt), toX12Time(shippedAt)],
    ...(order.shipTo ? partyLoop('ST', order.shipTo) : []),
    ['HL', '2', '1', 'O'],
    ['PRF', po],
    ...items,
    ['CTT', String(order.lines.length + 2)],
  ];
  return outboundDocument('856', await writeInterchange('SH', [{ id: '856', segments }], options));
}
