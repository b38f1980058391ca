import type { Logger } from 'pino';
import { Dec } from '../../core/order/money';
import type { CursorStore, InventoryStore } from '../../core/store/store.port';
import type { ShopConnectorConfig, ShopStockSyncConfig } from './shop.config';
import type { ShopPlatform, ShopStockLevel } from './shop-platform';

/** Cursor key under the connector id: JSON of what the platform was last told, SKU → available. */
export const STOCK_PUSHED_CURSOR = 'stock-pushed';

export interface StockPushOutcome {
  /** SKUs compared. */
  readonly checked: number;
  /** Levels sent because they differ from what the platform was last told. */
  readonly pushed: number;
  readonly unknownSkus: readonly string[];
}

export interface StockPushContext {
  readonly platform: ShopPlatform;
  readonly config: ShopConnectorConfig;
  readonly stockSync: ShopStockSyncConfig;
  readonly cursors: CursorStore;
  readonly inventory: Pick<InventoryStore, 'positions' | 'list'>;
  readonly log: Logger;
}

/**
 * Compares available-to-promise with what the platform was last told and sends only the changes,
 * all in one push: many reservations between two runs cost one call per SKU, not one per order.
 * Platforms sell whole units, so a fractional available is rounded down and a negative one
 * (oversold) is sent as 0. What was sent is remembered only after the platform took it; a failed
 * push (429, outage) is sent again, with anything newer, at the next run.
 */
export async function pushChangedStock(ctx: StockPushContext, signal: AbortSignal): Promise<StockPushOutcome> {
  const { platform, config, stockSync, cursors, inventory, log } = ctx;
  const positions = stockSync.skus ? await inventory.positions(stockSync.skus) : await inventory.list();
  const current = new Map(positions.map((p) => [p.sku, sellable(p.available)]));
  // A configured SKU with no stock record at all has nothing to sell.
  for (const sku of stockSync.skus ?? []) if (!current.has(sku)) current.set(sku, '0');

  const told = JSON.parse((await cursors.get(config.id, STOCK_PUSHED_CURSOR)) ?? '{}') as Record<string, string>;
  const changes: ShopStockLevel[] = [...current].filter(([sku, available]) => told[sku] !== available).map(([sku, available]) => ({ sku, available }));
  if (changes.length === 0 || !platform.pushStock) return { checked: current.size, pushed: 0, unknownSkus: [] };

  const result = await platform.pushStock(changes, signal);
  const next = { ...told };
  for (const { sku, available } of changes) next[sku] = available;
  await cursors.set(config.id, STOCK_PUSHED_CURSOR, JSON.stringify(next));
  const newlyUnknown = result.unknownSkus.filter((sku) => told[sku] === undefined);
  if (newlyUnknown.length > 0) log.warn({ unknownSkus: newlyUnknown }, 'the platform does not sell these SKUs; not pushed');
  log.info({ pushed: changes.length, updated: result.updated }, 'stock pushed to the platform');
  return { checked: current.size, pushed: changes.length, unknownSkus: result.unknownSkus };
}

function sellable(available: string): string {
  const units = new Dec(available).floor();
  return units.isNegative() ? '0' : units.toFixed(0);
}
