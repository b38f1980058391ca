import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ORDERS_CURSOR } from '../../connectors/shop/shop-poll';
import { OrderCommands } from '../../core/lifecycle/order-commands';
import { dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { startJdSandbox, type JdOrderSpec, type JdSandbox } from '../sandboxes/jd.sandbox';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

/**
 * JD (京东) POP through the whole hub: the JOS sandbox on loopback, the hub polling it every second
 * on real Redis and SQLite. JOS pushes nothing over HTTP, so "arriving twice" here means the same
 * order listed by overlapping polls, and again after a restart.
 */

const CREDENTIALS = { appKey: 'A1B2C3D4E5', appSecret: 'jd-secret-0123456789', accessToken: 'jd-token-abc' };
const JD_PUMP_SKU = '100012345678';

let redis: TestRedis;
let jd: JdSandbox;
let usdShop: JdSandbox;
let t: TestHub;
const oldDataDirs: string[] = [];

function hubConfig(storePath?: string) {
  const shop = (id: string, sandbox: JdSandbox, extra: Record<string, unknown> = {}) => ({
    id,
    kind: 'jd',
    currency: 'CNY',
    baseUrl: sandbox.url,
    ...CREDENTIALS,
    timeoutMs: 2_000,
    poll: { schedule: '*/1 * * * * *', overlapMs: 10_000, jitterMs: 0, initialLookbackMs: 3_600_000 },
    ...extra,
  });
  return {
    ...(storePath ? { store: { kind: 'sqlite', path: storePath } } : {}),
    connectors: [
      shop('jd-shop', jd, { carriers: { sf: '467' }, skus: { 'PUMP-200': JD_PUMP_SKU }, stockSync: { intervalMs: 200, skus: ['PUMP-200'] } }),
      // A shop selling in dollars: JD POP orders are in yuan, so every one is a currency mismatch.
      shop('jd-usd', usdShop, { currency: 'USD' }),
    ],
    routes: [{ on: 'order.shipped', to: ['jd-shop'] }],
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  } as never;
}

beforeAll(async () => {
  redis = await startTestRedis();
  jd = await startJdSandbox(CREDENTIALS);
  usdShop = await startJdSandbox(CREDENTIALS);
  jd.addSku(JD_PUMP_SKU);
  t = await startTestHub(redis.url, hubConfig());
  const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
  await put('/api/v1/inventory', { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '50' }, { sku: 'VALVE-DN50', location: 'main', onHand: '500' }] });
  await put('/api/v1/prices', { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '1200.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '23.11' }] });
});

afterAll(async () => {
  await t?.stop();
  for (const dir of oldDataDirs) rmSync(dir, { recursive: true, force: true });
  await jd?.close();
  await usdShop?.close();
  await redis?.stop();
});

let buyers = 0;
/** An order the hub's checks pass; each from another buyer, since the same buyer ordering the same again is flagged as a duplicate. */
const clean = (extra: Partial<JdOrderSpec> = {}): JdOrderSpec => ({
  items: [
    { outerSkuId: 'PUMP-200', price: '1200.00', quantity: 2 },
    { outerSkuId: 'VALVE-DN50', price: '23.11', quantity: 4 },
  ],
  fullname: `买家${++buyers}`,
  ...extra,
});

async function ordersOf(orderId: string): Promise<CanonicalOrder[]> {
  const { items } = await t.hub.store.orders.list({ limit: 500 });
  return items.filter((o) => o.source.connectorId === 'jd-shop' && o.source.externalId === orderId);
}

async function orderOf(orderId: string, predicate: (o: CanonicalOrder) => boolean = () => true): Promise<CanonicalOrder> {
  return eventually(async () => (await ordersOf(orderId)).find(predicate), `hub order of JD order ${orderId}`);
}

async function rawOf(connectorId: string, externalId: string): Promise<RawMessage[]> {
  const { items } = await t.hub.store.raw.list({ connectorId, limit: 500 });
  return items.filter((m) => m.externalId === externalId);
}

/** Resolves once the sandbox has answered `n` more order searches than now: that many polls ran. */
async function polls(n: number): Promise<void> {
  const count = () => jd.calls.filter((c) => c.method === 'jingdong.pop.order.search' && c.errorCode === undefined).length;
  const target = count() + n;
  await eventually(async () => (count() >= target ? true : undefined), `${n} more polls`);
}

describe('a JD order', () => {
  it('listed by several overlapping polls becomes one confirmed order, stored once per version', async () => {
    const placed = jd.addOrder(clean());
    const order = await orderOf(placed.orderId, (o) => o.status === 'confirmed');
    await polls(3);
    expect(jd.timesListed(placed.orderId)).toBeGreaterThanOrEqual(2);
    expect(await ordersOf(placed.orderId)).toHaveLength(1);
    expect(await rawOf('jd-shop', placed.orderId)).toHaveLength(1);
    expect(order).toMatchObject({ orderNumber: placed.orderId, currency: 'CNY', totals: { net: '2492.44' } });
  });

  it('pushes the stock left after the order reserved its units', async () => {
    await eventually(async () => (jd.stockLevels()[JD_PUMP_SKU] !== undefined && jd.stockLevels()[JD_PUMP_SKU] !== '50' ? true : undefined), 'stock push after the reservation');
    const { items } = await t.hub.store.orders.list({ limit: 500 });
    const reserved = items.filter((o) => o.status === 'confirmed').flatMap((o) => o.reservations.filter((r) => r.sku === 'PUMP-200'));
    expect(jd.stockLevels()[JD_PUMP_SKU]).toBe(reserved.reduce((left, r) => left.minus(dec(r.quantity)), dec('50')).toFixed(0));
  });

  it('shipped in the hub posts its waybill back to JD exactly once', async () => {
    const placed = jd.addOrder(clean());
    const order = await orderOf(placed.orderId, (o) => o.status === 'confirmed');
    await new OrderCommands(t.hub.store).applyPartnerEvent('carrier', {
      kind: 'tracking',
      eventId: `trk-${placed.orderId}`,
      orderId: order.id,
      occurredAt: new Date().toISOString(),
      carrier: 'sf',
      trackingNumber: 'SF2000000001',
      status: 'picked_up',
    });
    await eventually(async () => (jd.shipments().some((s) => s.orderId === placed.orderId) ? true : undefined), 'the shipment');
    // The order is now modified (out for delivery) on JD; the polls that list it again change nothing.
    await polls(2);
    expect(jd.shipments().filter((s) => s.orderId === placed.orderId)).toEqual([{ orderId: placed.orderId, logiCoprId: '467', logiNo: 'SF2000000001' }]);
    expect(await ordersOf(placed.orderId)).toHaveLength(1);
    expect(await rawOf('jd-shop', placed.orderId)).toHaveLength(2);
    const shipped = await orderOf(placed.orderId);
    expect(shipped.status).toBe('shipped');
    expect(shipped.partnerRefs).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'jd-shop', event: 'order.shipped', ref: '467:SF2000000001' })]));
  });

  it('cancelled on JD cancels the hub order', async () => {
    const placed = jd.addOrder(clean());
    await orderOf(placed.orderId, (o) => o.status === 'confirmed');
    jd.cancelOrder(placed.orderId);
    const cancelled = await orderOf(placed.orderId, (o) => o.status === 'cancelled');
    expect(cancelled.history.at(-1)).toMatchObject({ to: 'cancelled', actor: 'connector:jd-shop' });
  });
});

describe('input the hub cannot take', () => {
  it('an order with a quantity JD should never send is kept quarantined, naming the field', async () => {
    const placed = jd.addOrder({ items: [{ outerSkuId: 'PUMP-200', price: '1200.00', quantity: 0 }] });
    const [raw] = await eventually(async () => {
      const found = await rawOf('jd-shop', placed.orderId);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the quarantined order');
    expect(raw!.details).toEqual([expect.objectContaining({ path: 'itemInfoList[0].itemTotal' })]);
    expect(await ordersOf(placed.orderId)).toEqual([]);
  });

  it('an order for a shop configured in another currency is quarantined as shop.currency_mismatch', async () => {
    const placed = usdShop.addOrder(clean());
    const [raw] = await eventually(async () => {
      const found = await rawOf('jd-usd', placed.orderId);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the mismatched order');
    expect(raw!.reason).toBe('shop.currency_mismatch');
  });

  it('a SKU the hub does not stock rejects the order with stock.unknown_sku (the default rule severity)', async () => {
    const placed = jd.addOrder({ items: [{ outerSkuId: 'NOT-IN-HUB', price: '10.00', quantity: 1 }] });
    const order = await orderOf(placed.orderId, (o) => o.status === 'rejected');
    expect(order.checks?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku' })]));
  });

  it('a POST to the hook URL is refused: JD is polled, not pushed', async () => {
    const res = await fetch(`${t.url}/api/v1/hooks/jd-shop`, { method: 'POST', body: '{"orderId":"1"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
  });
});

describe('when JD limits calls during a poll', () => {
  it('the poll stops without moving its cursor, and the next one takes the order', async () => {
    jd.failNext(2, 'call-limited', 'jingdong.pop.order.search');
    const before = await t.hub.store.cursors.get('jd-shop', ORDERS_CURSOR);
    const placed = jd.addOrder(clean());
    await eventually(async () => (jd.calls.filter((c) => c.errorCode === '2').length >= 1 ? true : undefined), 'a limited call');
    expect(await t.hub.store.cursors.get('jd-shop', ORDERS_CURSOR)).toBe(before);
    await orderOf(placed.orderId, (o) => o.status === 'confirmed');
    expect(jd.calls.filter((c) => c.errorCode === '2')).toHaveLength(2);
    expect(await ordersOf(placed.orderId)).toHaveLength(1);
  });
});

describe('when the hub is down while orders come in', () => {
  it('takes every order exactly once after the restart, and an old order listed again stays one order', async () => {
    const before = jd.addOrder(clean());
    await orderOf(before.orderId, (o) => o.status === 'confirmed');
    const { dataDir, queuePrefix } = t;
    await t.hub.stop();
    oldDataDirs.push(dataDir);

    const missed = Array.from({ length: 6 }, () => jd.addOrder(clean()));
    jd.updateOrder(missed[0]!.orderId, (fields) => {
      fields.venderRemark = 'changed while the hub was down';
    });
    t = await startTestHub(redis.url, hubConfig(join(dataDir, 'hub.db')), { queuePrefix });

    for (const placed of missed) await orderOf(placed.orderId, (o) => o.status === 'confirmed');
    await polls(2);
    for (const placed of [before, ...missed]) expect(await ordersOf(placed.orderId)).toHaveLength(1);
  });
});
