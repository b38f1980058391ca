import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ORDERS_CURSOR } from '../../connectors/shop/shop-poll';
import { OrderCommands } from '../../core/lifecycle/order-commands';
import { dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { startTaobaoSandbox, type TaobaoSandbox, type TradeSpec } from '../sandboxes/taobao.sandbox';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

/**
 * Taobao/Tmall through the whole hub: the TOP sandbox on loopback, the hub polling it every second
 * on real Redis and SQLite. Taobao pushes nothing over HTTP (its TMC is a long connection), so
 * "arriving twice" here means the same trade listed by overlapping polls, and again after a restart.
 */

const CREDENTIALS = { appKey: '12345678', appSecret: 'tb-secret-0123456789', session: '6100e2f3sessionkey' };

let redis: TestRedis;
let tb: TaobaoSandbox;
let usdShop: TaobaoSandbox;
let t: TestHub;
const oldDataDirs: string[] = [];

function hubConfig(storePath?: string) {
  const shop = (id: string, sandbox: TaobaoSandbox, extra: Record<string, unknown> = {}) => ({
    id,
    kind: 'taobao',
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
      shop('tmall', tb, {
        carriers: { sf: 'SF' },
        listings: { 'PUMP-200': { numIid: '612345678901', skuId: '4567890123456' } },
        stockSync: { intervalMs: 200, skus: ['PUMP-200'] },
      }),
      // A shop selling in dollars: Taobao trades are in yuan, so every one is a currency mismatch.
      shop('tmall-usd', usdShop, { currency: 'USD' }),
    ],
    routes: [{ on: 'order.shipped', to: ['tmall'] }],
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  } as never;
}

beforeAll(async () => {
  redis = await startTestRedis();
  tb = await startTaobaoSandbox(CREDENTIALS);
  usdShop = await startTaobaoSandbox(CREDENTIALS);
  tb.addItem('612345678901', ['4567890123456']);
  t = await startTestHub(redis.url, hubConfig());
  const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
  await put('/api/v1/inventory', { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '50' }, { sku: 'VALVE-DN50', location: 'main', onHand: '500' }] });
  await put('/api/v1/prices', { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '1200.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '23.11' }] });
});

afterAll(async () => {
  await t?.stop();
  for (const dir of oldDataDirs) rmSync(dir, { recursive: true, force: true });
  await tb?.close();
  await usdShop?.close();
  await redis?.stop();
});

let buyers = 0;
/** A trade the hub's checks pass; each from another buyer, since the same buyer ordering the same again is flagged as a duplicate. */
const clean = (extra: Partial<TradeSpec> = {}): TradeSpec => ({
  lines: [{ sku: 'PUMP-200', price: '1200.00', num: 2 }, { outerIid: 'VALVE-DN50', price: '23.11', num: 4 }],
  buyerNick: `tb_buyer_${++buyers}`,
  ...extra,
});

async function ordersOf(tid: string): Promise<CanonicalOrder[]> {
  const { items } = await t.hub.store.orders.list({ limit: 500 });
  return items.filter((o) => o.source.connectorId === 'tmall' && o.source.externalId === tid);
}

async function orderOf(tid: string, predicate: (o: CanonicalOrder) => boolean = () => true): Promise<CanonicalOrder> {
  return eventually(async () => (await ordersOf(tid)).find(predicate), `hub order of trade ${tid}`);
}

async function rawOf(connectorId: string, externalId: string): Promise<RawMessage[]> {
  const { items } = await t.hub.store.raw.list({ connectorId, limit: 500 });
  return items.filter((m) => m.externalId === externalId);
}

/** Resolves once the sandbox has answered `n` more increment listings than now: that many polls ran. */
async function polls(n: number): Promise<void> {
  const count = () => tb.calls.filter((c) => c.method === 'taobao.trades.sold.increment.get' && c.errorCode === undefined).length;
  const target = count() + n;
  await eventually(async () => (count() >= target ? true : undefined), `${n} more polls`);
}

describe('a paid trade', () => {
  it('listed by several overlapping polls becomes one confirmed order, stored once per version', async () => {
    const trade = tb.addTrade(clean());
    const order = await orderOf(trade.tid, (o) => o.status === 'confirmed');
    await polls(3);
    expect(tb.calls.filter((c) => c.method === 'taobao.trade.fullinfo.get' && c.params.tid === trade.tid).length).toBeGreaterThanOrEqual(2);
    expect(await ordersOf(trade.tid)).toHaveLength(1);
    expect(await rawOf('tmall', trade.tid)).toHaveLength(1);
    expect(order).toMatchObject({ orderNumber: trade.tid, currency: 'CNY', totals: { net: '2492.44' } });
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['PUMP-200', '2'],
      ['VALVE-DN50', '4'],
    ]);
  });

  it('pushes the stock left after the order reserved its units', async () => {
    await eventually(async () => (tb.stockLevels()['612345678901:4567890123456'] !== undefined && tb.stockLevels()['612345678901:4567890123456'] !== '50' ? true : undefined), 'stock push after the reservation');
    const { items } = await t.hub.store.orders.list({ limit: 500 });
    const reserved = items.filter((o) => o.status === 'confirmed').flatMap((o) => o.reservations.filter((r) => r.sku === 'PUMP-200'));
    const left = reserved.reduce((sum, r) => sum.minus(dec(r.quantity)), dec('50'));
    expect(tb.stockLevels()['612345678901:4567890123456']).toBe(left.toFixed(0));
  });

  it('shipped in the hub posts its tracking number back to Taobao exactly once', async () => {
    const trade = tb.addTrade(clean());
    const order = await orderOf(trade.tid, (o) => o.status === 'confirmed');
    const at = new Date().toISOString();
    await new OrderCommands(t.hub.store).applyPartnerEvent('carrier', { kind: 'tracking', eventId: `trk-${trade.tid}`, orderId: order.id, occurredAt: at, carrier: 'sf', trackingNumber: 'SF1000000001', status: 'picked_up' });
    await eventually(async () => (tb.shipments().some((s) => s.tid === trade.tid) ? true : undefined), 'the send-back');
    // The trade is now modified (shipped) on Taobao; the polls that list it again change nothing.
    await polls(2);
    expect(tb.shipments().filter((s) => s.tid === trade.tid)).toEqual([{ tid: trade.tid, outSid: 'SF1000000001', companyCode: 'SF' }]);
    expect(await ordersOf(trade.tid)).toHaveLength(1);
    expect(await rawOf('tmall', trade.tid)).toHaveLength(2);
    const shipped = await orderOf(trade.tid);
    expect(shipped.status).toBe('shipped');
    expect(shipped.partnerRefs).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'tmall', event: 'order.shipped', ref: 'SF:SF1000000001' })]));
  });

  it('closed on Taobao cancels the hub order', async () => {
    const trade = tb.addTrade(clean());
    await orderOf(trade.tid, (o) => o.status === 'confirmed');
    tb.cancelTrade(trade.tid);
    const cancelled = await orderOf(trade.tid, (o) => o.status === 'cancelled');
    expect(cancelled.history.at(-1)).toMatchObject({ to: 'cancelled', actor: 'connector:tmall' });
  });

  it('not yet paid is not taken in until it is paid', async () => {
    const trade = tb.addTrade(clean({ status: 'WAIT_BUYER_PAY' }));
    await polls(2);
    expect(await ordersOf(trade.tid)).toEqual([]);
    tb.payTrade(trade.tid);
    await orderOf(trade.tid, (o) => o.status === 'confirmed');
  });
});

describe('input the hub cannot take', () => {
  it('a trade whose item has no merchant code is kept quarantined, naming the field', async () => {
    const trade = tb.addTrade({ lines: [{ price: '10.00', num: 1 }] });
    const [raw] = await eventually(async () => {
      const found = await rawOf('tmall', trade.tid);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the quarantined trade');
    expect(raw!.details).toEqual([expect.objectContaining({ path: 'orders.order[0].outer_sku_id' })]);
    expect(await ordersOf(trade.tid)).toEqual([]);
  });

  it('a trade for a shop configured in another currency is quarantined as shop.currency_mismatch', async () => {
    const trade = usdShop.addTrade(clean());
    const [raw] = await eventually(async () => {
      const found = await rawOf('tmall-usd', trade.tid);
      return found[0]?.status === 'quarantined' ? found : undefined;
    }, 'the mismatched trade');
    expect(raw!.reason).toBe('shop.currency_mismatch');
  });

  it('a SKU the hub does not stock rejects the order with stock.unknown_sku (the default rule severity)', async () => {
    const trade = tb.addTrade({ lines: [{ sku: 'NOT-IN-HUB', price: '10.00', num: 1 }] });
    const order = await orderOf(trade.tid, (o) => o.status === 'rejected');
    expect(order.checks?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku' })]));
  });

  it('a POST to the hook URL is refused: Taobao is polled, not pushed', async () => {
    const res = await fetch(`${t.url}/api/v1/hooks/tmall`, { method: 'POST', body: '{"tid":1}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
  });
});

describe('when Taobao limits calls during a poll', () => {
  it('the poll stops without moving its cursor, and the next one takes the trade', async () => {
    tb.failNext(2, 'call-limited', 'taobao.trades.sold.increment.get');
    const before = await t.hub.store.cursors.get('tmall', ORDERS_CURSOR);
    const trade = tb.addTrade(clean());
    await eventually(async () => (tb.calls.filter((c) => c.errorCode === 7).length >= 1 ? true : undefined), 'a limited call');
    expect(await t.hub.store.cursors.get('tmall', ORDERS_CURSOR)).toBe(before);
    await orderOf(trade.tid, (o) => o.status === 'confirmed');
    expect(tb.calls.filter((c) => c.errorCode === 7)).toHaveLength(2);
    expect(await ordersOf(trade.tid)).toHaveLength(1);
  });
});

describe('when the hub is down while trades come in', () => {
  it('takes every trade exactly once after the restart, and an old trade listed again stays one order', async () => {
    const before = tb.addTrade(clean());
    await orderOf(before.tid, (o) => o.status === 'confirmed');
    const { dataDir, queuePrefix } = t;
    await t.hub.stop();
    oldDataDirs.push(dataDir);

    const missed = Array.from({ length: 6 }, () => tb.addTrade(clean()));
    tb.updateTrade(missed[0]!.tid, (trade) => {
      trade.fields.seller_memo = 'changed while the hub was down';
    });
    t = await startTestHub(redis.url, hubConfig(join(dataDir, 'hub.db')), { queuePrefix });

    for (const trade of missed) await orderOf(trade.tid, (o) => o.status === 'confirmed');
    await polls(2);
    for (const trade of [before, ...missed]) expect(await ordersOf(trade.tid)).toHaveLength(1);
  });
});
