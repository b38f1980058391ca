import type { Redis } from 'ioredis';
import { HubError } from '../../core/errors/hub-error';

/**
 * Leases in Redis that one hub process holds at a time: the single-instance lock of the Redis
 * docs. A lease is taken with `SET key token NX PX ttl` (set only if absent, with an expiry so a
 * crashed holder cannot block anyone for longer than `ttl`) and given back with a compare-and-delete
 * script, so a holder whose lease already expired cannot delete the lease another process took since.
 *
 * - https://redis.io/docs/latest/develop/use/patterns/distributed-locks/ (correct single-instance lock)
 * - https://redis.io/docs/latest/commands/set/ (NX, PX; the reply is nil when NX did not set)
 */

/** Deletes the key only while it still holds the caller's token; answers 1 when it deleted. */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** The commands the lock uses: a seam around ioredis (any `Redis` fits). */
export type LockRedis = Pick<Redis, 'set' | 'eval'>;

export class ScheduleLock {
  /**
   * @param commandTimeoutMs How long one lock command may take. The hub's connections queue
   *   commands while Redis is away (`maxRetriesPerRequest: null`), so without this bound a firing
   *   would wait for Redis to come back and then run late instead of being skipped.
   */
  constructor(
    private readonly redis: LockRedis,
    private readonly commandTimeoutMs: number,
  ) {}

  /**
   * Takes the lease on `key` for `ttlMs`. Resolves true when this caller now holds it, false when
   * someone else does. Rejects with `schedule.lock_unavailable` when Redis fails or does not answer
   * in time; should the queued command still succeed later, the lease is handed back at once.
   */
  async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
    const pending = this.redis.set(key, token, 'PX', ttlMs, 'NX');
    try {
      return (await this.bounded(pending, key)) === 'OK';
    } catch (err) {
      pending.then((reply) => (reply === 'OK' ? this.release(key, token) : false)).catch(() => undefined);
      throw err;
    }
  }

  /** Gives the lease back if `token` still holds it. Resolves false when it had expired or moved on. */
  async release(key: string, token: string): Promise<boolean> {
    return (await this.bounded(this.redis.eval(RELEASE_SCRIPT, 1, key, token), key)) === 1;
  }

  private async bounded<T>(command: Promise<T>, key: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HubError('schedule.lock_unavailable', `redis did not answer within ${this.commandTimeoutMs} ms (lock ${key})`, 'operational')),
        this.commandTimeoutMs,
      );
    });
    try {
      return await Promise.race([
        command.catch((err: unknown) => {
          throw new HubError('schedule.lock_unavailable', `redis refused the lock command (lock ${key})`, 'operational', { cause: err });
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
