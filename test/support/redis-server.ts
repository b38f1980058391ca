import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ManagedRedisServer } from '../../pipelines/redis/managed-redis-server';
import { freePort } from './free-port';

export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real redis-server on a free loopback port with a throw-away data folder, started the way the
 * hub starts its managed one. One per test file; each test uses its own queue prefix.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'order-hub-redis-'));
  const server = new ManagedRedisServer({ binary: 'redis-server', port: await freePort(), dir, log: pino({ level: 'silent' }) });
  await server.start();
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
