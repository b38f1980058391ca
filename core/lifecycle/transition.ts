import { randomUUID } from 'node:crypto';
import { IllegalTransitionError } from '../errors/illegal-transition.error';
import type { CanonicalOrder, HistoryEntry, OrderStatus } from '../order/order.types';
import { eventForStatus, type OrderEvent } from './order-events';
import { canTransition } from './transitions';

export interface TransitionRequest {
  readonly to: OrderStatus;
  /** Who moved it: an API key name, `system:intake`, a connector id. */
  readonly actor: string;
  readonly at: string;
  readonly reason?: string;
  readonly data?: Record<string, unknown>;
}

export interface TransitionResult {
  readonly order: CanonicalOrder;
  readonly event: OrderEvent;
}

/**
 * Applies one lifecycle move to an order in memory: checks the table, appends history, bumps
 * `updatedAt`, and returns the event the store must write in the same write as the order.
 * The version is bumped by the store on save, so the event carries the version the save will give.
 */
export function applyTransition(order: CanonicalOrder, request: TransitionRequest): TransitionResult {
  const from = order.status;
  if (!canTransition(from, request.to, order.heldFrom)) {
    throw new IllegalTransitionError(order.id, from, request.to);
  }
  const data: Record<string, unknown> = { ...(request.data ?? {}) };
  if (request.reason) data.reason = request.reason;
  const entry: HistoryEntry = {
    at: request.at,
    type: 'status',
    actor: request.actor,
    from,
    to: request.to,
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
  const next: CanonicalOrder = {
    ...order,
    status: request.to,
    heldFrom: request.to === 'on_hold' ? from : undefined,
    updatedAt: request.at,
    history: [...order.history, entry],
  };
  if (next.heldFrom === undefined) delete next.heldFrom;
  const event: OrderEvent = {
    id: randomUUID(),
    name: eventForStatus(request.to),
    orderId: order.id,
    orderVersion: order.version + 1,
    at: request.at,
    data: { from, to: request.to, actor: request.actor, ...data },
  };
  return { order: next, event };
}
