import type { OrderStatus } from '../order/order.types';

/**
 * The one table of allowed lifecycle moves. Everything else asks `canTransition`.
 * `on_hold` is special: it may return only to the status it was held from (stored on the order
 * as `heldFrom`), or be cancelled; `HOLD_RESUMES` lists the statuses an order can be held in.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  received: ['checked', 'rejected', 'cancelled', 'on_hold'],
  checked: ['confirmed', 'needs_review', 'rejected', 'cancelled', 'on_hold'],
  needs_review: ['confirmed', 'rejected', 'cancelled', 'on_hold'],
  confirmed: ['in_fulfillment', 'shipped', 'cancelled', 'on_hold'],
  in_fulfillment: ['shipped', 'cancelled', 'on_hold'],
  shipped: ['delivered'],
  delivered: ['accepted'],
  accepted: ['invoiced'],
  invoiced: ['closed'],
  closed: [],
  rejected: [],
  cancelled: [],
  on_hold: ['cancelled'],
};

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['closed', 'rejected', 'cancelled'];

/** Statuses whose stock reservation is live: released when the order leaves them for `cancelled`. */
export const RESERVING_STATUSES: readonly OrderStatus[] = ['confirmed', 'in_fulfillment'];

export function allowedTargets(from: OrderStatus, heldFrom?: OrderStatus): readonly OrderStatus[] {
  if (from === 'on_hold' && heldFrom) return [...TRANSITIONS.on_hold, heldFrom];
  return TRANSITIONS[from];
}

export function canTransition(from: OrderStatus, to: OrderStatus, heldFrom?: OrderStatus): boolean {
  return allowedTargets(from, heldFrom).includes(to);
}
