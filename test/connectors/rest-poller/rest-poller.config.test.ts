import { ConfigError } from '../../../config/config.error';
import { parseConfig } from '../../../config/load-config';

/** A rest-poller entry as IT writes it in hub.yaml; `mapping.order` and the auth block vary per test. */
function hubYaml({ order = '{ "customer": { "name": buyer }, "currency": "CNY", "lines": [items.{ "sku": sku, "quantity": num, "unitPrice": price }] }', auth = '    auth:\n      type: bearer\n      token: ${MARKET_TOKEN}', extra = '' } = {}): string {
  return `connectors:
  - id: market
    kind: rest-poller
    currency: CNY
${auth}
    orders:
      url: https://api.market.example.cn/api/v2/orders
      window:
        since: updated_since
        until: updated_until
        format: yyyy-MM-dd HH:mm:ss
        utcOffset: "+08:00"
      pagination:
        type: cursor
        next: data.next_cursor
      itemsPath: data.orders
    mapping:
      orderId: tid
      updatedAt: update_time
      updatedAtFormat: yyyy-MM-dd HH:mm:ss
      order: '${order}'
${extra}`;
}

const env = { MARKET_TOKEN: 'token', MARKET_HMAC_SECRET: 'secret' };

function configError(source: string): ConfigError {
  try {
    parseConfig(source, 'hub.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('a rest-poller entry in hub.yaml', () => {
  it('loads, with the defaults filled in', () => {
    const config = parseConfig(hubYaml(), 'hub.yaml', env);
    const market = config.connectors.find((c) => c.id === 'market');
    expect(market).toMatchObject({ kind: 'rest-poller', auth: { type: 'bearer', token: 'token' }, mapping: { cancelled: 'false', updatedAtFormat: 'yyyy-MM-dd HH:mm:ss' }, orders: { method: 'GET' } });
  });

  it('is refused at load when an expression does not compile, naming the file, line and field', () => {
    const source = hubYaml({ order: '{ "customer": { "name": buyer }, "lines": [items.{ "sku": sku }' });
    const line = source.split('\n').findIndex((text) => text.trimStart().startsWith('order:')) + 1;
    expect(configError(source).message).toBe(`hub.yaml:${line} connectors[0].mapping.order: not a valid JSONata expression: Expected "]" before end of expression (at position 63)`);
  });

  it('is refused when the HMAC string to sign uses a placeholder the hub cannot fill', () => {
    const auth = '    auth:\n      type: hmac\n      secret: ${MARKET_HMAC_SECRET}\n      stringToSign: "{method}\\n{uri}\\n{timestamp}"';
    expect(configError(hubYaml({ auth })).message).toMatch(/connectors\[0\]\.auth\.stringToSign: unknown placeholder \{uri\}/);
  });

  it('is refused when a secret is written literally', () => {
    const auth = '    auth:\n      type: bearer\n      token: live-token-123';
    expect(configError(hubYaml({ auth })).message).toMatch(/connectors\[0\]\.auth\.token: literal secret/);
  });

  it('is refused when stock sync has nowhere to push', () => {
    expect(configError(hubYaml({ extra: '    stockSync:\n      intervalMs: 10000\n' })).message).toMatch(/connectors\[0\]\.stock: stockSync needs stock/);
  });

  it('may route order.shipped to it', () => {
    const config = parseConfig(`${hubYaml()}routes:\n  - on: order.shipped\n    to: [market]\n`, 'hub.yaml', env);
    expect(config.routes).toEqual([{ on: 'order.shipped', to: ['market'] }]);
  });
});
