import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ORDERS_CURSOR } from '../../connectors/shop/shop-poll';
import { OrderCommands } from '../../core/lifecycle/order-commands';
import { dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { startWooCommerceSandbox, type WooCommerceSandbox, type WooOrderInput } from '../sandboxes/woocommerce.sandbox';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

/**
 * A WooCommerce store through the whole hub: the sandbox store on loopback sends signed webhooks
 * (and its unsigned ping) and answers the catch-up poll every second; real Redis and SQLite.
 */

let redis: TestRedis;
let store: WooCommerceSandbox;
let t: TestHub;
const oldDataDirs: string[] = [];

function hubConfig(storePath?: string) {
  return {
    ...(storePath ? { store: { kind: 'sqlite', path: storePath } } : {}),
    connectors: [
      {
        id: 'woo',
        kind: 'woocommerce',
        currency: 'CNY',
        storeUrl: store.url,
        consumerKey: store.consumerKey,
        consumerSecret: store.consumerSecret,
        webhookSecret: store.webhookSecret,
        timeoutMs: 2_000,
        poll: { schedule: '*/1 * * * * *', overlapMs: 5_000, jitterMs: 0, initialLookbackMs: 3_600_000 },
        stockSync: { intervalMs: 200, skus: ['PUMP-200'] },
      },
    ],
    routes: [{ on: 'order.shipped', to: ['woo'] }],
    // Shop orders carry no requested delivery date; the other required fields they have.
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  } as never;
}

beforeAll(async () => {
  redis = await startTestRedis();
  store = await startWooCommerceSandbox({ skus: ['PUMP-200', 'VALVE-DN50'] });
  t = await startTestHub(redis.url, hubConfig());
  const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
  await put('/api/v1/inventory', { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '50' }, { sku: 'VALVE-DN50', location: 'main', onHand: '500' }] });
  await put('/api/v1/prices', { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' }] });
});

afterAll(async () => {
  await t?.stop();
  for (const dir of oldDataDirs) rmSync(dir, { recursive: true, force: true });
  await store?.close();
  await redis?.stop();
});

let valves = 3;

/**
 * A valid order. Guest buyers have no customer id, so each order asks for one more valve than the
 * last: the same buyer ordering the very same lines again is flagged duplicate.content for review.
 */
const clean = (extra: Partial<WooOrderInput> = {}): WooOrderInput => {
  const quantity = valves++;
  return {
    currency: 'CNY',
    lines: [
      { sku: 'PUMP-200', quantity: 1, subtotal: '12500.00', ratePercent: 13 },
      { sku: 'VALVE-DN50', quantity, subtotal: dec('380.50').times(quantity).toFixed(2), ratePercent: 13 },
    ],
    shippingTotal: '200.00',
    ...extra,
  };
};

async function ordersOf(id: unknown): Promise<CanonicalOrder[]> {
  const { items } = await t.hub.store.orders.list({ limit: 500 });
  return items.filter((o) => o.source.connectorId === 'woo' && o.source.externalId === String(id));
}

async function orderOf(id: unknown, predicate: (o: CanonicalOrder) => boolean = () => true): Promise<CanonicalOrder> {
  return eventually(async () => (await ordersOf(id)).find(predicate), `hub order of WooCommerce order ${String(id)}`);
}

async function raws(): Promise<readonly RawMessage[]> {
  return (await t.hub.store.raw.list({ connectorId: 'woo', limit: 500 })).items;
}

async function rawOf(externalId: unknown): Promise<RawMessage[]> {
  return (await raws()).filter((m) => m.externalId === String(externalId));
}

async function polls(n: number): Promise<void> {
  const count = () => store.requests.filter((r) => r.operation === 'orders.list' && r.status === 200).length;
  const target = count() + n;
  await eventually(async () => (count() >= target ? true : undefined), `${n} more polls`);
}

describe('an order placed on WooCommerce', () => {
  it('arriving by webhook and again by several polls is one confirmed order, stored once', async () => {
    const order = store.addOrder(clean());
    expect((await store.sendWebhook(t.url, 'woo', 'order.created', order)).status).toBe(200);
    const hubOrder = await orderOf(order.id, (o) => o.status === 'confirmed');
    await polls(2);
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await rawOf(order.id)).toHaveLength(1);
    expect(hubOrder).toMatchObject({ orderNumber: order.number, source: { channel: 'webhook' }, totals: { net: '13641.50', tax: '1773.40', gross: '15414.90' } });
    expect(hubOrder.checks?.issues).toEqual([]);
  });

  it('pushes the stock left after the order reserved its units', async () => {
    const { items } = await t.hub.store.orders.list({ limit: 500 });
    const reserved = items.filter((o) => o.status === 'confirmed').flatMap((o) => o.reservations.filter((r) => r.sku === 'PUMP-200'));
    const left = reserved.reduce((sum, r) => sum.minus(dec(r.quantity)), dec('50'));
    await eventually(async () => (store.stockLevels().get('PUMP-200') === left.toNumber() ? true : undefined), `WooCommerce told ${left.toFixed()} in stock`);
  });

  it('shipped in the hub gets its tracking note once and is completed on WooCommerce', async () => {
    const order = store.addOrder(clean());
    const hubOrder = await orderOf(order.id, (o) => o.status === 'confirmed');
    await new OrderCommands(t.hub.store).applyPartnerEvent('carrier', { kind: 'tracking', eventId: `trk-${String(order.id)}`, orderId: hubOrder.id, occurredAt: new Date().toISOString(), carrier: 'UPS', trackingNumber: '1Z999AA10123456784', status: 'picked_up' });
    await eventually(async () => (store.order(String(order.id)).status === 'completed' ? true : undefined), 'the order completed on WooCommerce');
    // Completing it changed the order on WooCommerce; the polls that list the new version change nothing.
    await polls(2);
    expect(store.shipments().filter((n) => n.orderId === String(order.id))).toEqual([expect.objectContaining({ note: 'Shipped with UPS, tracking number 1Z999AA10123456784.', customerNote: true })]);
    expect(await ordersOf(order.id)).toHaveLength(1);
    const shipped = await orderOf(order.id, (o) => o.partnerRefs.some((r) => r.event === 'order.shipped'));
    expect(shipped.status).toBe('shipped');
  });

  it('cancelled on WooCommerce cancels the hub order', async () => {
    const order = store.addOrder(clean());
    await orderOf(order.id, (o) => o.status === 'confirmed');
    store.cancelOrder(String(order.id));
    const hubOrder = await orderOf(order.id, (o) => o.status === 'cancelled');
    expect(hubOrder.history.at(-1)).toMatchObject({ to: 'cancelled', actor: 'connector:woo' });
  });
});

describe('webhooks as WooCommerce sends them', () => {
  it('answers the ping sent when a webhook is saved with 200 and takes nothing', async () => {
    const before = (await raws()).length;
    const res = await store.sendPing(t.url, 'woo', 12);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: 0, duplicate: false });
    expect(await raws()).toHaveLength(before);
  });

  it('takes two orders one webhook delivered in the same second (one delivery id) both', async () => {
    const [a, b] = [store.addOrder(clean()), store.addOrder(clean())];
    for (const order of [a, b]) expect((await store.sendWebhook(t.url, 'woo', 'order.created', order, { deliveryId: 'same-second' })).status).toBe(200);
    for (const order of [a, b]) expect((await rawOf(order.id)).map((m) => m.channel)).toEqual(['webhook']);
  });
});

describe('when webhooks are lost', () => {
  it('every order created while they were dropped arrives by the poll, exactly once', async () => {
    const missed = Array.from({ length: 12 }, () => store.addOrder(clean()));
    for (const order of missed) await orderOf(order.id, (o) => o.status === 'confirmed');
    await polls(1);
    for (const order of missed) {
      expect(await ordersOf(order.id)).toHaveLength(1);
      expect((await rawOf(order.id)).map((m) => m.channel)).toEqual(['poll']);
    }
  });

  it('every order created while the hub was down arrives after the restart, exactly once', async () => {
    const before = store.addOrder(clean());
    await orderOf(before.id, (o) => o.status === 'confirmed');
    const { dataDir, queuePrefix } = t;
    await t.hub.stop();
    oldDataDirs.push(dataDir);

    const missed = Array.from({ length: 5 }, () => store.addOrder(clean()));
    t = await startTestHub(redis.url, hubConfig(join(dataDir, 'hub.db')), { queuePrefix });
    for (const order of missed) await orderOf(order.id, (o) => o.status === 'confirmed');
    await polls(1);
    for (const order of [before, ...missed]) expect(await ordersOf(order.id)).toHaveLength(1);
  });
});

describe('input the hub cannot take', () => {
  it('a webhook with a bad signature is answered 401 and kept quarantined, creating nothing', async () => {
    const order = store.addOrder(clean());
    const res = await store.sendWebhook(t.url, 'woo', 'order.created', order, { tamper: true });
    expect(res.status).toBe(401);
    const kept = (await raws()).find((m) => m.format === 'shop-webhook' && m.body.toString().includes(`"id":${String(order.id)}`));
    expect(kept).toMatchObject({ status: 'quarantined', reason: 'signature.invalid' });
  });

  it('a replayed delivery is answered as a duplicate and creates no second order', async () => {
    const order = store.addOrder(clean());
    const first = await store.sendWebhook(t.url, 'woo', 'order.created', order);
    await orderOf(order.id, (o) => o.status === 'confirmed');
    const replay = await store.sendWebhook(t.url, 'woo', 'order.created', order, { deliveryId: first.deliveryId });
    expect(JSON.parse(replay.body)).toEqual({ received: 0, duplicate: true });
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await rawOf(order.id)).toHaveLength(1);
  });

  it('a webhook order without date_modified_gmt is answered 422 and kept quarantined naming the field', async () => {
    const { date_modified_gmt: _dropped, ...order } = store.addOrder(clean());
    const res = await store.sendWebhook(t.url, 'woo', 'order.created', order);
    expect(res.status).toBe(422);
    const kept = (await raws()).find((m) => m.format === 'shop-webhook' && m.body.toString().includes(`"id":${String(order.id)}`));
    expect(kept?.status).toBe('quarantined');
    expect(kept?.details).toEqual([expect.objectContaining({ path: 'date_modified_gmt' })]);
  });

  it('a polled order with a malformed line subtotal is kept quarantined naming the field', async () => {
    const order = store.addOrder(clean());
    store.updateOrder(String(order.id), { line_items: (order.line_items as object[]).map((line, i) => (i === 1 ? { ...line, subtotal: 'lots' } : line)) });
    const [raw] = await eventually(async () => {
      const found = await rawOf(order.id);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the quarantined order');
    expect(raw!.details).toEqual([expect.objectContaining({ path: 'line_items[1].subtotal' })]);
    expect(await ordersOf(order.id)).toEqual([]);
  });

  it('an order in another currency than the shop\'s is quarantined as shop.currency_mismatch', async () => {
    const order = store.addOrder(clean({ currency: 'USD' }));
    const [raw] = await eventually(async () => {
      const found = await rawOf(order.id);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the mismatched order');
    expect(raw!.reason).toBe('shop.currency_mismatch');
  });

  it('a SKU the hub does not stock rejects the order with stock.unknown_sku (the default rule severity)', async () => {
    const order = store.addOrder({ currency: 'CNY', lines: [{ sku: 'NOT-IN-HUB', quantity: 1, subtotal: '10.00' }] });
    const hubOrder = await orderOf(order.id, (o) => o.status === 'rejected');
    expect(hubOrder.checks?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku' })]));
  });
});

describe('when the store answers 429 during a poll', () => {
  it('the poll stops without moving its cursor, and the next one takes the order', async () => {
    const throttled = (n: number) => eventually(async () => (store.requests.filter((r) => r.status === 429).length >= n ? true : undefined), `${n} throttled polls`);
    store.failNext(2, 429);
    const order = store.addOrder(clean());
    await throttled(1);
    const cursor = await t.hub.store.cursors.get('woo', ORDERS_CURSOR);
    await throttled(2);
    expect(await t.hub.store.cursors.get('woo', ORDERS_CURSOR)).toBe(cursor);
    await orderOf(order.id, (o) => o.status === 'confirmed');
    expect(store.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await t.hub.store.cursors.get('woo', ORDERS_CURSOR)).not.toBe(cursor);
  });
});
