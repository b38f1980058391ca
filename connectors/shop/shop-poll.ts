import type { Logger } from 'pino';
import type { CursorStore } from '../../core/store/store.port';
import type { ShopConnectorConfig } from './shop.config';
import type { ShopOrderSnapshot, ShopPlatform } from './shop-platform';

/** Cursor key under the connector id: the platform-modified instant up to which every order is stored. */
export const ORDERS_CURSOR = 'orders-modified-until';

export interface PollOutcome {
  readonly since: string;
  readonly until: string;
  readonly pages: number;
  /** Order versions the platform listed (repeats from the overlap included). */
  readonly seen: number;
  /** Order versions stored for the first time. */
  readonly stored: number;
  /** false when `maxPages` stopped the poll before the platform's last page. */
  readonly complete: boolean;
  /** Where the cursor stands after this poll. */
  readonly cursor: string;
}

export interface PollContext {
  readonly platform: ShopPlatform;
  readonly config: ShopConnectorConfig;
  readonly cursors: CursorStore;
  readonly log: Logger;
  readonly now?: () => Date;
}

/**
 * One catch-up poll: reads every order the platform says changed in [cursor − overlap, now − lag)
 * page by page, stores each version through `store` (repeats are absorbed by the raw store's
 * idempotency key), and only then moves the cursor. A failed page (429, outage, abort) throws with
 * the cursor untouched, so the next firing reads the same window again and nothing is lost.
 * When `maxPages` ends a long catch-up early, the cursor moves to the newest version stored, so the
 * next firing carries on from there instead of starting over.
 */
export async function pollChangedOrders(
  ctx: PollContext,
  store: (snapshot: ShopOrderSnapshot, receivedAt: string) => Promise<{ created: boolean }>,
  signal: AbortSignal,
): Promise<PollOutcome> {
  const { platform, config, cursors, log } = ctx;
  const now = (ctx.now ?? (() => new Date()))();
  const stored = await cursors.get(config.id, ORDERS_CURSOR);
  const since = new Date(stored ? Date.parse(stored) - config.poll.overlapMs : now.getTime() - config.poll.initialLookbackMs).toISOString();
  const until = new Date(now.getTime() - config.poll.lagMs).toISOString();

  let page: string | undefined;
  let pages = 0;
  let seen = 0;
  let created = 0;
  let newest = stored;
  do {
    signal.throwIfAborted();
    const result = await platform.fetchChanged({ since, until, ...(page ? { page } : {}) }, signal);
    pages += 1;
    const receivedAt = new Date().toISOString();
    for (const snapshot of result.orders) {
      seen += 1;
      if ((await store(snapshot, receivedAt)).created) created += 1;
      if (!newest || snapshot.updatedAt > newest) newest = snapshot.updatedAt;
    }
    page = result.nextPage;
  } while (page && pages < config.poll.maxPages);

  const complete = !page;
  const cursor = complete ? until : (newest ?? stored ?? since);
  if (cursor !== stored) await cursors.set(config.id, ORDERS_CURSOR, cursor);
  const outcome = { since, until, pages, seen, stored: created, complete, cursor };
  if (!complete) log.warn(outcome, 'poll stopped at maxPages; the next firing carries on from the newest order stored');
  else if (created > 0) log.info(outcome, 'poll stored changed orders');
  return outcome;
}
