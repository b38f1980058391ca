import { ValidationError } from '../../core/errors/validation.error';
import type { OutboundDocument } from '../connector';
import { cnt, customerGroup, dtm, dtmDate, lineGroup, nad, rff, type OutboundOrder } from './edifact-document.segments';
import { messageIdentifier, writeInterchange, type EdifactOutboundOptions, type OutSegment } from './edifact.writer';

/** The consignment a ship notice announces. */
export interface DesadvShipment {
  /** Carrier name, written as the carrier's name in TDT05 (C040 component 4). */
  readonly carrier: string;
  /** The carrier's consignment reference, RFF+CN. */
  readonly trackingNumber: string;
  /** When it left, ISO 8601 date-time: DTM+11 (despatch date/time). */
  readonly shippedAt: string;
}

export interface DesadvOptions extends EdifactOutboundOptions {
  /**
   * BGM02, the despatch advice number.
   * @defaultValue the interchange control reference
   */
  readonly documentNumber?: string;
}

/**
 * DESADV (despatch advice) for a shipped order: the whole order in one consignment (CPS+1), each
 * line with its despatched quantity (QTY+12), referring to the buyer's order by RFF+ON.
 *
 * @throws ValidationError when `shipment.shippedAt` is not a date-time
 */
export async function generateDesadv(order: OutboundOrder, shipment: DesadvShipment, options: DesadvOptions): Promise<OutboundDocument> {
  const shippedAt = new Date(shipment.shippedAt);
  if (Number.isNaN(shippedAt.getTime())) {
    throw new ValidationError('the shipment has no readable despatch time', [{ path: 'shipment.shippedAt', message: `${JSON.stringify(shipment.shippedAt)} is not an ISO 8601 date-time` }]);
  }
  const body = (documentNumber: string): OutSegment[] => [
    ['BGM', '351', [documentNumber], '9'],
    dtm('137', options.now),
    dtm('11', shippedAt),
    ...dtmDate('2', order.requestedDeliveryDate),
    ...rff('ON', order.poNumber),
    ...rff('CN', shipment.trackingNumber),
    ...customerGroup('BY', order.customer),
    ...(order.shipTo ? [nad('ST', order.shipTo)] : []),
    ['TDT', '20', undefined, undefined, undefined, ['', '', '', shipment.carrier]],
    ['CPS', '1'],
    ...order.lines.flatMap((line) => lineGroup(line, { quantityQualifier: '12', prices: false })),
    cnt(order.lines.length),
  ];
  const identifier = messageIdentifier('DESADV', options.version);
  return writeInterchange('edifact-desadv', 'DESADV', (unb) => [{ identifier, body: body(options.documentNumber ?? unb) }], options);
}
