import { startJdSandbox, type JdOrderSpec, type JdSandbox, type SandboxJdOrder } from '../sandboxes/jd.sandbox';
import { describeShopPlatform, pickedUp, until, type ShopTestAdapter, fastPoll } from './shop-acceptance';

/**
 * JD (京东) POP through the whole hub (the shared shop acceptance) against the JOS sandbox. JOS
 * pushes nothing over HTTP, so "arriving twice" here means the same order listed by overlapping
 * polls, and again after a restart.
 */

const CREDENTIALS = { appKey: 'A1B2C3D4E5', appSecret: 'jd-secret-0123456789', accessToken: 'jd-token-abc' };
const JD_PUMP_SKU = '100012345678';
const SEARCH = 'jingdong.pop.order.search';

let jd: JdSandbox;
let usdShop: JdSandbox;
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
const placed = (order: SandboxJdOrder) => ({ externalId: order.orderId });
/** Order searches answered: one per poll. */
const completePolls = () => jd.calls.filter((c) => c.method === SEARCH && c.errorCode === undefined).length;

const shopConfig = (id: string, sandbox: JdSandbox, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'jd',
  currency: 'CNY',
  baseUrl: sandbox.url,
  ...CREDENTIALS,
  timeoutMs: 2_000,
  poll: fastPoll(10_000),
  ...extra,
});

const jdPop: ShopTestAdapter = {
  platform: 'JD',
  connectorId: 'jd-shop',
  async start() {
    jd = await startJdSandbox(CREDENTIALS);
    usdShop = await startJdSandbox(CREDENTIALS);
    jd.addSku(JD_PUMP_SKU);
  },
  async stop() {
    await jd?.close();
    await usdShop?.close();
  },
  hubConfig: () => ({
    connectors: [
      shopConfig('jd-shop', jd, { carriers: { sf: '467' }, skus: { 'PUMP-200': JD_PUMP_SKU }, stockSync: { intervalMs: 200, skus: ['PUMP-200'] } }),
      // A shop selling in dollars: JD POP orders are in yuan, so every one is a currency mismatch.
      shopConfig('jd-usd', usdShop, { currency: 'USD' }),
    ],
    routes: [{ on: 'order.shipped', to: ['jd-shop'] }],
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  }),
  referenceData: { onHand: { 'PUMP-200': '50', 'VALVE-DN50': '500' }, prices: { 'PUMP-200': '1200.00', 'VALVE-DN50': '23.11' } },
  placeOrder: () => placed(jd.addOrder(clean())),
  placeOrderWithUnknownSku: () => placed(jd.addOrder({ items: [{ outerSkuId: 'NOT-IN-HUB', price: '10.00', quantity: 1 }] })),
  // A quantity of 0: JD should never send it.
  placeMalformedOrder: () => ({ placed: placed(jd.addOrder({ items: [{ outerSkuId: 'PUMP-200', price: '1200.00', quantity: 0 }] })), field: 'itemInfoList[0].itemTotal' }),
  placeOrderInOtherCurrency: () => ({ placed: placed(usdShop.addOrder(clean())), connectorId: 'jd-usd' }),
  changeOrder: (p) =>
    jd.updateOrder(p.externalId, (fields) => {
      fields.venderRemark = 'changed while the hub was down';
    }),
  cancelOrder: (p) => jd.cancelOrder(p.externalId),
  refuseNextPolls: (n) => jd.failNext(n, 'call-limited', SEARCH),
  refusedPolls: () => jd.calls.filter((c) => c.errorCode === '2').length,
  async polls(n) {
    const target = completePolls() + n;
    await until(() => completePolls() >= target, `${n} more polls`);
  },
  expectOverlap: (p) => expect(jd.timesListed(p.externalId)).toBeGreaterThanOrEqual(2),
  expectTaken: (order, p) => expect(order).toMatchObject({ orderNumber: p.externalId, currency: 'CNY', totals: { net: '2492.44' } }),
  stock: { sku: 'PUMP-200', pushed: () => jd.stockLevels()[JD_PUMP_SKU] },
  shipping: {
    ship: (t, order) => pickedUp(t, order, 'sf', 'SF2000000001'),
    done: (p) => jd.shipments().some((s) => s.orderId === p.externalId),
    recorded: (p) => jd.shipments().filter((s) => s.orderId === p.externalId),
    expected: (p) => [{ orderId: p.externalId, logiCoprId: '467', logiNo: 'SF2000000001' }],
    partnerRef: () => '467:SF2000000001',
  },
};

describeShopPlatform(jdPop);
