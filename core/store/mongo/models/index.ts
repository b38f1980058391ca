import type { Connection } from 'mongoose';
import { calendarDayModel, type CalendarDayModel } from './calendar-day.model';
import { capacityDayModel, type CapacityDayModel } from './capacity-day.model';
import { cursorModel, type CursorModel } from './cursor.model';
import { deliveryModel, type DeliveryModel } from './delivery.model';
import { ledgerEntryModel, type LedgerEntryModel } from './ledger-entry.model';
import { orderModel, type OrderModel } from './order.model';
import { outboxEventModel, type OutboxEventModel } from './outbox-event.model';
import { priceModel, type PriceModel } from './price.model';
import { rawMessageModel, type RawMessageModel } from './raw-message.model';
import { sequenceModel, type SequenceModel } from './sequence.model';
import { stockModel, type StockModel } from './stock.model';

/**
 * One model per collection, registered on the store's own connection (never mongoose's global one).
 * Schemas declare no `required`: the port's types already guarantee presence, and mongoose's
 * required check would reject empty strings the port allows (the list price's customerKey '').
 * `minimize: false` everywhere, so an empty object (`data: {}`) is stored and read back as given.
 */
export interface MongoModels {
  readonly rawMessages: RawMessageModel;
  readonly orders: OrderModel;
  readonly outbox: OutboxEventModel;
  readonly stock: StockModel;
  readonly capacity: CapacityDayModel;
  readonly prices: PriceModel;
  readonly calendar: CalendarDayModel;
  readonly cursors: CursorModel;
  readonly deliveries: DeliveryModel;
  readonly ledger: LedgerEntryModel;
  readonly sequences: SequenceModel;
}

export function createModels(connection: Connection): MongoModels {
  return {
    rawMessages: rawMessageModel(connection),
    orders: orderModel(connection),
    outbox: outboxEventModel(connection),
    stock: stockModel(connection),
    capacity: capacityDayModel(connection),
    prices: priceModel(connection),
    calendar: calendarDayModel(connection),
    cursors: cursorModel(connection),
    deliveries: deliveryModel(connection),
    ledger: ledgerEntryModel(connection),
    sequences: sequenceModel(connection),
  };
}
