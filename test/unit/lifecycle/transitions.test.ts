import { IllegalTransitionError } from '../../../core/errors/illegal-transition.error';
import { applyTransition } from '../../../core/lifecycle/transition';
import { TRANSITIONS, allowedTargets } from '../../../core/lifecycle/transitions';
import { orderStatus } from '../../../core/order/order.schema';
import type { OrderStatus } from '../../../core/order/order.types';
import { makeOrder } from '../../support/order-factory';

const STATUSES = orderStatus.options;
const AT = '2026-11-23T10:00:00.000Z';

describe('lifecycle transition table', () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));
  const allowed = pairs.filter(([from, to]) => TRANSITIONS[from].includes(to));
  const illegal = pairs.filter(([from, to]) => !TRANSITIONS[from].includes(to));

  it('covers every status', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATUSES].sort());
  });

  it.each(allowed)('allows %s → %s, appending history and emitting order.<to>', (from, to) => {
    const order = makeOrder({ status: from, version: 3 });
    const { order: next, event } = applyTransition(order, { to, actor: 'tester', at: AT, reason: 'because' });
    expect(next.status).toBe(to);
    expect(next.updatedAt).toBe(AT);
    expect(next.history).toHaveLength(order.history.length + 1);
    expect(next.history.at(-1)).toMatchObject({ type: 'status', from, to, actor: 'tester', data: { reason: 'because' } });
    expect(event).toMatchObject({ name: `order.${to}`, orderId: order.id, orderVersion: 4, data: { from, to } });
    expect(event.id).not.toContain(':');
  });

  it.each(illegal)('refuses %s → %s with a typed error and leaves the order untouched', (from, to) => {
    const order = makeOrder({ status: from });
    const before = JSON.stringify(order);
    expect(() => applyTransition(order, { to, actor: 'tester', at: AT })).toThrow(IllegalTransitionError);
    expect(JSON.stringify(order)).toBe(before);
    try {
      applyTransition(order, { to, actor: 'tester', at: AT });
    } catch (err) {
      expect((err as IllegalTransitionError).code).toBe('lifecycle.illegal_transition');
    }
  });

  it('keeps closed, rejected and cancelled terminal', () => {
    for (const status of ['closed', 'rejected', 'cancelled'] as const) expect(TRANSITIONS[status]).toEqual([]);
  });
});

describe('when an order is put on hold', () => {
  it('remembers where it was and may only go back there or be cancelled', () => {
    const held = applyTransition(makeOrder({ status: 'confirmed' }), { to: 'on_hold', actor: 'ops', at: AT }).order;
    expect(held.heldFrom).toBe('confirmed');
    expect(allowedTargets('on_hold', held.heldFrom)).toEqual(['cancelled', 'confirmed']);
    expect(() => applyTransition(held, { to: 'shipped', actor: 'ops', at: AT })).toThrow(IllegalTransitionError);
    const resumed = applyTransition(held, { to: 'confirmed', actor: 'ops', at: AT }).order;
    expect(resumed.status).toBe('confirmed');
    expect(resumed.heldFrom).toBeUndefined();
  });

  it('cannot be resumed into a status it was not held from', () => {
    const held = applyTransition(makeOrder({ status: 'needs_review' }), { to: 'on_hold', actor: 'ops', at: AT }).order;
    expect(() => applyTransition(held, { to: 'confirmed', actor: 'ops', at: AT })).toThrow(IllegalTransitionError);
  });
});
