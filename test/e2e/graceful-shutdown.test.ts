import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore } from '../../core/store/sqlite/sqlite-store';
import { startWebhookReceiver, type WebhookReceiver } from '../sandboxes/webhook-receiver';
import { freePort } from '../support/free-port';
import { eventually, orderBody, TEST_WEBHOOK_SECRET } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

const CLI = resolve(__dirname, '../../dist/pipelines/cli.js');
const KEY = 'shutdown-test-key';

let redis: TestRedis;
let receiver: WebhookReceiver;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (scripts/test.sh does)`);
  redis = await startTestRedis();
  receiver = await startWebhookReceiver({ secret: TEST_WEBHOOK_SECRET });
  dir = mkdtempSync(join(tmpdir(), 'order-hub-shutdown-'));
});

afterAll(async () => {
  await receiver?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(port: number): string {
  const file = join(dir, 'hub.yaml');
  writeFileSync(
    file,
    `store: { kind: sqlite, path: ${join(dir, 'hub.db')} }
redis:
  url: \${TEST_REDIS_URL}
http: { host: 127.0.0.1, port: ${port} }
auth:
  apiKeys:
    - { name: tester, role: admin, hash: "sha256:${createHash('sha256').update(KEY).digest('hex')}" }
connectors:
  - id: erp
    kind: webhook-target
    url: ${receiver.url}/hooks/orders
    secret: \${TEST_WEBHOOK_SECRET}
routes:
  - { on: order.confirmed, to: [erp] }
rules:
  stock: { enabled: false }
  price: { enabled: false }
`,
  );
  return file;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

describe('when the hub gets SIGTERM with a delivery in flight', () => {
  it('lets the partner call finish, records it, and exits 0', async () => {
    const port = await freePort();
    receiver.faults.set([{ delayMs: 1_500 }]);
    const child = spawn(process.execPath, [CLI, 'start', '--config', writeConfig(port)], {
      env: { ...process.env, TEST_REDIS_URL: redis.url, TEST_WEBHOOK_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = exitOf(child);

    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => ((await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), 'the hub to be ready', 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; hub output:\n${output}`);
    });
    const posted = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(orderBody()),
    });
    expect(posted.status).toBe(202);
    const { orderId } = (await posted.json()) as { orderId: string };

    await receiver.waitFor((requests) => requests.some((r) => r.body.includes(orderId)), 10_000);
    const inFlight = receiver.requests.find((r) => r.body.includes(orderId))!;
    expect(inFlight.status).toBeUndefined();
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(inFlight.status).toBe(200);
    expect(output).toContain('shutting down');

    const store = await openSqliteStore({ path: join(dir, 'hub.db') });
    try {
      const delivery = await store.deliveries.get(`${orderId}-order_confirmed-erp`);
      expect(delivery).toMatchObject({ status: 'delivered' });
      expect(delivery!.attempts).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
