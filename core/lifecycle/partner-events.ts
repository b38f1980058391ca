import type { OrderEvent } from './order-events';
import type { CanonicalOrder, Shipment } from '../order/order.types';
import { applyTransition } from './transition';
import { releaseReservations } from './reservations';
import type { StockChange } from '../store/store.port';

/** What a partner told us, in the hub's words. One callback may carry several. */
export type PartnerEvent =
  | {
      readonly kind: 'tracking';
      /** The partner's id of this event; the hub deduplicates on (connector, eventId). */
      readonly eventId: string;
      readonly orderId: string;
      readonly occurredAt: string;
      readonly carrier: string;
      readonly trackingNumber: string;
      /** picked_up / in_transit / out_for_delivery move an order to shipped, delivered to delivered; exception moves nothing. */
      readonly status: 'picked_up' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception';
      readonly location?: string;
      readonly description?: string;
    }
  | { readonly kind: 'signature'; readonly eventId: string; readonly orderId: string; readonly occurredAt: string; readonly flowId: string; readonly status: 'completed' | 'rejected' | 'expired' }
  | { readonly kind: 'erp_ack'; readonly eventId: string; readonly orderId: string; readonly occurredAt: string; readonly erpOrderNumber: string };

export interface PartnerEventResult {
  readonly order: CanonicalOrder;
  readonly events: OrderEvent[];
  readonly stock: StockChange[];
  /** false when the event was already applied (same eventId) or told nothing new. */
  readonly changed: boolean;
}

/** How far a shipment has come; an event further back than the shipment is recorded, never applied backwards. */
const PROGRESS: Readonly<Record<Shipment['status'], number>> = { created: 0, exception: 0, picked_up: 1, in_transit: 2, out_for_delivery: 3, delivered: 4 };

/**
 * Applies a partner's report to an order. Events may come late, twice, or out of order: each is
 * kept once (by its id) on the shipment, the shipment's status is the furthest any event reached,
 * and the order only ever moves forward through the lifecycle table — a late "in transit" after
 * "delivered" changes nothing but the record.
 */
export function applyPartnerEvent(order: CanonicalOrder, event: PartnerEvent, actor: string, at: string): PartnerEventResult {
  switch (event.kind) {
    case 'tracking':
      return applyTracking(order, event, actor, at);
    case 'signature':
      return applySignature(order, event, actor, at);
    case 'erp_ack':
      return applyErpAck(order, event, actor, at);
  }
}

function applyTracking(order: CanonicalOrder, event: Extract<PartnerEvent, { kind: 'tracking' }>, actor: string, at: string): PartnerEventResult {
  const existing = order.shipments.find((s) => s.carrier === event.carrier && s.trackingNumber === event.trackingNumber);
  if (existing?.events.some((e) => e.eventId === event.eventId)) return unchanged(order);
  const shipment: Shipment = existing ?? { carrier: event.carrier, trackingNumber: event.trackingNumber, status: 'created', events: [] };
  const events = [
    ...shipment.events,
    {
      eventId: event.eventId,
      at: event.occurredAt,
      status: event.status,
      ...(event.location ? { location: event.location } : {}),
      ...(event.description ? { description: event.description } : {}),
    },
  ].sort((a, b) => a.at.localeCompare(b.at));
  const status = events.reduce<Shipment['status']>((best, e) => (PROGRESS[e.status] > PROGRESS[best] ? e.status : best), shipment.status);
  const updated: Shipment = { ...shipment, status, events };
  let next: CanonicalOrder = {
    ...order,
    shipments: existing ? order.shipments.map((s) => (s === existing ? updated : s)) : [...order.shipments, updated],
    history: [...order.history, { at, type: 'partner_event', actor, data: { kind: 'tracking', eventId: event.eventId, trackingNumber: event.trackingNumber, status: event.status, occurredAt: event.occurredAt } }],
  };
  const out: OrderEvent[] = [];
  let stock: StockChange[] = [];
  const reason = `carrier ${event.carrier} ${event.trackingNumber}: ${event.status}`;
  if (PROGRESS[status] >= PROGRESS.picked_up && (next.status === 'confirmed' || next.status === 'in_fulfillment')) {
    stock = releaseReservations(next.reservations);
    const step = applyTransition({ ...next, reservations: [] }, { to: 'shipped', actor, at, reason });
    next = step.order;
    out.push(step.event);
  }
  if (next.status === 'shipped' && next.shipments.length > 0 && next.shipments.every((s) => s.status === 'delivered')) {
    const step = applyTransition(next, { to: 'delivered', actor, at, reason });
    next = step.order;
    out.push(step.event);
  }
  return { order: next, events: out, stock, changed: true };
}

function applySignature(order: CanonicalOrder, event: Extract<PartnerEvent, { kind: 'signature' }>, actor: string, at: string): PartnerEventResult {
  if (order.history.some((h) => h.type === 'partner_event' && h.data?.eventId === event.eventId)) return unchanged(order);
  let next: CanonicalOrder = {
    ...order,
    history: [...order.history, { at, type: 'partner_event', actor, data: { kind: 'signature', eventId: event.eventId, flowId: event.flowId, status: event.status, occurredAt: event.occurredAt } }],
  };
  const out: OrderEvent[] = [];
  if (event.status === 'completed') {
    const reason = `acceptance signed (flow ${event.flowId})`;
    // A signed acceptance proves the goods arrived, even if the carrier's "delivered" is still on its way.
    if (next.status === 'shipped') {
      const step = applyTransition(next, { to: 'delivered', actor, at, reason });
      next = step.order;
      out.push(step.event);
    }
    if (next.status === 'delivered') {
      const step = applyTransition(next, { to: 'accepted', actor, at, reason });
      next = step.order;
      out.push(step.event);
    }
  }
  return { order: next, events: out, stock: [], changed: true };
}

function applyErpAck(order: CanonicalOrder, event: Extract<PartnerEvent, { kind: 'erp_ack' }>, actor: string, at: string): PartnerEventResult {
  if (order.partnerRefs.some((r) => r.target === actor && r.ref === event.erpOrderNumber)) return unchanged(order);
  return {
    order: {
      ...order,
      partnerRefs: [...order.partnerRefs, { target: actor, event: 'erp_ack', ref: event.erpOrderNumber, at: event.occurredAt }],
      history: [...order.history, { at, type: 'partner_event', actor, data: { kind: 'erp_ack', eventId: event.eventId, erpOrderNumber: event.erpOrderNumber } }],
    },
    events: [],
    stock: [],
    changed: true,
  };
}

function unchanged(order: CanonicalOrder): PartnerEventResult {
  return { order, events: [], stock: [], changed: false };
}
