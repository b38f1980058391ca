import type { CanonicalOrder } from '../../core/order/order.types';
import { startShopifySandbox, type ShopifyOrderInput, type ShopifySandbox } from '../sandboxes/shopify.sandbox';
import { describeShopPlatform, pickedUp, until, type PlacedOrder, type ShopTestAdapter, fastPoll } from './shop-acceptance';

/**
 * A Shopify store through the whole hub (the shared shop acceptance): the sandbox store on
 * loopback sends signed webhooks and answers the catch-up poll, which runs every second. Shopify
 * follows orders/create with orders/updated of the same version, and sends orders/cancelled.
 */

interface ShopifyPlaced extends PlacedOrder {
  readonly json: Record<string, unknown>;
}

let shop: ShopifySandbox;

const clean = (extra: Partial<ShopifyOrderInput> = {}): ShopifyOrderInput => ({
  lines: [
    { sku: 'PUMP-200', quantity: 1, price: '12500.00', taxRate: 0.13 },
    { sku: 'VALVE-DN50', quantity: 4, price: '380.50', taxRate: 0.13 },
  ],
  shipping: { title: 'Freight', price: '200.00' },
  ...extra,
});
const placed = (json: Record<string, unknown>): ShopifyPlaced => ({ externalId: String(json.id), json });
/** First pages of order listings answered 200: one per complete poll. */
const completePolls = () => shop.requests.filter((r) => r.operation === 'orders.list' && r.status === 200 && !r.query.page_info).length;

const shopify: ShopTestAdapter<ShopifyPlaced> = {
  platform: 'Shopify',
  connectorId: 'shopify',
  async start() {
    shop = await startShopifySandbox({ skus: ['PUMP-200', 'VALVE-DN50'] });
  },
  stop: async () => shop?.close(),
  hubConfig: () => ({
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
        poll: fastPoll(5_000),
        stockSync: { intervalMs: 200, skus: ['PUMP-200'] },
        // Shop orders carry no requested delivery date; the hub's own rules keep asking project orders for one.
        rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'paymentTerms'] } },
      },
    ],
    routes: [{ on: 'order.shipped', to: ['shopify'] }],
    pipeline: { deliveryAttempts: 3, backoffMs: 50, maxBackoffMs: 200, outboxPollMs: 50 },
  }),
  referenceData: { onHand: { 'PUMP-200': '50', 'VALVE-DN50': '500' }, prices: { 'PUMP-200': '12500.00', 'VALVE-DN50': '380.50' } },
  placeOrder: () => placed(shop.addOrder(clean())),
  placeOrderWithUnknownSku: () => placed(shop.addOrder({ lines: [{ sku: 'NOT-IN-HUB', quantity: 1, price: '10.00' }] })),
  placeMalformedOrder() {
    const order = shop.addOrder(clean());
    const json = shop.updateOrder(String(order.id), { line_items: (order.line_items as object[]).map((line, i) => (i === 1 ? { ...line, price: 'three eighty' } : line)) });
    return { placed: placed(json), field: 'line_items[1].price' };
  },
  placeOrderInOtherCurrency: () => ({ placed: placed(shop.addOrder(clean({ currency: 'USD' }))), connectorId: 'shopify' }),
  changeOrder: (p) => void shop.updateOrder(p.externalId, { note: 'changed while the hub was down' }),
  cancelOrder: (p) => void shop.cancelOrder(p.externalId),
  refuseNextPolls: (n) => shop.failNext(n, 429),
  refusedPolls: () => shop.requests.filter((r) => r.status === 429).length,
  async polls(n) {
    const target = completePolls() + n;
    await until(() => completePolls() >= target, `${n} more polls`);
  },
  expectTaken(order: CanonicalOrder, p) {
    expect(order).toMatchObject({ orderNumber: p.json.name, totals: { net: '14022.00', tax: '1822.86', gross: '15844.86' } });
  },
  webhooks: {
    async deliver(hubUrl, p) {
      const created = await shop.sendWebhook(hubUrl, 'shopify', 'orders/create', p.json);
      return [created, await shop.sendWebhook(hubUrl, 'shopify', 'orders/updated', p.json)];
    },
    async send(hubUrl, p, options = {}) {
      const sent = await shop.sendWebhook(hubUrl, 'shopify', 'orders/create', p.json, { ...(options.tamper ? { tamper: true } : {}), ...(options.replayOf ? { webhookId: String(options.replayOf) } : {}) });
      return { ...sent, deliveryId: sent.webhookId };
    },
    bodyMark: (p) => `"id":${p.externalId}`,
    deliverCancelled: (hubUrl, p) => shop.sendWebhook(hubUrl, 'shopify', 'orders/cancelled', shop.order(p.externalId)),
    async sendUnversioned(hubUrl) {
      const { updated_at: _dropped, ...order } = shop.addOrder(clean());
      return { ...(await shop.sendWebhook(hubUrl, 'shopify', 'orders/create', order)), bodyMark: `"id":${String(order.id)}`, field: 'updated_at' };
    },
  },
  stock: { sku: 'PUMP-200', pushed: () => shop.stockLevels().get('PUMP-200')?.toString() },
  shipping: {
    ship: (t, order) => pickedUp(t, order, 'shunfeng', 'SF1400000000042'),
    done: (p) => shop.shipments().some((s) => s.orderId === p.externalId),
    recorded: (p) => shop.shipments().filter((s) => s.orderId === p.externalId),
    expected: () => [expect.objectContaining({ trackingNumber: 'SF1400000000042', company: 'SF Express' })],
    partnerRef: (p) => String(shop.shipments().find((s) => s.orderId === p.externalId)!.fulfillmentId),
  },
};

describeShopPlatform(shopify);
