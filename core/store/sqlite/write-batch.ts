import type Database from 'better-sqlite3';

/**
 * Most writes one commit holds: bounds how long a commit keeps the event loop busy.
 * @defaultValue 500
 */
const MAX_BATCH = 500;

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Commits every write that arrives within one event-loop turn in ONE transaction, so the store pays
 * one fsync (synchronous=FULL) per turn instead of one per write: intake, routing and delivery each
 * write several rows per order, and one fsync each was what capped throughput.
 *
 * Each write runs inside the batch's transaction. A write that spans several statements uses
 * `db.transaction`, which better-sqlite3 turns into a SAVEPOINT when nested, so a write that fails
 * is undone alone; a failed single statement is undone by SQLite alone. A caller's promise settles
 * only after the commit that holds its write: "resolved" still means "durably stored".
 */
export class WriteBatch {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Database.Database) {}

  run<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Commits whatever is waiting now; the store calls it before closing. */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.db.exec('BEGIN IMMEDIATE');
    const outcomes = batch.map((item) => {
      try {
        // Store methods are `async` over synchronous better-sqlite3 calls: their statements have all
        // run by the time the call returns, so they land in this transaction.
        return { ok: true as const, value: item.work() };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const item of batch) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const item = batch[i]!;
      if (outcome.ok) Promise.resolve(outcome.value).then(item.resolve, item.reject);
      else item.reject(outcome.error);
    });
  }
}

/** Routes the named methods of a store object through the batch; reads stay direct. */
export function batched<T extends object, K extends keyof T>(target: T, batch: WriteBatch, methods: readonly K[]): T {
  for (const name of methods) {
    const original = target[name] as unknown as (...args: unknown[]) => unknown;
    (target as Record<K, unknown>)[name] = (...args: unknown[]) => batch.run(() => original.apply(target, args));
  }
  return target;
}
