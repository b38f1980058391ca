import type Database from 'better-sqlite3';
import { HubError } from '../../errors/hub-error';

/**
 * Most writes a batch holds: bounds how long one commit keeps the event loop busy.
 * @defaultValue 500
 */
const MAX_BATCH = 500;

interface Pending<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (err: unknown) => void;
}

type Settled<O> = { readonly ok: true; readonly output: O } | { readonly ok: false; readonly error: unknown };

/**
 * Commits the writes that arrive within one event-loop turn in a single transaction. With
 * synchronous=FULL every commit costs an fsync; one per batch instead of one per write is what lets
 * the store take thousands of raw messages a second. Each caller's promise settles only after the
 * commit holding its write, so "resolved" still means "durably stored".
 */
export class GroupCommit<I, O> {
  private pending: Pending<I, O>[] = [];
  private scheduled = false;
  private readonly commit: Database.Transaction<(batch: readonly Pending<I, O>[]) => Settled<O>[]>;

  /**
   * `writeOne` runs inside the batch's transaction and makes at most one statement's change, so a
   * HubError it throws (after that statement failed, or before it ran) fails that write alone.
   */
  constructor(db: Database.Database, writeOne: (input: I) => O) {
    this.commit = db.transaction((batch: readonly Pending<I, O>[]) =>
      batch.map((item): Settled<O> => {
        try {
          return { ok: true, output: writeOne(item.input) };
        } catch (error) {
          // A HubError comes from a failed statement, which SQLite undoes alone; anything else may have
          // ended the transaction, so the whole batch fails rather than committing half of it.
          if (error instanceof HubError) return { ok: false, error };
          throw error;
        }
      }),
    );
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= MAX_BATCH) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Commits whatever is waiting now; called by close() so no accepted write is dropped. */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let settled: Settled<O>[];
    try {
      settled = this.commit.immediate(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    settled.forEach((result, i) => {
      const item = batch[i]!;
      if (result.ok) item.resolve(result.output);
      else item.reject(result.error);
    });
  }
}
