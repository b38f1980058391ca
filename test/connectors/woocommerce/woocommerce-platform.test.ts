import pino from 'pino';
import { wooCommerceConfig } from '../../../connectors/woocommerce/woocommerce.config';
import { createWooCommercePlatform } from '../../../connectors/woocommerce/woocommerce.platform';
import { signWooWebhook } from '../../../connectors/woocommerce/woocommerce.signature';
import type { ShopPlatform, ShopShipment } from '../../../connectors/shop/shop-platform';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { SignatureError } from '../../../core/errors/signature.error';
import { noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';
import { startWooCommerceSandbox, type WooCommerceSandbox } from '../../sandboxes/woocommerce.sandbox';

/** The WooCommerce platform against the sandbox store. */

let store: WooCommerceSandbox;

beforeEach(async () => {
  store = await startWooCommerceSandbox({ skus: ['PUMP-200'], variationSkus: ['VALVE-DN50'] });
});

afterEach(async () => {
  await store.close();
});

function platform(overrides: Record<string, unknown> = {}): ShopPlatform {
  const config = wooCommerceConfig.parse({
    id: 'woo',
    kind: 'woocommerce',
    currency: 'USD',
    storeUrl: store.url,
    consumerKey: store.consumerKey,
    consumerSecret: store.consumerSecret,
    webhookSecret: store.webhookSecret,
    timeoutMs: 1_000,
    ...overrides,
  });
  return createWooCommercePlatform(config, pino({ level: 'silent' }));
}

const wholeWindow = () => ({ since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 60_000).toISOString() });
const line = { sku: 'PUMP-200', quantity: 1, subtotal: '10.00' };

async function allPages(p: ShopPlatform, window: { since: string; until: string }, between?: (page: number) => void) {
  const seen = new Set<string>();
  let page: string | undefined;
  let pages = 0;
  do {
    const result = await p.fetchChanged({ ...window, ...(page ? { page } : {}) }, noAbort());
    for (const o of result.orders) seen.add(o.platformOrderId);
    page = result.nextPage;
    pages += 1;
    between?.(pages);
  } while (page);
  return { seen, pages };
}

function shipment(platformOrderId: string, trackingNumber = '1Z999AA10123456784'): ShopShipment {
  const order = makeOrder({ status: 'shipped' });
  return { order, platformOrderId, carrier: 'UPS', trackingNumber, idempotencyKey: `${order.id}:order.shipped:woo` };
}

describe('reading changed orders', () => {
  it('asks by GMT modified time, oldest first, 100 a page, with Basic auth', async () => {
    store.addOrder({ lines: [line] });
    const window = { since: '2026-03-22T16:28:08.250Z', until: '2026-03-22T17:00:00.900Z' };
    await platform().fetchChanged(window, noAbort());
    const [request] = store.requests;
    expect(request!.path).toBe('/wp-json/wc/v3/orders');
    // modified_after is exclusive and to the second: one second earlier keeps an order of 16:28:08 in.
    expect(request!.query).toEqual({ modified_after: '2026-03-22T16:28:07', modified_before: '2026-03-22T17:00:00', dates_are_gmt: 'true', orderby: 'modified', order: 'asc', per_page: '100', page: '1' });
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${store.consumerKey}:${store.consumerSecret}`).toString('base64')}`);
  });

  it('can send the keys as query parameters instead', async () => {
    await platform({ keysInQuery: true }).fetchChanged(wholeWindow(), noAbort());
    expect(store.requests[0]!.query).toMatchObject({ consumer_key: store.consumerKey, consumer_secret: store.consumerSecret });
    expect(store.requests[0]!.headers.authorization).toBeUndefined();
    expect(store.requests[0]!.status).toBe(200);
  });

  it('reads 250 orders over three pages, each once', async () => {
    const ids = Array.from({ length: 250 }, () => String(store.addOrder({ lines: [line] }).id));
    const { seen } = await allPages(platform(), wholeWindow());
    expect([...seen].sort()).toEqual(ids.sort());
  });

  it('misses no order when orders change while it pages (WooCommerce pages by offset)', async () => {
    // Spread 250 orders over 250 seconds of the past, as a busy shop's would be.
    const start = Date.now() - 600_000;
    const ids = Array.from({ length: 250 }, (_, i) => {
      const order = store.addOrder({ lines: [line] });
      const at = new Date(start + i * 1000).toISOString().slice(0, 19);
      Object.assign(order, { date_modified_gmt: at });
      return String(order.id);
    });
    const window = { since: new Date(start - 1000).toISOString(), until: new Date(Date.now() - 30_000).toISOString() };
    // After the first page, the first 20 orders are edited and leave the window: offsets shift by 20.
    const { seen } = await allPages(platform(), window, (page) => {
      if (page === 1) for (const id of ids.slice(0, 20)) store.updateOrder(id, { customer_note: 'changed' });
    });
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
  });

  it('turns a 429 into a retryable error carrying Retry-After, and wrong keys into a permanent one', async () => {
    store.failNext(1, 429);
    const limited = await platform().fetchChanged(wholeWindow(), noAbort()).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientPartnerError);
    expect((limited as TransientPartnerError).retryAfterMs).toBe(1_000);
    const refused = await platform({ consumerSecret: 'cs_wrong' }).fetchChanged(wholeWindow(), noAbort()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentPartnerError);
    expect((refused as PermanentPartnerError).response.body).toContain('Consumer secret is invalid.');
  });

  it('is configured over HTTPS unless the store is on this machine', () => {
    const base = { id: 'w', kind: 'woocommerce', currency: 'USD', consumerKey: 'k', consumerSecret: 's', webhookSecret: 'w' };
    expect(wooCommerceConfig.safeParse({ ...base, storeUrl: 'http://shop.example.com' }).success).toBe(false);
    expect(wooCommerceConfig.safeParse({ ...base, storeUrl: 'https://shop.example.com' }).success).toBe(true);
  });
});

describe('posting the shipment back', () => {
  it('adds the tracking number as a customer note and completes the order', async () => {
    const order = store.addOrder({ lines: [line] });
    const outcome = await platform().ship(shipment(String(order.id)), noAbort());
    expect(store.shipments()).toEqual([{ orderId: String(order.id), noteId: expect.any(Number), note: 'Shipped with UPS, tracking number 1Z999AA10123456784.', customerNote: true }]);
    expect(store.order(String(order.id)).status).toBe('completed');
    expect(outcome.partnerRef).toBe(String(store.shipments()[0]!.noteId));
  });

  it('adds no second note when asked again, also after the answer to the note was lost', async () => {
    const order = store.addOrder({ lines: [line] });
    store.fault('notes.create', { commitThenTimeout: true });
    await expect(platform().ship(shipment(String(order.id)), noAbort())).rejects.toBeInstanceOf(TransientPartnerError);
    await platform().ship(shipment(String(order.id)), noAbort());
    await platform().ship(shipment(String(order.id)), noAbort());
    expect(store.shipments()).toHaveLength(1);
    expect(store.order(String(order.id)).status).toBe('completed');
    expect(store.count('order.update')).toBe(1);
  });

  it('does not mark a cancelled order shipped', async () => {
    const order = store.addOrder({ lines: [line] });
    store.cancelOrder(String(order.id));
    await expect(platform().ship(shipment(String(order.id)), noAbort())).rejects.toBeInstanceOf(PermanentPartnerError);
    expect(store.shipments()).toHaveLength(0);
  });
});

describe('pushing stock', () => {
  it('sets stock_quantity on the product or the variation found by SKU, and reports SKUs not sold', async () => {
    const result = await platform().pushStock!([{ sku: 'PUMP-200', available: '4' }, { sku: 'VALVE-DN50', available: '12' }, { sku: 'NOT-SOLD', available: '1' }], noAbort());
    expect(result).toEqual({ updated: 2, unknownSkus: ['NOT-SOLD'] });
    expect([...store.stockLevels()]).toEqual([['PUMP-200', 4], ['VALVE-DN50', 12]]);
    expect(store.requests.filter((r) => r.operation === 'product.update').map((r) => r.path)).toEqual(['/wp-json/wc/v3/products/100', '/wp-json/wc/v3/products/499/variations/500']);
  });
});

describe('webhooks', () => {
  const request = (headers: Record<string, string>, body: string) => ({ headers, rawBody: Buffer.from(body), query: {}, receivedAt: Date.now() });

  it('answers WooCommerce\'s unsigned ping without taking anything', async () => {
    const p = platform();
    const ping = request({ 'content-type': 'application/x-www-form-urlencoded' }, 'webhook_id=12');
    expect(() => p.webhooks!.verify(ping)).not.toThrow();
    expect(await p.webhooks!.read(ping)).toEqual({ eventId: 'ping:12', topic: 'ping', orders: [] });
  });

  it('still requires a signature on anything that is not the ping', () => {
    expect(() => platform().webhooks!.verify(request({}, '{"id":1}'))).toThrow(SignatureError);
  });

  it('tells apart two orders that one webhook delivered within a second (same delivery id)', async () => {
    const p = platform();
    const [a, b] = [store.addOrder({ lines: [line] }), store.addOrder({ lines: [line] })];
    const headers = (body: string) => ({ 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-delivery-id': 'same-second', 'x-wc-webhook-signature': signWooWebhook(store.webhookSecret, body) });
    const [first, second] = await Promise.all([a, b].map((o) => JSON.stringify(o)).map((body) => p.webhooks!.read(request(headers(body), body))));
    expect(first!.eventId).not.toBe(second!.eventId);
    expect([first!.orders[0]!.platformOrderId, second!.orders[0]!.platformOrderId]).toEqual([String(a.id), String(b.id)]);
  });
});
