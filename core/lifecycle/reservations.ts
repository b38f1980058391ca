import { Dec, dec } from '../order/money';
import type { CanonicalOrder, CapacityBooking, Reservation } from '../order/order.types';
import type { CapacityChange, StockChange, StockPosition } from '../store/store.port';

export interface ReservationPlan {
  readonly reservations: Reservation[];
  readonly stock: StockChange[];
  /** Quantities that could not be reserved (only in `available` mode), per SKU. */
  readonly shortfall: { sku: string; quantity: string }[];
}

/** Ordered quantity per SKU, lines of the same SKU summed. */
export function quantitiesBySku(order: Pick<CanonicalOrder, 'lines'>): Map<string, InstanceType<typeof Dec>> {
  const totals = new Map<string, InstanceType<typeof Dec>>();
  for (const line of order.lines) totals.set(line.sku, (totals.get(line.sku) ?? new Dec(0)).plus(dec(line.quantity)));
  return totals;
}

/**
 * Which stock to reserve on confirm, location by location, fullest first. SKUs the inventory does
 * not track (services, made-to-order items) are not reserved. In `full` mode every tracked unit is
 * asked for, and the store refuses the write if stock ran out since the check; in `available` mode
 * (an order a reviewer approved despite a shortage) what is there is reserved and the rest reported.
 */
export function planReservations(order: CanonicalOrder, positions: readonly StockPosition[], mode: 'full' | 'available'): ReservationPlan {
  const bySku = new Map(positions.map((p) => [p.sku, p]));
  const reservations: Reservation[] = [];
  const shortfall: { sku: string; quantity: string }[] = [];
  for (const [sku, ordered] of quantitiesBySku(order)) {
    const position = bySku.get(sku);
    if (!position) continue;
    let remaining = ordered;
    const locations = [...position.locations].sort((a, b) => dec(b.onHand).minus(dec(b.reserved)).comparedTo(dec(a.onHand).minus(dec(a.reserved))));
    for (const location of locations) {
      if (remaining.isZero()) break;
      const free = Dec.max(dec(location.onHand).minus(dec(location.reserved)), 0);
      const take = mode === 'full' && location === locations[locations.length - 1] ? remaining : Dec.min(free, remaining);
      if (take.isZero()) continue;
      reservations.push({ sku, location: location.location, quantity: take.toString() });
      remaining = remaining.minus(take);
    }
    if (!remaining.isZero()) shortfall.push({ sku, quantity: remaining.toString() });
  }
  return { reservations, stock: reservations.map((r) => ({ ...r })), shortfall };
}

export function releaseReservations(reservations: readonly Reservation[]): StockChange[] {
  return reservations.map((r) => ({ sku: r.sku, location: r.location, quantity: dec(r.quantity).negated().toString() }));
}

/** Units booked against each delivery day: lines with their own date book that day. */
export function planCapacity(order: CanonicalOrder): CapacityBooking[] {
  const byDate = new Map<string, InstanceType<typeof Dec>>();
  for (const line of order.lines) {
    const date = line.requestedDate ?? order.requestedDeliveryDate;
    if (date) byDate.set(date, (byDate.get(date) ?? new Dec(0)).plus(dec(line.quantity)));
  }
  return [...byDate].map(([date, units]) => ({ date, units: units.toString() }));
}

export function capacityChanges(bookings: readonly CapacityBooking[], sign: 1 | -1): CapacityChange[] {
  return bookings.map((b) => ({ date: b.date, units: sign === 1 ? b.units : dec(b.units).negated().toString() }));
}
