import type { ErrorDetail } from '../errors/hub-error';
import type { OrderEvent } from '../lifecycle/order-events';
import type { CanonicalOrder, OrderStatus } from '../order/order.types';

/**
 * The store port: everything the hub keeps, behind one interface per concern. Adapters live beside
 * it (sqlite/, mongo/) and pass one contract suite (test/contract/store.contract.ts).
 * Decimal quantities cross this port as strings and are compared as decimals inside the adapter.
 */

// ── Raw messages: what arrived, exactly as it arrived, written before anything can fail ──────────

export type RawMessageStatus = 'received' | 'processed' | 'quarantined';

export interface RawMessageInput {
  /** Pre-assigned by the receiver when it answers with an id before intake runs. */
  readonly id?: string;
  readonly connectorId: string;
  /** How it came: 'rest', 'email', 'webhook', 'file', 'poll'. */
  readonly channel: string;
  /** Which parser reads it: 'canonical-json', 'mapped-json', 'x12-850' … */
  readonly format: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** The source's own id for this unit (webhook id, Message-ID, ISA13 …). */
  readonly externalId?: string;
  /** Client-chosen key (REST `Idempotency-Key`); unique per connector. */
  readonly idempotencyKey?: string;
  /** The order id intake will give the order this message yields, when announced up front. */
  readonly plannedOrderId?: string;
  readonly receivedAt: string;
  /** Headers and transport facts worth keeping (remote address, API key name). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Set when the receiver already knows the input is unreadable: stored quarantined at once. */
  readonly quarantine?: { readonly reason: string; readonly details: readonly ErrorDetail[] };
  /**
   * Set for a document the hub wrote itself (an acknowledgement, an order response): stored
   * processed at once, naming the orders it is about, so intake and the sweeper never take it.
   */
  readonly processed?: { readonly orderIds: readonly string[] };
}

/** One line of what became of a raw message: parsed into orders, quarantined, replayed. */
export interface RawOutcome {
  readonly at: string;
  readonly outcome: 'processed' | 'quarantined' | 'replayed';
  readonly orderIds?: readonly string[];
  readonly reason?: string;
  readonly details?: readonly ErrorDetail[];
}

export interface RawMessage extends Omit<RawMessageInput, 'id' | 'quarantine' | 'processed'> {
  readonly id: string;
  readonly contentHash: string;
  readonly size: number;
  readonly status: RawMessageStatus;
  readonly reason?: string;
  readonly details: readonly ErrorDetail[];
  readonly orderIds: readonly string[];
  readonly outcomes: readonly RawOutcome[];
}

export interface RawMessageQuery {
  readonly status?: RawMessageStatus;
  readonly connectorId?: string;
  /** Only messages received strictly before this instant (ISO). */
  readonly receivedBefore?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back as `cursor` for the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

export interface RawMessageStore {
  /**
   * Stores a message durably. With an `idempotencyKey` already used by the same connector it stores
   * nothing and returns the earlier message with `created: false` (the caller compares hashes).
   */
  put(input: RawMessageInput): Promise<{ message: RawMessage; created: boolean }>;
  get(id: string): Promise<RawMessage | undefined>;
  markProcessed(id: string, orderIds: readonly string[], at: string): Promise<void>;
  quarantine(id: string, reason: string, details: readonly ErrorDetail[], at: string): Promise<void>;
  /** Back to `received` for another intake run, with a `replayed` outcome line. */
  markForReplay(id: string, at: string): Promise<void>;
  list(query: RawMessageQuery): Promise<Page<RawMessage>>;
}

// ── Orders, with the outbox and stock written in the same write ───────────────────────────────

/** Signed change of reserved stock: positive reserves, negative releases. */
export interface StockChange {
  readonly sku: string;
  readonly location: string;
  readonly quantity: string;
}

/** Signed change of booked production capacity on a day, in units. */
export interface CapacityChange {
  readonly date: string;
  readonly units: string;
}

export interface OrderWrite {
  /** Events to publish through the outbox; written in the same transaction as the order. */
  readonly events: readonly OrderEvent[];
  /** Applied atomically: if any SKU would go below zero available, nothing is written (StockShortageError). */
  readonly stock?: readonly StockChange[];
  readonly capacity?: readonly CapacityChange[];
}

export interface OrderQuery {
  readonly status?: OrderStatus;
  /** Matches customer.id, or customer.name exactly. */
  readonly customer?: string;
  /** createdAt ≥ from (ISO date or date-time). */
  readonly from?: string;
  /** createdAt < to. */
  readonly to?: string;
  readonly cursor?: string;
  /** @defaultValue 50, at most 500 */
  readonly limit?: number;
}

export interface DuplicateQuery {
  readonly customerKey: string;
  readonly poNumber?: string;
  readonly contentHash: string;
  readonly excludeOrderId: string;
}

export interface OrderSummary {
  readonly id: string;
  readonly status: OrderStatus;
  readonly poNumber?: string;
  readonly contentHash: string;
  readonly createdAt: string;
}

export interface OrderStore {
  /** Inserts a new order at version 1 (its `version` field is ignored) with its events. */
  create(order: CanonicalOrder, write: OrderWrite): Promise<CanonicalOrder>;
  get(id: string): Promise<CanonicalOrder | undefined>;
  /**
   * Replaces the order if it is still at `expectedVersion`; stores it at expectedVersion + 1.
   * @throws VersionConflictError when another write got there first
   * @throws StockShortageError when a stock change would overdraw available-to-promise
   */
  save(order: CanonicalOrder, expectedVersion: number, write: OrderWrite): Promise<CanonicalOrder>;
  /** Newest first. */
  list(query: OrderQuery): Promise<Page<CanonicalOrder>>;
  /** Live (not rejected or cancelled) orders of the same customer with the same PO number or content. */
  findDuplicates(query: DuplicateQuery): Promise<readonly OrderSummary[]>;
  countByStatus(): Promise<Readonly<Partial<Record<OrderStatus, number>>>>;
}

/** The key that makes two orders "the same customer" for duplicate checks. */
export function customerKey(customer: { readonly id?: string; readonly name: string }): string {
  return customer.id ? `id:${customer.id}` : `name:${customer.name.trim().toLowerCase()}`;
}

// ── Outbox ─────────────────────────────────────────────────────────────────────────────────────

export interface OutboxStore {
  /** Oldest first; events stay here until marked published, so a crash re-publishes, never loses. */
  unpublished(limit: number): Promise<readonly OrderEvent[]>;
  markPublished(eventIds: readonly string[], at: string): Promise<void>;
}

// ── Reference data: inventory, capacity, price list, calendar ──────────────────────────────────

export interface StockLevel {
  readonly sku: string;
  readonly location: string;
  readonly onHand: string;
}

export interface StockPosition {
  readonly sku: string;
  readonly onHand: string;
  readonly reserved: string;
  /** onHand − reserved, summed over locations. */
  readonly available: string;
  readonly locations: readonly { readonly location: string; readonly onHand: string; readonly reserved: string }[];
}

export interface InventoryStore {
  /** Upserts on-hand quantities; reservations are kept. */
  setStock(levels: readonly StockLevel[]): Promise<void>;
  /** Positions of the given SKUs; an unknown SKU is absent from the result. */
  positions(skus: readonly string[]): Promise<readonly StockPosition[]>;
  list(): Promise<readonly StockPosition[]>;
}

export interface CapacityDay {
  readonly date: string;
  /** Units the plant can deliver that day; absent when no figure was loaded for the day. */
  readonly capacity?: string;
  readonly booked: string;
}

export interface CapacityStore {
  setCapacity(days: readonly { readonly date: string; readonly units: string }[]): Promise<void>;
  days(dates: readonly string[]): Promise<readonly CapacityDay[]>;
}

export interface PriceEntry {
  readonly sku: string;
  readonly currency: string;
  readonly unitPrice: string;
  /** A customer-specific price; absent for the list price. */
  readonly customerKey?: string;
}

export interface PriceListStore {
  /** Replaces the entries with the same (sku, currency, customerKey). */
  setPrices(entries: readonly PriceEntry[]): Promise<void>;
  /** All entries for these SKUs in this currency, list and customer-specific. */
  prices(skus: readonly string[], currency: string): Promise<readonly PriceEntry[]>;
}

export interface CalendarDay {
  readonly date: string;
  readonly working: boolean;
  readonly note?: string;
}

export interface CalendarStore {
  /** Exceptions to the weekly pattern: holidays, and weekend days that are worked (调休). */
  setDays(days: readonly CalendarDay[]): Promise<void>;
  days(from: string, to: string): Promise<readonly CalendarDay[]>;
}

// ── Connector cursors and ledgers ──────────────────────────────────────────────────────────────

export interface CursorStore {
  get(connectorId: string, key: string): Promise<string | undefined>;
  set(connectorId: string, key: string, value: string): Promise<void>;
}

// ── Intake ledger: custody of every inbound unit, keyed by its source identity ─────────────────

/**
 * One inbound unit by its identity at the source: an IMAP (uidValidity, uid), a webhook or callback
 * event id, an interchange (sender, receiver, control number), a file's sha256. Recorded before
 * the source is acknowledged, so a repeat is recognised whatever path it takes.
 */
export interface LedgerEntry {
  readonly connectorId: string;
  readonly key: string;
  readonly at: string;
  readonly rawMessageId?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface IntakeLedger {
  /** Records the key unless the connector has it already; returns the entry that was there first. */
  record(entry: LedgerEntry): Promise<{ readonly created: boolean; readonly entry: LedgerEntry }>;
  get(connectorId: string, key: string): Promise<LedgerEntry | undefined>;
}

// ── Sequences: control numbers that are never reused ───────────────────────────────────────────

export interface SequenceStore {
  /** The next number of `scope` ('x12:isa:ACME', 'edifact:unb'), starting at 1; durable and never handed out twice. */
  next(scope: string): Promise<number>;
}

// ── Delivery log: one row per (order, event, target), every attempt kept ───────────────────────

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';

export interface DeliveryAttempt {
  readonly at: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly status?: number;
  readonly error?: string;
  /** The partner's answer, truncated, for diagnosis. */
  readonly responseBody?: string;
}

export interface Delivery {
  /** `${orderId}-${event}-${target}` with dots replaced: also the BullMQ job id. */
  readonly id: string;
  /** `${orderId}:${event}:${target}`, sent to the partner in the Idempotency-Key header. */
  readonly idempotencyKey: string;
  readonly orderId: string;
  readonly eventId: string;
  readonly event: string;
  readonly target: string;
  readonly status: DeliveryStatus;
  readonly attempts: readonly DeliveryAttempt[];
  readonly lastError?: string;
  readonly partnerRef?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt?: string;
}

export interface DeliveryQuery {
  readonly status?: DeliveryStatus;
  readonly target?: string;
  readonly orderId?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface DeliveryLog {
  /** Inserts a pending delivery unless one with the same id exists; returns the stored one. */
  ensure(delivery: Omit<Delivery, 'status' | 'attempts' | 'updatedAt'>): Promise<{ delivery: Delivery; created: boolean }>;
  get(id: string): Promise<Delivery | undefined>;
  /** Appends the attempt and sets the status it led to. */
  recordAttempt(id: string, attempt: DeliveryAttempt, status: DeliveryStatus, partnerRef?: string): Promise<Delivery>;
  /** Sets a dead delivery back to pending for a replay. */
  markPending(id: string, at: string): Promise<Delivery>;
  list(query: DeliveryQuery): Promise<Page<Delivery>>;
}

// ── The whole store ────────────────────────────────────────────────────────────────────────────

export interface HubStore {
  readonly kind: 'sqlite' | 'mongo';
  readonly raw: RawMessageStore;
  readonly orders: OrderStore;
  readonly outbox: OutboxStore;
  readonly inventory: InventoryStore;
  readonly capacity: CapacityStore;
  readonly prices: PriceListStore;
  readonly calendar: CalendarStore;
  readonly cursors: CursorStore;
  readonly ledger: IntakeLedger;
  readonly sequences: SequenceStore;
  readonly deliveries: DeliveryLog;
  /** Resolves when the store answers a trivial read; for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
