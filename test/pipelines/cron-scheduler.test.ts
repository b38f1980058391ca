import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { HubError } from '../../core/errors/hub-error';
import { createRedisConnection } from '../../pipelines/redis/connection';
import { CronScheduler, jitterDelayMs, type ScheduledJob } from '../../pipelines/schedules/cron-scheduler';
import { eventually } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

let redis: TestRedis;
let admin: Redis;
let keyPrefix: string;
const schedulers: CronScheduler[] = [];
const connections: Redis[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  admin = createRedisConnection(redis.url, 'cron-test-admin');
});

beforeEach(() => {
  keyPrefix = `test-${randomUUID()}`;
});

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  for (const c of connections.splice(0)) c.disconnect();
  const keys = await admin.keys(`${keyPrefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
});

afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

interface Captured {
  readonly log: Logger;
  readonly lines: Record<string, unknown>[];
}

function capturedLog(): Captured {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) };
}

/** One simulated hub process: its own Redis connection, the deployment's shared key prefix. */
function hubProcess(options: { log?: Logger; random?: () => number; url?: string; lockTimeoutMs?: number } = {}): CronScheduler {
  const connection = createRedisConnection(options.url ?? redis.url, `cron-test-${connections.length}`);
  connection.on('error', () => undefined);
  connections.push(connection);
  const scheduler = new CronScheduler({
    redis: connection,
    keyPrefix,
    log: options.log ?? pino({ level: 'silent' }),
    random: options.random ?? (() => 0),
    lockTimeoutMs: options.lockTimeoutMs,
  });
  schedulers.push(scheduler);
  return scheduler;
}

function job(run: ScheduledJob['run'], overrides: Partial<Omit<ScheduledJob, 'run'>> = {}): ScheduledJob {
  return { id: 'shop-main:poll', schedule: '* * * * * *', jitterMs: 0, maxRunMs: 5_000, ...overrides, run };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));

describe('when three hub processes share an every-second schedule', () => {
  it('runs each firing exactly once in total across them', async () => {
    const runs: { at: number; process: number }[] = [];
    const processes = [0, 1, 2].map((i) => {
      const scheduler = hubProcess({ random: Math.random });
      scheduler.add(job(async (_signal, firing) => void runs.push({ at: firing.at.getTime(), process: i }), { jitterMs: 300 }));
      return scheduler;
    });
    for (const p of processes) p.start();

    await eventually(async () => (new Set(runs.map((r) => r.at)).size >= 4 ? true : undefined), 'four firings', 20_000);
    await Promise.all(processes.map((p) => p.stop()));

    const perFiring = new Map<number, number>();
    for (const run of runs) perFiring.set(run.at, (perFiring.get(run.at) ?? 0) + 1);
    expect([...perFiring.values()].every((count) => count === 1)).toBe(true);
    expect(runs.every((run) => run.at % 1000 === 0)).toBe(true);
  });

  it('lets exactly one of them run a firing they all fire at once', async () => {
    let runs = 0;
    const processes = [0, 1, 2].map(() => {
      const scheduler = hubProcess();
      scheduler.add(job(async () => void (runs += 1)));
      return scheduler;
    });

    const outcomes = await Promise.all(processes.map((p) => p.fire('shop-main:poll', at(7))));

    expect(outcomes.sort()).toEqual(['ran', 'skipped-locked', 'skipped-locked']);
    expect(runs).toBe(1);
  });
});

describe('when a run outlasts the schedule interval', () => {
  it('never runs two firings of the job at the same time across processes, and logs the skipped ones', async () => {
    const { log, lines } = capturedLog();
    let active = 0;
    let mostActive = 0;
    let runs = 0;
    const slowRun = async (signal: AbortSignal) => {
      active += 1;
      mostActive = Math.max(mostActive, active);
      await sleep(1_500, undefined, { signal }).finally(() => (active -= 1));
      runs += 1;
    };
    const processes = [hubProcess({ log }), hubProcess({ log })];
    for (const p of processes) {
      p.add(job(slowRun));
      p.start();
    }

    await eventually(async () => (runs >= 3 ? true : undefined), 'three slow runs', 25_000);
    await Promise.all(processes.map((p) => p.stop()));

    expect(mostActive).toBe(1);
    expect(lines.filter((l) => l.level === 40 && String(l.msg).startsWith('previous run of this job still going')).length).toBeGreaterThan(0);
  });

  it('skips firings while another process runs the job, and runs the next one after it ended', async () => {
    const a = hubProcess();
    const b = hubProcess();
    const gate = deferred();
    let started = false;
    a.add(job(async () => {
      started = true;
      await gate.promise;
    }));
    b.add(job(async () => undefined));

    const first = a.fire('shop-main:poll', at(1));
    await eventually(async () => (started ? true : undefined), 'the first run to start');
    expect(await b.fire('shop-main:poll', at(2))).toBe('skipped-running');
    expect(await a.fire('shop-main:poll', at(3))).toBe('skipped-running');
    gate.resolve();
    expect(await first).toBe('ran');
    expect(await b.fire('shop-main:poll', at(4))).toBe('ran');
  });

  it("does not give back a running lease that expired and was taken by another process (compare-and-delete)", async () => {
    const [a, b, c] = [hubProcess(), hubProcess(), hubProcess()];
    const aGate = deferred();
    const bGate = deferred();
    let aStarted = false;
    let bStarted = false;
    a.add(job(() => ((aStarted = true), aGate.promise), { maxRunMs: 100 }));
    b.add(job(async () => {
      bStarted = true;
      await bGate.promise;
    }));
    c.add(job(async () => undefined));

    const aFiring = a.fire('shop-main:poll', at(1));
    const runningKey = `${keyPrefix}:schedule:shop-main:poll:running`;
    await eventually(async () => (aStarted ? true : undefined), "a's run to start");
    await eventually(async () => ((await admin.exists(runningKey)) === 0 ? true : undefined), "a's lease to expire");
    const bFiring = b.fire('shop-main:poll', at(2));
    await eventually(async () => (bStarted ? true : undefined), "b's run to start");
    aGate.resolve();
    expect(await aFiring).toBe('ran');

    expect(await c.fire('shop-main:poll', at(3))).toBe('skipped-running');
    bGate.resolve();
    expect(await bFiring).toBe('ran');
  });
});

describe('when a run exceeds maxRunMs', () => {
  it('aborts the signal it was given, with a schedule.timeout reason', async () => {
    const scheduler = hubProcess();
    let reason: unknown;
    scheduler.add(job((signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(void (reason = signal.reason)))), { maxRunMs: 200 }));

    expect(await scheduler.fire('shop-main:poll', at(1))).toBe('ran');
    expect(reason).toBeInstanceOf(HubError);
    expect((reason as HubError).code).toBe('schedule.timeout');
  });
});

describe('when a job is added', () => {
  it('refuses an invalid expression, naming the job and the expression', () => {
    const scheduler = hubProcess();
    const add = () => scheduler.add(job(async () => undefined, { id: 'shop-east:stock-out', schedule: '61 * * * *' }));
    expect(add).toThrow(HubError);
    expect(add).toThrow(/shop-east:stock-out.*"61 \* \* \* \*".*minute/);
    try {
      add();
    } catch (err) {
      expect((err as HubError).code).toBe('schedule.invalid');
    }
  });

  it('accepts five fields and six (seconds first)', () => {
    const scheduler = hubProcess();
    scheduler.add(job(async () => undefined, { id: 'a', schedule: '*/5 * * * *' }));
    scheduler.add(job(async () => undefined, { id: 'b', schedule: '*/30 * * * * *' }));
    expect(() => scheduler.add(job(async () => undefined, { id: 'a' }))).toThrow(/"a".*already scheduled/);
  });

  it('refuses an unknown time zone', () => {
    expect(() => new CronScheduler({ redis: admin, keyPrefix, log: pino({ level: 'silent' }), timezone: 'Mars/Olympus_Mons' })).toThrow(
      /Mars\/Olympus_Mons/,
    );
  });
});

describe('stop()', () => {
  it('waits for a running job to finish', async () => {
    const scheduler = hubProcess();
    const gate = deferred();
    const order: string[] = [];
    let started = false;
    scheduler.add(job(async () => {
      started = true;
      await gate.promise;
      order.push('run finished');
    }));

    const firing = scheduler.fire('shop-main:poll', at(1));
    await eventually(async () => (started ? true : undefined), 'the run to start');
    const stopped = scheduler.stop().then(() => order.push('stop resolved'));
    await sleep(50);
    order.push('gate opened');
    gate.resolve();
    await stopped;

    expect(order).toEqual(['gate opened', 'run finished', 'stop resolved']);
    expect(await firing).toBe('ran');
  });

  it('stops waiting for a run that ignores its abort once it had its maxRunMs', async () => {
    const scheduler = hubProcess();
    const gate = deferred();
    let started = false;
    let finished = false;
    scheduler.add(job(() => ((started = true), gate.promise.then(() => void (finished = true))), { maxRunMs: 200 }));

    const firing = scheduler.fire('shop-main:poll', at(1));
    await eventually(async () => (started ? true : undefined), 'the run to start');
    await scheduler.stop();

    expect(finished).toBe(false);
    gate.resolve();
    expect(await firing).toBe('ran');
  });

  it('does not start a firing whose leases were still being taken when stop was called', async () => {
    const scheduler = hubProcess();
    let ran = false;
    scheduler.add(job(async () => void (ran = true)));

    const firing = scheduler.fire('shop-main:poll', at(1));
    await scheduler.stop();

    expect(await firing).toBe('skipped-stopped');
    expect(ran).toBe(false);
    expect(await admin.exists(`${keyPrefix}:schedule:shop-main:poll:running`)).toBe(0);
  });
});

describe('jitter', () => {
  it('draws the delay in [0, jitterMs) from the random source', () => {
    expect([0, 0.5, 0.99999].map((r) => jitterDelayMs(400, () => r))).toEqual([0, 200, 399]);
    expect(jitterDelayMs(0, () => 0.7)).toBe(0);
  });

  it('with a zero draw, runs at once even with a long jitter', async () => {
    const scheduler = hubProcess({ random: () => 0 });
    scheduler.add(job(async () => undefined, { jitterMs: 600_000 }));
    expect(await scheduler.fire('shop-main:poll', at(1))).toBe('ran');
  });

  it('waits before contending for the firing, so a stop during the wait drops it untaken', async () => {
    const scheduler = hubProcess({ random: () => 0.999 });
    let ran = false;
    scheduler.add(job(async () => void (ran = true), { jitterMs: 600_000 }));

    const firing = scheduler.fire('shop-main:poll', at(1));
    await scheduler.stop();

    expect(await firing).toBe('skipped-stopped');
    expect(ran).toBe(false);
    expect(await admin.keys(`${keyPrefix}:schedule:*`)).toEqual([]);
  });
});

describe('when Redis is unreachable at firing time', () => {
  it('skips the firing with a warning naming the job, and does not run it', async () => {
    const doomed = await startTestRedis();
    const { log, lines } = capturedLog();
    const scheduler = hubProcess({ url: doomed.url, log, lockTimeoutMs: 300 });
    let ran = false;
    scheduler.add(job(async () => void (ran = true)));
    await connections.at(-1)!.ping();
    await doomed.stop();

    expect(await scheduler.fire('shop-main:poll', at(1))).toBe('skipped-lock-error');
    expect(ran).toBe(false);
    expect(lines.some((l) => l.level === 40 && l.jobId === 'shop-main:poll' && String(l.msg).includes('lock store unreachable'))).toBe(true);
  });
});

describe('when a run throws', () => {
  it('logs the error with the job id and keeps firing', async () => {
    const { log, lines } = capturedLog();
    const scheduler = hubProcess({ log });
    let runs = 0;
    scheduler.add(job(async () => {
      runs += 1;
      throw new Error('shop answered 503');
    }));

    expect(await scheduler.fire('shop-main:poll', at(1))).toBe('ran');
    expect(await scheduler.fire('shop-main:poll', at(2))).toBe('ran');
    expect(runs).toBe(2);
    const failures = lines.filter((l) => l.level === 50 && l.jobId === 'shop-main:poll');
    expect(failures).toHaveLength(2);
    expect((failures[0]!.err as { message: string }).message).toBe('shop answered 503');
  });
});
