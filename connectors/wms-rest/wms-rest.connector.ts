import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { InventoryStore, StockLevel } from '../../core/store/store.port';
import type { Connector, ConnectorDefinition, DeliveryOutcome, DeliveryRequest } from '../connector';
import { postJson } from '../shared/http-client';
import { getText } from './wms-http';
import { wmsRestConfig, type WmsRestConfig } from './wms-rest.config';
import { deliveryNumber, outboundDelivery, readStockPage } from './wms-rest.mapping';

/**
 * Generic REST WMS (contract in README.md): `order.confirmed` becomes an outbound delivery, created
 * once per Idempotency-Key (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/)
 * and answered with the WMS's delivery number; stock is read page by page (opaque cursor, as in
 * https://jsonapi.org/profiles/ethanresnick/cursor-pagination/) and written to the hub's inventory
 * by `syncStock`, which the scheduler calls.
 */

const USER_AGENT = 'order-hub/0.1';
/** Only a confirmed order is ready to pick; other events routed here are a routing mistake. */
const ACCEPTED_EVENT = 'order.confirmed';

/** Reads the WMS's on-hand stock; what the scheduler's stock sync needs of a connector. */
export interface StockSource {
  fetchStock(signal: AbortSignal): Promise<StockLevel[]>;
}

export type WmsRestConnector = Connector & StockSource;

export const wmsRest = {
  kind: 'wms-rest',
  summary: 'Creates a WMS outbound delivery on order.confirmed (Idempotency-Key) and reads paged stock for the scheduled inventory sync.',
  config: wmsRestConfig,
  create(config: WmsRestConfig): WmsRestConnector {
    const auth = { Authorization: `Bearer ${config.apiKey}`, 'User-Agent': USER_AGENT };
    return {
      id: config.id,
      kind: 'wms-rest',
      target: {
        async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
          if (event !== ACCEPTED_EVENT) throw new PermanentPartnerError(`wms-rest creates outbound deliveries on ${ACCEPTED_EVENT} only, not ${event}`);
          const reply = await postJson(`${base(config)}/outbound-deliveries`, outboundDelivery(order, config), { ...auth, 'Idempotency-Key': delivery.idempotencyKey }, {
            timeoutMs: config.timeoutMs,
            signal,
          });
          return { status: reply.status, responseBody: reply.keptBody, partnerRef: deliveryNumber(reply) };
        },
      },
      async fetchStock(signal) {
        const levels: StockLevel[] = [];
        const seen = new Set<string>();
        let cursor: string | undefined;
        for (let page = 0; page < config.maxStockPages; page += 1) {
          const reply = await getText(stockUrl(config, cursor), auth, { timeoutMs: config.timeoutMs, signal });
          const { levels: rows, nextCursor } = readStockPage(reply.body, page);
          levels.push(...rows);
          if (nextCursor === undefined) return levels;
          // A cursor handed out twice would loop forever; the read is incomplete, so nothing is written.
          if (seen.has(nextCursor)) throw new PermanentPartnerError(`WMS repeated stock cursor ${nextCursor} on page ${page}`);
          seen.add(nextCursor);
          cursor = nextCursor;
        }
        throw new PermanentPartnerError(`WMS stock did not end within ${config.maxStockPages} pages (maxStockPages)`);
      },
    };
  },
} satisfies ConnectorDefinition<typeof wmsRestConfig>;

/**
 * Reads the whole stock, then writes it in one `setStock`. On-hand quantities are absolute, so a
 * repeated or overlapping sync writes the same values again: idempotent. A failed read writes
 * nothing; reservations are the hub's own and are never touched.
 * @returns how many (sku, location) rows were written
 */
export async function syncStock(source: StockSource, inventory: Pick<InventoryStore, 'setStock'>, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const levels = await source.fetchStock(signal);
  await inventory.setStock(levels);
  return levels.length;
}

function base(config: WmsRestConfig): string {
  return config.baseUrl.replace(/\/+$/, '');
}

function stockUrl(config: WmsRestConfig, cursor: string | undefined): string {
  const url = new URL(`${base(config)}/stock`);
  url.searchParams.set('limit', String(config.stockPageSize));
  if (config.warehouse) url.searchParams.set('warehouse', config.warehouse);
  if (cursor) url.searchParams.set('cursor', cursor);
  return url.toString();
}
