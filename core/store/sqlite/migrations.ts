import type Database from 'better-sqlite3';
import { HubError } from '../../errors/hub-error';

/**
 * The schema, one entry per version. `PRAGMA user_version` records how far a file has come, so an
 * entry that has shipped is never edited: a change is a new entry appended at the end.
 *
 * Quantities and money are TEXT (decimal strings computed with decimal.js), never REAL.
 * Instants used for sorting and range filters are kept twice: as given, and normalised to UTC
 * (`*_utc`, `Date#toISOString`) so that text order is time order whatever offset the source used.
 * BLOB bodies are the last column so reading the other columns never walks a body's overflow pages.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE raw_messages (
    id TEXT PRIMARY KEY,
    connector_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    format TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    external_id TEXT,
    idempotency_key TEXT,
    planned_order_id TEXT,
    received_at TEXT NOT NULL,
    received_utc TEXT NOT NULL,
    meta TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    details TEXT NOT NULL,
    order_ids TEXT NOT NULL,
    outcomes TEXT NOT NULL,
    body BLOB NOT NULL
  );
  CREATE UNIQUE INDEX raw_messages_idempotency ON raw_messages (connector_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
  CREATE INDEX raw_messages_received ON raw_messages (received_utc, id);
  CREATE INDEX raw_messages_status ON raw_messages (status, received_utc, id);

  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    customer_id TEXT,
    customer_name TEXT NOT NULL,
    po_number TEXT,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX orders_created ON orders (created_utc, id);
  CREATE INDEX orders_status ON orders (status, created_utc, id);
  CREATE INDEX orders_customer_id ON orders (customer_id, created_utc, id);
  CREATE INDEX orders_customer_name ON orders (customer_name, created_utc, id);
  CREATE INDEX orders_customer_po ON orders (customer_key, po_number);
  CREATE INDEX orders_customer_content ON orders (customer_key, content_hash);

  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (id),
    order_version INTEGER NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    published_at TEXT
  );
  CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

  CREATE TABLE stock (
    sku TEXT NOT NULL,
    location TEXT NOT NULL,
    on_hand TEXT NOT NULL,
    reserved TEXT NOT NULL DEFAULT '0',
    PRIMARY KEY (sku, location)
  ) WITHOUT ROWID;

  CREATE TABLE capacity (
    date TEXT PRIMARY KEY,
    capacity TEXT,
    booked TEXT NOT NULL DEFAULT '0'
  ) WITHOUT ROWID;

  CREATE TABLE prices (
    sku TEXT NOT NULL,
    currency TEXT NOT NULL,
    customer_key TEXT NOT NULL DEFAULT '',
    unit_price TEXT NOT NULL,
    PRIMARY KEY (sku, currency, customer_key)
  ) WITHOUT ROWID;

  CREATE TABLE calendar (
    date TEXT PRIMARY KEY,
    working INTEGER NOT NULL,
    note TEXT
  ) WITHOUT ROWID;

  CREATE TABLE cursors (
    connector_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (connector_id, key)
  ) WITHOUT ROWID;

  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    order_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts TEXT NOT NULL DEFAULT '[]',
    last_error TEXT,
    partner_ref TEXT,
    created_at TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    delivered_at TEXT
  );
  CREATE INDEX deliveries_created ON deliveries (created_utc, id);
  CREATE INDEX deliveries_status ON deliveries (status, created_utc, id);
  CREATE INDEX deliveries_target ON deliveries (target, created_utc, id);
  CREATE INDEX deliveries_order ON deliveries (order_id, created_utc, id);
  `,
  `
  CREATE TABLE ledger (
    connector_id TEXT NOT NULL,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    raw_message_id TEXT,
    data TEXT,
    PRIMARY KEY (connector_id, key)
  ) WITHOUT ROWID;

  CREATE TABLE sequences (
    scope TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

/** The schema version this code writes; a file at a higher version was written by newer code. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file up to SCHEMA_VERSION. Each step runs in an IMMEDIATE transaction that re-reads the
 * version, so two processes opening the same new file do not both apply it.
 */
export function migrate(db: Database.Database): void {
  const step = db.transaction((index: number) => {
    if (userVersion(db) !== index) return;
    db.exec(MIGRATIONS[index]!);
    db.pragma(`user_version = ${index + 1}`);
  });
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new HubError(
      'store.schema_too_new',
      `database schema is at version ${found}, this build knows up to ${SCHEMA_VERSION}; upgrade the hub`,
      'unexpected',
    );
  }
  for (let index = found; index < SCHEMA_VERSION; index++) step.immediate(index);
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
