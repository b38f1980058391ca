import { z } from 'zod';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import { isoDateTime } from '../../core/order/order.schema';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { PartnerEvent } from '../connector';
import { issuesToDetails } from '../rest-api/zod-details';
import type { PartnerReply } from '../shared/http-client';
import type { CarrierRestConfig } from './carrier-rest.config';

/**
 * The hub's generic carrier contract (README.md): the order becomes a shipment request carrying
 * our order id as `reference`; tracking comes back as Standard Webhooks messages
 * (https://www.standardwebhooks.com) whose `data.reference` is that order id.
 */

export function shipmentRequest(order: CanonicalOrder, config: CarrierRestConfig): string {
  const contact = order.customer.contact;
  return JSON.stringify({
    reference: order.id,
    poNumber: order.poNumber,
    service: config.service,
    shipper: config.shipper,
    consignee: {
      name: order.shipTo?.name ?? order.customer.name,
      company: order.customer.name,
      contact: contact?.name,
      phone: contact?.phone,
      email: contact?.email,
      street: order.shipTo?.street,
      city: order.shipTo?.city,
      region: order.shipTo?.region,
      postalCode: order.shipTo?.postalCode,
      country: order.shipTo?.country,
    },
    items: order.lines.map((line) => ({ sku: line.sku, description: line.description, quantity: line.quantity, uom: line.uom })),
    requestedDeliveryDate: order.requestedDeliveryDate,
    instructions: order.specialRequirements,
  });
}

const shipmentAnswer = z.object({ trackingNumber: z.string().min(1).max(64) });

/** @throws PermanentPartnerError when a 2xx answer names no tracking number (body kept for diagnosis) */
export function trackingNumberOf(reply: PartnerReply): string {
  const parsed = shipmentAnswer.safeParse(parseJson(reply.body));
  if (!parsed.success) throw new PermanentPartnerError('carrier answered without a trackingNumber', { status: reply.status, body: reply.keptBody });
  return parsed.data.trackingNumber;
}

type TrackingStatus = Extract<PartnerEvent, { kind: 'tracking' }>['status'];

/** The carrier's status vocabulary in the hub's words; anything else is refused, never guessed. */
export const TRACKING_STATUSES: Readonly<Record<string, TrackingStatus>> = {
  picked_up: 'picked_up',
  in_transit: 'in_transit',
  arrived_at_facility: 'in_transit',
  customs_clearance: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  delivery_failed: 'exception',
  returned_to_sender: 'exception',
  exception: 'exception',
};

const trackingMessage = z.object({
  data: z.object({
    reference: z.string().min(1),
    trackingNumber: z.string().min(1),
    status: z.string().refine((s) => Object.hasOwn(TRACKING_STATUSES, s), { message: `must be one of ${Object.keys(TRACKING_STATUSES).join(', ')}` }),
    occurredAt: isoDateTime,
    location: z.string().max(200).optional(),
    description: z.string().max(1000).optional(),
  }),
});

/**
 * Reads a verified tracking message. Only `shipment.tracking` carries tracking; other message
 * types are acknowledged and give no events. The event id is the Standard Webhooks `webhook-id`,
 * which the spec keeps identical across the sender's retries.
 * @throws ValidationError naming the field (`data.status`, `data.occurredAt` …)
 */
export function trackingEvents(rawBody: Buffer, messageId: string, carrier: string): PartnerEvent[] {
  const body = parseJson(rawBody.toString('utf8'));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('tracking callback is not a JSON object', [{ path: 'body', message: 'must be a JSON object' }]);
  const { type } = body as { type?: unknown };
  if (typeof type !== 'string') throw new ValidationError('tracking callback without type', [{ path: 'type', message: 'is required' }]);
  if (type !== 'shipment.tracking') return [];
  const parsed = trackingMessage.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues);
    throw new ValidationError(`malformed tracking callback: ${details.map((d) => d.path).join(', ')}`, details);
  }
  const { data } = parsed.data;
  return [
    {
      kind: 'tracking',
      eventId: messageId,
      orderId: data.reference,
      occurredAt: data.occurredAt,
      carrier,
      trackingNumber: data.trackingNumber,
      status: TRACKING_STATUSES[data.status] as TrackingStatus,
      location: data.location,
      description: data.description,
    },
  ];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
