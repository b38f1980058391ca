import { Dec, dec } from '../order/money';
import type { StockPosition } from './store.port';

/** One (sku, location) stock row as an adapter reads it. */
export interface StockRowValues {
  readonly sku: string;
  readonly location: string;
  readonly onHand: string;
  readonly reserved: string;
}

/**
 * Sums rows per SKU into positions (available = onHand − reserved), in decimals. Rows must arrive
 * sorted by sku so each SKU's locations are contiguous; every adapter shares this one computation.
 */
export function toStockPositions(rows: readonly StockRowValues[]): StockPosition[] {
  const bySku = new Map<string, StockRowValues[]>();
  for (const row of rows) {
    const group = bySku.get(row.sku);
    if (group) group.push(row);
    else bySku.set(row.sku, [row]);
  }
  return [...bySku].map(([sku, group]) => {
    const onHand = group.reduce((acc, row) => acc.plus(dec(row.onHand)), new Dec(0));
    const reserved = group.reduce((acc, row) => acc.plus(dec(row.reserved)), new Dec(0));
    return {
      sku,
      onHand: onHand.toFixed(),
      reserved: reserved.toFixed(),
      available: onHand.minus(reserved).toFixed(),
      locations: group.map((row) => ({ location: row.location, onHand: row.onHand, reserved: row.reserved })),
    };
  });
}
