import pino from 'pino';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { createRestPollerPlatform } from '../../../connectors/rest-poller/rest-poller.platform';
import type { ShopOrderSnapshot, ShopPlatform } from '../../../connectors/shop/shop-platform';
import { makeOrder } from '../../support/order-factory';
import { startMarketSandbox, type MarketAuth, type MarketPaging, type MarketSandbox } from '../../sandboxes/rest-poller.sandbox';
import { marketConnectorConfig } from './market-config';

const log = pino({ level: 'silent' });
const HOUR = 3600_000;

let sandbox: MarketSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function market(auth: MarketAuth, paging: MarketPaging, extra: { tokenLifetimeSeconds?: number } = {}): Promise<MarketSandbox> {
  sandbox = await startMarketSandbox({ auth, paging, ...extra });
  return sandbox;
}

/** Every page of one poll window, as the shop machinery reads them. */
async function readWindow(platform: ShopPlatform, since: number, until: number): Promise<{ orders: ShopOrderSnapshot[]; pages: number }> {
  const orders: ShopOrderSnapshot[] = [];
  let page: string | undefined;
  let pages = 0;
  do {
    const result = await platform.fetchChanged({ since: new Date(since).toISOString(), until: new Date(until).toISOString(), ...(page ? { page } : {}) }, new AbortController().signal);
    orders.push(...result.orders);
    page = result.nextPage;
    pages += 1;
  } while (page);
  return { orders, pages };
}

const signal = () => new AbortController().signal;

describe.each(['bearer', 'basic', 'hmac', 'oauth2'] as const)('when the platform signs in with %s', (auth) => {
  it('lists every order changed in the window, signed as the platform checks it', async () => {
    const m = await market(auth, 'page');
    const added = [m.addOrder(), m.addOrder(), m.addOrder()];
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const { orders, pages } = await readWindow(platform, Date.now() - HOUR, Date.now() + 1000);

    expect(orders.map((o) => o.platformOrderId)).toEqual(added.map((o) => o.tid));
    expect(pages).toBe(2);
    expect(m.requests.filter((r) => r.path === '/api/v2/orders').every((r) => r.verified)).toBe(true);
  });

  it("fails permanently with the platform's own refusal when the credentials are wrong", async () => {
    const m = await market(auth, 'page');
    const good = marketConnectorConfig(m);
    const wrong = good.auth.type === 'bearer' ? { ...good.auth, token: 'stolen' }
      : good.auth.type === 'basic' ? { ...good.auth, password: 'guess' }
      : good.auth.type === 'hmac' ? { ...good.auth, secret: 'not-the-secret' }
      : good.auth.type === 'oauth2' ? { ...good.auth, clientSecret: 'not-the-secret' }
      : good.auth;
    const platform = createRestPollerPlatform({ ...good, auth: wrong }, log);

    const failure = await platform.fetchChanged({ since: new Date(Date.now() - HOUR).toISOString(), until: new Date().toISOString() }, signal()).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(PermanentPartnerError);
    expect((failure as PermanentPartnerError).response.status).toBe(401);
    expect((failure as PermanentPartnerError).response.body).toMatch(auth === 'oauth2' ? /invalid_client/ : /40101/);
  });
});

describe.each(['page', 'cursor', 'link'] as const)('when the platform pages by %s', (paging) => {
  it('reads all pages of the window, oldest first, and only that window', async () => {
    const m = await market('bearer', paging);
    const before = m.addOrder({ at: Date.now() - 2 * HOUR });
    const inWindow = Array.from({ length: 5 }, (_, i) => m.addOrder({ at: Date.now() - HOUR + i * 1000 }));
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const { orders, pages } = await readWindow(platform, Date.now() - HOUR - 1000, Date.now() + 1000);

    expect(orders.map((o) => o.platformOrderId)).toEqual(inWindow.map((o) => o.tid));
    expect(orders.map((o) => o.platformOrderId)).not.toContain(before.tid);
    expect(pages).toBe(3);
  });
});

describe('when the platform takes its search as a POST body', () => {
  it('sends the window and page in the body the expression builds, and reads every page', async () => {
    const m = await market('hmac', 'page');
    const added = Array.from({ length: 3 }, () => m.addOrder());
    const base = marketConnectorConfig(m);
    const config = {
      ...base,
      orders: { ...base.orders, url: `${m.url}/api/v2/orders/search`, method: 'POST' as const, body: '{ "updated_since": since, "updated_until": until, "page": page ? $number(page) : 1, "page_size": $number(pageSize) }' },
    };

    const { orders, pages } = await readWindow(createRestPollerPlatform(config, log), Date.now() - HOUR, Date.now() + 1000);

    expect(orders.map((o) => o.platformOrderId)).toEqual(added.map((o) => o.tid));
    expect(pages).toBe(2);
    expect(m.requests.filter((r) => r.path === '/api/v2/orders/search').map((r) => [r.verified, JSON.parse(r.body).page])).toEqual([[true, 1], [true, 2]]);
  });
});

describe('when the platform uses OAuth2 client credentials', () => {
  it('asks for one token and uses it for every page', async () => {
    const m = await market('oauth2', 'cursor');
    for (let i = 0; i < 5; i += 1) m.addOrder();
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    await readWindow(platform, Date.now() - HOUR, Date.now() + 1000);

    expect(m.tokenRequests()).toBe(1);
  });

  it('asks for a new token when the platform refuses the old one with 401, and the call succeeds', async () => {
    const m = await market('oauth2', 'cursor');
    const order = m.addOrder();
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);
    await readWindow(platform, Date.now() - HOUR, Date.now() + 1000);

    m.expireTokens();
    const { orders } = await readWindow(platform, Date.now() - HOUR, Date.now() + 1000);

    expect(orders.map((o) => o.platformOrderId)).toEqual([order.tid]);
    expect(m.tokenRequests()).toBe(2);
    expect(m.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('renews the token before it expires instead of sending a dead one', async () => {
    const m = await market('oauth2', 'page', { tokenLifetimeSeconds: 3600 });
    m.addOrder();
    let clock = Date.now();
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log, { now: () => clock });
    await readWindow(platform, Date.now() - HOUR, Date.now() + 1000);

    clock += 3600_000;
    await readWindow(platform, Date.now() - HOUR, Date.now() + 1000);

    expect(m.tokenRequests()).toBe(2);
    expect(m.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });
});

describe('when the platform limits calls', () => {
  it('turns a 429 into a transient failure carrying Retry-After', async () => {
    const m = await market('bearer', 'page');
    m.addOrder();
    m.failNext(1, 429);
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const failure = await platform.fetchChanged({ since: new Date(Date.now() - HOUR).toISOString(), until: new Date().toISOString() }, signal()).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(TransientPartnerError);
    expect((failure as TransientPartnerError).retryAfterMs).toBe(1000);
  });

  it('turns a "call limited" code inside a 200 into a transient failure naming it', async () => {
    const m = await market('bearer', 'page');
    m.addOrder();
    m.callLimitNext(1);
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const failure = await platform.fetchChanged({ since: new Date(Date.now() - HOUR).toISOString(), until: new Date().toISOString() }, signal()).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(TransientPartnerError);
    expect((failure as Error).message).toMatch(/api call limited/);
  });
});

describe('when amounts and ids are JSON numbers', () => {
  it('keeps their exact digits through the poll and the mapping', async () => {
    const m = await market('bearer', 'page');
    m.addOrder({ lines: [['VALVE-DN50', '3', '19.99']] });
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const [snapshot] = (await readWindow(platform, Date.now() - HOUR, Date.now() + 1000)).orders;
    const { draft } = await platform.mapOrder(JSON.parse(snapshot!.body.toString('utf8')));

    // Through a double, 19.99 × 3 is 59.97000000000001 and the buyer id 9007199254740992.
    expect(draft.customer.id).toBe('9007199254740993');
    expect(draft.lines).toEqual([expect.objectContaining({ lineNo: 1, sku: 'VALVE-DN50', quantity: '3', unitPrice: '19.99' })]);
    expect(draft.claimedTotals).toEqual({ gross: '59.97' });
  });
});

describe('when a shipment is posted back', () => {
  const shipment = (tid: string, idempotencyKey = 'ord-1:order.shipped:market') => ({
    order: makeOrder(),
    platformOrderId: tid,
    carrier: 'SF',
    trackingNumber: 'SF1234567890',
    idempotencyKey,
  });

  it('posts carrier and tracking number to the order, once however often it is sent', async () => {
    const m = await market('hmac', 'page');
    const order = m.addOrder();
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const first = await platform.ship(shipment(order.tid), signal());
    const again = await platform.ship(shipment(order.tid), signal());

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(m.shipments()).toEqual([{ tid: order.tid, expressCompany: 'SF', expressNo: 'SF1234567890', idempotencyKey: 'ord-1:order.shipped:market' }]);
  });

  it('fails permanently when the platform does not know the order', async () => {
    const m = await market('bearer', 'page');
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    await expect(platform.ship(shipment('E-NOPE'), signal())).rejects.toBeInstanceOf(PermanentPartnerError);
  });

  it('refuses to guess where to post when the config has no shipBack', async () => {
    const m = await market('bearer', 'page');
    const order = m.addOrder();
    const platform = createRestPollerPlatform({ ...marketConnectorConfig(m), shipBack: undefined }, log);

    await expect(platform.ship(shipment(order.tid), signal())).rejects.toThrow(/has no shipBack/);
    expect(m.shipments()).toEqual([]);
  });
});

describe('when stock is pushed', () => {
  it('sets the levels the platform sells and reports the SKUs it does not', async () => {
    const m = await market('basic', 'page');
    const platform = createRestPollerPlatform(marketConnectorConfig(m), log);

    const result = await platform.pushStock!([{ sku: 'PUMP-200', available: '7' }, { sku: 'GASKET-X', available: '3' }], signal());

    expect(result).toEqual({ updated: 1, unknownSkus: ['GASKET-X'] });
    expect(Object.fromEntries(m.stockLevels())).toEqual({ 'PUMP-200': '7' });
  });
});
