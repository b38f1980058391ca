import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../../config/load-config';
import { createRestPollerPlatform } from '../../../connectors/rest-poller/rest-poller.platform';
import { MARKET_CREDENTIALS, startMarketSandbox, type MarketSandbox } from '../../sandboxes/rest-poller.sandbox';

/** The example IT copies from (config/examples/shops.yaml) must read a platform of that shape as it stands. */

let market: MarketSandbox;
beforeAll(async () => {
  market = await startMarketSandbox({ auth: 'oauth2', paging: 'cursor' });
});
afterAll(() => market.close());

it('config/examples/shops.yaml reads, ships and pushes stock against the Market sandbox with only the environment set', async () => {
  const config = loadConfig(join(__dirname, '../../../config/examples/shops.yaml'), {
    MARKET_API_URL: market.url,
    MARKET_CLIENT_ID: MARKET_CREDENTIALS.clientId,
    MARKET_CLIENT_SECRET: MARKET_CREDENTIALS.clientSecret,
    MARKET_WEBHOOK_SECRET: MARKET_CREDENTIALS.webhookSecret,
  });
  const entry = config.connectors.find((c) => c.id === 'market');
  if (entry?.kind !== 'rest-poller') throw new Error('the example has no rest-poller entry "market"');
  const platform = createRestPollerPlatform(entry, pino({ level: 'silent' }));
  const trade = market.addOrder({ lines: [['VALVE-DN50', '3', '19.99']] });
  const signal = new AbortController().signal;

  const page = await platform.fetchChanged({ since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 1000).toISOString() }, signal);
  const mapped = await platform.mapOrder(JSON.parse(page.orders[0]!.body.toString('utf8')));
  await platform.ship({ order: {} as never, platformOrderId: trade.tid, carrier: 'SF', trackingNumber: 'SF100', idempotencyKey: 'k1' }, signal);
  const stock = await platform.pushStock!([{ sku: 'VALVE-DN50', available: '40' }], signal);

  expect(page.orders.map((o) => o.platformOrderId)).toEqual([trade.tid]);
  expect(mapped.draft).toMatchObject({ currency: 'CNY', poNumber: trade.tid, lines: [{ lineNo: 1, sku: 'VALVE-DN50', quantity: '3', unitPrice: '19.99' }], claimedTotals: { gross: '59.97' } });
  expect(market.shipments()).toEqual([expect.objectContaining({ tid: trade.tid, expressNo: 'SF100' })]);
  expect(stock).toEqual({ updated: 1, unknownSkus: [] });
});
