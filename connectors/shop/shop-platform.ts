import type { CanonicalOrder, OrderDraftInput } from '../../core/order/order.types';
import type { CallbackRequest, DeliveryOutcome } from '../connector';

/**
 * What one shop platform (Shopify, WooCommerce, Taobao/Tmall, JD, a generic REST source) must
 * provide. Everything else a shop connector does — keeping webhooks raw, deduplicating replays,
 * polling with a cursor and an overlap window, one canonical order per platform order, posting the
 * shipment back, pushing stock — is the same for every platform and lives in shop.connector.ts.
 */

/** One version of one platform order, exactly as the platform shaped it. */
export interface ShopOrderSnapshot {
  /** The platform's own order id (Shopify `id`, Taobao `tid`, JD `orderId`). */
  readonly platformOrderId: string;
  /**
   * The platform's last-modified time of this version (ISO 8601). The same (id, updatedAt) arriving
   * by webhook and again by poll is stored once; a newer one is a change to the same order.
   */
  readonly updatedAt: string;
  /** JSON of this one order as the platform sent it (UTF-8); what intake maps and what the raw store keeps. */
  readonly body: Buffer;
}

/** A verified webhook delivery, read. */
export interface ShopWebhookDelivery {
  /** The platform's id of this delivery (`X-Shopify-Webhook-Id`, `X-WC-Webhook-Delivery-ID`): a replay is recognised by it. */
  readonly eventId: string;
  /** `orders/create`, `order.updated` … */
  readonly topic: string;
  /** Empty for deliveries that carry no order (a ping, another topic): answered 200 and ignored. */
  readonly orders: readonly ShopOrderSnapshot[];
}

export interface ShopWebhooks {
  /**
   * Checks the platform's signature over the raw bytes (and its timestamp, where it sends one).
   * @throws SignatureError — the delivery is kept quarantined and answered 401
   */
  verify(request: CallbackRequest): void;
  /** Reads a verified delivery. @throws ValidationError naming the field — kept quarantined, answered 422 */
  read(request: CallbackRequest): ShopWebhookDelivery | Promise<ShopWebhookDelivery>;
}

/** A platform order in the hub's words. */
export interface ShopOrderMapping {
  /** The platform's own order id; every version of one platform order becomes the same hub order. */
  readonly platformOrderId: string;
  readonly draft: OrderDraftInput;
  /** The platform says the order is cancelled, closed unpaid, or fully refunded: the hub's order is cancelled too. */
  readonly cancelled: boolean;
}

export interface ChangedOrdersWindow {
  /** Inclusive lower bound on the platform's modified time (ISO 8601). */
  readonly since: string;
  /** Exclusive upper bound (ISO 8601). */
  readonly until: string;
  /** The platform's page token (page number, cursor, next link) from the previous page; absent for the first. */
  readonly page?: string;
}

export interface ChangedOrdersPage {
  readonly orders: readonly ShopOrderSnapshot[];
  /** Absent on the last page. */
  readonly nextPage?: string;
}

export interface ShopShipment {
  readonly order: CanonicalOrder;
  /** The platform's order id (the hub order's `source.externalId`). */
  readonly platformOrderId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  /** `${orderId}:order.shipped:${connectorId}`: send it where the platform takes one. */
  readonly idempotencyKey: string;
}

export interface ShopStockLevel {
  readonly sku: string;
  /** Available to promise, a non-negative decimal string (whole units for platforms that want integers). */
  readonly available: string;
}

export interface StockPushResult {
  readonly updated: number;
  /** SKUs the platform does not sell (no listing/variant found): skipped, reported. */
  readonly unknownSkus: readonly string[];
}

export interface ShopPlatform {
  /** 'shopify', 'woocommerce', 'taobao', 'jd', 'rest-poller'. */
  readonly platform: string;
  /** Absent for platforms that only poll (Taobao TOP and JD as used here). */
  readonly webhooks?: ShopWebhooks;
  /**
   * One page of orders modified in the window, oldest first where the platform allows.
   * @throws TransientPartnerError (429 with retryAfterMs, 5xx, timeouts) — the poll stops, the cursor stays
   * @throws PermanentPartnerError (bad credentials, bad request)
   */
  fetchChanged(window: ChangedOrdersWindow, signal: AbortSignal): Promise<ChangedOrdersPage>;
  /**
   * Pure. May answer with a promise: JSONata 2 evaluates only asynchronously, and the generic REST
   * poller maps with it. @throws ValidationError naming the field (as a path in the platform's JSON)
   */
  mapOrder(order: unknown): ShopOrderMapping | Promise<ShopOrderMapping>;
  /**
   * Tells the platform the order shipped, with carrier and tracking number. Idempotent: an order
   * the platform already shows as shipped with this tracking number is a success.
   * @throws TransientPartnerError / PermanentPartnerError as for any delivery
   */
  ship(shipment: ShopShipment, signal: AbortSignal): Promise<DeliveryOutcome>;
  /** Sets the sellable stock of these SKUs on the platform. */
  pushStock?(levels: readonly ShopStockLevel[], signal: AbortSignal): Promise<StockPushResult>;
}
