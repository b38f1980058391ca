import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CallbackRequest, DeliveryOutcome } from '../connector';
import { jsonValue } from '../shared/payload-reader';
import type { ChangedOrdersPage, ChangedOrdersWindow, ShopOrderSnapshot, ShopPlatform, ShopShipment, ShopStockLevel, ShopWebhookDelivery, StockPushResult } from '../shop/shop-platform';
import { createWooClient, type WooClient } from './woocommerce.client';
import type { WooCommerceConfig } from './woocommerce.config';
import { mapWooOrder, readWooOrderRef } from './woocommerce.mapping';
import { verifyWooWebhook, WOO_SIGNATURE_HEADER } from './woocommerce.signature';

/**
 * WooCommerce as a shop platform, over the REST API v3 (https://woocommerce.github.io/woocommerce-rest-api-docs/):
 * - orders changed in a window: `GET /orders?modified_after&modified_before&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=N`
 *   (modified_after/modified_before since WooCommerce 5.8; both exclusive, second precision);
 * - webhooks `order.created`, `order.updated`, `order.restored`, signed per woocommerce.signature.ts;
 *   the ping sent when a webhook is saved (body `webhook_id=<id>`, unsigned) is answered 200;
 * - shipping back: `POST /orders/{id}/notes` with the tracking number as a customer note, after
 *   checking `GET /orders/{id}/notes` for it, then `PUT /orders/{id}` with the shipped status;
 * - stock: `GET /products?sku=` (variations included when filtering by SKU), then
 *   `PUT /products/{id}` or `PUT /products/{parent}/variations/{id}` with `stock_quantity`.
 */

/** WooCommerce's largest page (`per_page` maximum). */
const PER_PAGE = 100;
const ORDER_TOPICS: ReadonlySet<string> = new Set(['order.created', 'order.updated', 'order.restored']);
/** What WooCommerce posts when a webhook is created or its URL changed (WC_Webhook::deliver_ping). */
const PING_BODY = /^webhook_id=(\d+)$/;
/** Orders the hub must not mark shipped on the store. */
const CLOSED_STATUSES = new Set(['cancelled', 'refunded', 'failed', 'trash']);
/** SKU → product found with `GET /products?sku=`; reread this often, since products change rarely. */
const PRODUCT_TTL_MS = 10 * 60_000;

interface WooNote {
  readonly id: number;
  readonly note: string;
}

interface WooProduct {
  readonly id: number;
  readonly parent_id?: number;
  readonly type?: string;
  readonly sku?: string;
}

export function createWooCommercePlatform(config: WooCommerceConfig, log: Logger, client: WooClient = createWooClient(config)): ShopPlatform {
  const products = new Map<string, { readonly at: number; readonly path: string | undefined }>();

  /**
   * Pages are walked by time rather than by page number alone: an order modified while the poll
   * runs leaves the window, and every later page would then start one order further on, skipping
   * one that never changed. So each next page asks again from one second before the last order seen
   * (repeats are stored once); only when a whole page shares one second does it move to page N+1.
   */
  async function fetchChanged(window: ChangedOrdersWindow, signal: AbortSignal): Promise<ChangedOrdersPage> {
    const [after, page] = window.page ? parseToken(window.page) : [gmtSecond(Date.parse(window.since) - 1000), 1];
    const query = new URLSearchParams({
      modified_after: after,
      modified_before: gmtSecond(Date.parse(window.until)),
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: String(PER_PAGE),
      page: String(page),
    });
    const reply = await client.call<unknown>('GET', '/orders', query, undefined, signal);
    if (!Array.isArray(reply.data)) throw new PermanentPartnerError('WooCommerce order list is not an array', { status: reply.status, body: reply.keptBody });
    const orders = reply.data.map((order) => snapshotOf(order, window));
    const more = reply.totalPages !== undefined ? page < reply.totalPages : orders.length === PER_PAGE;
    if (!more) return { orders };
    const last = orders.at(-1)!;
    const nextAfter = gmtSecond(Date.parse(last.updatedAt) - 1000);
    return { orders, nextPage: nextAfter > after ? `${nextAfter}|1` : `${after}|${page + 1}` };
  }

  /** As for Shopify: an order the hub cannot identify is kept under a content key, for intake to quarantine. */
  function snapshotOf(order: unknown, window: ChangedOrdersWindow): ShopOrderSnapshot {
    const body = Buffer.from(JSON.stringify(order), 'utf8');
    try {
      return { ...readWooOrderRef(order), body };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const key = `unreadable-${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
      log.warn({ key, details: err.details }, 'WooCommerce listed an order the hub cannot identify; kept for intake to quarantine');
      return { platformOrderId: key, updatedAt: window.since, body };
    }
  }

  async function ship(shipment: ShopShipment, signal: AbortSignal): Promise<DeliveryOutcome> {
    const path = `/orders/${encodeURIComponent(shipment.platformOrderId)}`;
    const order = await client.call<{ status?: string }>('GET', path, undefined, undefined, signal);
    const status = order.data.status ?? '';
    if (CLOSED_STATUSES.has(status)) {
      throw new PermanentPartnerError(`WooCommerce order ${shipment.platformOrderId} is ${status}; not marked shipped`, { status: order.status, body: order.keptBody });
    }
    // WooCommerce has no idempotency key: an attempt whose answer was lost left its note, which is looked for first.
    const notes = await client.call<WooNote[]>('GET', `${path}/notes`, undefined, undefined, signal);
    let note = (Array.isArray(notes.data) ? notes.data : []).find((n) => n.note.includes(shipment.trackingNumber));
    let last: { status: number; keptBody: string } = notes;
    if (!note) {
      const created = await client.call<WooNote>('POST', `${path}/notes`, undefined, { note: `Shipped with ${shipment.carrier}, tracking number ${shipment.trackingNumber}.`, customer_note: true }, signal);
      note = created.data;
      last = created;
    }
    if (status !== config.shippedStatus) last = await client.call('PUT', path, undefined, { status: config.shippedStatus }, signal);
    return { status: last.status, responseBody: last.keptBody, ...(note?.id !== undefined ? { partnerRef: String(note.id) } : {}) };
  }

  async function pushStock(levels: readonly ShopStockLevel[], signal: AbortSignal): Promise<StockPushResult> {
    const unknownSkus: string[] = [];
    let updated = 0;
    for (const level of levels) {
      const path = await productPath(level.sku, signal);
      if (!path) {
        unknownSkus.push(level.sku);
        continue;
      }
      // stock_quantity is only kept for products that manage stock, so the hub turns that on.
      await client.call('PUT', path, undefined, { manage_stock: true, stock_quantity: Number(level.available) }, signal);
      updated += 1;
    }
    return { updated, unknownSkus };
  }

  async function productPath(sku: string, signal: AbortSignal): Promise<string | undefined> {
    const cached = products.get(sku);
    if (cached && Date.now() - cached.at < PRODUCT_TTL_MS) return cached.path;
    const found = await client.call<WooProduct[]>('GET', '/products', new URLSearchParams({ sku }), undefined, signal);
    const product = (Array.isArray(found.data) ? found.data : []).find((p) => p.sku === sku);
    const path = !product ? undefined : product.type === 'variation' && product.parent_id ? `/products/${product.parent_id}/variations/${product.id}` : `/products/${product.id}`;
    products.set(sku, { at: Date.now(), path });
    return path;
  }

  return {
    platform: 'woocommerce',
    webhooks: {
      verify(request: CallbackRequest) {
        const signature = request.headers[WOO_SIGNATURE_HEADER];
        // WooCommerce sends its ping unsigned; it carries nothing and is taken as nothing.
        if (!signature && PING_BODY.test(request.rawBody.toString('utf8'))) return;
        verifyWooWebhook(config.webhookSecret, signature, request.rawBody);
      },
      read(request: CallbackRequest): ShopWebhookDelivery {
        const ping = PING_BODY.exec(request.rawBody.toString('utf8'));
        if (ping && !request.headers[WOO_SIGNATURE_HEADER]) return { eventId: `ping:${ping[1]}`, topic: 'ping', orders: [] };
        const deliveryId = request.headers['x-wc-webhook-delivery-id'];
        const topic = request.headers['x-wc-webhook-topic'];
        if (!deliveryId || !topic) {
          const missing = [...(deliveryId ? [] : ['x-wc-webhook-delivery-id']), ...(topic ? [] : ['x-wc-webhook-topic'])];
          throw new ValidationError(`WooCommerce webhook without ${missing.join(' and ')}`, missing.map((path) => ({ path, message: 'header is required' })), 'woocommerce.webhook_invalid');
        }
        if (!ORDER_TOPICS.has(topic)) return { eventId: deliveryId, topic, orders: [] };
        const ref = readWooOrderRef(jsonValue(request.rawBody, 'woocommerce.order_invalid'));
        // The delivery id is a hash of the webhook id and the current second (WC_Webhook::get_new_delivery_id),
        // so two orders delivered by one webhook within a second share it; the order version makes it unique.
        return { eventId: `${deliveryId}:${ref.platformOrderId}@${ref.updatedAt}`, topic, orders: [{ ...ref, body: request.rawBody }] };
      },
    },
    fetchChanged,
    mapOrder: mapWooOrder,
    ship,
    pushStock,
  };
}

/** GMT to the second, as WooCommerce compares dates with `dates_are_gmt`: `2026-03-22T16:28:08` (rounded down). */
function gmtSecond(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function parseToken(token: string): [string, number] {
  const [after, page] = token.split('|');
  if (!after || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(after) || !/^\d+$/.test(page ?? '')) throw new PermanentPartnerError(`unreadable WooCommerce page token ${token}`);
  return [after, Number(page)];
}
