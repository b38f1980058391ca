import type { Logger } from 'pino';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import { SignatureError } from '../../core/errors/signature.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CursorStore, IntakeLedger, InventoryStore } from '../../core/store/store.port';
import type { CallbackRequest, Connector, DeliveryOutcome, DeliveryRequest, InboundMapper, SourceOrderIdentity, WebhookAnswer } from '../connector';
import type { RawSink } from '../folder/raw-sink';
import type { ShopConnectorConfig } from './shop.config';
import type { ShopOrderSnapshot, ShopPlatform } from './shop-platform';
import { pollChangedOrders, type PollOutcome } from './shop-poll';
import { pushChangedStock, type StockPushOutcome } from './shop-stock-push';

/** Raw messages holding one platform order are stored under this format; intake maps them with the connector's mapper. */
export const SHOP_ORDER_FORMAT = 'shop-order';

export interface ShopDeps {
  /** pino child bound to { connectorId }. */
  readonly log: Logger;
  readonly raw: RawSink;
  readonly ledger: IntakeLedger;
  readonly cursors: CursorStore;
  readonly inventory: Pick<InventoryStore, 'positions' | 'list'>;
}

/** A shop connector: orders in by webhook and catch-up poll, shipments back, stock out. */
export interface ShopConnector extends Connector {
  readonly platform: ShopPlatform;
  readonly config: ShopConnectorConfig;
  /** One catch-up poll over the window since the stored cursor (see shop-poll.ts). */
  poll(signal: AbortSignal): Promise<PollOutcome>;
  /** Pushes the stock levels that changed since the platform was last told; absent without `stockSync`. */
  syncStockOut?(signal: AbortSignal): Promise<StockPushOutcome>;
}

/** Headers never kept with a webhook's raw message: credentials. Signatures are kept, for later audit. */
const SECRET_HEADERS = /^(authorization|cookie|proxy-authorization|x-api-key)$/;

/**
 * Builds the connector for one platform. Every platform order version is stored as its own raw
 * message with `idempotencyKey = <platform order id>@<updatedAt>`, whichever way it came, so a
 * version that arrives by webhook and again by poll is stored (and taken in) once; intake gives
 * every version of one platform order the same hub order (see `identify`).
 */
export function createShopConnector(platform: ShopPlatform, config: ShopConnectorConfig, deps: ShopDeps): ShopConnector {
  const { log } = deps;

  const store = async (snapshot: ShopOrderSnapshot, channel: 'webhook' | 'poll', receivedAt: string, meta: Record<string, unknown>) =>
    deps.raw.write({
      connectorId: config.id,
      channel,
      format: SHOP_ORDER_FORMAT,
      contentType: 'application/json',
      body: snapshot.body,
      externalId: snapshot.platformOrderId,
      idempotencyKey: `${snapshot.platformOrderId}@${snapshot.updatedAt}`,
      receivedAt,
      meta: { ...meta, platform: platform.platform, platformUpdatedAt: snapshot.updatedAt },
    });

  const mapper: InboundMapper = {
    format: SHOP_ORDER_FORMAT,
    async map(body) {
      const { draft } = await platform.mapOrder(body);
      if (draft.currency !== config.currency) {
        throw new ValidationError(`the order is in ${draft.currency}, the shop sells in ${config.currency}`, [
          { path: 'currency', message: `expected ${config.currency}, got ${draft.currency}` },
        ], 'shop.currency_mismatch');
      }
      return draft;
    },
    async identify(body): Promise<SourceOrderIdentity> {
      const { platformOrderId, cancelled } = await platform.mapOrder(body);
      return { key: `${platform.platform}:${platformOrderId}`, cancelled };
    },
  };

  const connector: ShopConnector = {
    id: config.id,
    kind: platform.platform,
    platform,
    config,
    mapper,
    target: {
      async deliver(request: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
        return shipBack(request, signal);
      },
    },
    poll: (signal) => pollChangedOrders({ platform, config, cursors: deps.cursors, log }, (snapshot, at) => store(snapshot, 'poll', at, {}), signal),
    ...(config.stockSync && platform.pushStock
      ? { syncStockOut: (signal: AbortSignal) => pushChangedStock({ platform, config, stockSync: config.stockSync!, cursors: deps.cursors, inventory: deps.inventory, log }, signal) }
      : {}),
    ...(platform.webhooks ? { webhookIntake: { receive: (request: CallbackRequest) => receiveWebhook(request) } } : {}),
  };

  async function receiveWebhook(request: CallbackRequest): Promise<WebhookAnswer> {
    const webhooks = platform.webhooks!;
    const receivedAt = new Date(request.receivedAt).toISOString();
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => !SECRET_HEADERS.test(k)));
    let delivery;
    try {
      webhooks.verify(request);
      delivery = await webhooks.read(request);
    } catch (err) {
      if (!(err instanceof SignatureError || err instanceof ValidationError)) throw err;
      // Kept, never taken in: a forged or broken delivery is evidence, and a fixed one can be replayed.
      await deps.raw.write({
        connectorId: config.id,
        channel: 'webhook',
        format: 'shop-webhook',
        contentType: request.headers['content-type'] ?? 'application/octet-stream',
        body: request.rawBody,
        receivedAt,
        meta: { headers },
        quarantine: { reason: err.code, details: err.details.length ? err.details : [{ path: '', message: err.message }] },
      });
      log.warn({ reason: err.code }, 'shop webhook refused');
      throw err;
    }
    const seen = await deps.ledger.get(config.id, `webhook:${delivery.eventId}`);
    if (seen) {
      log.info({ eventId: delivery.eventId }, 'shop webhook replayed; already taken in');
      return { status: 200, contentType: 'application/json', body: JSON.stringify({ received: 0, duplicate: true }) };
    }
    let stored = 0;
    for (const snapshot of delivery.orders) {
      const { created } = await store(snapshot, 'webhook', receivedAt, { headers, webhookId: delivery.eventId, topic: delivery.topic });
      if (created) stored += 1;
    }
    // Recorded after the raw writes: a crash in between only means a replay is stored again, which the idempotency key absorbs.
    await deps.ledger.record({ connectorId: config.id, key: `webhook:${delivery.eventId}`, at: receivedAt, data: { topic: delivery.topic, orders: delivery.orders.map((o) => o.platformOrderId) } });
    log.info({ eventId: delivery.eventId, topic: delivery.topic, orders: delivery.orders.length, stored }, 'shop webhook taken');
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ received: delivery.orders.length, duplicate: false }) };
  }

  async function shipBack(request: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
    const { order } = request;
    if (order.source.connectorId !== config.id || !order.source.externalId) {
      return { responseBody: `order ${order.id} did not come from ${config.id}; nothing to tell the platform` };
    }
    const shipment = order.shipments.at(-1);
    if (!shipment) {
      throw new PermanentPartnerError(`order ${order.id} has no shipment (carrier and tracking number) to post to ${platform.platform}`, {});
    }
    return platform.ship(
      {
        order,
        platformOrderId: order.source.externalId,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        idempotencyKey: request.delivery.idempotencyKey,
      },
      signal,
    );
  }

  return connector;
}

export function isShopConnector(connector: Connector): connector is ShopConnector {
  const candidate = connector as Partial<ShopConnector>;
  return candidate.platform !== undefined && candidate.config?.poll !== undefined && typeof candidate.poll === 'function';
}
