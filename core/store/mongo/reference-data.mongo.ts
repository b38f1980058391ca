import { dec } from '../../order/money';
import { toStockPositions } from '../stock-positions';
import type {
  CalendarDay,
  CalendarStore,
  CapacityDay,
  CapacityStore,
  InventoryStore,
  PriceEntry,
  PriceListStore,
  StockLevel,
  StockPosition,
} from '../store.port';
import type { MongoModels } from './models';
import type { StockDoc } from './models/stock.model';

/**
 * Reference data loaded from ERP/WMS feeds: inventory, plant capacity, price list, working calendar.
 * Loads are idempotent upserts without a transaction: a feed can be large enough to outlive a
 * transaction's time limit, and a failed load is simply run again. Decimals are normalised with
 * decimal.js on the way in ("10.50" is stored "10.5").
 */

export class MongoInventoryStore implements InventoryStore {
  constructor(private readonly models: MongoModels) {}

  async setStock(levels: readonly StockLevel[]): Promise<void> {
    if (levels.length === 0) return;
    await this.models.stock.bulkWrite(
      levels.map((level) => ({
        updateOne: {
          filter: { sku: level.sku, location: level.location },
          update: { $set: { onHand: dec(level.onHand).toFixed() }, $setOnInsert: { reserved: '0' } },
          upsert: true,
        },
      })),
    );
  }

  /** Sorted by SKU; locations sorted within each. */
  async positions(skus: readonly string[]): Promise<readonly StockPosition[]> {
    return toPositions(await this.models.stock.find({ sku: { $in: [...skus] } }).sort({ sku: 1, location: 1 }).lean());
  }

  async list(): Promise<readonly StockPosition[]> {
    return toPositions(await this.models.stock.find().sort({ sku: 1, location: 1 }).lean());
  }
}

function toPositions(docs: readonly StockDoc[]): StockPosition[] {
  return toStockPositions(docs.map((d) => ({ sku: d.sku, location: d.location, onHand: d.onHand, reserved: d.reserved })));
}

export class MongoCapacityStore implements CapacityStore {
  constructor(private readonly models: MongoModels) {}

  /** Sets the plant's capacity per day; units already booked are kept. */
  async setCapacity(days: readonly { readonly date: string; readonly units: string }[]): Promise<void> {
    if (days.length === 0) return;
    await this.models.capacity.bulkWrite(
      days.map((day) => ({
        updateOne: {
          filter: { _id: day.date },
          update: { $set: { capacity: dec(day.units).toFixed() }, $setOnInsert: { booked: '0' } },
          upsert: true,
        },
      })),
    );
  }

  /**
   * One entry per distinct requested date, ascending: a day nothing was loaded or booked for comes
   * back as `{ date, booked: '0' }` without `capacity`.
   */
  async days(dates: readonly string[]): Promise<readonly CapacityDay[]> {
    const docs = await this.models.capacity.find({ _id: { $in: [...dates] } }).lean();
    const found = new Map(docs.map((doc) => [doc._id, doc]));
    return [...new Set(dates)].sort().map((date) => {
      const doc = found.get(date);
      return doc?.capacity !== undefined ? { date, capacity: doc.capacity, booked: doc.booked } : { date, booked: doc?.booked ?? '0' };
    });
  }
}

export class MongoPriceListStore implements PriceListStore {
  constructor(private readonly models: MongoModels) {}

  async setPrices(entries: readonly PriceEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.models.prices.bulkWrite(
      entries.map((entry) => ({
        updateOne: {
          filter: { sku: entry.sku, currency: entry.currency, customerKey: entry.customerKey ?? '' },
          update: { $set: { unitPrice: dec(entry.unitPrice).toFixed() } },
          upsert: true,
        },
      })),
    );
  }

  /** Sorted by SKU, the list price before customer-specific ones. */
  async prices(skus: readonly string[], currency: string): Promise<readonly PriceEntry[]> {
    const docs = await this.models.prices.find({ sku: { $in: [...skus] }, currency }).sort({ sku: 1, customerKey: 1 }).lean();
    return docs.map((doc) => ({
      sku: doc.sku,
      currency: doc.currency,
      unitPrice: doc.unitPrice,
      ...(doc.customerKey !== '' && { customerKey: doc.customerKey }),
    }));
  }
}

export class MongoCalendarStore implements CalendarStore {
  constructor(private readonly models: MongoModels) {}

  /** Replaces each given day whole, so a day loaded again without a note loses its old one. */
  async setDays(days: readonly CalendarDay[]): Promise<void> {
    if (days.length === 0) return;
    await this.models.calendar.bulkWrite(
      days.map((day) => ({
        replaceOne: {
          filter: { _id: day.date },
          replacement: { _id: day.date, working: day.working, ...(day.note !== undefined && { note: day.note }) },
          upsert: true,
        },
      })),
    );
  }

  /** The exceptions from `from` to `to`, both included, ascending. */
  async days(from: string, to: string): Promise<readonly CalendarDay[]> {
    const docs = await this.models.calendar.find({ _id: { $gte: from, $lte: to } }).sort({ _id: 1 }).lean();
    return docs.map((doc) => ({ date: doc._id, working: doc.working, ...(doc.note !== undefined && { note: doc.note }) }));
  }
}
