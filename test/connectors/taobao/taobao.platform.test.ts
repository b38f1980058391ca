import pino from 'pino';
import { createTaobaoPlatform } from '../../../connectors/taobao/taobao.platform';
import { taobaoConfig } from '../../../connectors/taobao/taobao.config';
import { TopApiError } from '../../../connectors/taobao/taobao.client';
import type { ChangedOrdersWindow, ShopOrderSnapshot, ShopPlatform } from '../../../connectors/shop/shop-platform';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { startTaobaoSandbox, type TaobaoSandbox } from '../../sandboxes/taobao.sandbox';
import { makeOrder } from '../../support/order-factory';

const CREDENTIALS = { appKey: '12345678', appSecret: 'tb-secret-0123456789', session: '6100e2f3sessionkey' };

let tb: TaobaoSandbox;
beforeEach(async () => {
  tb = await startTaobaoSandbox(CREDENTIALS);
});
afterEach(async () => {
  await tb.close();
});

function platform(overrides: Record<string, unknown> = {}): ShopPlatform {
  const config = taobaoConfig.parse({ id: 'tmall', kind: 'taobao', currency: 'CNY', baseUrl: tb.url, ...CREDENTIALS, timeoutMs: 2000, ...overrides });
  return createTaobaoPlatform(config, pino({ level: 'silent' }));
}

const signal = () => new AbortController().signal;

/** Reads every page of a window the way the shop poll does. */
async function readAll(p: ShopPlatform, since: string, until: string): Promise<ShopOrderSnapshot[]> {
  const all: ShopOrderSnapshot[] = [];
  let window: ChangedOrdersWindow = { since, until };
  for (;;) {
    const page = await p.fetchChanged(window, signal());
    all.push(...page.orders);
    if (!page.nextPage) return all;
    window = { since, until, page: page.nextPage };
  }
}

const lastHour = () => [new Date(Date.now() - 3_600_000).toISOString(), new Date(Date.now() + 1000).toISOString()] as const;
const line = (sku: string) => ({ sku, price: '12.50', num: 2 });

describe('reading changed trades', () => {
  it('returns every paid trade of the window (page 1 is read again last), with its full info and exact tid', async () => {
    const added = Array.from({ length: 5 }, (_, i) => tb.addTrade({ lines: [line(`SKU-${i}`)] }));
    const snapshots = await readAll(platform({ pageSize: 2 }), ...lastHour());
    const ids = snapshots.map((s) => s.platformOrderId);
    expect(new Set(ids)).toEqual(new Set(added.map((t) => t.tid)));
    const body = snapshots[0]!.body.toString('utf8');
    expect(body).toMatch(/"tid":\d{19},/);
    expect(body).toContain('"outer_sku_id":"SKU-');
    expect((await platform().mapOrder(snapshots[0]!.body)).platformOrderId).toBe(snapshots[0]!.platformOrderId);
  });

  it('keeps the tid exact through JSON.parse even when Taobao sends no tid_str', async () => {
    const bare = await startTaobaoSandbox({ ...CREDENTIALS, withoutTidStr: true });
    try {
      const trade = bare.addTrade({ lines: [line('A')] });
      const config = taobaoConfig.parse({ id: 'tmall', kind: 'taobao', currency: 'CNY', baseUrl: bare.url, ...CREDENTIALS });
      const [snapshot] = await readAll(createTaobaoPlatform(config, pino({ level: 'silent' })), ...lastHour());
      const asIntakeReadsIt = JSON.parse(snapshot!.body.toString('utf8')) as unknown;
      expect((await platform().mapOrder(asIntakeReadsIt)).platformOrderId).toBe(trade.tid);
    } finally {
      await bare.close();
    }
  });

  it('leaves unpaid trades out until they are paid', async () => {
    const unpaid = tb.addTrade({ lines: [line('A')], status: 'WAIT_BUYER_PAY' });
    const p = platform();
    expect(await readAll(p, ...lastHour())).toEqual([]);
    expect(tb.calls.filter((c) => c.method === 'taobao.trade.fullinfo.get')).toHaveLength(0);
    tb.payTrade(unpaid.tid);
    expect((await readAll(p, ...lastHour())).map((s) => s.platformOrderId)).toEqual([unpaid.tid]);
  });

  it('asks for at most one day per call when the window is longer', async () => {
    const since = new Date(Date.now() - 3.5 * 86_400_000).toISOString();
    await readAll(platform(), since, new Date().toISOString());
    const spans = tb.calls.filter((c) => c.method === 'taobao.trades.sold.increment.get').map((c) => [c.params.start_modified!, c.params.end_modified!]);
    expect(spans).toHaveLength(4);
    for (const [start, end] of spans) expect(Date.parse(`${end!.replace(' ', 'T')}+08:00`) - Date.parse(`${start!.replace(' ', 'T')}+08:00`)).toBeLessThanOrEqual(86_400_000);
    // Each day starts where the one before ended: no gap between slices.
    spans.slice(1).forEach(([start], i) => expect(start).toBe(spans[i]![1]));
  });

  it('misses no trade when one is modified again while the pages are read', async () => {
    const added = Array.from({ length: 6 }, (_, i) => tb.addTrade({ lines: [line(`SKU-${i}`)], at: new Date(Date.now() - 600_000 + i * 1000) }));
    const [since, until] = [new Date(Date.now() - 3_600_000).toISOString(), new Date(Date.now() - 60_000).toISOString()];
    let moved = false;
    tb.onCall = (call) => {
      // After the first listing, the newest trade changes and leaves the window: every trade behind it moves up a place.
      if (!moved && call.method === 'taobao.trades.sold.increment.get' && call.params.page_no !== '1') {
        moved = true;
        tb.updateTrade(added[5]!.tid, (t) => {
          t.fields.seller_memo = 'changed';
        });
      }
    };
    // The window ends before the change, as a poll's does.
    const snapshots = await readAll(platform({ pageSize: 2 }), since, until);
    expect(moved).toBe(true);
    expect(new Set(snapshots.map((s) => s.platformOrderId))).toEqual(new Set(added.map((t) => t.tid)));
  });
});

describe('TOP refusals', () => {
  it('a wrong secret is refused for its signature (25) and is not retried', async () => {
    const err = await platform({ appSecret: 'wrong' }).fetchChanged({ since: lastHour()[0], until: lastHour()[1] }, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopApiError);
    expect((err as TopApiError).topCode).toBe('25');
    expect(tb.calls.at(-1)?.errorCode).toBe(25);
  });

  it.each(['md5', 'hmac', 'hmac-sha256'] as const)('signs with %s the way TOP checks it', async (signMethod) => {
    await expect(platform({ signMethod }).fetchChanged({ since: lastHour()[0], until: lastHour()[1] }, signal())).resolves.toEqual({ orders: [] });
  });

  it('App Call Limited (7) is transient and carries the ban the message states', async () => {
    tb.failNext(1, 'call-limited');
    const err = await platform().fetchChanged({ since: lastHour()[0], until: lastHour()[1] }, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientPartnerError);
    expect((err as TransientPartnerError).retryAfterMs).toBe(1000);
  });

  it('an HTTP 503 from the router is transient', async () => {
    tb.failNext(1, { httpStatus: 503, retryAfterSeconds: 2 });
    await expect(platform().fetchChanged({ since: lastHour()[0], until: lastHour()[1] }, signal())).rejects.toMatchObject({ retryAfterMs: 2000 });
  });

  it('an expired session (27) is permanent and says to authorise again', async () => {
    tb.expireSession();
    const err = await platform().fetchChanged({ since: lastHour()[0], until: lastHour()[1] }, signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentPartnerError);
    expect((err as Error).message).toMatch(/authorise the app again/);
  });
});

describe('posting the shipment back', () => {
  const shipment = (tid: string, trackingNumber = 'SF1234567890') => ({
    order: makeOrder(),
    platformOrderId: tid,
    carrier: 'sf',
    trackingNumber,
    idempotencyKey: `o-1:order.shipped:tmall`,
  });

  it('sends tid, tracking number and the mapped company code once', async () => {
    const trade = tb.addTrade({ lines: [line('A')] });
    const outcome = await platform({ carriers: { sf: 'SF' } }).ship(shipment(trade.tid), signal());
    expect(tb.shipments()).toEqual([{ tid: trade.tid, outSid: 'SF1234567890', companyCode: 'SF' }]);
    expect(outcome.partnerRef).toBe('SF:SF1234567890');
  });

  it('takes "already shipped" (B04) for our own waybill as success, without a second send-back', async () => {
    const trade = tb.addTrade({ lines: [line('A')] });
    const p = platform({ carriers: { sf: 'SF' } });
    await p.ship(shipment(trade.tid), signal());
    await expect(p.ship(shipment(trade.tid), signal())).resolves.toMatchObject({ partnerRef: 'SF:SF1234567890' });
    expect(tb.shipments()).toHaveLength(1);
    expect(tb.calls.filter((c) => c.subCode === 'isv.logistics-offline-service-error:B04')).toHaveLength(1);
  });

  it('refuses for good when B04 means the trade was closed, or shipped with another waybill', async () => {
    const closed = tb.addTrade({ lines: [line('A')] });
    tb.cancelTrade(closed.tid);
    await expect(platform().ship(shipment(closed.tid), signal())).rejects.toThrow(/TRADE_CLOSED/);
    const other = tb.addTrade({ lines: [line('A')] });
    await platform().ship(shipment(other.tid, 'YT0001'), signal());
    await expect(platform().ship(shipment(other.tid, 'YT0002'), signal())).rejects.toThrow(/waybill YT0001/);
  });
});

describe('pushing stock', () => {
  it('sets the quantity of each listed SKU and reports the ones not listed', async () => {
    tb.addItem('612345678901', ['4567890123456']);
    tb.addItem('612345678902');
    const p = platform({ listings: { 'PUMP-200': { numIid: '612345678901', skuId: '4567890123456' }, 'VALVE-DN50': { numIid: '612345678902' } } });
    const result = await p.pushStock!(
      [
        { sku: 'PUMP-200', available: '7' },
        { sku: 'VALVE-DN50', available: '0' },
        { sku: 'NOT-ON-TAOBAO', available: '3' },
      ],
      signal(),
    );
    expect(result).toEqual({ updated: 2, unknownSkus: ['NOT-ON-TAOBAO'] });
    expect(tb.stockLevels()).toEqual({ '612345678901:4567890123456': '7', '612345678902': '0' });
  });
});
