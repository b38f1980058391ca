import type Database from 'better-sqlite3';
import type { CursorStore } from '../store.port';

export class SqliteCursorStore implements CursorStore {
  private readonly read: Database.Statement<[string, string], { value: string }>;
  private readonly write: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.read = db.prepare('SELECT value FROM cursors WHERE connector_id = ? AND key = ?');
    this.write = db.prepare(
      'INSERT INTO cursors (connector_id, key, value) VALUES (?, ?, ?) ON CONFLICT (connector_id, key) DO UPDATE SET value = excluded.value',
    );
  }

  async get(connectorId: string, key: string): Promise<string | undefined> {
    return this.read.get(connectorId, key)?.value;
  }

  async set(connectorId: string, key: string, value: string): Promise<void> {
    this.write.run(connectorId, key, value);
  }
}
