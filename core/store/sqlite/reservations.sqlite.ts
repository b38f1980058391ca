import type Database from 'better-sqlite3';
import { StockShortageError } from '../../errors/conflict.error';
import type { ErrorDetail } from '../../errors/hub-error';
import { Dec, dec } from '../../order/money';
import type { CapacityChange, StockChange } from '../store.port';

interface StockRow {
  readonly on_hand: string;
  readonly reserved: string;
}

/**
 * Stock reservations and capacity bookings made by an order write. Runs inside that write's
 * transaction: a shortage throws, and the caller's rollback leaves every row as it was.
 * Arithmetic is decimal.js in JavaScript; SQLite only stores the decimal strings. Releasing stock
 * at a SKU/location that has no stock row is a no-op: nothing was reserved there.
 */
export class Reservations {
  private readonly stockRow: Database.Statement<[string, string], StockRow>;
  private readonly setReserved: Database.Statement<[string, string, string]>;
  private readonly bookedOn: Database.Statement<[string], { booked: string }>;
  private readonly setBooked: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.stockRow = db.prepare('SELECT on_hand, reserved FROM stock WHERE sku = ? AND location = ?');
    this.setReserved = db.prepare('UPDATE stock SET reserved = ? WHERE sku = ? AND location = ?');
    this.bookedOn = db.prepare('SELECT booked FROM capacity WHERE date = ?');
    this.setBooked = db.prepare(
      'INSERT INTO capacity (date, booked) VALUES (?, ?) ON CONFLICT (date) DO UPDATE SET booked = excluded.booked',
    );
  }

  /**
   * Applies changes in order, so two lines of one SKU draw on the same stock. Every shortage is
   * collected before throwing, so the error names all of them at once.
   */
  applyStock(changes: readonly StockChange[]): void {
    const shortages: ErrorDetail[] = [];
    for (const change of changes) {
      const delta = dec(change.quantity);
      if (delta.isZero()) continue;
      const row = this.stockRow.get(change.sku, change.location);
      if (delta.greaterThan(0)) {
        const reserved = row && dec(row.reserved).plus(delta);
        if (row && reserved && reserved.lessThanOrEqualTo(dec(row.on_hand))) {
          this.setReserved.run(reserved.toFixed(), change.sku, change.location);
        } else {
          shortages.push(shortage(change, row));
        }
      } else if (row) {
        this.setReserved.run(Dec.max(0, dec(row.reserved).plus(delta)).toFixed(), change.sku, change.location);
      }
    }
    if (shortages.length > 0) throw new StockShortageError(shortages);
  }

  /** Tracks booked units only: whether a day is over capacity is the delivery-date rule's to say. */
  bookCapacity(changes: readonly CapacityChange[]): void {
    for (const change of changes) {
      const booked = dec(this.bookedOn.get(change.date)?.booked ?? '0').plus(dec(change.units));
      this.setBooked.run(change.date, Dec.max(0, booked).toFixed());
    }
  }
}

/** `path` is `sku@location`, so callers can point at the line without parsing the message. */
function shortage(change: StockChange, row: StockRow | undefined): ErrorDetail {
  const available = row ? dec(row.on_hand).minus(dec(row.reserved)).toFixed() : '0';
  return {
    path: `${change.sku}@${change.location}`,
    code: 'stock.shortage',
    message: row
      ? `${change.quantity} of ${change.sku} requested at ${change.location}, ${available} available`
      : `${change.sku} is not stocked at ${change.location}`,
  };
}
