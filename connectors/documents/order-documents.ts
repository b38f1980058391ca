import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder } from '../../core/order/order.types';

/**
 * What a ship notice and an invoice take from the order, the same whatever the standard (X12
 * 856/810, EDIFACT DESADV/INVOIC), so a partner receiving both standards sees the same facts.
 */

export interface OrderShipment {
  /** The carrier's name or code, as the carrier connector recorded it. */
  readonly carrier: string;
  readonly trackingNumber: string;
  /** ISO 8601 date-time. */
  readonly shippedAt: string;
}

export interface OrderInvoice {
  readonly invoiceNumber: string;
  /** YYYY-MM-DD. */
  readonly invoiceDate: string;
}

/**
 * The order's first shipment (the carrier's waybill). Shipped at the carrier's first event other
 * than an exception, else when the order moved to shipped.
 *
 * @param document what needs it ('856', 'DESADV'), for the error
 * @throws ValidationError when the order has no shipment
 */
export function shipmentOf(order: CanonicalOrder, document: string): OrderShipment {
  const shipment = order.shipments[0];
  if (!shipment) {
    throw new ValidationError(`order ${order.id} has no shipment; the ${document} needs its carrier and tracking number`, [{ path: 'shipments', message: 'is empty' }]);
  }
  const firstMove = shipment.events.find((e) => e.status !== 'exception')?.at;
  const shippedAt = firstMove ?? order.history.findLast((h) => h.to === 'shipped')?.at ?? order.updatedAt;
  return { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, shippedAt };
}

/**
 * The invoice. The hub is not the invoicing system, so the number is derived from the order: `INV-`
 * and the first 12 hex digits of its id (X12 BIG02 holds 22 characters, EDIFACT BGM02 35; 48 bits
 * keep it unique in practice, and it leads back to the order). Dated when the order moved to invoiced.
 */
export function invoiceOf(order: CanonicalOrder): OrderInvoice {
  const invoicedAt = order.history.findLast((h) => h.to === 'invoiced')?.at ?? order.updatedAt;
  return { invoiceNumber: `INV-${order.id.replaceAll('-', '').slice(0, 12).toUpperCase()}`, invoiceDate: invoicedAt.slice(0, 10) };
}
