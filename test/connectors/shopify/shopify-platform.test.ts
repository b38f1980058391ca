import pino from 'pino';
import { shopifyConfig } from '../../../connectors/shopify/shopify.config';
import { createShopifyPlatform } from '../../../connectors/shopify/shopify.platform';
import type { ShopPlatform, ShopShipment } from '../../../connectors/shop/shop-platform';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { ValidationError } from '../../../core/errors/validation.error';
import { makeOrder } from '../../support/order-factory';
import { noAbort } from '../../support/delivery-request';
import { startShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify.sandbox';

/** The Shopify platform against the sandbox store: which requests it makes and what it does with the answers. */

let shop: ShopifySandbox;

beforeEach(async () => {
  shop = await startShopifySandbox({ skus: ['PUMP-200', 'VALVE-DN50'] });
});

afterEach(async () => {
  await shop.close();
});

function platform(overrides: Record<string, unknown> = {}): ShopPlatform {
  const config = shopifyConfig.parse({
    id: 'shopify',
    kind: 'shopify',
    currency: 'CNY',
    shopUrl: shop.url,
    accessToken: shop.token,
    clientSecret: shop.clientSecret,
    locationId: shop.locationId,
    carrierNames: { shunfeng: 'SF Express' },
    timeoutMs: 1_000,
    ...overrides,
  });
  return createShopifyPlatform(config, pino({ level: 'silent' }));
}

const wholeWindow = () => ({ since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 60_000).toISOString() });

function shipment(platformOrderId: string, trackingNumber = 'SF1400000000001'): ShopShipment {
  const order = makeOrder({ status: 'shipped' });
  return { order, platformOrderId, carrier: 'shunfeng', trackingNumber, idempotencyKey: `${order.id}:order.shipped:shopify` };
}

async function allPages(p: ShopPlatform, window: { since: string; until: string }) {
  const seen: string[] = [];
  let page: string | undefined;
  let pages = 0;
  do {
    const result = await p.fetchChanged({ ...window, ...(page ? { page } : {}) }, noAbort());
    seen.push(...result.orders.map((o) => o.platformOrderId));
    page = result.nextPage;
    pages += 1;
  } while (page);
  return { seen, pages };
}

describe('reading changed orders', () => {
  it('asks for every status in the window, oldest change first, 250 a page, with the access token', async () => {
    shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 1, price: '12500.00' }] });
    const window = wholeWindow();
    const { orders } = await platform().fetchChanged(window, noAbort());
    expect(orders).toHaveLength(1);
    const [request] = shop.requests;
    expect(request!.path).toBe('/admin/api/2026-10/orders.json');
    expect(request!.query).toEqual({ status: 'any', updated_at_min: window.since, updated_at_max: window.until, limit: '250', order: 'updated_at asc' });
    expect(request!.headers['x-shopify-access-token']).toBe(shop.token);
  });

  it('follows the Link header with page_info alone over 600 orders, each seen once', async () => {
    const ids = Array.from({ length: 600 }, () => String(shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 1, price: '1.00' }] }).id));
    const { seen, pages } = await allPages(platform(), wholeWindow());
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(ids.sort());
    // The sandbox answers 400 as Shopify does if a filter were repeated beside page_info.
    expect(shop.requests.slice(1).map((r) => Object.keys(r.query).sort())).toEqual([['limit', 'page_info'], ['limit', 'page_info']]);
  });

  it('stores each version under Shopify\'s updated_at in UTC, the body being the order itself', async () => {
    const created = shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 1, price: '1.00' }] });
    const [snapshot] = (await platform().fetchChanged(wholeWindow(), noAbort())).orders;
    expect(snapshot!.updatedAt).toBe(new Date(created.updated_at as string).toISOString());
    expect(snapshot!.updatedAt.endsWith('Z')).toBe(true);
    expect(JSON.parse(snapshot!.body.toString())).toEqual(created);
  });

  it('keeps an order it cannot identify under a content key instead of stopping the poll', async () => {
    shop.addRawOrder({ id: 'not-a-number', updated_at: '2026-01-01T00:00:00+08:00' });
    shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 1, price: '1.00' }] });
    const p = platform();
    const window = { since: '2025-12-31T00:00:00.000Z', until: new Date(Date.now() + 60_000).toISOString() };
    const { orders } = await p.fetchChanged(window, noAbort());
    expect(orders).toHaveLength(2);
    expect(orders[0]!.platformOrderId).toMatch(/^unreadable-[0-9a-f]{32}$/);
    expect(() => p.mapOrder(JSON.parse(orders[0]!.body.toString()))).toThrow(ValidationError);
  });

  it('turns Shopify\'s 429 into a retryable error carrying its decimal Retry-After', async () => {
    shop.failNext(1, 429);
    const err = await platform().fetchChanged(wholeWindow(), noAbort()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientPartnerError);
    expect((err as TransientPartnerError).retryAfterMs).toBe(2_000);
  });

  it('refuses for good when the access token is wrong', async () => {
    const err = await platform({ accessToken: 'shpat_wrong' }).fetchChanged(wholeWindow(), noAbort()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentPartnerError);
    expect((err as PermanentPartnerError).response.body).toContain('Invalid API key or access token');
  });
});

describe('a Dev Dashboard app (client credentials)', () => {
  it('obtains one token and uses it for every call until it expires', async () => {
    const p = platform({ accessToken: undefined, clientId: shop.clientId });
    shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 1, price: '1.00' }] });
    await p.fetchChanged(wholeWindow(), noAbort());
    await p.fetchChanged(wholeWindow(), noAbort());
    expect(shop.count('oauth.token')).toBe(1);
    expect(new URLSearchParams(shop.requests[0]!.body).get('grant_type')).toBe('client_credentials');
    expect(shop.requests.filter((r) => r.operation === 'orders.list').map((r) => r.status)).toEqual([200, 200]);
  });

  it('gets a new token once when Shopify refuses a granted one before it expires', async () => {
    const p = platform({ accessToken: undefined, clientId: shop.clientId });
    await p.fetchChanged(wholeWindow(), noAbort());
    shop.revokeGrantedTokens();
    await p.fetchChanged(wholeWindow(), noAbort());
    expect(shop.count('oauth.token')).toBe(2);
    expect(shop.requests.filter((r) => r.operation === 'orders.list').map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('is refused for good with a wrong client secret', async () => {
    const err = await platform({ accessToken: undefined, clientId: 'someone-else' }).fetchChanged(wholeWindow(), noAbort()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentPartnerError);
  });

  it('is configured with exactly one of accessToken and clientId', () => {
    const base = { id: 's', kind: 'shopify', currency: 'CNY', shopUrl: shop.url, clientSecret: 'x' };
    expect(shopifyConfig.safeParse(base).success).toBe(false);
    expect(shopifyConfig.safeParse({ ...base, accessToken: 'a', clientId: 'b' }).success).toBe(false);
    expect(shopifyConfig.safeParse({ ...base, clientId: 'b' }).success).toBe(true);
  });
});

describe('posting the shipment back', () => {
  it('fulfils the open fulfillment orders with tracking number and Shopify\'s carrier name', async () => {
    const order = shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 2, price: '10.00' }] });
    const outcome = await platform().ship(shipment(String(order.id)), noAbort());
    expect(shop.shipments()).toEqual([{ orderId: String(order.id), fulfillmentId: expect.any(Number), trackingNumber: 'SF1400000000001', company: 'SF Express', notifyCustomer: false }]);
    expect(outcome.partnerRef).toBe(String(shop.shipments()[0]!.fulfillmentId));
    const post = shop.requests.find((r) => r.operation === 'fulfillments.create')!;
    expect(JSON.parse(post.body).fulfillment.line_items_by_fulfillment_order).toEqual([{ fulfillment_order_id: Number(order.id) + 1 }]);
  });

  it('creates no second fulfillment when asked again, also after an answer was lost', async () => {
    const order = shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 2, price: '10.00' }] });
    shop.fault('fulfillments.create', { commitThenTimeout: true });
    const lost = await platform().ship(shipment(String(order.id)), noAbort()).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(TransientPartnerError);
    const retried = await platform().ship(shipment(String(order.id)), noAbort());
    const again = await platform().ship(shipment(String(order.id)), noAbort());
    expect(shop.shipments()).toHaveLength(1);
    expect(retried.responseBody).toContain('nothing left to fulfil');
    expect(again.responseBody).toContain('nothing left to fulfil');
  });

  it('dead-letters an order whose fulfillment is on hold in Shopify, saying what to do', async () => {
    const order = shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 2, price: '10.00' }] });
    shop.fault('fulfillment_orders.list', { status: 200, body: { fulfillment_orders: [{ id: 1, status: 'on_hold', line_items: [{ fulfillable_quantity: 2 }] }] } });
    const err = await platform().ship(shipment(String(order.id)), noAbort()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentPartnerError);
    expect((err as Error).message).toContain('release them in Shopify');
    expect(shop.shipments()).toHaveLength(0);
  });
});

describe('pushing stock', () => {
  it('sets available at the configured location for SKUs Shopify sells and reports the others', async () => {
    const result = await platform().pushStock!([{ sku: 'PUMP-200', available: '7' }, { sku: 'VALVE-DN50', available: '0' }, { sku: 'NOT-SOLD', available: '3' }], noAbort());
    expect(result).toEqual({ updated: 2, unknownSkus: ['NOT-SOLD'] });
    expect([...shop.stockLevels()]).toEqual([['PUMP-200', 7], ['VALVE-DN50', 0]]);
    expect(shop.count('products.list')).toBe(1);
  });

  it('has no stock push without a location', () => {
    expect(platform({ locationId: undefined }).pushStock).toBeUndefined();
  });
});

describe('reading a webhook', () => {
  const request = (headers: Record<string, string>, body: unknown) => ({ headers, rawBody: Buffer.from(JSON.stringify(body)), query: {}, receivedAt: Date.now() });

  it('reads the order of an order topic, keyed by X-Shopify-Webhook-Id, keeping the bytes as sent', async () => {
    const order = shop.addOrder({ lines: [{ sku: 'PUMP-200', quantity: 1, price: '1.00' }] });
    const req = request({ 'x-shopify-topic': 'orders/updated', 'x-shopify-webhook-id': 'wh-1' }, order);
    const delivery = await platform().webhooks!.read(req);
    expect(delivery).toEqual({ eventId: 'wh-1', topic: 'orders/updated', orders: [{ platformOrderId: String(order.id), updatedAt: new Date(order.updated_at as string).toISOString(), body: req.rawBody }] });
  });

  it('takes nothing from other topics, and refuses a delivery without its id', async () => {
    const p = platform();
    expect((await p.webhooks!.read(request({ 'x-shopify-topic': 'app/uninstalled', 'x-shopify-webhook-id': 'wh-2' }, { id: 1 }))).orders).toEqual([]);
    await expect(async () => p.webhooks!.read(request({ 'x-shopify-topic': 'orders/create' }, { id: 1 }))).rejects.toThrow(ValidationError);
  });
});
