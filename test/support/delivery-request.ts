import type { DeliveryRequest } from '../../connectors/connector';
import type { OrderEventName } from '../../core/lifecycle/order-events';
import type { CanonicalOrder } from '../../core/order/order.types';

/** The request the delivery worker hands a target for (order, event, target), first attempt. */
export function deliveryRequest(order: CanonicalOrder, event: OrderEventName, target: string): DeliveryRequest {
  const slug = event.replace('.', '-');
  return {
    event,
    order,
    delivery: {
      id: `${order.id}-${slug}-${target}`,
      idempotencyKey: `${order.id}:${event}:${target}`,
      orderId: order.id,
      eventId: `evt-${order.id}-${slug}`,
      event,
      target,
      status: 'pending',
      attempts: [],
      createdAt: '2026-03-02T09:30:01.000Z',
      updatedAt: '2026-03-02T09:30:01.000Z',
    },
  };
}

/** A signal that never aborts, for attempts the test lets run to their own timeout. */
export function noAbort(): AbortSignal {
  return new AbortController().signal;
}
