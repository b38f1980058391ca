import type { ShopConnector } from '../connectors/shop/shop.connector';
import type { PollingConnector } from './connectors';
import type { ScheduledJob } from './schedules/cron-scheduler';

/** Each shop's catch-up poll, on its cron schedule from hub.yaml. */
export function shopPollSchedules(shops: readonly ShopConnector[]): ScheduledJob[] {
  return shops.map((shop) => ({
    id: `${shop.id}-poll`,
    schedule: shop.config.poll.schedule,
    jitterMs: shop.config.poll.jitterMs,
    maxRunMs: shop.config.poll.maxRunMs,
    run: (signal) => shop.poll(signal),
  }));
}

/**
 * Each shop's stock sync out, on its interval: a run compares available-to-promise with what the
 * platform was last told and pushes the differences together, so bursts of orders coalesce.
 */
export function shopStockOutJobs(shops: readonly ShopConnector[]): { connector: PollingConnector; intervalMs: number }[] {
  return shops.flatMap((shop) => {
    const sync = shop.syncStockOut;
    if (!sync || !shop.config.stockSync) return [];
    return [{ connector: { id: `${shop.id}-stock-out`, kind: 'shop-stock-out', poll: (signal) => sync(signal) }, intervalMs: shop.config.stockSync.intervalMs }];
  });
}
