import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { ORDERS_CURSOR } from '../../connectors/shop/shop-poll';
import { marketConnectorInput } from '../connectors/rest-poller/market-config';
import { startCarrierRestSandbox, type CarrierRestSandbox } from '../sandboxes/carrier-rest.sandbox';
import { startMarketSandbox, type MarketOrder, type MarketSandbox } from '../sandboxes/rest-poller.sandbox';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

/**
 * Issue #7, "done when", for a platform added by YAML alone (the generic REST poller) against the
 * Market sandbox speaking OAuth2 client credentials and cursor paging: webhook and poll make one
 * order, lost webhooks and a stopped hub are made good by the poll, shipping posts the tracking
 * number back once, and bad input is kept and named.
 */

const CARRIER_KEY = 'carrier-key';
const CARRIER_SECRET = `whsec_${Buffer.from('carrier-webhook-secret-32-bytes!').toString('base64')}`;

let redis: TestRedis;
let market: MarketSandbox;
let carrier: CarrierRestSandbox;
let t: TestHub;
/** Data folders of hubs stopped and replaced by one on the same store; removed at the end. */
const replacedDataDirs: string[] = [];

function hubConfig(): Record<string, unknown> {
  return {
    connectors: [
      marketConnectorInput(market, {
        // Every second, reading 3 s back: short enough for a test, the same machinery as */5 minutes.
        poll: { schedule: '*/1 * * * * *', overlapMs: 3_000, jitterMs: 0, initialLookbackMs: 3_600_000, maxRunMs: 10_000 },
        timeoutMs: 2_000,
      }),
      {
        id: 'carrier',
        kind: 'carrier-rest',
        baseUrl: carrier.url,
        apiKey: CARRIER_KEY,
        carrier: 'acme-freight',
        shipper: { name: '华东泵业仓库', phone: '021-5555-0100', street: '华志路 123 号', city: '上海' },
        webhookSecret: CARRIER_SECRET,
        timeoutMs: 2_000,
      },
    ],
    routes: [
      { on: 'order.confirmed', to: ['carrier'] },
      { on: 'order.shipped', to: ['market'] },
    ],
    // Shop orders carry neither a delivery date nor payment terms; the hub asks for what they do carry.
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 20, maxBackoffMs: 200, outboxPollMs: 50 },
  };
}

async function seedReferenceData(hub: TestHub): Promise<void> {
  await hub.api('/api/v1/inventory', { method: 'PUT', json: { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '1000' }, { sku: 'VALVE-DN50', location: 'main', onHand: '100000' }] } });
  await hub.api('/api/v1/prices', { method: 'PUT', json: { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' }] } });
}

beforeAll(async () => {
  redis = await startTestRedis();
  market = await startMarketSandbox({ auth: 'oauth2', paging: 'cursor' });
  carrier = await startCarrierRestSandbox({ apiKey: CARRIER_KEY, webhookSecret: CARRIER_SECRET });
  t = await startTestHub(redis.url, hubConfig() as never);
  await seedReferenceData(t);
}, 30_000);

afterAll(async () => {
  await t?.stop();
  await Promise.all([market?.close(), carrier?.close()]);
  await redis?.stop();
  for (const dir of replacedDataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every hub order read from the Market trade `tid`. */
async function ordersOf(tid: string): Promise<CanonicalOrder[]> {
  const all: CanonicalOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.hub.store.orders.list({ limit: 500, ...(cursor ? { cursor } : {}) });
    all.push(...(page.items as CanonicalOrder[]));
    cursor = page.nextCursor;
  } while (cursor);
  return all.filter((o) => o.source.connectorId === 'market' && o.source.externalId === tid);
}

const orderOf = (tid: string, what = `the hub order of ${tid}`, timeoutMs = 10_000) =>
  eventually(async () => (await ordersOf(tid))[0], what, timeoutMs);

async function rawOf(predicate: (raw: RawMessage) => boolean): Promise<RawMessage[]> {
  const page = await t.hub.store.raw.list({ connectorId: 'market', limit: 500 });
  return page.items.filter(predicate);
}

/** Resolves once a poll has listed the platform after `since` and after `order` was last changed. */
async function polledAfter(order: MarketOrder, since = Date.now()): Promise<void> {
  const changedAt = Date.parse(`${order.update_time.replace(' ', 'T')}+08:00`);
  const from = Math.max(since, changedAt + 1000);
  await eventually(async () => (market.listings().some((r) => Date.parse(r.receivedAt) > from) ? true : undefined), 'a poll after the change');
}

describe('when an order arrives by webhook and again by poll', () => {
  it('becomes one canonical order, confirmed, with the amounts as the platform wrote them', async () => {
    const trade = market.addOrder();
    const sent = await market.sendWebhook(t.url, 'market', 'trade.created', trade);
    expect(sent.status).toBe(200);
    const order = await orderOf(trade.tid);
    await polledAfter(trade);
    await eventually(async () => (await t.hub.store.orders.get(order.id))?.status === 'confirmed' || undefined, 'the order confirmed');

    expect(await ordersOf(trade.tid)).toHaveLength(1);
    expect(await rawOf((r) => r.externalId === trade.tid)).toHaveLength(1);
    const stored = (await t.hub.store.orders.get(order.id))!;
    expect(stored.customer.id).toBe('9007199254740993');
    expect(stored.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual(trade.items.map((i) => [i.outer_sku_id, i.num.literal, i.price.literal]));
  });

  it('ignores a replayed webhook delivery: no second order, answered as a duplicate', async () => {
    const trade = market.addOrder();
    const first = await market.sendWebhook(t.url, 'market', 'trade.created', trade);
    await orderOf(trade.tid);
    const replay = await market.sendWebhook(t.url, 'market', 'trade.created', trade, { deliveryId: first.deliveryId });

    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({ received: 0, duplicate: true });
    expect(await ordersOf(trade.tid)).toHaveLength(1);
  });
});

describe('when webhooks are lost', () => {
  it('takes in every order the platform created, exactly once, by poll alone', async () => {
    const trades = Array.from({ length: 5 }, () => market.addOrder());
    for (const trade of trades) await orderOf(trade.tid, `${trade.tid} by poll`);
    await polledAfter(trades.at(-1)!);

    for (const trade of trades) expect(await ordersOf(trade.tid)).toHaveLength(1);
  });
});

describe('when the hub was stopped while the platform took orders', () => {
  it('catches up on restart: every new order once, and a cancellation made meanwhile', async () => {
    const before = market.addOrder();
    await orderOf(before.tid);
    await t.hub.stop();
    replacedDataDirs.push(t.dataDir);

    const during = Array.from({ length: 4 }, () => market.addOrder());
    market.cancelOrder(before.tid);
    t = await startTestHub(redis.url, { ...hubConfig(), store: { kind: 'sqlite', path: join(t.dataDir, 'hub.db') } } as never, { queuePrefix: t.queuePrefix });

    for (const trade of during) await orderOf(trade.tid, `${trade.tid} after the restart`);
    await eventually(async () => ((await ordersOf(before.tid))[0]?.status === 'cancelled' ? true : undefined), 'the cancellation taken in');
    await polledAfter(during.at(-1)!);
    for (const trade of [before, ...during]) expect(await ordersOf(trade.tid)).toHaveLength(1);
  });
});

describe('when the platform answers 429 during polls', () => {
  it('keeps the cursor where it was until a poll succeeds, and then takes the order in', async () => {
    const limited = () => market.requests.filter((r) => r.path === '/api/v2/orders' && r.status === 429).length;
    market.failNext(10_000, 429);
    const start = limited();
    await eventually(async () => (limited() >= start + 2 ? true : undefined), 'two refused polls');
    const trade = market.addOrder();
    const cursorDuring = await t.hub.store.cursors.get('market', ORDERS_CURSOR);
    const seen = limited();
    await eventually(async () => (limited() >= seen + 2 ? true : undefined), 'two more refused polls');

    expect(await t.hub.store.cursors.get('market', ORDERS_CURSOR)).toBe(cursorDuring);
    expect(await ordersOf(trade.tid)).toHaveLength(0);

    market.faults.clear();
    await orderOf(trade.tid, 'the order after the platform recovered');
    expect(Date.parse((await t.hub.store.cursors.get('market', ORDERS_CURSOR))!)).toBeGreaterThan(Date.parse(cursorDuring!));
  });
});

describe('when the order ships', () => {
  it('posts the tracking number back to the platform exactly once', async () => {
    const trade = market.addOrder();
    const order = await orderOf(trade.tid);
    const key = `${order.id}:order.confirmed:carrier`;
    const trackingNumber = await eventually(async () => carrier.waybills.get(key), 'the waybill');

    const occurredAt = new Date().toISOString();
    const tracked = await carrier.sendTrackingEvents(`${t.url}/api/v1/hooks/carrier`, [{ orderId: order.id, trackingNumber, status: 'picked_up', occurredAt }], { duplicate: true });
    expect(tracked.map((r) => r.status)).toEqual([200, 200]);

    await eventually(async () => (market.shipments().some((s) => s.tid === trade.tid) ? true : undefined), 'the shipment on the platform');
    await eventually(async () => ((await t.hub.store.orders.get(order.id))?.status === 'shipped' ? true : undefined), 'the order shipped');
    expect(market.shipments().filter((s) => s.tid === trade.tid)).toEqual([{ tid: trade.tid, expressCompany: 'acme-freight', expressNo: trackingNumber, idempotencyKey: `${order.id}:order.shipped:market` }]);
    expect(market.requests.filter((r) => r.path === '/api/v2/shipments' && r.reference === trade.tid)).toHaveLength(1);
  });
});

describe('when the platform cancels an order the hub holds', () => {
  it('cancels the hub order', async () => {
    const trade = market.addOrder();
    const order = await orderOf(trade.tid);
    market.cancelOrder(trade.tid);
    await eventually(async () => ((await t.hub.store.orders.get(order.id))?.status === 'cancelled' ? true : undefined), 'the hub order cancelled');
  });
});

describe('when the input is bad', () => {
  it('answers a forged webhook 401 and keeps it quarantined', async () => {
    const trade = market.addOrder();
    const sent = await market.sendWebhook(t.url, 'market', 'trade.created', trade, { tamper: true });

    expect(sent.status).toBe(401);
    const kept = await rawOf((r) => r.format === 'shop-webhook' && r.body.toString('utf8').includes(trade.tid));
    expect(kept).toEqual([expect.objectContaining({ status: 'quarantined', reason: 'signature.invalid' })]);
  });

  it('quarantines an order without a product code, naming the field', async () => {
    const trade = market.addOrder({ lines: [['', '1', '100.00']] });
    const [raw] = await eventually(async () => {
      const found = await rawOf((r) => r.externalId === trade.tid && r.status === 'quarantined');
      return found.length ? found : undefined;
    }, 'the quarantined order');

    expect(raw!.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'lines[0].sku' })]));
    expect(await ordersOf(trade.tid)).toHaveLength(0);
  });

  it('quarantines an order in another currency as shop.currency_mismatch', async () => {
    const trade = market.addOrder({ currency: 'USD' });
    const [raw] = await eventually(async () => {
      const found = await rawOf((r) => r.externalId === trade.tid && r.status === 'quarantined');
      return found.length ? found : undefined;
    }, 'the quarantined order');

    expect(raw!.reason).toBe('shop.currency_mismatch');
    expect(await ordersOf(trade.tid)).toHaveLength(0);
  });

  it('takes in an order with an unknown SKU and the stock rule rejects it (rules.stock.unknownSku is an error by default)', async () => {
    const trade = market.addOrder({ lines: [['GASKET-X', '4', '12.00']] });
    const order = await orderOf(trade.tid);
    const checked = await eventually(async () => {
      const current = await t.hub.store.orders.get(order.id);
      return current?.checks ? current : undefined;
    }, 'the checks');

    expect(checked.status).toBe('rejected');
    expect(checked.checks!.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku' })]));
  });
});
