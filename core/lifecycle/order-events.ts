import type { OrderStatus } from '../order/order.types';

/**
 * Every transition emits `order.<new status>`; `order.created` is emitted when an order is first
 * stored and `order.changed` when its content changes without a status move.
 */
export type OrderEventName = `order.${OrderStatus}` | 'order.created' | 'order.changed';

export function eventForStatus(status: OrderStatus): OrderEventName {
  return `order.${status}`;
}

/** An event as written to the outbox in the same store write as the order. */
export interface OrderEvent {
  /** Unique, and usable as a BullMQ job id (no ':'). */
  readonly id: string;
  readonly name: OrderEventName;
  readonly orderId: string;
  /** The order's version after the write that emitted the event. */
  readonly orderVersion: number;
  readonly at: string;
  readonly data: Readonly<Record<string, unknown>>;
}
