import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTask, validateDetailed, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { HubError } from '../../core/errors/hub-error';
import { ScheduleLock, type LockRedis } from './schedule-lock';

/**
 * Cron schedules that many hub processes share: every process runs node-cron, and each firing runs
 * in exactly one of them. A firing is named by its scheduled instant (node-cron hands the matched
 * slot, whole seconds, to the task as `context.date`), so all processes contend for the same key:
 *
 * 1. within one process, a firing is skipped while the previous one of the same job is in flight;
 * 2. the process waits its jitter (a random delay in [0, jitterMs)) *before* contending, so which
 *    process wins varies and many jobs on one schedule do not call their partners at once;
 * 3. `SET <prefix>:schedule:<jobId>:<firingEpochSec> <token> NX PX …` picks the one process that
 *    runs this firing; the key is left to expire, so a late contender still loses;
 * 4. `SET <prefix>:schedule:<jobId>:running <token> NX PX …` stops a firing from starting while a
 *    slow run of the same job is still going in another process (that firing is skipped, logged);
 * 5. the run gets a signal that aborts after maxRunMs; the running lease is given back at its end.
 *
 * Redis unreachable at firing time skips the firing with a warning: a job never runs unlocked.
 *
 * - node-cron 4 (createTask, validateDetailed, TaskContext.date, `logger` option): https://nodecron.com/api-reference.html,
 *   https://nodecron.com/scheduling-options; read against node_modules/node-cron/dist/_shared.cjs (Runner.start: the slot is passed on).
 * - AbortSignal: https://nodejs.org/api/globals.html#class-abortsignal
 */

/** One firing, as handed to the run. */
export interface ScheduledFiring {
  /** The scheduled instant, whole seconds: the same in every process that fired it. */
  readonly at: Date;
}

export interface ScheduledJob {
  /** Unique per scheduler and stable across processes: 'shopify-main:poll', 'shopify-main:stock-out'. */
  readonly id: string;
  /** node-cron expression, 5 fields or 6 with seconds first. */
  readonly schedule: string;
  /** Each firing first waits a random delay in [0, jitterMs) ms. */
  readonly jitterMs: number;
  /** The run's signal aborts after this many ms; the running lease expires shortly after. */
  readonly maxRunMs: number;
  run(signal: AbortSignal, firing: ScheduledFiring): Promise<unknown>;
}

export type FiringOutcome =
  | 'ran'
  /** Another process won this firing. */
  | 'skipped-locked'
  /** The previous run of the job is still going, in this process or another. */
  | 'skipped-running'
  /** The scheduler was stopped before the firing got to run (during its jitter, say). */
  | 'skipped-stopped'
  /** Redis failed or did not answer in time: the firing is not run unlocked. */
  | 'skipped-lock-error';

export interface CronSchedulerDeps {
  readonly redis: LockRedis;
  /** Prefix of every key, shared by all processes of one deployment. */
  readonly keyPrefix: string;
  readonly log: Logger;
  /** IANA zone the expressions are read in. @defaultValue the process's zone */
  readonly timezone?: string;
  /** Source of jitter in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /** How long one lock command may take before the firing is skipped, in ms. @defaultValue 2000 */
  readonly lockTimeoutMs?: number;
}

/**
 * Lets the firing key outlive every contender of the same firing: node-cron still runs a slot up
 * to 1 s late, and hosts' clocks differ by a few seconds.
 */
const FIRING_KEY_MARGIN_MS = 10_000;

/**
 * After the abort, a run that honours it gets this long to unwind (finish a write, log) before
 * stop() stops waiting for it; the running lease lasts as long, so no other process starts meanwhile.
 */
const ABORT_GRACE_MS = 1_000;

/** A Redis on loopback or in the same network answers within milliseconds; 2 s is a dead one. */
const DEFAULT_LOCK_TIMEOUT_MS = 2_000;

/** The random part of a firing's delay: whole ms in [0, jitterMs). */
export function jitterDelayMs(jitterMs: number, random: () => number): number {
  return Math.floor(random() * jitterMs);
}

interface InFlight {
  readonly settled: Promise<unknown>;
  /** Resolves once the run has had maxRunMs plus the grace: stop() waits no longer. */
  readonly givenUp: Promise<void>;
}

export class CronScheduler {
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private readonly stopping = new AbortController();
  private readonly lock: ScheduleLock;
  private readonly random: () => number;
  private readonly log: Logger;
  private started = false;

  constructor(private readonly deps: CronSchedulerDeps) {
    if (deps.timezone !== undefined) assertTimezone(deps.timezone);
    this.lock = new ScheduleLock(deps.redis, deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    this.random = deps.random ?? Math.random;
    this.log = deps.log;
  }

  /** Registers a job; once started, it is scheduled at once. Throws `schedule.invalid` naming the job. */
  add(job: ScheduledJob): void {
    assertValidJob(job, this.jobs);
    this.jobs.set(job.id, job);
    if (this.started) this.schedule(job);
  }

  start(): void {
    if (this.stopping.signal.aborted) throw new HubError('schedule.stopped', 'a stopped scheduler is not started again; create a new one', 'unexpected');
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  /**
   * Stops firing and waits for the runs in flight, each no longer than its maxRunMs (plus a short
   * grace to unwind). Aborts no run; firings still in their jitter delay are dropped. Final.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.tasks.splice(0).map((task) => task.destroy()));
    await Promise.all(
      [...this.inFlight].map(([jobId, firing]) =>
        Promise.race([
          firing.settled,
          firing.givenUp.then(() => this.log.warn({ jobId }, 'scheduled job still running past its maxRunMs at stop; no longer waited for')),
        ]),
      ),
    );
  }

  /**
   * Runs one firing now under the same rules as a scheduled one (tests, manual trigger). The
   * firing is named by `firingAt` truncated to the second, so a manual trigger in the very second
   * of a scheduled firing contends with it.
   */
  async fire(jobId: string, firingAt: Date = new Date()): Promise<FiringOutcome> {
    const job = this.jobs.get(jobId);
    if (!job) throw new HubError('schedule.unknown_job', `no scheduled job "${jobId}"`, 'user');
    const at = new Date(Math.floor(firingAt.getTime() / 1000) * 1000);
    const log = this.log.child({ jobId, firingAt: at.toISOString() });
    if (this.stopping.signal.aborted) return 'skipped-stopped';
    if (this.inFlight.has(jobId)) {
      log.warn('previous run of this job still going in this process; firing skipped');
      return 'skipped-running';
    }
    let giveUp = (): void => undefined;
    const givenUp = new Promise<void>((resolve) => (giveUp = resolve));
    const outcome = this.runFiring(job, at, log, giveUp);
    this.inFlight.set(jobId, { settled: outcome, givenUp });
    try {
      return await outcome;
    } finally {
      this.inFlight.delete(jobId);
    }
  }

  private schedule(job: ScheduledJob): void {
    const task = createTask(job.schedule, (context) => this.fire(job.id, context.date), {
      name: job.id,
      timezone: this.deps.timezone,
      logger: cronLogger(this.log.child({ jobId: job.id })),
    });
    this.tasks.push(task);
    void task.start();
  }

  private async runFiring(job: ScheduledJob, at: Date, log: Logger, giveUp: () => void): Promise<FiringOutcome> {
    const delayMs = jitterDelayMs(job.jitterMs, this.random);
    if (delayMs > 0) {
      try {
        await sleep(delayMs, undefined, { signal: this.stopping.signal });
      } catch {
        log.info({ delayMs }, 'scheduler stopped during the jitter delay; firing dropped');
        return 'skipped-stopped';
      }
    }
    const token = `${hostname()}/${process.pid}/${randomUUID()}`;
    const firingKey = `${this.deps.keyPrefix}:schedule:${job.id}:${at.getTime() / 1000}`;
    const runningKey = `${this.deps.keyPrefix}:schedule:${job.id}:running`;
    try {
      if (!(await this.lock.acquire(firingKey, token, job.maxRunMs + job.jitterMs + FIRING_KEY_MARGIN_MS))) {
        log.debug({ delayMs }, 'another process runs this firing');
        return 'skipped-locked';
      }
      if (!(await this.lock.acquire(runningKey, token, job.maxRunMs + ABORT_GRACE_MS))) {
        log.warn('previous run of this job still going in another process; firing skipped');
        return 'skipped-running';
      }
    } catch (err) {
      log.warn({ err }, 'lock store unreachable; firing skipped rather than run unlocked');
      return 'skipped-lock-error';
    }
    if (this.stopping.signal.aborted) {
      log.info('scheduler stopped while the leases were taken; firing dropped');
      await this.giveBack(runningKey, token, log);
      return 'skipped-stopped';
    }
    await this.runJob(job, at, log.child({ delayMs }), giveUp);
    await this.giveBack(runningKey, token, log);
    return 'ran';
  }

  private async giveBack(runningKey: string, token: string, log: Logger): Promise<void> {
    try {
      if (!(await this.lock.release(runningKey, token))) log.warn('running lease had expired before the run ended');
    } catch (err) {
      log.warn({ err }, 'running lease not given back; it expires by itself');
    }
  }

  private async runJob(job: ScheduledJob, at: Date, log: Logger, giveUp: () => void): Promise<void> {
    const controller = new AbortController();
    const abortTimer = setTimeout(
      () => controller.abort(new HubError('schedule.timeout', `job ${job.id} ran longer than its maxRunMs (${job.maxRunMs} ms)`, 'operational')),
      job.maxRunMs,
    );
    const giveUpTimer = setTimeout(giveUp, job.maxRunMs + ABORT_GRACE_MS);
    const startedAt = Date.now();
    try {
      const result = await job.run(controller.signal, { at });
      const durationMs = Date.now() - startedAt;
      if (controller.signal.aborted) log.warn({ durationMs, result }, 'scheduled job finished after its maxRunMs');
      else log.info({ durationMs, result }, 'scheduled job finished');
    } catch (err) {
      log.error({ err, durationMs: Date.now() - startedAt, aborted: controller.signal.aborted }, 'scheduled job failed');
    } finally {
      clearTimeout(abortTimer);
      clearTimeout(giveUpTimer);
    }
  }
}

function assertValidJob(job: ScheduledJob, jobs: ReadonlyMap<string, ScheduledJob>): void {
  const invalid = (path: string, message: string) =>
    new HubError('schedule.invalid', `scheduled job "${job.id}": ${message}`, 'user', { details: [{ path, message }] });
  if (typeof job.id !== 'string' || job.id.length === 0) throw invalid('id', 'the id must be a non-empty string');
  if (jobs.has(job.id)) throw invalid('id', 'a job with this id is already scheduled');
  const { valid, errors } = validateDetailed(job.schedule);
  if (!valid) {
    throw new HubError(
      'schedule.invalid',
      `scheduled job "${job.id}": "${job.schedule}" is not a cron expression (${errors.map((e) => e.message).join('; ')})`,
      'user',
      { details: errors.map((e) => ({ path: `schedule.${e.field}`, message: e.message })) },
    );
  }
  if (!Number.isInteger(job.jitterMs) || job.jitterMs < 0) throw invalid('jitterMs', `jitterMs must be a whole number of ms ≥ 0, got ${job.jitterMs}`);
  if (!Number.isInteger(job.maxRunMs) || job.maxRunMs <= 0) throw invalid('maxRunMs', `maxRunMs must be a whole number of ms > 0, got ${job.maxRunMs}`);
}

function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (err) {
    throw new HubError('schedule.invalid', `timezone "${timezone}" is not an IANA time zone`, 'user', {
      details: [{ path: 'timezone', message: 'unknown time zone' }],
      cause: err,
    });
  }
}

/** node-cron's own messages (missed firings after a blocked event loop) go to the hub's log. */
function cronLogger(log: Logger): CronLogger {
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message, err) => log.error({ err: err ?? message }, typeof message === 'string' ? message : 'node-cron error'),
    debug: (message, err) => log.debug({ err }, typeof message === 'string' ? message : 'node-cron debug'),
  };
}
