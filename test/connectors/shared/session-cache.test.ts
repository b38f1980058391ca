import { SessionCache } from '../../../connectors/shared/session-cache';

describe('SessionCache', () => {
  let now: number;
  let logins: number;
  const cache = () =>
    new SessionCache(
      async () => {
        logins += 1;
        return { value: `session-${logins}`, expiresAt: now + 60_000 };
      },
      () => now,
    );

  beforeEach(() => {
    now = 1_000_000;
    logins = 0;
  });

  it('logs in once for concurrent callers and reuses the session', async () => {
    const sessions = cache();
    expect(await Promise.all([sessions.get(), sessions.get(), sessions.get()])).toEqual(['session-1', 'session-1', 'session-1']);
    expect(await sessions.get()).toBe('session-1');
    expect(logins).toBe(1);
  });

  it('logs in again shortly before the session expires', async () => {
    const sessions = cache();
    await sessions.get();
    now += 45_000;
    expect(await sessions.get()).toBe('session-2');
  });

  it('renews a rejected session once, however many callers saw it rejected', async () => {
    const sessions = cache();
    const stale = await sessions.get();
    expect(await Promise.all([sessions.renew(stale), sessions.renew(stale)])).toEqual(['session-2', 'session-2']);
    expect(await sessions.renew(stale)).toBe('session-2');
    expect(logins).toBe(2);
  });

  it('tries again after a failed login', async () => {
    let fail = true;
    const sessions = new SessionCache(async () => {
      if (fail) throw new Error('down');
      return { value: 'ok', expiresAt: Date.now() + 60_000 };
    });
    await expect(sessions.get()).rejects.toThrow('down');
    fail = false;
    await expect(sessions.get()).resolves.toBe('ok');
  });
});
