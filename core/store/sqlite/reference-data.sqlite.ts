import type Database from 'better-sqlite3';
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

/**
 * Reference data loaded from ERP/WMS feeds: inventory, plant capacity, price list, working calendar.
 * Lists of keys are bound as one JSON array (`json_each`), so each query is prepared once whatever
 * the number of keys. Decimals are normalised with decimal.js on the way in ("10.50" is stored "10.5").
 */

interface StockRow {
  readonly sku: string;
  readonly location: string;
  readonly on_hand: string;
  readonly reserved: string;
}

export class SqliteInventoryStore implements InventoryStore {
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly bySkus: Database.Statement<[string], StockRow>;
  private readonly all: Database.Statement<[], StockRow>;
  private readonly setAll: Database.Transaction<(levels: readonly StockLevel[]) => void>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      'INSERT INTO stock (sku, location, on_hand) VALUES (?, ?, ?) ON CONFLICT (sku, location) DO UPDATE SET on_hand = excluded.on_hand',
    );
    this.bySkus = db.prepare(
      'SELECT sku, location, on_hand, reserved FROM stock WHERE sku IN (SELECT value FROM json_each(?)) ORDER BY sku, location',
    );
    this.all = db.prepare('SELECT sku, location, on_hand, reserved FROM stock ORDER BY sku, location');
    this.setAll = db.transaction((levels: readonly StockLevel[]) => {
      for (const level of levels) this.upsert.run(level.sku, level.location, dec(level.onHand).toFixed());
    });
  }

  async setStock(levels: readonly StockLevel[]): Promise<void> {
    this.setAll.immediate(levels);
  }

  /** Sorted by SKU; locations sorted within each. */
  async positions(skus: readonly string[]): Promise<readonly StockPosition[]> {
    return toPositions(this.bySkus.all(JSON.stringify(skus)));
  }

  async list(): Promise<readonly StockPosition[]> {
    return toPositions(this.all.all());
  }
}

function toPositions(rows: readonly StockRow[]): StockPosition[] {
  return toStockPositions(rows.map((r) => ({ sku: r.sku, location: r.location, onHand: r.on_hand, reserved: r.reserved })));
}

export class SqliteCapacityStore implements CapacityStore {
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly byDates: Database.Statement<[string], { date: string; capacity: string | null; booked: string }>;
  private readonly setAll: Database.Transaction<(days: readonly { readonly date: string; readonly units: string }[]) => void>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      'INSERT INTO capacity (date, capacity) VALUES (?, ?) ON CONFLICT (date) DO UPDATE SET capacity = excluded.capacity',
    );
    this.byDates = db.prepare(
      'SELECT date, capacity, booked FROM capacity WHERE date IN (SELECT value FROM json_each(?))',
    );
    this.setAll = db.transaction((days: readonly { readonly date: string; readonly units: string }[]) => {
      for (const day of days) this.upsert.run(day.date, dec(day.units).toFixed());
    });
  }

  /** Sets the plant's capacity per day; units already booked are kept. */
  async setCapacity(days: readonly { readonly date: string; readonly units: string }[]): Promise<void> {
    this.setAll.immediate(days);
  }

  /**
   * One entry per distinct requested date, ascending: a day nothing was loaded or booked for comes
   * back as `{ date, booked: '0' }` without `capacity`.
   */
  async days(dates: readonly string[]): Promise<readonly CapacityDay[]> {
    const found = new Map(this.byDates.all(JSON.stringify(dates)).map((row) => [row.date, row]));
    return [...new Set(dates)].sort().map((date) => {
      const row = found.get(date);
      return row && row.capacity !== null ? { date, capacity: row.capacity, booked: row.booked } : { date, booked: row?.booked ?? '0' };
    });
  }
}

export class SqlitePriceListStore implements PriceListStore {
  private readonly upsert: Database.Statement<[string, string, string, string]>;
  private readonly bySkus: Database.Statement<[string, string], { sku: string; currency: string; customer_key: string; unit_price: string }>;
  private readonly setAll: Database.Transaction<(entries: readonly PriceEntry[]) => void>;

  constructor(db: Database.Database) {
    // The list price is stored under customer_key '' so that it, too, is unique per (sku, currency).
    this.upsert = db.prepare(
      `INSERT INTO prices (sku, currency, customer_key, unit_price) VALUES (?, ?, ?, ?)
       ON CONFLICT (sku, currency, customer_key) DO UPDATE SET unit_price = excluded.unit_price`,
    );
    this.bySkus = db.prepare(
      `SELECT sku, currency, customer_key, unit_price FROM prices
       WHERE sku IN (SELECT value FROM json_each(?)) AND currency = ? ORDER BY sku, customer_key`,
    );
    this.setAll = db.transaction((entries: readonly PriceEntry[]) => {
      for (const entry of entries) {
        this.upsert.run(entry.sku, entry.currency, entry.customerKey ?? '', dec(entry.unitPrice).toFixed());
      }
    });
  }

  async setPrices(entries: readonly PriceEntry[]): Promise<void> {
    this.setAll.immediate(entries);
  }

  /** Sorted by SKU, the list price before customer-specific ones. */
  async prices(skus: readonly string[], currency: string): Promise<readonly PriceEntry[]> {
    return this.bySkus.all(JSON.stringify(skus), currency).map((row) => ({
      sku: row.sku,
      currency: row.currency,
      unitPrice: row.unit_price,
      ...(row.customer_key !== '' && { customerKey: row.customer_key }),
    }));
  }
}

export class SqliteCalendarStore implements CalendarStore {
  private readonly upsert: Database.Statement<[string, number, string | null]>;
  private readonly range: Database.Statement<[string, string], { date: string; working: number; note: string | null }>;
  private readonly setAll: Database.Transaction<(days: readonly CalendarDay[]) => void>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      'INSERT INTO calendar (date, working, note) VALUES (?, ?, ?) ON CONFLICT (date) DO UPDATE SET working = excluded.working, note = excluded.note',
    );
    this.range = db.prepare('SELECT date, working, note FROM calendar WHERE date >= ? AND date <= ? ORDER BY date');
    this.setAll = db.transaction((days: readonly CalendarDay[]) => {
      for (const day of days) this.upsert.run(day.date, day.working ? 1 : 0, day.note ?? null);
    });
  }

  async setDays(days: readonly CalendarDay[]): Promise<void> {
    this.setAll.immediate(days);
  }

  /** The exceptions from `from` to `to`, both included, ascending. */
  async days(from: string, to: string): Promise<readonly CalendarDay[]> {
    return this.range.all(from, to).map((row) => ({
      date: row.date,
      working: row.working === 1,
      ...(row.note !== null && { note: row.note }),
    }));
  }
}
