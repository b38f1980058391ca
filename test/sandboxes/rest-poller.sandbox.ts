import { createHmac, randomUUID } from 'node:crypto';
import { jsonNumber, stringifyWithDecimals, type JsonDecimal } from '../../connectors/shared/json-decimals';
import { header, jsonObject, postCallback, startSandbox, type CallbackDelivery, type Sandbox, type SandboxAnswer, type SandboxListen, type SandboxRequest } from './sandbox-server';

/**
 * "集市 Market": a made-up marketplace of the kind IT would add with the generic REST poller
 * (connectors/rest-poller/README.md), shaped like the Chinese shop APIs it stands for (有赞-style
 * trades: string `tid`, `yyyy-MM-dd HH:mm:ss` times in +08:00, amounts as JSON numbers, `{ code,
 * message, data }` envelopes). One sandbox speaks one sign-in style and one paging style, chosen
 * by the test, and checks them on every request:
 *
 * - `GET /api/v2/orders?updated_since&updated_until` (inclusive, +08:00) lists orders oldest first;
 *   paging by `page`/`page_size` with `data.has_next`, by `cursor` with `data.next_cursor`, or by
 *   `Link: <…?page_info=…>; rel="next"` (a `page_info` request may carry only `page_size`).
 *   `POST /api/v2/orders/search` takes the same parameters as a JSON body.
 * - `POST /api/v2/shipments?tid=…` records carrier and tracking number (Idempotency-Key honoured;
 *   the same tracking number again is answered as already shipped).
 * - `POST /api/v2/inventory` sets sellable quantities; unknown SKUs come back in `data.failed`.
 * - `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4) with Basic client auth.
 * - Refusals: 401 `{code: 40101}` (bad credentials or signature), 401 `invalid_token` with
 *   `WWW-Authenticate: Bearer` (RFC 6750 §3.1), 429 `{code: 42900}` with Retry-After, and the
 *   "call limited" answer inside a 200 (`{code: 42901}`) some platforms send instead.
 * - Webhooks to the hub: `X-Market-Signature` = base64 HMAC-SHA256 over `<X-Market-Timestamp>.<body>`.
 */

export type MarketAuth = 'bearer' | 'basic' | 'hmac' | 'oauth2';
export type MarketPaging = 'page' | 'cursor' | 'link';

export const MARKET_CREDENTIALS = {
  token: 'mkt-token-0f3c',
  username: 'hub',
  password: 'p@ss word',
  apiKey: 'mkt-key-7731',
  apiSecret: 'mkt-hmac-secret-5d2e',
  clientId: 'hub-client',
  clientSecret: 'client secret+1',
  webhookSecret: 'mkt-webhook-secret-91aa',
} as const;

/** How far an HMAC timestamp may be from the sandbox's clock, in seconds. */
const TIMESTAMP_TOLERANCE_SECONDS = 300;
const PLATFORM_OFFSET_MS = 8 * 3600_000;

export interface MarketItem {
  readonly oid: JsonDecimal;
  readonly outer_sku_id: string;
  readonly title: string;
  readonly num: JsonDecimal;
  readonly price: JsonDecimal;
  readonly payment: JsonDecimal;
}

/** One trade as the platform keeps it; amounts and ids are JSON numbers on the wire. */
export interface MarketOrder {
  tid: string;
  status: string;
  created: string;
  update_time: string;
  currency: string;
  buyer: { buyer_id: JsonDecimal; nickname: string; phone: string };
  receiver: { name: string; tel: string; province: string; city: string; district: string; address: string; postal_code: string };
  items: MarketItem[];
  pay: { total_fee: JsonDecimal; post_fee: JsonDecimal; payment: JsonDecimal };
  buyer_message?: string;
}

export interface MarketShipment {
  readonly tid: string;
  readonly expressCompany: string;
  readonly expressNo: string;
  readonly idempotencyKey: string | undefined;
}

export interface MarketSandbox extends Sandbox {
  readonly auth: MarketAuth;
  readonly paging: MarketPaging;
  /** Adds a trade (status WAIT_SELLER_SEND_GOODS) modified now; `lines` as [sku, quantity, unit price]. */
  addOrder(options?: { lines?: readonly (readonly [string, string, string])[]; currency?: string; at?: number }): MarketOrder;
  /** Changes a trade and stamps it modified (at least a second after its last change). */
  updateOrder(tid: string, change: (order: MarketOrder) => void, at?: number): MarketOrder;
  cancelOrder(tid: string): MarketOrder;
  order(tid: string): MarketOrder;
  /** The trade as JSON text, exactly as the platform writes it. */
  orderJson(tid: string): string;
  /** Signs like the platform and posts one `trade.*` webhook to the hub; `tamper` changes the body after signing. */
  sendWebhook(hubUrl: string, connectorId: string, topic: string, order: MarketOrder, options?: { tamper?: boolean; deliveryId?: string }): Promise<CallbackDelivery & { deliveryId: string }>;
  /** The next `n` checked requests are answered `status` (429 with Retry-After: 1 and the platform's body). */
  failNext(n: number, status: number): void;
  /** The next `n` listings answer 200 with the platform's "call limited" code inside. */
  callLimitNext(n: number): void;
  /** Access tokens issued so far are refused from now on, as after their expiry. */
  expireTokens(): void;
  tokenRequests(): number;
  /** Shipments recorded (first post per trade and tracking number). */
  shipments(): MarketShipment[];
  stockLevels(): ReadonlyMap<string, string>;
  /** Listing requests answered with orders (not refused or failed). */
  listings(): SandboxRequest[];
}

export interface MarketSandboxOptions extends SandboxListen {
  readonly auth: MarketAuth;
  readonly paging: MarketPaging;
  /** SKUs the platform sells, for stock pushes. @defaultValue ['PUMP-200', 'VALVE-DN50'] */
  readonly skus?: readonly string[];
  /** @defaultValue 7200 */
  readonly tokenLifetimeSeconds?: number;
}

export async function startMarketSandbox(options: MarketSandboxOptions): Promise<MarketSandbox> {
  const orders = new Map<string, MarketOrder>();
  const stamps = new Map<string, number>();
  const shipments: MarketShipment[] = [];
  const shipmentKeys = new Map<string, MarketShipment>();
  const stock = new Map<string, string>();
  const sellable = new Set(options.skus ?? ['PUMP-200', 'VALVE-DN50']);
  const tokens = new Set<string>();
  let tokenCount = 0;
  let callLimited = 0;
  let seq = 0;

  const refuse = (message: string, extra: Partial<SandboxAnswer> = {}): SandboxAnswer => ({ status: 401, body: { code: 40101, message, data: null }, ...extra });

  const authenticate = (request: SandboxRequest): SandboxAnswer | undefined => {
    const authorization = header(request, 'authorization');
    switch (options.auth) {
      case 'bearer':
        request.verified = authorization === `Bearer ${MARKET_CREDENTIALS.token}`;
        return request.verified ? undefined : refuse('invalid access token');
      case 'basic':
        request.verified = authorization === `Basic ${Buffer.from(`${MARKET_CREDENTIALS.username}:${MARKET_CREDENTIALS.password}`).toString('base64')}`;
        return request.verified ? undefined : refuse('invalid username or password');
      case 'oauth2': {
        const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
        request.verified = token !== undefined && tokens.has(token);
        return request.verified
          ? undefined
          : { status: 401, body: { error: 'invalid_token', error_description: 'the access token expired or is unknown' }, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
      }
      case 'hmac': {
        const timestamp = header(request, 'x-timestamp') ?? '';
        const signature = header(request, 'x-signature') ?? '';
        const query = new URLSearchParams(request.query).toString();
        const signed = `${request.method}\n${request.path}${query ? `?${query}` : ''}\n${timestamp}\n${request.body}`;
        const expected = createHmac('sha256', MARKET_CREDENTIALS.apiSecret).update(signed).digest('hex');
        const fresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= TIMESTAMP_TOLERANCE_SECONDS;
        request.verified = header(request, 'x-api-key') === MARKET_CREDENTIALS.apiKey && fresh && signature === expected;
        return request.verified ? undefined : refuse(fresh ? 'invalid signature' : 'timestamp expired');
      }
    }
  };

  const listing = (query: Readonly<Record<string, string>>): SandboxAnswer => {
    if (callLimited > 0) {
      callLimited -= 1;
      return { status: 200, body: { code: 42901, message: 'api call limited, retry later', data: null } };
    }
    const size = Math.min(Number(query.page_size ?? '20'), 100);
    let since: number;
    let until: number;
    let offset: number;
    if (query.page_info !== undefined) {
      const extra = Object.keys(query).filter((key) => key !== 'page_info' && key !== 'page_size');
      if (extra.length > 0) return { status: 400, body: { code: 40002, message: `page_info cannot be combined with ${extra.join(', ')}`, data: null } };
      ({ since, until, offset } = JSON.parse(Buffer.from(query.page_info, 'base64url').toString('utf8')) as { since: number; until: number; offset: number });
    } else {
      since = readPlatformTime(query.updated_since);
      until = readPlatformTime(query.updated_until);
      if (Number.isNaN(since) || Number.isNaN(until)) return { status: 400, body: { code: 40001, message: 'updated_since and updated_until are required (yyyy-MM-dd HH:mm:ss)', data: null } };
      offset = options.paging === 'page' ? (Number(query.page ?? '1') - 1) * size : options.paging === 'cursor' && query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString('utf8')) : 0;
    }
    const matching = [...orders.values()]
      .filter((order) => {
        const at = readPlatformTime(order.update_time);
        return at >= since && at <= until;
      })
      .sort((a, b) => a.update_time.localeCompare(b.update_time) || a.tid.localeCompare(b.tid));
    const page = matching.slice(offset, offset + size);
    const more = offset + size < matching.length;
    const data: Record<string, unknown> = { orders: page, total_results: jsonNumber(String(matching.length)) };
    const headers: Record<string, string> = {};
    if (options.paging === 'page') data.has_next = more;
    if (options.paging === 'cursor') data.next_cursor = more ? Buffer.from(String(offset + size)).toString('base64url') : null;
    if (options.paging === 'link' && more) {
      const token = Buffer.from(JSON.stringify({ since, until, offset: offset + size })).toString('base64url');
      headers.link = `<${sandboxUrl}/api/v2/orders?page_info=${token}&page_size=${size}>; rel="next"`;
    }
    return { status: 200, body: stringifyWithDecimals({ code: 0, message: 'ok', data }), headers };
  };

  const sandbox = await startSandbox(
    [
      {
        method: 'POST',
        path: '/oauth/token',
        check: (request) => {
          const form = new URLSearchParams(request.body);
          const client = `Basic ${Buffer.from(`${encodeForm(MARKET_CREDENTIALS.clientId)}:${encodeForm(MARKET_CREDENTIALS.clientSecret)}`).toString('base64')}`;
          request.verified = header(request, 'authorization') === client;
          if (!request.verified) return { status: 401, body: { error: 'invalid_client' }, headers: { 'www-authenticate': 'Basic realm="market"' } };
          if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
          return undefined;
        },
        commit: () => {
          tokenCount += 1;
          const token = `at-${randomUUID()}`;
          tokens.add(token);
          return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: options.tokenLifetimeSeconds ?? 7200 }, headers: { 'cache-control': 'no-store' } };
        },
      },
      { method: 'GET', path: '/api/v2/orders', check: authenticate, commit: (request) => listing(request.query) },
      {
        // The same search as a JSON body, as open platforms that take every call as POST have it.
        method: 'POST',
        path: '/api/v2/orders/search',
        check: (request) => {
          const refused = authenticate(request);
          if (refused) return refused;
          return jsonObject(request.body) ? undefined : { status: 400, body: { code: 40005, message: 'the body must be a JSON object', data: null } };
        },
        commit: (request) => listing(Object.fromEntries(Object.entries(jsonObject(request.body) ?? {}).map(([key, value]) => [key, String(value)]))),
      },
      {
        method: 'POST',
        path: '/api/v2/shipments',
        check: (request) => {
          const refused = authenticate(request);
          if (refused) return refused;
          request.idempotencyKey = header(request, 'idempotency-key');
          const body = jsonObject(request.body);
          const tid = request.query.tid;
          if (!tid || !orders.has(tid)) return { status: 404, body: { code: 40401, message: `trade ${tid ?? ''} not found`, data: null } };
          if (typeof body?.express_company !== 'string' || typeof body.express_no !== 'string') return { status: 400, body: { code: 40003, message: 'express_company and express_no are required', data: null } };
          request.reference = tid;
          return undefined;
        },
        commit: (request) => {
          const body = jsonObject(request.body) as { express_company: string; express_no: string };
          const tid = request.query.tid as string;
          const replay = (request.idempotencyKey && shipmentKeys.get(request.idempotencyKey)) || shipments.find((s) => s.tid === tid && s.expressNo === body.express_no);
          if (replay) return { status: 200, body: { code: 0, message: 'already shipped', data: { tid, express_no: replay.expressNo } }, replayed: true };
          const shipment = { tid, expressCompany: body.express_company, expressNo: body.express_no, idempotencyKey: request.idempotencyKey };
          shipments.push(shipment);
          if (request.idempotencyKey) shipmentKeys.set(request.idempotencyKey, shipment);
          const order = orders.get(tid) as MarketOrder;
          order.status = 'WAIT_BUYER_CONFIRM_GOODS';
          stamp(order);
          return { status: 200, body: { code: 0, message: 'ok', data: { tid, express_no: body.express_no } } };
        },
      },
      {
        method: 'POST',
        path: '/api/v2/inventory',
        check: (request) => {
          const refused = authenticate(request);
          if (refused) return refused;
          return Array.isArray(jsonObject(request.body)?.items) ? undefined : { status: 400, body: { code: 40004, message: 'items must be a list', data: null } };
        },
        commit: (request) => {
          const items = jsonObject(request.body)?.items as { sku: string; quantity: number }[];
          const failed = items.filter((item) => !sellable.has(item.sku)).map((item) => ({ sku: item.sku, code: 'SKU_NOT_FOUND' }));
          for (const item of items) if (sellable.has(item.sku)) stock.set(item.sku, String(item.quantity));
          return { status: 200, body: { code: 0, message: 'ok', data: { updated: items.length - failed.length, failed } } };
        },
      },
    ],
    options,
  );
  const sandboxUrl = sandbox.url;

  function stamp(order: MarketOrder, at: number = Date.now()): void {
    const previous = stamps.get(order.tid);
    // Times are written to the second; a change within the same second still gets a new time.
    const ms = previous === undefined ? at : Math.max(at, previous + 1000);
    stamps.set(order.tid, ms);
    order.update_time = platformTime(ms);
  }

  const find = (tid: string): MarketOrder => {
    const order = orders.get(tid);
    if (!order) throw new Error(`sandbox has no trade ${tid}`);
    return order;
  };

  return {
    ...sandbox,
    auth: options.auth,
    paging: options.paging,
    addOrder(add = {}) {
      seq += 1;
      const at = add.at ?? Date.now();
      const lines = add.lines ?? [
        ['PUMP-200', '2', '12500.00'],
        ['VALVE-DN50', String(10 + seq), '380.50'],
      ];
      const items = lines.map(([sku, num, price], i) => ({
        oid: jsonNumber(String(i + 1)),
        outer_sku_id: sku,
        title: sku === 'PUMP-200' ? '离心泵 200 m³/h' : `商品 ${sku}`,
        num: jsonNumber(num),
        price: jsonNumber(price),
        payment: jsonNumber(times(price, num)),
      }));
      const total = items.reduce((sum, item) => plus(sum, item.payment.literal), '0');
      const order: MarketOrder = {
        tid: `E${platformTime(at).replace(/\D/g, '')}${String(seq).padStart(6, '0')}`,
        status: 'WAIT_SELLER_SEND_GOODS',
        created: platformTime(at),
        update_time: platformTime(at),
        currency: add.currency ?? 'CNY',
        // Beyond 2^53: read through a double it would come back as …800.
        buyer: { buyer_id: jsonNumber('9007199254740993'), nickname: '张工', phone: '13800000000' },
        receiver: { name: '上海建工机电有限公司', tel: '13900000000', province: '上海市', city: '上海市', district: '浦东新区', address: '张江路 88 号', postal_code: '201203' },
        items,
        pay: { total_fee: jsonNumber(total), post_fee: jsonNumber('0.00'), payment: jsonNumber(total) },
        buyer_message: '工作日送货',
      };
      orders.set(order.tid, order);
      stamps.set(order.tid, at);
      return order;
    },
    updateOrder(tid, change, at) {
      const order = find(tid);
      change(order);
      stamp(order, at);
      return order;
    },
    cancelOrder(tid) {
      const order = find(tid);
      order.status = 'TRADE_CLOSED';
      stamp(order);
      return order;
    },
    order: find,
    orderJson: (tid) => stringifyWithDecimals(find(tid)),
    async sendWebhook(hubUrl, connectorId, topic, order, sendOptions = {}) {
      const deliveryId = sendOptions.deliveryId ?? `wh-${randomUUID()}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const body = stringifyWithDecimals({ topic, data: { order } });
      const signature = createHmac('sha256', MARKET_CREDENTIALS.webhookSecret).update(`${timestamp}.${body}`).digest('base64');
      const sent = sendOptions.tamper ? body.replace('"payment":', '"payment":1') : body;
      const delivery = await postCallback(`${hubUrl}/api/v1/hooks/${connectorId}`, sent, {
        'content-type': 'application/json',
        'x-market-topic': topic,
        'x-market-delivery-id': deliveryId,
        'x-market-timestamp': timestamp,
        'x-market-signature': signature,
      });
      return { ...delivery, deliveryId };
    },
    failNext(n, status) {
      const body = status === 429 ? JSON.stringify({ code: 42900, message: 'too many requests', data: null }) : JSON.stringify({ code: 50000, message: 'internal error', data: null });
      sandbox.faults.set(Array.from({ length: n }, () => ({ status, body, ...(status === 429 ? { retryAfterSeconds: 1 } : {}) })));
    },
    callLimitNext(n) {
      callLimited = n;
    },
    expireTokens() {
      tokens.clear();
    },
    tokenRequests: () => tokenCount,
    shipments: () => [...shipments],
    stockLevels: () => new Map(stock),
    listings: () => sandbox.requests.filter((r) => r.path.startsWith('/api/v2/orders') && r.status === 200),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in +08:00, as the platform writes times. */
export function platformTime(ms: number): string {
  return new Date(ms + PLATFORM_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function readPlatformTime(text: string | undefined): number {
  if (!text || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return Number.NaN;
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}

function encodeForm(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** Sandbox arithmetic on decimal strings, without the hub's code under test. */
function times(a: string, b: string): string {
  const scale = (a.split('.')[1] ?? '').length + (b.split('.')[1] ?? '').length;
  const product = BigInt(a.replace('.', '')) * BigInt(b.replace('.', ''));
  return withScale(product, scale);
}

function plus(a: string, b: string): string {
  const scale = Math.max((a.split('.')[1] ?? '').length, (b.split('.')[1] ?? '').length);
  const big = (x: string) => BigInt(x.replace('.', '')) * 10n ** BigInt(scale - (x.split('.')[1] ?? '').length);
  return withScale(big(a) + big(b), scale);
}

function withScale(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const digits = value.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
