import { Redis, type RedisOptions } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Options BullMQ asks for: workers block on Redis, so commands must wait for a reconnect rather
 * than fail after a retry count (`maxRetriesPerRequest: null`).
 */
const BULLMQ_REDIS_OPTIONS: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };

export function createRedisConnection(url: string, name: string): Redis {
  return new Redis(url, { ...BULLMQ_REDIS_OPTIONS, connectionName: name });
}

/** Resolves once Redis answers PING, polling until `timeoutMs`. */
export async function waitForRedis(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (err) {
      lastError = err;
      client.disconnect();
      await sleep(50);
    }
  }
  throw new Error(`redis at ${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}
