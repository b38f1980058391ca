import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { HubError } from '../../errors/hub-error';
import { ValidationError } from '../../errors/validation.error';
import type { HubStore } from '../store.port';
import { SqliteCursorStore } from './cursors.sqlite';
import { SqliteDeliveryLog } from './deliveries.sqlite';
import { SqliteIntakeLedger, SqliteSequenceStore } from './ledger.sqlite';
import { migrate } from './migrations';
import { SqliteOrderStore } from './orders.sqlite';
import { SqliteOutboxStore } from './outbox.sqlite';
import { SqliteRawMessageStore } from './raw-messages.sqlite';
import { SqliteCalendarStore, SqliteCapacityStore, SqliteInventoryStore, SqlitePriceListStore } from './reference-data.sqlite';
import { Reservations } from './reservations.sqlite';
import { StatementCache } from './dynamic-queries';
import { batched, WriteBatch } from './write-batch';

export interface SqliteStoreOptions {
  /**
   * The database file; its folder is created if missing. Always a real file: ':memory:' is refused,
   * because a store that forgets on restart would break the promise that raw input is durable.
   */
  readonly path: string;
}

/** The HubStore, plus a read of the connection's pragmas for diagnostics and tests. */
export interface SqliteHubStore extends HubStore {
  readonly kind: 'sqlite';
  /** `PRAGMA <name>` on this store's own connection (per-connection settings differ between connections). */
  pragma(name: string): unknown;
}

/**
 * WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so a
 * resolved write survives power loss, not only a process crash; busy_timeout (ms) lets another
 * process holding the write lock (CLI, second worker) finish instead of failing at once.
 */
const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'] as const;

/** Opens (creating if needed) the SQLite store at `options.path` and brings its schema up to date. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteHubStore> {
  if (options.path.trim() === '' || options.path === ':memory:') {
    throw new ValidationError('the SQLite store needs a file path', [{ path: 'path', message: 'must be a file, not in memory' }]);
  }
  const path = resolve(options.path);
  await mkdir(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    for (const pragma of PRAGMAS) db.pragma(pragma);
    // WAL cannot be turned on for some files (network filesystems); better to refuse than run unsafe.
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') {
      throw new HubError('store.wal_unavailable', `SQLite could not switch ${path} to WAL`, 'unexpected');
    }
    migrate(db);
    return wire(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

function wire(db: Database.Database): SqliteHubStore {
  const statements = new StatementCache(db);
  const batch = new WriteBatch(db);
  const outbox = batched(new SqliteOutboxStore(db), batch, ['markPublished']);
  const raw = batched(new SqliteRawMessageStore(db, statements), batch, ['put', 'markProcessed', 'quarantine', 'markForReplay']);
  const ping = db.prepare('SELECT 1');
  return {
    kind: 'sqlite',
    raw,
    orders: batched(new SqliteOrderStore(db, statements, outbox, new Reservations(db)), batch, ['create', 'save']),
    outbox,
    inventory: new SqliteInventoryStore(db),
    capacity: new SqliteCapacityStore(db),
    prices: new SqlitePriceListStore(db),
    calendar: new SqliteCalendarStore(db),
    cursors: batched(new SqliteCursorStore(db), batch, ['set']),
    ledger: batched(new SqliteIntakeLedger(db), batch, ['record']),
    sequences: batched(new SqliteSequenceStore(db), batch, ['next']),
    deliveries: batched(new SqliteDeliveryLog(db, statements), batch, ['ensure', 'recordAttempt', 'markPending']),
    async ping() {
      ping.get();
    },
    async close() {
      if (!db.open) return;
      batch.flush();
      db.close();
    },
    pragma(name: string) {
      return db.pragma(name, { simple: true });
    },
  };
}
