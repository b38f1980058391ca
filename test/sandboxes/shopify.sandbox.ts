import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { signShopifyWebhook } from '../../connectors/shopify/shopify.signature';
import { parseJson, startSandboxServer, type SandboxAnswer, type SandboxRequest, type SandboxServer } from './erp-sandbox';

/**
 * A Shopify store's REST Admin API, the part the shopify connector calls, with Shopify's payload
 * shapes (https://shopify.dev/docs/api/admin-rest): `GET orders.json` (status, open by default as
 * Shopify's, updated_at_min/max inclusive, order=updated_at asc, limit ≤ 250, keyset `page_info` in the `Link` header, and Shopify's
 * 400 when a filter is repeated beside `page_info`), `GET orders/{id}/fulfillment_orders.json`,
 * `POST fulfillments.json`, `GET products.json` and `POST inventory_levels/set.json`, plus the client
 * credentials grant at `POST /admin/oauth/access_token`. Every API call must carry a valid
 * `X-Shopify-Access-Token` (else Shopify's 401 text). Times are second precision in the shop's zone
 * (+08:00) as Shopify writes them; a second change to one order within a second is stamped a second
 * later, so each version has its own `updated_at`. `failNext` answers Shopify's 429 with `Retry-After`.
 */

export interface ShopifyLineInput {
  readonly sku: string;
  readonly quantity: number;
  readonly price: string;
  /** Decimal fraction, as Shopify's `tax_lines[].rate`: 0.13. */
  readonly taxRate?: number;
  readonly title?: string;
}

export interface ShopifyOrderInput {
  readonly lines: readonly ShopifyLineInput[];
  readonly currency?: string;
  readonly taxesIncluded?: boolean;
  readonly customer?: { readonly first_name: string; readonly last_name: string; readonly email: string };
  readonly company?: string;
  readonly poNumber?: string;
  readonly shipping?: { readonly title: string; readonly price: string };
}

export interface ShopifyShipment {
  readonly orderId: string;
  readonly fulfillmentId: number;
  readonly trackingNumber: string;
  readonly company: string;
  readonly notifyCustomer: boolean;
}

export interface ShopifySandbox extends SandboxServer {
  readonly token: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly locationId: string;
  addOrder(input: ShopifyOrderInput): Record<string, unknown>;
  /** An order exactly as given (a malformed one, say), listed by its `updated_at` if it has one. */
  addRawOrder(json: Record<string, unknown>): void;
  updateOrder(id: string, patch: Record<string, unknown>): Record<string, unknown>;
  /** Every token granted by the client credentials grant stops working (app reinstalled). */
  revokeGrantedTokens(): void;
  cancelOrder(id: string): Record<string, unknown>;
  order(id: string): Record<string, unknown>;
  /** POSTs a webhook as Shopify does; `tamper` changes the body after signing. */
  sendWebhook(hubUrl: string, connectorId: string, topic: string, order: unknown, options?: { readonly tamper?: boolean; readonly webhookId?: string }): Promise<{ status: number; body: string; webhookId: string }>;
  /** The next `n` calls of `operation` answer `status` (429: Shopify's throttle reply with `Retry-After`). */
  failNext(n: number, status: number, operation?: string): void;
  shipments(): readonly ShopifyShipment[];
  /** SKU → `available` at the sandbox location, as last set. */
  stockLevels(): ReadonlyMap<string, number>;
}

const VERSION_PATH = /^\/admin\/api\/(\d{4}-\d{2})(\/.*)$/;
const SHOP_OFFSET_MS = 8 * 3_600_000;
const THROTTLED = { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' };
const UNAUTHORIZED = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

interface FulfillmentOrder {
  id: number;
  order_id: number;
  assigned_location_id: number;
  status: string;
  line_items: { id: number; line_item_id: number; quantity: number; fulfillable_quantity: number }[];
}

export async function startShopifySandbox(options: { skus?: readonly string[] } = {}): Promise<ShopifySandbox> {
  const token = `shpat_${randomUUID().replace(/-/g, '')}`;
  const clientId = 'sandbox-client-id';
  const clientSecret = `shpss_${randomUUID().replace(/-/g, '')}`;
  const locationId = 65_432_198_765;
  const granted = new Set<string>();
  const orders = new Map<string, Record<string, unknown>>();
  const fulfillmentOrders = new Map<string, FulfillmentOrder[]>();
  const shipments: ShopifyShipment[] = [];
  const variants = (options.skus ?? []).map((sku, i) => ({ id: 44_000_000 + i, product_id: 8_000_000 + i, sku, inventory_item_id: 46_000_000 + i }));
  const stock = new Map<string, number>();
  let nextId = 5_501_000_000_000;
  const stamps = new Map<string, number>();

  /** Shopify's second-precision local time; a change to one order is stamped after its previous one. */
  const stamp = (orderId?: string) => {
    const at = Math.max(Math.floor(Date.now() / 1000) * 1000, orderId ? (stamps.get(orderId) ?? 0) + 1000 : 0);
    if (orderId) stamps.set(orderId, at);
    return `${new Date(at + SHOP_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
  };

  const addOrder = (input: ShopifyOrderInput) => {
    const id = nextId++;
    const number = orders.size + 1001;
    const currency = input.currency ?? 'CNY';
    const customer = input.customer ?? { first_name: 'Mei', last_name: 'Chen', email: 'mei.chen@example.com' };
    const address = { first_name: customer.first_name, last_name: customer.last_name, name: `${customer.first_name} ${customer.last_name}`, company: input.company ?? null, address1: '88 Zhangjiang Road', address2: 'Building 3', city: 'Shanghai', province: 'Shanghai', province_code: 'SH', zip: '201203', country: 'China', country_code: 'CN', phone: '+86 138 0000 0000' };
    let subtotal = new Decimal(0);
    let tax = new Decimal(0);
    const lineItems = input.lines.map((line, i) => {
      const gross = new Decimal(line.price).times(line.quantity);
      subtotal = subtotal.plus(gross);
      const lineTax = line.taxRate === undefined ? undefined : input.taxesIncluded ? gross.minus(gross.dividedBy(1 + line.taxRate)).toDecimalPlaces(2) : gross.times(line.taxRate).toDecimalPlaces(2);
      if (lineTax) tax = tax.plus(lineTax);
      return {
        id: id * 10 + i,
        variant_id: variants.find((v) => v.sku === line.sku)?.id ?? null,
        sku: line.sku,
        title: line.title ?? `Item ${line.sku}`,
        name: line.title ?? `Item ${line.sku}`,
        quantity: line.quantity,
        current_quantity: line.quantity,
        fulfillable_quantity: line.quantity,
        price: line.price,
        total_discount: '0.00',
        discount_allocations: [],
        taxable: line.taxRate !== undefined,
        tax_lines: lineTax ? [{ title: 'VAT', price: lineTax.toFixed(2), rate: line.taxRate }] : [],
        requires_shipping: true,
        fulfillment_status: null,
      };
    });
    const shippingPrice = new Decimal(input.shipping?.price ?? 0);
    const total = subtotal.plus(input.taxesIncluded ? 0 : tax).plus(shippingPrice).toFixed(2);
    const at = stamp(String(id));
    const order: Record<string, unknown> = {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${number}`,
      order_number: number,
      po_number: input.poNumber ?? null,
      email: customer.email,
      created_at: at,
      updated_at: at,
      processed_at: at,
      currency,
      presentment_currency: currency,
      taxes_included: input.taxesIncluded ?? false,
      financial_status: 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      cancel_reason: null,
      payment_gateway_names: ['shopify_payments'],
      note: null,
      customer: { id: id + 7, email: customer.email, first_name: customer.first_name, last_name: customer.last_name, phone: null },
      billing_address: address,
      shipping_address: address,
      line_items: lineItems,
      shipping_lines: input.shipping ? [{ id: id + 3, title: input.shipping.title, price: input.shipping.price, tax_lines: [] }] : [],
      subtotal_price: subtotal.toFixed(2),
      current_subtotal_price: subtotal.toFixed(2),
      total_tax: tax.toFixed(2),
      current_total_tax: tax.toFixed(2),
      total_price: total,
      current_total_price: total,
      total_discounts: '0.00',
    };
    orders.set(String(id), order);
    fulfillmentOrders.set(String(id), [
      { id: id + 1, order_id: id, assigned_location_id: locationId, status: 'open', line_items: lineItems.map((li, i) => ({ id: id * 100 + i, line_item_id: li.id, quantity: li.quantity, fulfillable_quantity: li.quantity })) },
    ]);
    return order;
  };

  const changeOrder = (id: string, patch: Record<string, unknown>) => {
    const order = orders.get(id);
    if (!order) throw new Error(`no sandbox order ${id}`);
    Object.assign(order, patch, { updated_at: stamp(id) });
    return order;
  };

  const page = (request: SandboxRequest, base: string): SandboxAnswer => {
    const filters = ['status', 'updated_at_min', 'updated_at_max', 'order', 'created_at_min', 'created_at_max', 'since_id', 'ids', 'financial_status', 'fulfillment_status'];
    const info = request.query.page_info;
    const limit = Number(request.query.limit ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) return { status: 400, body: { errors: { limit: 'limit must be between 1 and 250' } } };
    if (info) {
      const repeated = filters.find((f) => request.query[f] !== undefined);
      if (repeated) return { status: 400, body: { errors: { [repeated]: `${repeated} cannot be passed when page_info is present` } } };
    }
    const cursor = (info ? parseJson(Buffer.from(info, 'base64url').toString('utf8')) : { min: request.query.updated_at_min, max: request.query.updated_at_max, status: request.query.status ?? 'open' }) as { min?: string; max?: string; status: string; after?: [number, number] };
    const min = cursor.min ? Date.parse(cursor.min) : -Infinity;
    const max = cursor.max ? Date.parse(cursor.max) : Infinity;
    const matching = [...orders.values()]
      .filter((o) => typeof o.updated_at === 'string' && Date.parse(o.updated_at) >= min && Date.parse(o.updated_at) <= max)
      // Shopify's default `status=open` leaves out cancelled and closed orders.
      .filter((o) => cursor.status === 'any' || (!o.cancelled_at && !o.closed_at))
      .map((o) => ({ o, key: [Date.parse(o.updated_at as string), Number(o.id)] as [number, number] }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
      .filter(({ key }) => !cursor.after || key[0] > cursor.after[0] || (key[0] === cursor.after[0] && key[1] > cursor.after[1]));
    const slice = matching.slice(0, limit);
    const links: string[] = [];
    if (info) links.push(`<${base}/orders.json?limit=${limit}&page_info=prev>; rel="previous"`);
    if (matching.length > limit) {
      const next = Buffer.from(JSON.stringify({ min: cursor.min, max: cursor.max, status: cursor.status, after: slice.at(-1)!.key })).toString('base64url');
      links.push(`<${base}/orders.json?limit=${limit}&page_info=${next}>; rel="next"`);
    }
    return { status: 200, body: { orders: slice.map(({ o }) => o) }, headers: links.length > 0 ? { link: links.join(', ') } : {} };
  };

  const createFulfillment = (request: SandboxRequest): SandboxAnswer => {
    const body = parseJson(request.body) as { fulfillment?: { line_items_by_fulfillment_order?: { fulfillment_order_id?: number }[]; tracking_info?: { number?: string; company?: string }; notify_customer?: boolean } } | undefined;
    const requested = body?.fulfillment?.line_items_by_fulfillment_order;
    if (!Array.isArray(requested) || requested.length === 0) return { status: 400, body: { errors: { fulfillment: 'Required parameter missing or invalid' } } };
    const all = [...fulfillmentOrders.values()].flat();
    const chosen = requested.map((r) => all.find((fo) => fo.id === r.fulfillment_order_id));
    const missing = requested.find((_, i) => !chosen[i]);
    if (missing) return { status: 404, body: { errors: 'Not Found' } };
    const closed = chosen.find((fo) => fo!.status !== 'open' && fo!.status !== 'in_progress');
    if (closed) return { status: 422, body: { errors: [`Fulfillment order ${closed.id} has an unfulfillable status= ${closed.status}.`] } };
    const orderId = String(chosen[0]!.order_id);
    const fulfillmentId = 255_858_046 + shipments.length;
    for (const fo of chosen) {
      fo!.status = 'closed';
      for (const li of fo!.line_items) li.fulfillable_quantity = 0;
    }
    const tracking = body?.fulfillment?.tracking_info ?? {};
    shipments.push({ orderId, fulfillmentId, trackingNumber: tracking.number ?? '', company: tracking.company ?? '', notifyCustomer: body?.fulfillment?.notify_customer === true });
    changeOrder(orderId, { fulfillment_status: 'fulfilled' });
    return { status: 201, body: { fulfillment: { id: fulfillmentId, order_id: Number(orderId), status: 'success', tracking_company: tracking.company ?? null, tracking_number: tracking.number ?? null, tracking_numbers: tracking.number ? [tracking.number] : [] } } };
  };

  const products = (request: SandboxRequest, base: string): SandboxAnswer => {
    const limit = Number(request.query.limit ?? 50);
    const offset = request.query.page_info ? Number(Buffer.from(request.query.page_info, 'base64url').toString('utf8')) : 0;
    const slice = variants.slice(offset, offset + limit);
    const next = offset + limit < variants.length ? `<${base}/products.json?limit=${limit}&fields=id,variants&page_info=${Buffer.from(String(offset + limit)).toString('base64url')}>; rel="next"` : undefined;
    return { status: 200, body: { products: slice.map((v) => ({ id: v.product_id, variants: [{ id: v.id, sku: v.sku, inventory_item_id: v.inventory_item_id }] })) }, headers: next ? { link: next } : {} };
  };

  const setLevel = (request: SandboxRequest): SandboxAnswer => {
    // Parsed digit for digit: ids are JSON numbers that the connector writes exactly.
    const body = parseJson(request.body) as { location_id?: number; inventory_item_id?: number; available?: number } | undefined;
    const variant = variants.find((v) => v.inventory_item_id === body?.inventory_item_id);
    if (body?.location_id !== locationId) return { status: 422, body: { errors: ['Inventory item is not stocked at the location'] } };
    if (!variant) return { status: 404, body: { errors: 'Not Found' } };
    if (!Number.isInteger(body.available)) return { status: 422, body: { errors: { available: ['must be an integer'] } } };
    stock.set(variant.sku, body.available!);
    return { status: 200, body: { inventory_level: { inventory_item_id: variant.inventory_item_id, location_id: locationId, available: body.available, updated_at: stamp() } } };
  };

  const server = await startSandboxServer({
    operationOf: ({ method, path }) => {
      if (path === '/admin/oauth/access_token') return 'oauth.token';
      const rest = VERSION_PATH.exec(path)?.[2] ?? path;
      if (rest === '/orders.json') return 'orders.list';
      if (/^\/orders\/[^/]+\/fulfillment_orders\.json$/.test(rest)) return 'fulfillment_orders.list';
      if (rest === '/fulfillments.json' && method === 'POST') return 'fulfillments.create';
      if (rest === '/products.json') return 'products.list';
      if (rest === '/inventory_levels/set.json') return 'inventory_levels.set';
      return 'unknown';
    },
    handle: (request) => {
      if (request.operation === 'oauth.token') {
        const form = new URLSearchParams(request.body);
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
          return { status: 400, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
        }
        const issued = `shpat_${randomUUID().replace(/-/g, '')}`;
        granted.add(issued);
        return { status: 200, body: { access_token: issued, scope: 'read_orders,write_merchant_managed_fulfillment_orders,read_products,write_inventory', expires_in: 86_399 } };
      }
      const accessToken = request.headers['x-shopify-access-token'];
      if (accessToken !== token && !granted.has(String(accessToken))) return { status: 401, body: UNAUTHORIZED };
      const version = VERSION_PATH.exec(request.path)?.[1];
      const base = `${server.url}/admin/api/${version}`;
      switch (request.operation) {
        case 'orders.list':
          return page(request, base);
        case 'fulfillment_orders.list': {
          const id = /\/orders\/([^/]+)\//.exec(request.path)?.[1] ?? '';
          return orders.has(id) ? { status: 200, body: { fulfillment_orders: fulfillmentOrders.get(id) ?? [] } } : { status: 404, body: { errors: 'Not Found' } };
        }
        case 'fulfillments.create':
          return createFulfillment(request);
        case 'products.list':
          return products(request, base);
        case 'inventory_levels.set':
          return setLevel(request);
        default:
          return { status: 404, body: { errors: 'Not Found' } };
      }
    },
  });

  return Object.assign(server, {
    token,
    clientId,
    clientSecret,
    locationId: String(locationId),
    addOrder,
    addRawOrder: (json: Record<string, unknown>) => void orders.set(String(json.id ?? `raw-${orders.size}`), json),
    updateOrder: changeOrder,
    revokeGrantedTokens: () => granted.clear(),
    cancelOrder: (id: string) => {
      for (const fo of fulfillmentOrders.get(id) ?? []) fo.status = 'cancelled';
      return changeOrder(id, { cancelled_at: stamp(), cancel_reason: 'customer', financial_status: 'refunded' });
    },
    order: (id: string) => orders.get(id)!,
    async sendWebhook(hubUrl: string, connectorId: string, topic: string, order: unknown, opts: { tamper?: boolean; webhookId?: string } = {}) {
      const body = JSON.stringify(order);
      const webhookId = opts.webhookId ?? randomUUID();
      const sent = opts.tamper ? body.replace(/"quantity":(\d+)/, (_m, q: string) => `"quantity":${Number(q) + 1}`) : body;
      const response = await fetch(`${hubUrl}/api/v1/hooks/${connectorId}`, {
        method: 'POST',
        body: sent,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-hmac-sha256': signShopifyWebhook(clientSecret, body),
          'x-shopify-shop-domain': 'sandbox-shop.myshopify.com',
          'x-shopify-api-version': '2026-10',
          'x-shopify-webhook-id': webhookId,
          'x-shopify-event-id': randomUUID(),
          'x-shopify-triggered-at': new Date().toISOString(),
        },
      });
      return { status: response.status, body: await response.text(), webhookId };
    },
    failNext(n: number, status: number, operation = 'orders.list') {
      const fault = status === 429 ? { status, body: THROTTLED, headers: { 'retry-after': '2.0' } } : { status, body: { errors: 'Internal Server Error' } };
      server.fault(operation, ...Array.from({ length: n }, () => fault));
    },
    shipments: () => shipments,
    stockLevels: () => stock,
  });
}
