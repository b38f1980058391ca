import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CallbackRequest, DeliveryOutcome } from '../connector';
import { jsonNumber, stringifyWithDecimals } from '../shared/json-decimals';
import { jsonValue } from '../shared/payload-reader';
import type { ChangedOrdersPage, ChangedOrdersWindow, ShopOrderSnapshot, ShopPlatform, ShopShipment, ShopStockLevel, StockPushResult, ShopWebhookDelivery } from '../shop/shop-platform';
import { createShopifyClient, SHOPIFY_PAGE_LIMIT, type ShopifyClient } from './shopify.client';
import type { ShopifyConfig } from './shopify.config';
import { mapShopifyOrder, readShopifyOrderRef } from './shopify.mapping';
import { SHOPIFY_HMAC_HEADER, verifyShopifyWebhook } from './shopify.signature';

/**
 * Shopify as a shop platform, over the REST Admin API:
 * - orders changed in a window: `GET /orders.json?status=any&updated_at_min&updated_at_max&limit=250&order=updated_at asc`,
 *   later pages by the `page_info` of the `Link` header alone, since no other filter may be repeated
 *   with it (https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders,
 *   https://shopify.dev/docs/api/admin-rest/usage/pagination);
 * - webhooks `orders/create`, `orders/updated`, `orders/cancelled` … signed per shopify.signature.ts;
 * - shipping back through fulfillment orders: `GET /orders/{id}/fulfillment_orders.json`, then
 *   `POST /fulfillments.json` with `line_items_by_fulfillment_order` and `tracking_info`
 *   (https://shopify.dev/docs/api/admin-rest/latest/resources/fulfillmentorder,
 *   https://shopify.dev/docs/api/admin-rest/latest/resources/fulfillment#post-fulfillments);
 * - stock: `POST /inventory_levels/set.json` for the variant's inventory item at one location
 *   (https://shopify.dev/docs/api/admin-rest/latest/resources/inventorylevel#post-inventory-levels-set).
 */

/** Topics whose payload is an order; any other topic is acknowledged and ignored. `orders/edited` carries an order edit, not the order, and the order's own `orders/updated` follows it. */
const ORDER_TOPICS: ReadonlySet<string> = new Set(['orders/create', 'orders/updated', 'orders/cancelled', 'orders/paid', 'orders/fulfilled', 'orders/partially_fulfilled']);
/** Fulfillment order states in which items can still be fulfilled (FulfillmentOrder `status`). */
const FULFILLABLE = new Set(['open', 'in_progress']);
/** States that hold items back until the merchant acts in Shopify. */
const HELD = new Set(['on_hold', 'scheduled']);
/** SKU → inventory item is read from the product list, which REST cannot search by SKU; reread this often. */
const CATALOG_TTL_MS = 10 * 60_000;

interface FulfillmentOrder {
  readonly id: number;
  readonly status: string;
  readonly assigned_location_id?: number;
  readonly line_items: readonly { readonly fulfillable_quantity: number }[];
}

interface Variant {
  readonly sku?: string | null;
  readonly inventory_item_id?: number | null;
}

export function createShopifyPlatform(config: ShopifyConfig, log: Logger, client: ShopifyClient = createShopifyClient(config)): ShopPlatform {
  let catalog: { readonly at: number; readonly items: Map<string, number> } | undefined;

  async function fetchChanged(window: ChangedOrdersWindow, signal: AbortSignal): Promise<ChangedOrdersPage> {
    const query = window.page
      ? new URLSearchParams({ limit: String(SHOPIFY_PAGE_LIMIT), page_info: window.page })
      : new URLSearchParams({ status: 'any', updated_at_min: window.since, updated_at_max: window.until, limit: String(SHOPIFY_PAGE_LIMIT), order: 'updated_at asc' });
    const reply = await client.call<{ orders?: unknown[] }>('GET', `/orders.json?${query}`, undefined, signal);
    if (!Array.isArray(reply.data.orders)) throw new PermanentPartnerError('Shopify order list has no `orders` array', { status: reply.status, body: reply.keptBody });
    return { orders: reply.data.orders.map((order) => snapshotOf(order, window)), ...(reply.nextPageInfo ? { nextPage: reply.nextPageInfo } : {}) };
  }

  /**
   * One listed order as a raw message. An element without a readable id or `updated_at` is still
   * kept, under a key made from its content, so intake quarantines it naming the field instead of
   * it blocking every later poll.
   */
  function snapshotOf(order: unknown, window: ChangedOrdersWindow): ShopOrderSnapshot {
    const body = Buffer.from(JSON.stringify(order), 'utf8');
    try {
      return { ...readShopifyOrderRef(order), body };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const key = `unreadable-${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
      log.warn({ key, details: err.details }, 'Shopify listed an order the hub cannot identify; kept for intake to quarantine');
      return { platformOrderId: key, updatedAt: window.since, body };
    }
  }

  async function ship(shipment: ShopShipment, signal: AbortSignal): Promise<DeliveryOutcome> {
    const orderId = shipment.platformOrderId;
    const listed = await client.call<{ fulfillment_orders?: FulfillmentOrder[] }>('GET', `/orders/${encodeURIComponent(orderId)}/fulfillment_orders.json`, undefined, signal);
    const open = (listed.data.fulfillment_orders ?? []).filter((fo) => fo.line_items.some((li) => li.fulfillable_quantity > 0));
    const fulfillable = open.filter((fo) => FULFILLABLE.has(fo.status));
    if (fulfillable.length === 0) {
      const held = open.filter((fo) => HELD.has(fo.status));
      if (held.length > 0) {
        throw new PermanentPartnerError(`Shopify order ${orderId} has fulfillment orders ${held.map((fo) => `${fo.id} (${fo.status})`).join(', ')}; release them in Shopify, then replay this delivery`, { status: listed.status, body: listed.keptBody });
      }
      // Nothing left to fulfil: this connector fulfilled it on an attempt whose answer was lost, or the merchant did.
      return { status: listed.status, responseBody: `Shopify order ${orderId} has nothing left to fulfil; taken as shipped` };
    }
    const refs: string[] = [];
    let last: { status: number; keptBody: string } = listed;
    // One fulfillment covers fulfillment orders of one location only.
    for (const group of groupBy(fulfillable, (fo) => String(fo.assigned_location_id ?? ''))) {
      const body = stringifyWithDecimals({
        fulfillment: {
          line_items_by_fulfillment_order: group.map((fo) => ({ fulfillment_order_id: jsonNumber(String(fo.id)) })),
          tracking_info: { number: shipment.trackingNumber, company: config.carrierNames[shipment.carrier] ?? shipment.carrier },
          notify_customer: config.notifyCustomer,
        },
      });
      const created = await client.call<{ fulfillment?: { id?: number } }>('POST', '/fulfillments.json', body, signal);
      if (created.data.fulfillment?.id !== undefined) refs.push(String(created.data.fulfillment.id));
      last = created;
    }
    return { status: last.status, responseBody: last.keptBody, ...(refs.length > 0 ? { partnerRef: refs.join(',') } : {}) };
  }

  async function pushStock(levels: readonly ShopStockLevel[], signal: AbortSignal): Promise<StockPushResult> {
    const items = await inventoryItems(signal);
    const unknownSkus: string[] = [];
    let updated = 0;
    for (const level of levels) {
      const item = items.get(level.sku);
      if (item === undefined) {
        unknownSkus.push(level.sku);
        continue;
      }
      const body = stringifyWithDecimals({ location_id: jsonNumber(config.locationId!), inventory_item_id: jsonNumber(String(item)), available: jsonNumber(level.available) });
      try {
        await client.call('POST', '/inventory_levels/set.json', body, signal);
        updated += 1;
      } catch (err) {
        // 422: the item is not stocked at this location or does not track inventory; nothing the next push would change.
        if (!(err instanceof PermanentPartnerError) || err.response.status !== 422) throw err;
        log.warn({ sku: level.sku, inventoryItemId: item, answer: err.response.body }, 'Shopify refused the stock level for this SKU at the configured location');
        unknownSkus.push(level.sku);
      }
    }
    return { updated, unknownSkus };
  }

  /** Every variant's SKU → inventory item id, read from the product list (REST has no lookup by SKU). */
  async function inventoryItems(signal: AbortSignal): Promise<Map<string, number>> {
    if (catalog && Date.now() - catalog.at < CATALOG_TTL_MS) return catalog.items;
    const items = new Map<string, number>();
    let pageInfo: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(SHOPIFY_PAGE_LIMIT), fields: 'id,variants', ...(pageInfo ? { page_info: pageInfo } : {}) });
      const reply = await client.call<{ products?: { variants?: Variant[] }[] }>('GET', `/products.json?${query}`, undefined, signal);
      for (const variant of (reply.data.products ?? []).flatMap((p) => p.variants ?? [])) {
        if (variant.sku && typeof variant.inventory_item_id === 'number') items.set(variant.sku, variant.inventory_item_id);
      }
      pageInfo = reply.nextPageInfo;
    } while (pageInfo);
    catalog = { at: Date.now(), items };
    return items;
  }

  return {
    platform: 'shopify',
    webhooks: {
      verify(request: CallbackRequest) {
        verifyShopifyWebhook(config.clientSecret, request.headers[SHOPIFY_HMAC_HEADER], request.rawBody);
      },
      read(request: CallbackRequest): ShopWebhookDelivery {
        const eventId = request.headers['x-shopify-webhook-id'];
        const topic = request.headers['x-shopify-topic'];
        if (!eventId || !topic) {
          const missing = [...(eventId ? [] : ['x-shopify-webhook-id']), ...(topic ? [] : ['x-shopify-topic'])];
          throw new ValidationError(`Shopify webhook without ${missing.join(' and ')}`, missing.map((path) => ({ path, message: 'header is required' })), 'shopify.webhook_invalid');
        }
        if (!ORDER_TOPICS.has(topic)) return { eventId, topic, orders: [] };
        const ref = readShopifyOrderRef(jsonValue(request.rawBody, 'shopify.order_invalid'));
        return { eventId, topic, orders: [{ ...ref, body: request.rawBody }] };
      },
    },
    fetchChanged,
    mapOrder: mapShopifyOrder,
    ship,
    ...(config.locationId ? { pushStock } : {}),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}
