import { Types, type ClientSession } from 'mongoose';
import { StockShortageError } from '../../errors/conflict.error';
import type { ErrorDetail } from '../../errors/hub-error';
import type { OrderEvent } from '../../lifecycle/order-events';
import { Dec, dec } from '../../order/money';
import type { CapacityChange, OrderWrite, StockChange } from '../store.port';
import type { MongoModels } from './models';
import type { StockDoc } from './models/stock.model';

/**
 * What an order write does besides the order itself: outbox events, stock reservations and capacity
 * bookings. Runs inside that write's transaction, so a shortage throws and the abort leaves every
 * document as it was.
 *
 * Reservations read the stock document, decide with decimal.js and write the result back. That is
 * race-free only because read and write share the transaction: if another transaction commits a
 * change to the same document after this one's snapshot, this write fails with a WriteConflict,
 * which `withTransaction` retries from the start with fresh reads.
 */
export async function writeOrderEffects(models: MongoModels, session: ClientSession, orderVersion: number, write: OrderWrite): Promise<void> {
  await applyStock(models, session, write.stock ?? []);
  await bookCapacity(models, session, write.capacity ?? []);
  await appendEvents(models, session, write.events, orderVersion);
}

/**
 * Applies changes in order (one at a time: a session runs one operation at a time), so two lines of
 * one SKU draw on the same stock. Every shortage is collected before throwing, so the error names
 * all of them at once.
 */
async function applyStock(models: MongoModels, session: ClientSession, changes: readonly StockChange[]): Promise<void> {
  const shortages: ErrorDetail[] = [];
  for (const change of changes) {
    const delta = dec(change.quantity);
    if (delta.isZero()) continue;
    const row = await models.stock.findOne({ sku: change.sku, location: change.location }).session(session).lean();
    if (delta.greaterThan(0)) {
      const reserved = row && dec(row.reserved).plus(delta);
      if (row && reserved && reserved.lessThanOrEqualTo(dec(row.onHand))) {
        await models.stock.updateOne({ _id: row._id }, { $set: { reserved: reserved.toFixed() } }, { session });
      } else {
        shortages.push(shortage(change, row));
      }
    } else if (row) {
      await models.stock.updateOne({ _id: row._id }, { $set: { reserved: Dec.max(0, dec(row.reserved).plus(delta)).toFixed() } }, { session });
    }
  }
  if (shortages.length > 0) throw new StockShortageError(shortages);
}

/** Tracks booked units only: whether a day is over capacity is the delivery-date rule's to say. */
async function bookCapacity(models: MongoModels, session: ClientSession, changes: readonly CapacityChange[]): Promise<void> {
  for (const change of changes) {
    const day = await models.capacity.findById(change.date).session(session).lean();
    const booked = Dec.max(0, dec(day?.booked ?? '0').plus(dec(change.units)));
    await models.capacity.updateOne({ _id: change.date }, { $set: { booked: booked.toFixed() } }, { session, upsert: true });
  }
}

/**
 * `orderVersion` is the version this write stores, whatever the event says, so an event can never
 * point at a version that does not exist.
 */
async function appendEvents(models: MongoModels, session: ClientSession, events: readonly OrderEvent[], orderVersion: number): Promise<void> {
  if (events.length === 0) return;
  const docs = events.map((event) => ({
    _id: event.id,
    name: event.name,
    orderId: event.orderId,
    orderVersion,
    at: event.at,
    data: { ...event.data },
    seq: new Types.ObjectId(),
    publishedAt: null,
  }));
  await models.outbox.insertMany(docs, { session });
}

/** `path` is `sku@location`, so callers can point at the line without parsing the message. */
function shortage(change: StockChange, row: StockDoc | null): ErrorDetail {
  const available = row ? dec(row.onHand).minus(dec(row.reserved)).toFixed() : '0';
  return {
    path: `${change.sku}@${change.location}`,
    code: 'stock.shortage',
    message: row
      ? `${change.quantity} of ${change.sku} requested at ${change.location}, ${available} available`
      : `${change.sku} is not stocked at ${change.location}`,
  };
}
