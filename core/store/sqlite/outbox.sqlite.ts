import type Database from 'better-sqlite3';
import type { OrderEvent, OrderEventName } from '../../lifecycle/order-events';
import type { OutboxStore } from '../store.port';

interface OutboxRow {
  readonly id: string;
  readonly name: OrderEventName;
  readonly order_id: string;
  readonly order_version: number;
  readonly at: string;
  readonly data: string;
}

/** Events wait here, oldest first by insertion, until the relay marks them published. */
export class SqliteOutboxStore implements OutboxStore {
  private readonly insert: Database.Statement<[OutboxRow]>;
  private readonly pending: Database.Statement<[number], OutboxRow>;
  private readonly publish: Database.Statement<[string, string]>;
  private readonly publishAll: Database.Transaction<(ids: readonly string[], at: string) => void>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO outbox (id, name, order_id, order_version, at, data) VALUES (@id, @name, @order_id, @order_version, @at, @data)',
    );
    this.pending = db.prepare(
      'SELECT id, name, order_id, order_version, at, data FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?',
    );
    this.publish = db.prepare('UPDATE outbox SET published_at = ? WHERE id = ? AND published_at IS NULL');
    this.publishAll = db.transaction((ids: readonly string[], at: string) => {
      for (const id of ids) this.publish.run(at, id);
    });
  }

  async unpublished(limit: number): Promise<readonly OrderEvent[]> {
    return this.pending.all(Math.max(0, Math.floor(limit))).map(toEvent);
  }

  async markPublished(eventIds: readonly string[], at: string): Promise<void> {
    this.publishAll(eventIds, at);
  }

  /**
   * Called inside an order write. `orderVersion` is the version that write stores, whatever the
   * event says, so an event can never point at a version that does not exist.
   */
  append(events: readonly OrderEvent[], orderVersion: number): void {
    for (const event of events) {
      this.insert.run({
        id: event.id,
        name: event.name,
        order_id: event.orderId,
        order_version: orderVersion,
        at: event.at,
        data: JSON.stringify(event.data),
      });
    }
  }
}

function toEvent(row: OutboxRow): OrderEvent {
  return {
    id: row.id,
    name: row.name,
    orderId: row.order_id,
    orderVersion: row.order_version,
    at: row.at,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
