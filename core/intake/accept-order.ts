import { randomUUID } from 'node:crypto';
import { StockShortageError } from '../errors/conflict.error';
import { applyTransition } from '../lifecycle/transition';
import type { OrderEvent } from '../lifecycle/order-events';
import { capacityChanges, planCapacity, planReservations } from '../lifecycle/reservations';
import { orderContentHash } from '../order/content-hash';
import type { CanonicalOrder, Issue, OrderDraft } from '../order/order.types';
import { computeTotals } from '../order/totals';
import { decide } from '../rules/decide';
import type { Rule } from '../rules/rule';
import type { RuleSettings } from '../rules/rule-settings.schema';
import { runChecks } from '../rules/run-checks';
import type { HubStore, OrderWrite } from '../store/store.port';

export interface AcceptOrderInput {
  readonly orderId: string;
  readonly draft: OrderDraft;
  readonly source: CanonicalOrder['source'];
  readonly now: string;
  /**
   * Findings of whoever read the source, made before the checks (OCR doubts about a field): listed
   * first, and decided on with the rules' own issues.
   */
  readonly issues?: readonly Issue[];
}

export interface AcceptOrderDeps {
  readonly store: Pick<HubStore, 'orders' | 'inventory' | 'capacity' | 'prices' | 'calendar'>;
  readonly settings: RuleSettings;
  readonly rules?: readonly Rule[];
}

const ACTOR = 'system:intake';

/**
 * Turns a validated draft into a stored order: received → checked → confirmed, needs_review or
 * rejected, in ONE store write with its three events (and, when confirmed, its stock and capacity
 * reservations). Calling it again for the same order id returns the stored order: intake may be
 * retried after a crash without making a second order.
 */
export async function acceptOrder(input: AcceptOrderInput, deps: AcceptOrderDeps): Promise<CanonicalOrder> {
  const existing = await deps.store.orders.get(input.orderId);
  if (existing) return existing;

  const received = newOrder(input);
  const checked = await runChecks({
    order: received,
    now: input.now,
    settings: deps.settings,
    data: { orders: deps.store.orders, inventory: deps.store.inventory, capacity: deps.store.capacity, prices: deps.store.prices, calendar: deps.store.calendar },
  }, deps.rules);
  const issues = [...(input.issues ?? []), ...checked];
  try {
    return await decideAndStore(received, issues, input.now, deps);
  } catch (err) {
    if (!(err instanceof StockShortageError)) throw err;
    // Stock went to another order between the check and the write: a person decides.
    const raced: Issue[] = err.details.map((d) => ({ rule: 'stock', code: 'stock.shortage', severity: 'warning', path: d.path, message: d.message }));
    return decideAndStore(received, [...issues, ...raced], input.now, deps);
  }
}

function newOrder(input: AcceptOrderInput): CanonicalOrder {
  const { draft, now } = input;
  return {
    ...draft,
    id: input.orderId,
    version: 0,
    status: 'received',
    createdAt: now,
    updatedAt: now,
    source: input.source,
    contentHash: orderContentHash(draft),
    totals: computeTotals(draft),
    approvals: [],
    reservations: [],
    capacityBookings: [],
    partnerRefs: [],
    shipments: [],
    history: [{ at: now, type: 'status', actor: ACTOR, to: 'received', data: { rawMessageId: input.source.rawMessageId, channel: input.source.channel } }],
  };
}

async function decideAndStore(received: CanonicalOrder, issues: Issue[], now: string, deps: AcceptOrderDeps): Promise<CanonicalOrder> {
  const checkedStep = applyTransition(
    { ...received, checks: { issues, checkedAt: now } },
    { to: 'checked', actor: ACTOR, at: now, data: { errors: count(issues, 'error'), warnings: count(issues, 'warning') } },
  );
  const decision = decide(issues, deps.settings);
  let order = checkedStep.order;
  let write: Pick<OrderWrite, 'stock' | 'capacity'> = {};
  const data: Record<string, unknown> = {};
  if (decision.status === 'confirmed') {
    const positions = await deps.store.inventory.positions([...new Set(order.lines.map((l) => l.sku))]);
    const plan = planReservations(order, positions, 'full');
    const bookings = planCapacity(order);
    order = { ...order, reservations: plan.reservations, capacityBookings: bookings };
    write = { stock: plan.stock, capacity: capacityChanges(bookings, 1) };
  } else if (decision.status === 'needs_review') {
    order = { ...order, review: { requiredRoles: decision.requiredRoles } };
    data.requiredRoles = decision.requiredRoles;
  }
  if (decision.status !== 'confirmed') data.issues = issues.map((i) => `${i.code} at ${i.path}: ${i.message}`);
  const finalStep = applyTransition(order, { to: decision.status, actor: ACTOR, at: now, data });
  const events = [receivedEvent(received), checkedStep.event, finalStep.event].map((e) => ({ ...e, orderVersion: 1 }));
  return deps.store.orders.create(finalStep.order, { events, ...write });
}

function receivedEvent(order: CanonicalOrder): OrderEvent {
  return { id: randomUUID(), name: 'order.received', orderId: order.id, orderVersion: 1, at: order.createdAt, data: { to: 'received', actor: ACTOR } };
}

function count(issues: readonly Issue[], severity: Issue['severity']): number {
  return issues.filter((i) => i.severity === severity).length;
}
