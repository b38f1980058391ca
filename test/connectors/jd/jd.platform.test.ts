import pino from 'pino';
import { JosApiError } from '../../../connectors/jd/jd.client';
import { jdConfig } from '../../../connectors/jd/jd.config';
import { createJdPlatform } from '../../../connectors/jd/jd.platform';
import type { ChangedOrdersWindow, ShopOrderSnapshot, ShopPlatform } from '../../../connectors/shop/shop-platform';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { startJdSandbox, type JdSandbox } from '../../sandboxes/jd.sandbox';
import { makeOrder } from '../../support/order-factory';

const CREDENTIALS = { appKey: 'A1B2C3D4E5', appSecret: 'jd-secret-0123456789', accessToken: 'jd-token-abc' };

let jd: JdSandbox;
beforeEach(async () => {
  jd = await startJdSandbox(CREDENTIALS);
});
afterEach(async () => {
  await jd.close();
});

function platform(overrides: Record<string, unknown> = {}): ShopPlatform {
  return createJdPlatform(jdConfig.parse({ id: 'jd-shop', kind: 'jd', currency: 'CNY', baseUrl: jd.url, ...CREDENTIALS, timeoutMs: 2000, ...overrides }), pino({ level: 'silent' }));
}

const signal = () => new AbortController().signal;
const lastHour = (): ChangedOrdersWindow => ({ since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 1000).toISOString() });
const item = (outerSkuId: string) => ({ outerSkuId, price: '99.00', quantity: 1 });

async function readAll(p: ShopPlatform, window: ChangedOrdersWindow): Promise<ShopOrderSnapshot[]> {
  const all: ShopOrderSnapshot[] = [];
  let current = window;
  for (;;) {
    const page = await p.fetchChanged(current, signal());
    all.push(...page.orders);
    if (!page.nextPage) return all;
    current = { ...window, page: page.nextPage };
  }
}

describe('reading changed orders', () => {
  it('returns every order of the window (page 1 is read again last, a repeat the raw store absorbs), as JD sent it', async () => {
    const added = Array.from({ length: 5 }, (_, i) => jd.addOrder({ items: [item(`SKU-${i}`)] }));
    const snapshots = await readAll(platform({ pageSize: 2 }), lastHour());
    expect(new Set(snapshots.map((s) => s.platformOrderId))).toEqual(new Set(added.map((o) => o.orderId)));
    const search = jd.calls.find((c) => c.method === 'jingdong.pop.order.search')!;
    expect(search.params).toMatchObject({ dateType: 0, page_size: '2' });
    expect(JSON.parse(snapshots[0]!.body.toString('utf8'))).toMatchObject({ itemInfoList: [expect.objectContaining({ outerSkuId: expect.stringMatching(/^SKU-/) })] });
  });

  it('sees a cancellation as a new version of the order', async () => {
    const order = jd.addOrder({ items: [item('A')], at: new Date(Date.now() - 5000) });
    const p = platform();
    const [first] = await readAll(p, lastHour());
    jd.cancelOrder(order.orderId);
    const [second] = await readAll(p, lastHour());
    expect(second!.updatedAt > first!.updatedAt).toBe(true);
    expect((await p.mapOrder(second!.body)).cancelled).toBe(true);
  });

  it('misses no order when one is modified again while the pages are read', async () => {
    const added = Array.from({ length: 6 }, (_, i) => jd.addOrder({ items: [item(`SKU-${i}`)], at: new Date(Date.now() - 600_000 + i * 1000) }));
    let moved = false;
    jd.onCall = (call) => {
      // Ascending by modified: changing the oldest moves every later order one place forward.
      if (!moved && call.method === 'jingdong.pop.order.search' && call.params.page !== '1') {
        moved = true;
        jd.updateOrder(added[0]!.orderId, (f) => {
          f.venderRemark = 'changed';
        });
      }
    };
    const window = { since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() - 60_000).toISOString() };
    const snapshots = await readAll(platform({ pageSize: 2 }), window);
    expect(moved).toBe(true);
    expect(new Set(snapshots.map((s) => s.platformOrderId))).toEqual(new Set(added.map((o) => o.orderId)));
  });

  it('splits a window longer than a month into searches JD accepts', async () => {
    await readAll(platform(), { since: new Date(Date.now() - 45 * 86_400_000).toISOString(), until: new Date().toISOString() });
    const searches = jd.calls.filter((c) => c.method === 'jingdong.pop.order.search');
    expect(searches).toHaveLength(2);
    expect(searches[1]!.params.start_date).toBe(searches[0]!.params.end_date);
  });
});

describe('JOS refusals', () => {
  it('a wrong secret is refused for its signature (12), not retried', async () => {
    const err = await platform({ appSecret: 'wrong' }).fetchChanged(lastHour(), signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JosApiError);
    expect(jd.calls.at(-1)?.errorCode).toBe('12');
  });

  it('an invalid access_token (19) is permanent and says to authorise again', async () => {
    jd.expireToken();
    await expect(platform().fetchChanged(lastHour(), signal())).rejects.toThrow(/authorise the app again/);
  });

  it('App Call Limited (2) and HTTP 429 are transient', async () => {
    jd.failNext(1, 'call-limited');
    await expect(platform().fetchChanged(lastHour(), signal())).rejects.toBeInstanceOf(TransientPartnerError);
    jd.failNext(1, { httpStatus: 429, retryAfterSeconds: 3 });
    await expect(platform().fetchChanged(lastHour(), signal())).rejects.toMatchObject({ retryAfterMs: 3000 });
  });
});

describe('posting the shipment back', () => {
  const shipment = (orderId: string, trackingNumber = 'SF1234567890', carrier = 'sf') => ({
    order: makeOrder(),
    platformOrderId: orderId,
    carrier,
    trackingNumber,
    idempotencyKey: 'o-1:order.shipped:jd-shop',
  });

  it('sends orderId, the configured logiCoprId and the waybill once', async () => {
    const order = jd.addOrder({ items: [item('A')] });
    const outcome = await platform({ carriers: { sf: '467' } }).ship(shipment(order.orderId), signal());
    expect(jd.shipments()).toEqual([{ orderId: order.orderId, logiCoprId: '467', logiNo: 'SF1234567890' }]);
    expect(outcome.partnerRef).toBe('467:SF1234567890');
  });

  it('takes a refused repeat as success when JD already shows our waybill', async () => {
    const order = jd.addOrder({ items: [item('A')] });
    const p = platform({ carriers: { sf: '467' } });
    await p.ship(shipment(order.orderId), signal());
    await expect(p.ship(shipment(order.orderId), signal())).resolves.toMatchObject({ partnerRef: '467:SF1234567890' });
    expect(jd.shipments()).toHaveLength(1);
  });

  it('refuses for good a cancelled order, another waybill, or a carrier without JD id', async () => {
    const p = platform({ carriers: { sf: '467' } });
    const cancelled = jd.addOrder({ items: [item('A')] });
    jd.cancelOrder(cancelled.orderId);
    await expect(p.ship(shipment(cancelled.orderId), signal())).rejects.toThrow(/TRADE_CANCELED/);
    const other = jd.addOrder({ items: [item('A')] });
    await p.ship(shipment(other.orderId, 'SF0001'), signal());
    await expect(p.ship(shipment(other.orderId, 'SF0002'), signal())).rejects.toThrow(/waybill SF0001/);
    await expect(p.ship(shipment(other.orderId, 'X1', 'unknown-carrier'), signal())).rejects.toBeInstanceOf(PermanentPartnerError);
  });
});

describe('pushing stock', () => {
  it('sets stockNum per configured skuId and reports SKUs JD does not sell', async () => {
    jd.addSku('100012345678');
    const result = await platform({ skus: { 'PUMP-200': '100012345678' } }).pushStock!(
      [
        { sku: 'PUMP-200', available: '12' },
        { sku: 'ELSEWHERE', available: '1' },
      ],
      signal(),
    );
    expect(result).toEqual({ updated: 1, unknownSkus: ['ELSEWHERE'] });
    expect(jd.stockLevels()).toEqual({ '100012345678': '12' });
  });
});
