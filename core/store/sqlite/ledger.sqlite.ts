import type Database from 'better-sqlite3';
import type { IntakeLedger, LedgerEntry, SequenceStore } from '../store.port';

interface LedgerRow {
  connector_id: string;
  key: string;
  at: string;
  raw_message_id: string | null;
  data: string | null;
}

export class SqliteIntakeLedger implements IntakeLedger {
  private readonly insert: Database.Statement<[string, string, string, string | null, string | null]>;
  private readonly read: Database.Statement<[string, string], LedgerRow>;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO ledger (connector_id, key, at, raw_message_id, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.read = db.prepare('SELECT * FROM ledger WHERE connector_id = ? AND key = ?');
  }

  async record(entry: LedgerEntry): Promise<{ created: boolean; entry: LedgerEntry }> {
    const result = this.insert.run(entry.connectorId, entry.key, entry.at, entry.rawMessageId ?? null, entry.data ? JSON.stringify(entry.data) : null);
    if (result.changes === 1) return { created: true, entry };
    return { created: false, entry: (await this.get(entry.connectorId, entry.key))! };
  }

  async get(connectorId: string, key: string): Promise<LedgerEntry | undefined> {
    const row = this.read.get(connectorId, key);
    if (!row) return undefined;
    return {
      connectorId: row.connector_id,
      key: row.key,
      at: row.at,
      ...(row.raw_message_id !== null ? { rawMessageId: row.raw_message_id } : {}),
      ...(row.data !== null ? { data: JSON.parse(row.data) as Record<string, unknown> } : {}),
    };
  }
}

export class SqliteSequenceStore implements SequenceStore {
  private readonly bump: Database.Statement<[string], { value: number }>;

  constructor(db: Database.Database) {
    this.bump = db.prepare('INSERT INTO sequences (scope, value) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET value = value + 1 RETURNING value');
  }

  async next(scope: string): Promise<number> {
    return this.bump.get(scope)!.value;
  }
}
