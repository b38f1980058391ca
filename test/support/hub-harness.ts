import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { hubConfigSchema, type HubConfigInput } from '../../config/hub.schema';
import { startHub, type Hub } from '../../pipelines/hub';
import type { Role } from '../../pipelines/roles';

/** API keys of the test hub, one per role, as `role` → plaintext key. */
export const TEST_KEYS = {
  admin: 'test-admin-key',
  intake: 'test-intake-key',
  operator: 'test-operator-key',
  viewer: 'test-viewer-key',
  sales: 'test-sales-key',
  finance: 'test-finance-key',
  production: 'test-production-key',
} as const;

export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('order-hub-test-secret-0123456789').toString('base64')}`;

export interface TestHub {
  readonly hub: Hub;
  readonly url: string;
  readonly dataDir: string;
  readonly queuePrefix: string;
  /** fetch against the hub's API with the key of `role`. */
  api(path: string, init?: RequestInit & { role?: keyof typeof TEST_KEYS; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * A whole hub in this process on a real Redis and a real SQLite file, with a fresh queue prefix,
 * the API on a free port and one key per role. `config` overrides the defaults; a hub started in
 * place of a stopped one passes that one's `store` in `config` and its `queuePrefix`, so it finds
 * the same raw messages and the jobs still queued.
 */
export async function startTestHub(redisUrl: string, config: Partial<HubConfigInput> = {}, options: { role?: Role; log?: Logger; queuePrefix?: string; now?: () => Date } = {}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-hub-test-'));
  const parsed = hubConfigSchema.parse({
    store: { kind: 'sqlite', path: join(dataDir, 'hub.db') },
    redis: { url: redisUrl },
    http: { host: '127.0.0.1', port: 0 },
    auth: {
      apiKeys: Object.entries(TEST_KEYS).map(([role, key]) => ({ name: `${role}-user`, role, hash: `sha256:${createHash('sha256').update(key).digest('hex')}` })),
    },
    // The OCR engine links its language files under dataDir; keep that out of the working tree.
    ocr: { dataDir: join(dataDir, 'ocr') },
    ...config,
  });
  const queuePrefix = options.queuePrefix ?? `test-${randomUUID()}`;
  const hub = await startHub({ config: parsed, role: options.role ?? 'all', log: options.log ?? pino({ level: 'silent' }), queuePrefix, ...(options.now ? { now: options.now } : {}) });
  const url = hub.apiUrl ?? '';
  return {
    hub,
    url,
    dataDir,
    queuePrefix,
    api(path, init = {}) {
      const { role = 'admin', json, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('authorization', `Bearer ${TEST_KEYS[role]}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json), method: rest.method ?? 'POST' } : {}) });
    },
    async stop() {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value that is not undefined; fails with `what` after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let bodies = 0;

/**
 * A valid canonical order body for POST /api/v1/orders. Each call orders a different number of
 * valves, so two bodies are never the same content (which the duplicate rule would flag).
 */
export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    poNumber: `PO-${randomUUID().slice(0, 8)}`,
    customer: { id: 'C-100', name: '上海建工机电有限公司', contact: { name: '王经理', email: 'wang@example.cn' } },
    currency: 'CNY',
    paymentTerms: '30% advance, 70% on acceptance',
    requestedDeliveryDate: '2027-03-15',
    shipTo: { name: '工地仓库', street: '浦东新区张江路 88 号', city: '上海', country: 'CN' },
    lines: [
      { lineNo: 1, sku: 'PUMP-200', description: 'Centrifugal pump 200 m³/h', quantity: '2', uom: 'EA', unitPrice: '12500.00', taxRatePct: '13' },
      { lineNo: 2, sku: 'VALVE-DN50', quantity: String(10 + bodies++), uom: 'EA', unitPrice: '380.50', taxRatePct: '13' },
    ],
    ...overrides,
  };
}
