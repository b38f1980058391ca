import { startTaobaoSandbox, type SandboxTrade, type TaobaoSandbox, type TradeSpec } from '../sandboxes/taobao.sandbox';
import { describeShopPlatform, pickedUp, until, type PlacedOrder, type ShopTestAdapter, fastPoll } from './shop-acceptance';

/**
 * Taobao/Tmall through the whole hub (the shared shop acceptance) against the TOP sandbox. Taobao
 * pushes nothing over HTTP (its TMC is a long connection), so "arriving twice" here means the same
 * trade listed by overlapping polls, and again after a restart. Only paid trades are taken in.
 */

const CREDENTIALS = { appKey: '12345678', appSecret: 'tb-secret-0123456789', session: '6100e2f3sessionkey' };
const LISTING = '612345678901:4567890123456';
const INCREMENT = 'taobao.trades.sold.increment.get';

let tb: TaobaoSandbox;
let usdShop: TaobaoSandbox;
let buyers = 0;

/** A trade the hub's checks pass; each from another buyer, since the same buyer ordering the same again is flagged as a duplicate. */
const clean = (extra: Partial<TradeSpec> = {}): TradeSpec => ({
  lines: [{ sku: 'PUMP-200', price: '1200.00', num: 2 }, { outerIid: 'VALVE-DN50', price: '23.11', num: 4 }],
  buyerNick: `tb_buyer_${++buyers}`,
  ...extra,
});
const placed = (trade: SandboxTrade) => ({ externalId: trade.tid });
/** Increment listings answered: one per poll. */
const completePolls = () => tb.calls.filter((c) => c.method === INCREMENT && c.errorCode === undefined).length;

const shopConfig = (id: string, sandbox: TaobaoSandbox, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'taobao',
  currency: 'CNY',
  baseUrl: sandbox.url,
  ...CREDENTIALS,
  timeoutMs: 2_000,
  poll: fastPoll(10_000),
  ...extra,
});

const taobao: ShopTestAdapter = {
  platform: 'Taobao',
  connectorId: 'tmall',
  async start() {
    tb = await startTaobaoSandbox(CREDENTIALS);
    usdShop = await startTaobaoSandbox(CREDENTIALS);
    tb.addItem('612345678901', ['4567890123456']);
  },
  async stop() {
    await tb?.close();
    await usdShop?.close();
  },
  hubConfig: () => ({
    connectors: [
      shopConfig('tmall', tb, {
        carriers: { sf: 'SF' },
        listings: { 'PUMP-200': { numIid: '612345678901', skuId: '4567890123456' } },
        stockSync: { intervalMs: 200, skus: ['PUMP-200'] },
      }),
      // A shop selling in dollars: Taobao trades are in yuan, so every one is a currency mismatch.
      shopConfig('tmall-usd', usdShop, { currency: 'USD' }),
    ],
    routes: [{ on: 'order.shipped', to: ['tmall'] }],
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  }),
  referenceData: { onHand: { 'PUMP-200': '50', 'VALVE-DN50': '500' }, prices: { 'PUMP-200': '1200.00', 'VALVE-DN50': '23.11' } },
  placeOrder: () => placed(tb.addTrade(clean())),
  placeOrderWithUnknownSku: () => placed(tb.addTrade({ lines: [{ sku: 'NOT-IN-HUB', price: '10.00', num: 1 }] })),
  // An item without a merchant code (outer_sku_id / outer_iid) cannot be matched to a hub SKU.
  placeMalformedOrder: () => ({ placed: placed(tb.addTrade({ lines: [{ price: '10.00', num: 1 }] })), field: 'orders.order[0].outer_sku_id' }),
  placeOrderInOtherCurrency: () => ({ placed: placed(usdShop.addTrade(clean())), connectorId: 'tmall-usd' }),
  changeOrder: (p) =>
    tb.updateTrade(p.externalId, (trade) => {
      trade.fields.seller_memo = 'changed while the hub was down';
    }),
  cancelOrder: (p) => tb.cancelTrade(p.externalId),
  refuseNextPolls: (n) => tb.failNext(n, 'call-limited', INCREMENT),
  // Error 7: "App Call Limited".
  refusedPolls: () => tb.calls.filter((c) => c.errorCode === 7).length,
  async polls(n) {
    const target = completePolls() + n;
    await until(() => completePolls() >= target, `${n} more polls`);
  },
  expectOverlap(p) {
    expect(tb.calls.filter((c) => c.method === 'taobao.trade.fullinfo.get' && c.params.tid === p.externalId).length).toBeGreaterThanOrEqual(2);
  },
  expectTaken(order, p) {
    expect(order).toMatchObject({ orderNumber: p.externalId, currency: 'CNY', totals: { net: '2492.44' } });
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['PUMP-200', '2'],
      ['VALVE-DN50', '4'],
    ]);
  },
  stock: { sku: 'PUMP-200', pushed: () => tb.stockLevels()[LISTING] },
  shipping: {
    ship: (t, order) => pickedUp(t, order, 'sf', 'SF1000000001'),
    done: (p) => tb.shipments().some((s) => s.tid === p.externalId),
    recorded: (p) => tb.shipments().filter((s) => s.tid === p.externalId),
    expected: (p) => [{ tid: p.externalId, outSid: 'SF1000000001', companyCode: 'SF' }],
    partnerRef: () => 'SF:SF1000000001',
  },
};

const hub = describeShopPlatform(taobao);

describe('a trade not yet paid', () => {
  it('is not taken in until it is paid', async () => {
    const trade = tb.addTrade(clean({ status: 'WAIT_BUYER_PAY' }));
    await taobao.polls(2);
    expect(await hub.ordersOf(trade.tid)).toEqual([]);
    tb.payTrade(trade.tid);
    await hub.orderOf(trade.tid, (o) => o.status === 'confirmed');
  });
});
