import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { HubError } from '../../core/errors/hub-error';
import { waitForRedis } from './connection';

export interface ManagedRedisOptions {
  readonly binary: string;
  readonly port: number;
  readonly dir: string;
  readonly log: Logger;
}

/** redis-server is not installed (or not at the configured path). */
export class RedisServerMissingError extends HubError {
  constructor(binary: string) {
    super(
      'redis.server_missing',
      `"${binary}" was not found. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server), ` +
        'or set REDIS_URL to a Redis the hub can use.',
      'user',
    );
  }
}

/** Restart delays after an unexpected exit, in ms: quick at first, then at most every 10 s. */
const RESTART_BACKOFF_MS = [200, 1_000, 3_000, 10_000];

/**
 * Runs and supervises a redis-server owned by the hub, for machines where REDIS_URL is unset.
 * BullMQ needs `noeviction` (an evicted job key is a lost job) and AOF so queued jobs survive a
 * restart; it listens on loopback only and keeps its files under `dir`.
 */
export class ManagedRedisServer {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;

  constructor(private readonly options: ManagedRedisOptions) {}

  get url(): string {
    return `redis://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    const probe = spawnSync(this.options.binary, ['--version'], { encoding: 'utf8' });
    if (probe.error) throw new RedisServerMissingError(this.options.binary);
    mkdirSync(resolve(this.options.dir), { recursive: true });
    this.spawnChild();
    await waitForRedis(this.url, 10_000);
    this.options.log.info({ url: this.url, dir: resolve(this.options.dir), version: probe.stdout.trim() }, 'REDIS_URL is unset: started a managed redis-server');
  }

  private spawnChild(): void {
    const { binary, port, dir, log } = this.options;
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', resolve(dir),
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--save', '',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      '--loglevel', 'warning',
    ];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => log.debug({ redis: chunk.toString().trim() }, 'redis-server output'));
    child.stderr?.on('data', (chunk: Buffer) => log.warn({ redis: chunk.toString().trim() }, 'redis-server error output'));
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      const delay = RESTART_BACKOFF_MS[Math.min(this.restarts, RESTART_BACKOFF_MS.length - 1)]!;
      this.restarts += 1;
      log.error({ code, signal, restartInMs: delay }, 'managed redis-server exited; restarting');
      void sleep(delay).then(() => {
        if (!this.stopping) this.spawnChild();
      });
    });
  }

  /** Stops redis-server after the hub's own clients are closed; AOF is flushed on SIGTERM. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  }
}
