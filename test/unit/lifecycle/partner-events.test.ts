import { applyPartnerEvent, type PartnerEvent } from '../../../core/lifecycle/partner-events';
import type { CanonicalOrder } from '../../../core/order/order.types';
import { makeOrder } from '../../support/order-factory';

const AT = '2026-11-23T10:00:00.000Z';
type Tracking = Extract<PartnerEvent, { kind: 'tracking' }>;

function tracking(orderId: string, eventId: string, status: Tracking['status'], minute: number): Tracking {
  return { kind: 'tracking', eventId, orderId, occurredAt: `2026-11-20T08:${String(minute).padStart(2, '0')}:00.000Z`, carrier: 'SF', trackingNumber: 'SF1234567890', status };
}

function applyAll(order: CanonicalOrder, events: readonly PartnerEvent[]): CanonicalOrder {
  return events.reduce((o, e) => applyPartnerEvent(o, e, 'carrier-sf', AT).order, order);
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('when tracking events arrive in any order, repeated', () => {
  const order = makeOrder({ status: 'confirmed', reservations: [{ sku: 'PANEL-A', location: 'main', quantity: '10' }] });
  const events = [tracking(order.id, 'e1', 'picked_up', 1), tracking(order.id, 'e2', 'in_transit', 2), tracking(order.id, 'e3', 'out_for_delivery', 3), tracking(order.id, 'e4', 'delivered', 4)];

  it.each(permutations(events).map((p, i) => [i, p] as const))('permutation %i (each sent twice) ends delivered, with four events and one move each way', (_i, perm) => {
    const final = applyAll(order, [...perm, ...perm.slice().reverse()]);
    expect(final.status).toBe('delivered');
    expect(final.shipments).toHaveLength(1);
    expect(final.shipments[0]!.status).toBe('delivered');
    expect(final.shipments[0]!.events.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(final.history.filter((h) => h.type === 'status').map((h) => h.to)).toEqual(['shipped', 'delivered']);
  });

  it('consumes the reservation when the goods leave, once', () => {
    const first = applyPartnerEvent(order, events[0]!, 'carrier-sf', AT);
    expect(first.stock).toEqual([{ sku: 'PANEL-A', location: 'main', quantity: '-10' }]);
    expect(first.order.reservations).toEqual([]);
    expect(applyPartnerEvent(first.order, events[1]!, 'carrier-sf', AT).stock).toEqual([]);
  });

  it('never moves a delivered order back for a late "in transit"', () => {
    const delivered = applyAll(order, [events[3]!]);
    const late = applyPartnerEvent(delivered, tracking(order.id, 'e9', 'in_transit', 9), 'carrier-sf', AT);
    expect(late.order.status).toBe('delivered');
    expect(late.order.shipments[0]!.status).toBe('delivered');
    expect(late.events).toEqual([]);
  });

  it('records an exception without moving the order', () => {
    const result = applyPartnerEvent(order, tracking(order.id, 'x1', 'exception', 1), 'carrier-sf', AT);
    expect(result.order.status).toBe('confirmed');
    expect(result.order.shipments[0]!.events).toHaveLength(1);
  });

  it('does not move an order that is on hold or cancelled, but keeps the event', () => {
    const held = makeOrder({ status: 'on_hold', heldFrom: 'confirmed' });
    const result = applyPartnerEvent(held, tracking(held.id, 'e1', 'delivered', 1), 'carrier-sf', AT);
    expect(result.order.status).toBe('on_hold');
    expect(result.order.shipments[0]!.status).toBe('delivered');
  });
});

describe('when the acceptance signing completes', () => {
  const signed = (orderId: string, status: 'completed' | 'rejected' = 'completed'): PartnerEvent => ({ kind: 'signature', eventId: 'sig-1', orderId, occurredAt: AT, flowId: 'FLOW-9', status });

  it('accepts a delivered order, once', () => {
    const order = makeOrder({ status: 'delivered' });
    const first = applyPartnerEvent(order, signed(order.id), 'esign', AT);
    expect(first.order.status).toBe('accepted');
    expect(first.events.map((e) => e.name)).toEqual(['order.accepted']);
    const again = applyPartnerEvent(first.order, signed(order.id), 'esign', AT);
    expect(again.changed).toBe(false);
  });

  it('takes a shipped order through delivered to accepted', () => {
    const order = makeOrder({ status: 'shipped' });
    expect(applyPartnerEvent(order, signed(order.id), 'esign', AT).events.map((e) => e.name)).toEqual(['order.delivered', 'order.accepted']);
  });

  it('records a rejected signing without moving the order', () => {
    const order = makeOrder({ status: 'delivered' });
    const result = applyPartnerEvent(order, signed(order.id, 'rejected'), 'esign', AT);
    expect(result.order.status).toBe('delivered');
    expect(result.order.history.at(-1)).toMatchObject({ type: 'partner_event', data: { status: 'rejected' } });
  });
});

describe('when the ERP acknowledges', () => {
  it('keeps the ERP order number once', () => {
    const order = makeOrder({ status: 'confirmed' });
    const ack: PartnerEvent = { kind: 'erp_ack', eventId: 'ack-1', orderId: order.id, occurredAt: AT, erpOrderNumber: 'SO-2026-0042' };
    const first = applyPartnerEvent(order, ack, 'erp-kingdee', AT);
    expect(first.order.partnerRefs).toEqual([{ target: 'erp-kingdee', event: 'erp_ack', ref: 'SO-2026-0042', at: AT }]);
    expect(applyPartnerEvent(first.order, { ...ack, eventId: 'ack-2' }, 'erp-kingdee', AT).changed).toBe(false);
  });
});
