import { dec } from '../../core/order/money';
import { startWooCommerceSandbox, type WooCommerceSandbox, type WooOrderInput } from '../sandboxes/woocommerce.sandbox';
import { describeShopPlatform, pickedUp, until, type PlacedOrder, type ShopTestAdapter, fastPoll } from './shop-acceptance';

/**
 * A WooCommerce store through the whole hub (the shared shop acceptance), plus what only
 * WooCommerce webhooks do: the unsigned ping when a webhook is saved, and one delivery id for
 * every order in the same second. Cancellations come in by the poll.
 */

interface WooPlaced extends PlacedOrder {
  readonly json: Record<string, unknown>;
}

let store: WooCommerceSandbox;
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
const placed = (json: Record<string, unknown>): WooPlaced => ({ externalId: String(json.id), json });
const completePolls = () => store.requests.filter((r) => r.operation === 'orders.list' && r.status === 200).length;

const woocommerce: ShopTestAdapter<WooPlaced> = {
  platform: 'WooCommerce',
  connectorId: 'woo',
  async start() {
    store = await startWooCommerceSandbox({ skus: ['PUMP-200', 'VALVE-DN50'] });
  },
  stop: async () => store?.close(),
  hubConfig: () => ({
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
        poll: fastPoll(5_000),
        stockSync: { intervalMs: 200, skus: ['PUMP-200'] },
      },
    ],
    routes: [{ on: 'order.shipped', to: ['woo'] }],
    // Shop orders carry no requested delivery date; the other required fields they have.
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  }),
  referenceData: { onHand: { 'PUMP-200': '50', 'VALVE-DN50': '500' }, prices: { 'PUMP-200': '12500.00', 'VALVE-DN50': '380.50' } },
  placeOrder: () => placed(store.addOrder(clean())),
  placeOrderWithUnknownSku: () => placed(store.addOrder({ currency: 'CNY', lines: [{ sku: 'NOT-IN-HUB', quantity: 1, subtotal: '10.00' }] })),
  placeMalformedOrder() {
    const order = store.addOrder(clean());
    const json = store.updateOrder(String(order.id), { line_items: (order.line_items as object[]).map((line, i) => (i === 1 ? { ...line, subtotal: 'lots' } : line)) });
    return { placed: placed(json), field: 'line_items[1].subtotal' };
  },
  placeOrderInOtherCurrency: () => ({ placed: placed(store.addOrder(clean({ currency: 'USD' }))), connectorId: 'woo' }),
  changeOrder: (p) => void store.updateOrder(p.externalId, { customer_note: 'changed while the hub was down' }),
  cancelOrder: (p) => void store.cancelOrder(p.externalId),
  refuseNextPolls: (n) => store.failNext(n, 429),
  refusedPolls: () => store.requests.filter((r) => r.status === 429).length,
  async polls(n) {
    const target = completePolls() + n;
    await until(() => completePolls() >= target, `${n} more polls`);
  },
  expectTaken(order, p) {
    expect(order).toMatchObject({ orderNumber: p.json.number, totals: { net: '13641.50', tax: '1773.40', gross: '15414.90' } });
  },
  webhooks: {
    deliver: async (hubUrl, p) => [await store.sendWebhook(hubUrl, 'woo', 'order.created', p.json)],
    async send(hubUrl, p, options = {}) {
      return store.sendWebhook(hubUrl, 'woo', 'order.created', p.json, { ...(options.tamper ? { tamper: true } : {}), ...(options.replayOf ? { deliveryId: String(options.replayOf) } : {}) });
    },
    bodyMark: (p) => `"id":${p.externalId}`,
    async sendUnversioned(hubUrl) {
      const { date_modified_gmt: _dropped, ...order } = store.addOrder(clean());
      return { ...(await store.sendWebhook(hubUrl, 'woo', 'order.created', order)), bodyMark: `"id":${String(order.id)}`, field: 'date_modified_gmt' };
    },
  },
  stock: { sku: 'PUMP-200', pushed: () => store.stockLevels().get('PUMP-200')?.toString() },
  shipping: {
    ship: (t, order) => pickedUp(t, order, 'UPS', '1Z999AA10123456784'),
    // WooCommerce has no shipments: the hub adds a tracking note for the customer, then completes the order.
    done: (p) => store.order(p.externalId).status === 'completed',
    recorded: (p) => store.shipments().filter((n) => n.orderId === p.externalId),
    expected: () => [expect.objectContaining({ note: 'Shipped with UPS, tracking number 1Z999AA10123456784.', customerNote: true })],
    partnerRef: () => expect.any(String),
  },
};

const hub = describeShopPlatform(woocommerce);

describe('webhooks as WooCommerce sends them', () => {
  const raws = async () => (await hub.hub().hub.store.raw.list({ connectorId: 'woo', limit: 500 })).items;

  it('answers the ping sent when a webhook is saved with 200 and takes nothing', async () => {
    const before = (await raws()).length;
    const res = await store.sendPing(hub.hub().url, 'woo', 12);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: 0, duplicate: false });
    expect(await raws()).toHaveLength(before);
  });

  it('takes two orders one webhook delivered in the same second (one delivery id) both', async () => {
    const [a, b] = [store.addOrder(clean()), store.addOrder(clean())];
    for (const order of [a, b]) expect((await store.sendWebhook(hub.hub().url, 'woo', 'order.created', order, { deliveryId: 'same-second' })).status).toBe(200);
    for (const order of [a, b]) expect((await hub.rawOf(String(order.id))).map((m) => m.channel)).toEqual(['webhook']);
  });
});
