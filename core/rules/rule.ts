import type { CanonicalOrder, Issue } from '../order/order.types';
import type { CalendarStore, CapacityStore, InventoryStore, OrderStore, PriceListStore } from '../store/store.port';
import type { RuleSettings } from './rule-settings.schema';

/** What a rule may read: the order, the settings from config, and the store's reference data. */
export interface RuleContext {
  readonly order: CanonicalOrder;
  /** "Today" for date rules, ISO date-time; injected so tests and replays are deterministic. */
  readonly now: string;
  readonly settings: RuleSettings;
  readonly data: {
    readonly orders: Pick<OrderStore, 'findDuplicates'>;
    readonly inventory: Pick<InventoryStore, 'positions'>;
    readonly capacity: Pick<CapacityStore, 'days'>;
    readonly prices: Pick<PriceListStore, 'prices'>;
    readonly calendar: Pick<CalendarStore, 'days'>;
  };
}

/** A named check. It reports findings; it never changes the order or the store. */
export interface Rule {
  /** Stable: 'required-fields', 'duplicate', 'delivery-date', 'stock', 'price', 'totals'. Issues carry it. */
  readonly name: string;
  check(ctx: RuleContext): Promise<Issue[]>;
}
