import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '../../../core/errors/conflict.error';
import { IllegalTransitionError } from '../../../core/errors/illegal-transition.error';
import { NotFoundError } from '../../../core/errors/not-found.error';
import { OrderCommands } from '../../../core/lifecycle/order-commands';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { HubStore } from '../../../core/store/store.port';
import { openSqliteStore } from '../../../core/store/sqlite/sqlite-store';
import { makeOrder } from '../../support/order-factory';

let dir: string;
let store: HubStore;
let commands: OrderCommands;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'order-hub-commands-'));
  store = await openSqliteStore({ path: join(dir, 'hub.db') });
  commands = new OrderCommands(store, () => new Date('2026-11-23T09:00:00.000Z'));
  await store.inventory.setStock([
    { sku: 'PANEL-A', location: 'main', onHand: '8' },
    { sku: 'PANEL-A', location: 'east', onHand: '5' },
    { sku: 'BRACKET-B', location: 'main', onHand: '100' },
  ]);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stored(overrides: Partial<CanonicalOrder>): Promise<CanonicalOrder> {
  return store.orders.create(makeOrder(overrides), { events: [] });
}

const available = async (sku: string) => (await store.inventory.positions([sku]))[0]!.available;

describe('when reviewers sign an order waiting for review (会签)', () => {
  it('stays in review until every required role approved, then confirms and reserves stock across locations', async () => {
    const order = await stored({ status: 'needs_review', review: { requiredRoles: ['sales', 'finance'] } });
    const afterSales = await commands.approve({ orderId: order.id, role: 'sales', actor: 'li.sales', decision: 'approved' });
    expect(afterSales.status).toBe('needs_review');
    expect(await available('PANEL-A')).toBe('13');

    const confirmed = await commands.approve({ orderId: order.id, role: 'finance', actor: 'zhao.finance', decision: 'approved', comment: 'price ok' });
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.approvals.map((a) => [a.role, a.actor, a.decision])).toEqual([
      ['sales', 'li.sales', 'approved'],
      ['finance', 'zhao.finance', 'approved'],
    ]);
    expect(confirmed.reservations).toEqual(
      expect.arrayContaining([
        { sku: 'PANEL-A', location: 'main', quantity: '8' },
        { sku: 'PANEL-A', location: 'east', quantity: '2' },
      ]),
    );
    expect(await available('PANEL-A')).toBe('3');
    const events = await store.outbox.unpublished(10);
    expect(events.map((e) => e.name)).toEqual(['order.confirmed']);
  });

  it('reserves what is there and records the backorder when reviewers accept a shortage', async () => {
    const order = await stored({ status: 'needs_review', review: { requiredRoles: ['production'] }, lines: [{ lineNo: 1, sku: 'PANEL-A', quantity: '20', uom: 'EA', unitPrice: '120.00' }] });
    const confirmed = await commands.approve({ orderId: order.id, role: 'production', actor: 'chen', decision: 'approved' });
    expect(confirmed.status).toBe('confirmed');
    expect(await available('PANEL-A')).toBe('0');
    expect(confirmed.history.at(-1)!.data).toMatchObject({ backorder: [{ sku: 'PANEL-A', quantity: '7' }] });
  });

  it('rejects the order when any reviewer rejects it', async () => {
    const order = await stored({ status: 'needs_review', review: { requiredRoles: ['sales', 'finance'] } });
    const rejected = await commands.approve({ orderId: order.id, role: 'finance', actor: 'zhao', decision: 'rejected', comment: 'below cost' });
    expect(rejected.status).toBe('rejected');
    expect(rejected.history.at(-1)).toMatchObject({ to: 'rejected', data: { reason: 'rejected in review by finance' } });
  });

  it('refuses a role that is not asked, a second signature, and an order not in review', async () => {
    const order = await stored({ status: 'needs_review', review: { requiredRoles: ['sales', 'finance'] } });
    await expect(commands.approve({ orderId: order.id, role: 'production', actor: 'x', decision: 'approved' })).rejects.toMatchObject({ code: 'review.role_not_pending' });
    await commands.approve({ orderId: order.id, role: 'sales', actor: 'x', decision: 'approved' });
    await expect(commands.approve({ orderId: order.id, role: 'sales', actor: 'y', decision: 'approved' })).rejects.toBeInstanceOf(ConflictError);
    const confirmed = await stored({ status: 'confirmed' });
    await expect(commands.approve({ orderId: confirmed.id, role: 'sales', actor: 'x', decision: 'approved' })).rejects.toMatchObject({ code: 'review.not_pending' });
  });
});

describe('when operators move an order', () => {
  it('releases reservations and booked capacity on cancel', async () => {
    await store.capacity.setCapacity([{ date: '2027-01-05', units: '100' }]);
    const order = await stored({
      status: 'confirmed',
      reservations: [{ sku: 'PANEL-A', location: 'main', quantity: '4' }],
      capacityBookings: [{ date: '2027-01-05', units: '12.5' }],
    });
    await store.orders.save(order, order.version, { events: [], stock: [{ sku: 'PANEL-A', location: 'main', quantity: '4' }], capacity: [{ date: '2027-01-05', units: '12.5' }] });
    expect(await available('PANEL-A')).toBe('9');

    const cancelled = await commands.changeStatus({ orderId: order.id, to: 'cancelled', actor: 'ops', reason: 'customer withdrew' });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.reservations).toEqual([]);
    expect(await available('PANEL-A')).toBe('13');
    expect((await store.capacity.days(['2027-01-05']))[0]!.booked).toBe('0');
  });

  it('holds and resumes to the status the order was held from, and only there', async () => {
    const order = await stored({ status: 'needs_review', review: { requiredRoles: ['sales'] } });
    const held = await commands.changeStatus({ orderId: order.id, to: 'on_hold', actor: 'ops' });
    expect(held).toMatchObject({ status: 'on_hold', heldFrom: 'needs_review' });
    await expect(commands.changeStatus({ orderId: order.id, to: 'confirmed', actor: 'ops' })).rejects.toBeInstanceOf(IllegalTransitionError);
    const resumed = await commands.changeStatus({ orderId: order.id, to: 'needs_review', actor: 'ops' });
    expect(resumed.status).toBe('needs_review');
  });

  it('refuses moves only intake makes, and confirming around the reviewers', async () => {
    const order = await stored({ status: 'needs_review', review: { requiredRoles: ['sales'] } });
    await expect(commands.changeStatus({ orderId: order.id, to: 'checked', actor: 'ops' })).rejects.toMatchObject({ code: 'lifecycle.system_only' });
    await expect(commands.changeStatus({ orderId: order.id, to: 'confirmed', actor: 'ops' })).rejects.toMatchObject({ code: 'review.pending' });
  });

  it('walks a confirmed order through fulfilment to closed, one event per step', async () => {
    const order = await stored({ status: 'confirmed' });
    for (const to of ['in_fulfillment', 'shipped', 'delivered', 'accepted', 'invoiced', 'closed'] as const) {
      expect((await commands.changeStatus({ orderId: order.id, to, actor: 'ops' })).status).toBe(to);
    }
    const events = await store.outbox.unpublished(20);
    expect(events.map((e) => e.name)).toEqual(['order.in_fulfillment', 'order.shipped', 'order.delivered', 'order.accepted', 'order.invoiced', 'order.closed']);
    expect((await store.orders.get(order.id))!.version).toBe(7);
  });

  it('answers NotFound for an unknown order', async () => {
    await expect(commands.changeStatus({ orderId: 'nope', to: 'cancelled', actor: 'ops' })).rejects.toBeInstanceOf(NotFoundError);
  });
});
