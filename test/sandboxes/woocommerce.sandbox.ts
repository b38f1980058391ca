import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { signWooWebhook } from '../../connectors/woocommerce/woocommerce.signature';
import { parseJson, startSandboxServer, type SandboxAnswer, type SandboxRequest, type SandboxServer } from './erp-sandbox';

/**
 * A WooCommerce store's REST API v3, the part the woocommerce connector calls, with WooCommerce's
 * shapes (https://woocommerce.github.io/woocommerce-rest-api-docs/): `GET /orders` (modified_after /
 * modified_before exclusive and compared in GMT with dates_are_gmt, orderby=modified, per_page ≤ 100,
 * page, `X-WP-Total`/`X-WP-TotalPages`, and WordPress's 400 for a page past the end),
 * `GET|PUT /orders/{id}`, `GET|POST /orders/{id}/notes`, `GET /products?sku=` (variations included)
 * and `PUT` of a product or variation. Keys are checked on every request, by Basic auth or query
 * parameters, with WooCommerce's 401 answers. Line `price` is a PHP float as WooCommerce computes it.
 * Times are GMT to the second; a second change to one order within a second is stamped a second
 * later. `failNext` answers 429 with `Retry-After`, as a host's rate limiter in front of WordPress does.
 */

export interface WooLineInput {
  readonly sku: string;
  readonly quantity: number;
  /** Line subtotal before discounts, excluding tax. */
  readonly subtotal: string;
  /** Line total after discounts; defaults to the subtotal. */
  readonly total?: string;
  /** Percent, e.g. 13. */
  readonly ratePercent?: number;
  readonly name?: string;
}

export interface WooOrderInput {
  readonly lines: readonly WooLineInput[];
  readonly currency?: string;
  readonly status?: string;
  readonly company?: string;
  readonly shippingTotal?: string;
}

export interface WooNoteRecord {
  readonly orderId: string;
  readonly noteId: number;
  readonly note: string;
  readonly customerNote: boolean;
}

export interface WooCommerceSandbox extends SandboxServer {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly webhookSecret: string;
  addOrder(input: WooOrderInput): Record<string, unknown>;
  updateOrder(id: string, patch: Record<string, unknown>): Record<string, unknown>;
  cancelOrder(id: string): Record<string, unknown>;
  order(id: string): Record<string, unknown>;
  /** POSTs a webhook as WC_Webhook::deliver does; `tamper` changes the body after signing. */
  sendWebhook(hubUrl: string, connectorId: string, topic: string, order: unknown, options?: { readonly tamper?: boolean; readonly deliveryId?: string }): Promise<{ status: number; body: string; deliveryId: string }>;
  /** POSTs the unsigned ping WooCommerce sends when a webhook is saved. */
  sendPing(hubUrl: string, connectorId: string, webhookId: number): Promise<{ status: number; body: string }>;
  failNext(n: number, status: number, operation?: string): void;
  /** Order notes added through the API (what the hub posted back). */
  shipments(): readonly WooNoteRecord[];
  /** SKU → stock_quantity, as last set. */
  stockLevels(): ReadonlyMap<string, number>;
}

const API = '/wp-json/wc/v3';
const NOT_ALLOWED = { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } };

export async function startWooCommerceSandbox(options: { skus?: readonly string[]; variationSkus?: readonly string[] } = {}): Promise<WooCommerceSandbox> {
  const consumerKey = `ck_${randomUUID().replace(/-/g, '')}`;
  const consumerSecret = `cs_${randomUUID().replace(/-/g, '')}`;
  const webhookSecret = `whsec-${randomUUID()}`;
  const orders = new Map<string, Record<string, unknown>>();
  const stamps = new Map<string, number>();
  const notes: WooNoteRecord[] = [];
  const products = [
    ...(options.skus ?? []).map((sku, i) => ({ id: 100 + i, parent_id: 0, type: 'simple', sku })),
    ...(options.variationSkus ?? []).map((sku, i) => ({ id: 500 + i, parent_id: 499, type: 'variation', sku })),
  ];
  const stock = new Map<string, number>();
  let nextId = 727;
  let nextNote = 9000;

  const stamp = (id: string) => {
    const at = Math.max(Math.floor(Date.now() / 1000) * 1000, (stamps.get(id) ?? 0) + 1000);
    stamps.set(id, at);
    return new Date(at).toISOString().slice(0, 19);
  };

  const addOrder = (input: WooOrderInput) => {
    const id = nextId++;
    const rates = [...new Set(input.lines.flatMap((l) => (l.ratePercent === undefined ? [] : [l.ratePercent])))];
    let cartTax = new Decimal(0);
    let goods = new Decimal(0);
    const lineItems = input.lines.map((line, i) => {
      const total = new Decimal(line.total ?? line.subtotal);
      const tax = line.ratePercent === undefined ? new Decimal(0) : total.times(line.ratePercent).dividedBy(100).toDecimalPlaces(2);
      cartTax = cartTax.plus(tax);
      goods = goods.plus(total);
      const rateId = line.ratePercent === undefined ? undefined : 70 + rates.indexOf(line.ratePercent);
      return {
        id: id * 10 + i,
        name: line.name ?? `Item ${line.sku}`,
        product_id: products.find((p) => p.sku === line.sku)?.id ?? 0,
        variation_id: 0,
        quantity: line.quantity,
        tax_class: '',
        subtotal: new Decimal(line.subtotal).toFixed(2),
        subtotal_tax: tax.toFixed(2),
        total: total.toFixed(2),
        total_tax: tax.toFixed(2),
        taxes: rateId === undefined ? [] : [{ id: rateId, total: tax.toFixed(6), subtotal: tax.toFixed(6) }],
        meta_data: [],
        sku: line.sku,
        // PHP: (float) subtotal / quantity, written by json_encode with serialize_precision -1.
        price: Number(line.subtotal) / line.quantity,
      };
    });
    const shipping = new Decimal(input.shippingTotal ?? '0');
    const at = stamp(String(id));
    const billing = { first_name: 'Lei', last_name: 'Zhang', company: input.company ?? '', address_1: '969 Market', address_2: '', city: 'San Francisco', state: 'CA', postcode: '94103', country: 'US', email: 'lei.zhang@example.com', phone: '(555) 555-5555' };
    const order: Record<string, unknown> = {
      id,
      parent_id: 0,
      number: String(id),
      order_key: `wc_order_${randomUUID().slice(0, 13)}`,
      created_via: 'checkout',
      status: input.status ?? 'processing',
      currency: input.currency ?? 'USD',
      date_created: at,
      date_created_gmt: at,
      date_modified: at,
      date_modified_gmt: at,
      discount_total: lineItems.reduce((sum, l) => sum.plus(l.subtotal).minus(l.total), new Decimal(0)).toFixed(2),
      shipping_total: shipping.toFixed(2),
      shipping_tax: '0.00',
      cart_tax: cartTax.toFixed(2),
      total: goods.plus(cartTax).plus(shipping).toFixed(2),
      total_tax: cartTax.toFixed(2),
      prices_include_tax: false,
      customer_id: 0,
      customer_note: '',
      billing,
      shipping: { ...billing, email: undefined },
      payment_method: 'bacs',
      payment_method_title: 'Direct Bank Transfer',
      date_paid_gmt: null,
      line_items: lineItems,
      tax_lines: rates.map((rate, i) => ({ id: 300 + i, rate_code: `US-CA-TAX-${i + 1}`, rate_id: 70 + i, label: 'Tax', compound: false, tax_total: cartTax.toFixed(2), shipping_tax_total: '0.00', rate_percent: rate })),
      shipping_lines: shipping.isZero() ? [] : [{ id: id + 1, method_title: 'Flat Rate', method_id: 'flat_rate', total: shipping.toFixed(2), total_tax: '0.00' }],
      fee_lines: [],
      coupon_lines: [],
      refunds: [],
    };
    orders.set(String(id), order);
    return order;
  };

  const changeOrder = (id: string, patch: Record<string, unknown>) => {
    const order = orders.get(id);
    if (!order) throw new Error(`no sandbox order ${id}`);
    const at = stamp(id);
    return Object.assign(order, patch, { date_modified: at, date_modified_gmt: at });
  };

  const authorised = (request: SandboxRequest): SandboxAnswer | undefined => {
    const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const [key, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [request.query.consumer_key, request.query.consumer_secret];
    if (key === undefined) return { status: 401, body: NOT_ALLOWED };
    if (key !== consumerKey) return { status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } } };
    if (secret !== consumerSecret) return { status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } } };
    return undefined;
  };

  const listOrders = (request: SandboxRequest): SandboxAnswer => {
    const q = request.query;
    const perPage = Number(q.per_page ?? 10);
    const page = Number(q.page ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return { status: 400, body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): per_page', data: { status: 400, params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } } } };
    // Without dates_are_gmt the bounds would be read in the site's zone; the sandbox site runs on GMT+8.
    const shift = q.dates_are_gmt === 'true' ? 0 : 8 * 3_600_000;
    const after = q.modified_after ? Date.parse(`${q.modified_after}Z`) - shift : -Infinity;
    const before = q.modified_before ? Date.parse(`${q.modified_before}Z`) - shift : Infinity;
    const modified = (o: Record<string, unknown>) => Date.parse(`${o.date_modified_gmt as string}Z`);
    const matching = [...orders.values()].filter((o) => modified(o) > after && modified(o) < before);
    if (q.orderby === 'modified') matching.sort((a, b) => (modified(a) - modified(b)) * (q.order === 'asc' ? 1 : -1) || Number(a.id) - Number(b.id));
    const totalPages = Math.ceil(matching.length / perPage);
    if (matching.length > 0 && page > totalPages) return { status: 400, body: { code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } } };
    return { status: 200, body: matching.slice((page - 1) * perPage, page * perPage), headers: { 'x-wp-total': String(matching.length), 'x-wp-totalpages': String(totalPages) } };
  };

  const invalidId = { status: 404, body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } } };

  const handleOrder = (request: SandboxRequest, id: string, sub: string | undefined): SandboxAnswer => {
    const order = orders.get(id);
    if (!order) return invalidId;
    if (sub === 'notes' && request.method === 'GET') {
      return { status: 200, body: notes.filter((n) => n.orderId === id).map((n) => ({ id: n.noteId, author: 'WooCommerce', date_created_gmt: order.date_modified_gmt, note: n.note, customer_note: n.customerNote })) };
    }
    if (sub === 'notes' && request.method === 'POST') {
      const body = parseJson(request.body) as { note?: string; customer_note?: boolean } | undefined;
      if (!body?.note) return { status: 400, body: { code: 'rest_missing_callback_param', message: 'Missing parameter(s): note', data: { status: 400, params: ['note'] } } };
      const record = { orderId: id, noteId: nextNote++, note: body.note, customerNote: body.customer_note === true };
      notes.push(record);
      return { status: 201, body: { id: record.noteId, author: 'WooCommerce', note: record.note, customer_note: record.customerNote } };
    }
    if (request.method === 'PUT') {
      const body = (parseJson(request.body) ?? {}) as Record<string, unknown>;
      return { status: 200, body: changeOrder(id, typeof body.status === 'string' ? { status: body.status } : {}) };
    }
    return { status: 200, body: order };
  };

  const handleProduct = (request: SandboxRequest, rest: string): SandboxAnswer => {
    if (rest === '/products' && request.method === 'GET') {
      const wanted = (request.query.sku ?? '').split(',');
      return { status: 200, body: products.filter((p) => (request.query.sku ? wanted.includes(p.sku) : p.type !== 'variation')) };
    }
    const match = /^\/products\/(\d+)(?:\/variations\/(\d+))?$/.exec(rest);
    const product = products.find((p) => p.id === Number(match?.[2] ?? match?.[1]) && (!match?.[2] || p.parent_id === Number(match[1])));
    if (!match || request.method !== 'PUT' || !product) return { status: 404, body: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 404 } } };
    const body = (parseJson(request.body) ?? {}) as { stock_quantity?: number; manage_stock?: boolean };
    if (body.manage_stock === true && Number.isInteger(body.stock_quantity)) stock.set(product.sku, body.stock_quantity!);
    return { status: 200, body: { ...product, manage_stock: body.manage_stock, stock_quantity: body.stock_quantity } };
  };

  const server = await startSandboxServer({
    operationOf: ({ method, path }) => {
      const rest = path.startsWith(API) ? path.slice(API.length) : path;
      if (rest === '/orders') return 'orders.list';
      if (/^\/orders\/\d+\/notes$/.test(rest)) return method === 'POST' ? 'notes.create' : 'notes.list';
      if (/^\/orders\/\d+$/.test(rest)) return method === 'PUT' ? 'order.update' : 'order.get';
      if (rest === '/products') return 'products.list';
      if (rest.startsWith('/products/')) return 'product.update';
      return 'unknown';
    },
    handle: (request) => {
      const refusal = authorised(request);
      if (refusal) return refusal;
      const rest = request.path.startsWith(API) ? request.path.slice(API.length) : request.path;
      if (request.operation === 'orders.list') return listOrders(request);
      const order = /^\/orders\/(\d+)(?:\/(notes))?$/.exec(rest);
      if (order) return handleOrder(request, order[1]!, order[2]);
      if (rest.startsWith('/products')) return handleProduct(request, rest);
      return { status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } };
    },
  });

  return Object.assign(server, {
    consumerKey,
    consumerSecret,
    webhookSecret,
    addOrder,
    updateOrder: changeOrder,
    cancelOrder: (id: string) => changeOrder(id, { status: 'cancelled' }),
    order: (id: string) => orders.get(id)!,
    async sendWebhook(hubUrl: string, connectorId: string, topic: string, order: unknown, opts: { tamper?: boolean; deliveryId?: string } = {}) {
      const body = JSON.stringify(order);
      const deliveryId = opts.deliveryId ?? randomUUID().replace(/-/g, '');
      const sent = opts.tamper ? body.replace(/"quantity":(\d+)/, (_m, q: string) => `"quantity":${Number(q) + 1}`) : body;
      const [resource, event] = topic.split('.');
      const response = await fetch(`${hubUrl}/api/v1/hooks/${connectorId}`, {
        method: 'POST',
        body: sent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)',
          'x-wc-webhook-source': `${server.url}/`,
          'x-wc-webhook-topic': topic,
          'x-wc-webhook-resource': resource ?? '',
          'x-wc-webhook-event': event ?? '',
          'x-wc-webhook-signature': signWooWebhook(webhookSecret, body),
          'x-wc-webhook-id': '12',
          'x-wc-webhook-delivery-id': deliveryId,
        },
      });
      return { status: response.status, body: await response.text(), deliveryId };
    },
    async sendPing(hubUrl: string, connectorId: string, webhookId: number) {
      const response = await fetch(`${hubUrl}/api/v1/hooks/${connectorId}`, {
        method: 'POST',
        body: `webhook_id=${webhookId}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)' },
      });
      return { status: response.status, body: await response.text() };
    },
    failNext(n: number, status: number, operation = 'orders.list') {
      const fault = status === 429 ? { status, retryAfterSeconds: 1, body: '<html><body><h1>429 Too Many Requests</h1></body></html>' } : { status, body: { code: 'internal_server_error', message: 'There has been a critical error on this website.', data: { status } } };
      server.fault(operation, ...Array.from({ length: n }, () => fault));
    },
    shipments: () => notes,
    stockLevels: () => stock,
  });
}
