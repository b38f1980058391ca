import { marketConnectorInput } from '../connectors/rest-poller/market-config';
import { startCarrierRestSandbox, type CarrierRestSandbox } from '../sandboxes/carrier-rest.sandbox';
import { startMarketSandbox, type MarketOrder, type MarketSandbox } from '../sandboxes/rest-poller.sandbox';
import { eventually } from '../support/hub-harness';
import { describeShopPlatform, until, type PlacedOrder, type ShopTestAdapter, fastPoll } from './shop-acceptance';

/**
 * A platform added by YAML alone (the generic REST poller) through the whole hub (the shared shop
 * acceptance), against the Market sandbox speaking OAuth2 client credentials and cursor paging.
 * Shipping goes the whole way: a carrier connector books the waybill on confirmation, and the
 * carrier's tracking webhook (sent twice) makes the hub post the tracking number back.
 */

const CARRIER_KEY = 'carrier-key';
const CARRIER_SECRET = `whsec_${Buffer.from('carrier-webhook-secret-32-bytes!').toString('base64')}`;

let market: MarketSandbox;
let carrier: CarrierRestSandbox;
/** Tracking number the carrier gave each trade shipped, by tid. */
const trackingNumbers = new Map<string, string>();

const placed = (order: MarketOrder): PlacedOrder => ({ externalId: order.tid });
const changedAt = (order: MarketOrder) => Date.parse(`${order.update_time.replace(' ', 'T')}+08:00`);

const restMarket: ShopTestAdapter = {
  platform: 'the REST-polled Market',
  connectorId: 'market',
  async start() {
    market = await startMarketSandbox({ auth: 'oauth2', paging: 'cursor' });
    carrier = await startCarrierRestSandbox({ apiKey: CARRIER_KEY, webhookSecret: CARRIER_SECRET });
  },
  stop: async () => void (await Promise.all([market?.close(), carrier?.close()])),
  hubConfig: () => ({
    connectors: [
      marketConnectorInput(market, {
        // Every second, reading 3 s back: short enough for a test, the same machinery as */5 minutes.
        poll: fastPoll(3_000, { maxRunMs: 10_000 }),
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
  }),
  referenceData: { onHand: { 'PUMP-200': '1000', 'VALVE-DN50': '100000' }, prices: { 'PUMP-200': '12500.00', 'VALVE-DN50': '380.50' } },
  placeOrder: () => placed(market.addOrder()),
  placeOrderWithUnknownSku: () => placed(market.addOrder({ lines: [['GASKET-X', '4', '12.00']] })),
  placeMalformedOrder: () => ({ placed: placed(market.addOrder({ lines: [['', '1', '100.00']] })), field: 'lines[0].sku' }),
  placeOrderInOtherCurrency: () => ({ placed: placed(market.addOrder({ currency: 'USD' })), connectorId: 'market' }),
  changeOrder: (p) =>
    void market.updateOrder(p.externalId, (order) => {
      order.buyer_message = 'changed while the hub was down';
    }),
  cancelOrder: (p) => void market.cancelOrder(p.externalId),
  refuseNextPolls: (n) => market.failNext(n, 429),
  refusedPolls: () => market.requests.filter((r) => r.path === '/api/v2/orders' && r.status === 429).length,
  /** Listings are read by `update_time` to the second: a poll sees a change only once it starts a second after it. */
  async polls(n, p) {
    const from = Math.max(Date.now(), p ? changedAt(market.order(p.externalId)) + 1000 : 0);
    const firstPagesAfter = () => market.listings().filter((r) => !r.query.cursor && Date.parse(r.receivedAt) > from).length;
    await until(() => firstPagesAfter() >= n, `${n} polls after the change`);
  },
  expectTaken(order, p) {
    const trade = market.order(p.externalId);
    // Above 2^53: read from the JSON text, not through a double.
    expect(order.customer.id).toBe('9007199254740993');
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual(trade.items.map((i) => [i.outer_sku_id, i.num.literal, i.price.literal]));
  },
  webhooks: {
    deliver: async (hubUrl, p) => [await market.sendWebhook(hubUrl, 'market', 'trade.created', market.order(p.externalId))],
    send: (hubUrl, p, options = {}) => market.sendWebhook(hubUrl, 'market', 'trade.created', market.order(p.externalId), { ...(options.tamper ? { tamper: true } : {}), ...(options.replayOf ? { deliveryId: String(options.replayOf) } : {}) }),
    bodyMark: (p) => p.externalId,
  },
  shipping: {
    async ship(t, order, p) {
      const trackingNumber = await eventually(async () => carrier.waybills.get(`${order.id}:order.confirmed:carrier`), 'the waybill');
      trackingNumbers.set(p.externalId, trackingNumber);
      const occurredAt = new Date().toISOString();
      const tracked = await carrier.sendTrackingEvents(`${t.url}/api/v1/hooks/carrier`, [{ orderId: order.id, trackingNumber, status: 'picked_up', occurredAt }], { duplicate: true });
      expect(tracked.map((r) => r.status)).toEqual([200, 200]);
    },
    done: (p) => market.shipments().some((s) => s.tid === p.externalId),
    recorded: (p) => ({
      shipments: market.shipments().filter((s) => s.tid === p.externalId),
      posts: market.requests.filter((r) => r.path === '/api/v2/shipments' && r.reference === p.externalId).length,
    }),
    expected: (p, order) => ({
      shipments: [{ tid: p.externalId, expressCompany: 'acme-freight', expressNo: trackingNumbers.get(p.externalId), idempotencyKey: `${order.id}:order.shipped:market` }],
      posts: 1,
    }),
  },
};

describeShopPlatform(restMarket);
