import { restPollerConfig, type RestPollerConfig } from '../../../connectors/rest-poller/rest-poller.config';
import { MARKET_CREDENTIALS, type MarketAuth, type MarketPaging, type MarketSandbox } from '../../sandboxes/rest-poller.sandbox';

/**
 * The rest-poller config IT would write for the Market sandbox (the same shape as the example in
 * config/examples/shops.yaml), with the sign-in and paging the sandbox speaks.
 */

export const MARKET_ORDER_MAPPING = `{
  "orderNumber": tid,
  "poNumber": tid,
  "customer": { "id": buyer.buyer_id, "name": receiver.name, "contact": { "name": buyer.nickname, "phone": buyer.phone } },
  "currency": currency,
  "shipTo": { "name": receiver.name, "street": receiver.district & receiver.address, "city": receiver.city, "region": receiver.province, "postalCode": receiver.postal_code, "country": "CN" },
  "notes": buyer_message,
  "lines": [items.{ "sku": outer_sku_id, "description": title, "quantity": num, "uom": "EA", "unitPrice": price }],
  "claimedTotals": { "gross": pay.payment }
}`;

export function marketAuth(auth: MarketAuth): Record<string, unknown> {
  switch (auth) {
    case 'bearer':
      return { type: 'bearer', token: MARKET_CREDENTIALS.token };
    case 'basic':
      return { type: 'basic', username: MARKET_CREDENTIALS.username, password: MARKET_CREDENTIALS.password };
    case 'hmac':
      return { type: 'hmac', keyId: MARKET_CREDENTIALS.apiKey, secret: MARKET_CREDENTIALS.apiSecret };
    case 'oauth2':
      return { type: 'oauth2', tokenUrl: 'TOKEN_URL', clientId: MARKET_CREDENTIALS.clientId, clientSecret: MARKET_CREDENTIALS.clientSecret };
  }
}

export function marketPagination(paging: MarketPaging, size: number): Record<string, unknown> {
  switch (paging) {
    case 'page':
      return { type: 'page', param: 'page', sizeParam: 'page_size', size, hasMore: 'data.has_next' };
    case 'cursor':
      return { type: 'cursor', param: 'cursor', next: 'data.next_cursor', sizeParam: 'page_size', size };
    case 'link':
      return { type: 'link', sizeParam: 'page_size', size };
  }
}

/** The connector config as hub.yaml would hold it (input side), for a hub or for `restPollerConfig.parse`. */
export function marketConnectorInput(sandbox: MarketSandbox, overrides: Record<string, unknown> = {}, pageSize = 2): Record<string, unknown> {
  const auth = marketAuth(sandbox.auth);
  return {
    id: 'market',
    kind: 'rest-poller',
    currency: 'CNY',
    auth: auth.type === 'oauth2' ? { ...auth, tokenUrl: `${sandbox.url}/oauth/token` } : auth,
    orders: {
      url: `${sandbox.url}/api/v2/orders`,
      window: { since: 'updated_since', until: 'updated_until', format: 'yyyy-MM-dd HH:mm:ss', utcOffset: '+08:00' },
      pagination: marketPagination(sandbox.paging, pageSize),
      itemsPath: 'data.orders',
      error: 'code != "0" ? message',
    },
    mapping: {
      orderId: 'tid',
      updatedAt: 'update_time',
      updatedAtFormat: 'yyyy-MM-dd HH:mm:ss',
      cancelled: "status = 'TRADE_CLOSED'",
      order: MARKET_ORDER_MAPPING,
    },
    shipBack: {
      url: `${sandbox.url}/api/v2/shipments?tid={orderId}`,
      body: '{ "express_company": carrier, "express_no": trackingNumber }',
      error: 'code != "0" ? message',
    },
    stock: {
      url: `${sandbox.url}/api/v2/inventory`,
      body: '{ "items": [levels.{ "sku": sku, "quantity": $number(available) }] }',
      unknownSkus: 'data.failed[code = "SKU_NOT_FOUND"].sku',
    },
    webhook: {
      secret: MARKET_CREDENTIALS.webhookSecret,
      header: 'X-Market-Signature',
      encoding: 'base64',
      stringToSign: '{timestamp}.{body}',
      timestampHeader: 'X-Market-Timestamp',
      eventIdHeader: 'X-Market-Delivery-Id',
      topicHeader: 'X-Market-Topic',
      orders: 'data.order',
    },
    ...overrides,
  };
}

export function marketConnectorConfig(sandbox: MarketSandbox, overrides: Record<string, unknown> = {}, pageSize = 2): RestPollerConfig {
  return restPollerConfig.parse(marketConnectorInput(sandbox, overrides, pageSize));
}
