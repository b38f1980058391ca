/**
 * A partner login (session cookie, CSRF token, access token, uid) shared by every delivery of one
 * connector: fetched once, reused until it expires or the partner says it is no longer valid.
 * Concurrent deliveries wait on the same login instead of each opening a session of their own,
 * which ERPs count against licences and rate limits.
 */

export interface Session<T> {
  readonly value: T;
  /** Epoch ms after which the partner may have dropped it. */
  readonly expiresAt: number;
}

/**
 * Logins are renewed this long before the partner's own expiry, so a session is never sent in its
 * last moments and dropped in flight.
 */
const RENEW_BEFORE_EXPIRY_MS = 30_000;

export class SessionCache<T> {
  private current: Session<T> | undefined;
  private pending: Promise<Session<T>> | undefined;

  /**
   * @param login opens a session; it is not tied to any one delivery's abort signal, since other
   *   deliveries may be waiting on it (its own request timeout bounds it)
   */
  constructor(
    private readonly login: () => Promise<Session<T>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live session, logging in first when there is none or it is about to expire. */
  async get(): Promise<T> {
    if (this.current && this.current.expiresAt - RENEW_BEFORE_EXPIRY_MS > this.now()) return this.current.value;
    this.pending ??= this.login().finally(() => {
      this.pending = undefined;
    });
    const session = await this.pending;
    this.current = session;
    return session.value;
  }

  /**
   * Drops `stale` (the partner rejected it) and logs in again. A session that another delivery has
   * already renewed is kept, so a burst of rejections costs one login, not one each.
   */
  async renew(stale: T): Promise<T> {
    if (this.current?.value === stale) this.current = undefined;
    return this.get();
  }
}
