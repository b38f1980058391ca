import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ORDERS_CURSOR } from '../../connectors/shop/shop-poll';
import { OrderCommands } from '../../core/lifecycle/order-commands';
import { dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { startShopifySandbox, type ShopifyOrderInput, type ShopifySandbox } from '../sandboxes/shopify.sandbox';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

/**
 * A Shopify store through the whole hub: the sandbox store on loopback sends signed webhooks and
 * answers the catch-up poll, which runs every second; real Redis and SQLite. Each platform order
 * version is kept once whichever way it came, and every version is the same hub order.
 */

let redis: TestRedis;
let shop: ShopifySandbox;
let t: TestHub;
const oldDataDirs: string[] = [];

function hubConfig(storePath?: string) {
  return {
    ...(storePath ? { store: { kind: 'sqlite', path: storePath } } : {}),
    connectors: [
      {
        id: 'shopify',
        kind: 'shopify',
        currency: 'CNY',
        shopUrl: shop.url,
        accessToken: shop.token,
        clientSecret: shop.clientSecret,
        locationId: shop.locationId,
        carrierNames: { shunfeng: 'SF Express' },
        timeoutMs: 2_000,
        poll: { schedule: '*/1 * * * * *', overlapMs: 5_000, jitterMs: 0, initialLookbackMs: 3_600_000 },
        stockSync: { intervalMs: 200, skus: ['PUMP-200'] },
        // Shop orders carry no requested delivery date; the hub's own rules keep asking project orders for one.
        rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
      },
    ],
    routes: [{ on: 'order.shipped', to: ['shopify'] }],
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  } as never;
}

beforeAll(async () => {
  redis = await startTestRedis();
  shop = await startShopifySandbox({ skus: ['PUMP-200', 'VALVE-DN50'] });
  t = await startTestHub(redis.url, hubConfig());
  const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
  await put('/api/v1/inventory', { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '50' }, { sku: 'VALVE-DN50', location: 'main', onHand: '500' }] });
  await put('/api/v1/prices', { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' }] });
});

afterAll(async () => {
  await t?.stop();
  for (const dir of oldDataDirs) rmSync(dir, { recursive: true, force: true });
  await shop?.close();
  await redis?.stop();
});

const clean = (extra: Partial<ShopifyOrderInput> = {}): ShopifyOrderInput => ({
  lines: [
    { sku: 'PUMP-200', quantity: 1, price: '12500.00', taxRate: 0.13 },
    { sku: 'VALVE-DN50', quantity: 4, price: '380.50', taxRate: 0.13 },
  ],
  shipping: { title: 'Freight', price: '200.00' },
  ...extra,
});

async function ordersOf(id: unknown): Promise<CanonicalOrder[]> {
  const { items } = await t.hub.store.orders.list({ limit: 500 });
  return items.filter((o) => o.source.connectorId === 'shopify' && o.source.externalId === String(id));
}

async function orderOf(id: unknown, predicate: (o: CanonicalOrder) => boolean = () => true): Promise<CanonicalOrder> {
  return eventually(async () => (await ordersOf(id)).find(predicate), `hub order of Shopify order ${String(id)}`);
}

async function rawOf(externalId: unknown): Promise<RawMessage[]> {
  const { items } = await t.hub.store.raw.list({ connectorId: 'shopify', limit: 500 });
  return items.filter((m) => m.externalId === String(externalId));
}

/** Resolves once `n` more complete polls (first pages answered 200) have run. */
async function polls(n: number): Promise<void> {
  const count = () => shop.requests.filter((r) => r.operation === 'orders.list' && r.status === 200 && !r.query.page_info).length;
  const target = count() + n;
  await eventually(async () => (count() >= target ? true : undefined), `${n} more polls`);
}

describe('an order placed on Shopify', () => {
  it('arriving by webhook, again by webhook and by several polls is one confirmed order, stored once', async () => {
    const order = shop.addOrder(clean());
    const first = await shop.sendWebhook(t.url, 'shopify', 'orders/create', order);
    expect(first.status).toBe(200);
    // Shopify follows orders/create with orders/updated of the same version.
    expect((await shop.sendWebhook(t.url, 'shopify', 'orders/updated', order)).status).toBe(200);
    const hubOrder = await orderOf(order.id, (o) => o.status === 'confirmed');
    await polls(2);
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await rawOf(order.id)).toHaveLength(1);
    expect(hubOrder).toMatchObject({ orderNumber: order.name, source: { channel: 'webhook' }, totals: { net: '14022.00', tax: '1822.86', gross: '15844.86' } });
    expect(hubOrder.checks?.issues).toEqual([]);
  });

  it('pushes the stock left after the order reserved its units', async () => {
    await eventually(async () => (shop.stockLevels().get('PUMP-200') !== undefined && shop.stockLevels().get('PUMP-200') !== 50 ? true : undefined), 'a stock push after the reservation');
    const { items } = await t.hub.store.orders.list({ limit: 500 });
    const reserved = items.filter((o) => o.status === 'confirmed').flatMap((o) => o.reservations.filter((r) => r.sku === 'PUMP-200'));
    const left = reserved.reduce((sum, r) => sum.minus(dec(r.quantity)), dec('50'));
    await eventually(async () => (shop.stockLevels().get('PUMP-200') === left.toNumber() ? true : undefined), `Shopify told ${left.toFixed()} available`);
  });

  it('shipped in the hub is fulfilled on Shopify with its tracking number exactly once', async () => {
    const order = shop.addOrder(clean());
    const hubOrder = await orderOf(order.id, (o) => o.status === 'confirmed');
    await new OrderCommands(t.hub.store).applyPartnerEvent('carrier', { kind: 'tracking', eventId: `trk-${String(order.id)}`, orderId: hubOrder.id, occurredAt: new Date().toISOString(), carrier: 'shunfeng', trackingNumber: 'SF1400000000042', status: 'picked_up' });
    await eventually(async () => (shop.shipments().some((s) => s.orderId === String(order.id)) ? true : undefined), 'the fulfillment on Shopify');
    // The fulfillment changed the order on Shopify; the polls that list the new version change nothing.
    await polls(2);
    expect(shop.shipments().filter((s) => s.orderId === String(order.id))).toEqual([expect.objectContaining({ trackingNumber: 'SF1400000000042', company: 'SF Express' })]);
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await rawOf(order.id)).toHaveLength(2);
    const shipped = await orderOf(order.id, (o) => o.partnerRefs.some((r) => r.event === 'order.shipped'));
    expect(shipped.status).toBe('shipped');
    expect(shipped.partnerRefs).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'shopify', ref: String(shop.shipments().at(-1)!.fulfillmentId) })]));
  });

  it('cancelled on Shopify cancels the hub order', async () => {
    const order = shop.addOrder(clean());
    await orderOf(order.id, (o) => o.status === 'confirmed');
    const cancelled = shop.cancelOrder(String(order.id));
    expect((await shop.sendWebhook(t.url, 'shopify', 'orders/cancelled', cancelled)).status).toBe(200);
    const hubOrder = await orderOf(order.id, (o) => o.status === 'cancelled');
    expect(hubOrder.history.at(-1)).toMatchObject({ to: 'cancelled', actor: 'connector:shopify' });
  });
});

describe('when webhooks are lost', () => {
  it('every order created while they were dropped arrives by the poll, exactly once', async () => {
    const missed = Array.from({ length: 12 }, () => shop.addOrder(clean()));
    for (const order of missed) await orderOf(order.id, (o) => o.status === 'confirmed');
    await polls(1);
    for (const order of missed) {
      expect(await ordersOf(order.id)).toHaveLength(1);
      expect((await rawOf(order.id)).map((m) => m.channel)).toEqual(['poll']);
    }
  });

  it('every order created while the hub was down arrives after the restart, exactly once', async () => {
    const before = shop.addOrder(clean());
    await orderOf(before.id, (o) => o.status === 'confirmed');
    const { dataDir, queuePrefix } = t;
    await t.hub.stop();
    oldDataDirs.push(dataDir);

    const missed = Array.from({ length: 5 }, () => shop.addOrder(clean()));
    // The webhooks Shopify sent meanwhile found nobody listening.
    t = await startTestHub(redis.url, hubConfig(join(dataDir, 'hub.db')), { queuePrefix });
    for (const order of missed) await orderOf(order.id, (o) => o.status === 'confirmed');
    await polls(1);
    for (const order of [before, ...missed]) expect(await ordersOf(order.id)).toHaveLength(1);
  });
});

describe('input the hub cannot take', () => {
  it('a webhook with a bad signature is answered 401 and kept quarantined, creating nothing', async () => {
    const order = shop.addOrder(clean());
    const res = await shop.sendWebhook(t.url, 'shopify', 'orders/create', order, { tamper: true });
    expect(res.status).toBe(401);
    const { items } = await t.hub.store.raw.list({ connectorId: 'shopify', limit: 500 });
    const kept = items.find((m) => m.format === 'shop-webhook' && m.body.toString().includes(`"id":${String(order.id)}`));
    expect(kept).toMatchObject({ status: 'quarantined', reason: 'signature.invalid' });
  });

  it('a replayed webhook id is answered as a duplicate and creates no second order', async () => {
    const order = shop.addOrder(clean());
    const first = await shop.sendWebhook(t.url, 'shopify', 'orders/create', order);
    await orderOf(order.id, (o) => o.status === 'confirmed');
    const replay = await shop.sendWebhook(t.url, 'shopify', 'orders/create', order, { webhookId: first.webhookId });
    expect(replay).toMatchObject({ status: 200 });
    expect(JSON.parse(replay.body)).toEqual({ received: 0, duplicate: true });
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await rawOf(order.id)).toHaveLength(1);
  });

  it('a webhook order without updated_at is answered 422 and kept quarantined naming the field', async () => {
    const { updated_at: _dropped, ...order } = shop.addOrder(clean());
    const res = await shop.sendWebhook(t.url, 'shopify', 'orders/create', order);
    expect(res.status).toBe(422);
    const { items } = await t.hub.store.raw.list({ connectorId: 'shopify', limit: 500 });
    const kept = items.find((m) => m.format === 'shop-webhook' && m.body.toString().includes(`"id":${String(order.id)}`));
    expect(kept?.status).toBe('quarantined');
    expect(kept?.details).toEqual([expect.objectContaining({ path: 'updated_at' })]);
  });

  it('a polled order with a malformed price is kept quarantined naming the field', async () => {
    const order = shop.addOrder(clean());
    shop.updateOrder(String(order.id), { line_items: (order.line_items as object[]).map((line, i) => (i === 1 ? { ...line, price: 'three eighty' } : line)) });
    const [raw] = await eventually(async () => {
      const found = await rawOf(order.id);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the quarantined order');
    expect(raw!.details).toEqual([expect.objectContaining({ path: 'line_items[1].price' })]);
    expect(await ordersOf(order.id)).toEqual([]);
  });

  it('an order in another currency than the shop\'s is quarantined as shop.currency_mismatch', async () => {
    const order = shop.addOrder(clean({ currency: 'USD' }));
    const [raw] = await eventually(async () => {
      const found = await rawOf(order.id);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the mismatched order');
    expect(raw!.reason).toBe('shop.currency_mismatch');
  });

  it('a SKU the hub does not stock rejects the order with stock.unknown_sku (the default rule severity)', async () => {
    const order = shop.addOrder({ lines: [{ sku: 'NOT-IN-HUB', quantity: 1, price: '10.00' }] });
    const hubOrder = await orderOf(order.id, (o) => o.status === 'rejected');
    expect(hubOrder.checks?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku' })]));
  });
});

describe('when Shopify throttles the poll', () => {
  it('the poll stops without moving its cursor, and the next one takes the order', async () => {
    const throttled = (n: number) => eventually(async () => (shop.requests.filter((r) => r.status === 429).length >= n ? true : undefined), `${n} throttled polls`);
    shop.failNext(2, 429);
    const order = shop.addOrder(clean());
    await throttled(1);
    const cursor = await t.hub.store.cursors.get('shopify', ORDERS_CURSOR);
    await throttled(2);
    expect(await t.hub.store.cursors.get('shopify', ORDERS_CURSOR)).toBe(cursor);
    await orderOf(order.id, (o) => o.status === 'confirmed');
    expect(shop.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(await ordersOf(order.id)).toHaveLength(1);
    expect(await t.hub.store.cursors.get('shopify', ORDERS_CURSOR)).not.toBe(cursor);
  });
});
