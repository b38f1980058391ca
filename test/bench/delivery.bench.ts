import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import axios from 'axios';
import { Queue } from 'bullmq';
import { signStandardWebhook } from '../../connectors/shared/signatures';
import { QUEUES } from '../../pipelines/queues';
import { startErpRestSandbox } from '../sandboxes/erp-rest.sandbox';
import { startWebhookReceiver } from '../sandboxes/webhook-receiver';
import { orderBody, startTestHub, TEST_KEYS, TEST_WEBHOOK_SECRET, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { drive, percentile } from './load';

/**
 * `npm run bench:delivery`: how fast the hub delivers to a loopback partner, for a webhook receiver
 * and the erp-rest sandbox, each beside an anchor measured in the same run: a bare axios POST loop
 * to the same partner with as many requests in flight as the hub's delivery worker has.
 *
 * - Throughput: the target's delivery queue is paused while DELIVERIES orders are taken in and
 *   routed, then resumed; deliveries/s is how fast that backlog drains (intake is not in it).
 * - Latency: PACED_ORDERS orders posted at PACED_RATE per second, well under what intake takes;
 *   each is timed from its `order.confirmed` event (the outbox write) to the partner receiving it
 *   (the sandboxes answer at once, so that is when the partner accepted it).
 *
 * DELIVERIES (2000), CONCURRENCY (16), PACED_ORDERS (500) and PACED_RATE (50) come from the environment.
 */
const DELIVERIES = Number(process.env.DELIVERIES ?? 2_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const PACED_ORDERS = Number(process.env.PACED_ORDERS ?? 500);
const PACED_RATE = Number(process.env.PACED_RATE ?? 50);
const ERP_TOKEN = 'bench-erp-token';
const ERP_MAPPING = '{ "customerCode": order.customer.id, "externalRef": delivery.idempotencyKey, "lines": [order.lines.{ "item": sku, "qty": quantity, "price": unitPrice }] }';

/** One loopback partner as the bench drives it: the hub's target config, and the anchor's bare POST. */
interface Partner {
  readonly name: string;
  readonly target: Record<string, unknown>;
  /** When the partner received each request, by idempotency key (ms since epoch). */
  readonly arrivals: ReadonlyMap<string, number>;
  /** Deliveries the partner acted on more than once: must stay 0. */
  duplicates(): number;
  anchorPost(i: number): Promise<unknown>;
  close(): Promise<void>;
}

async function webhookPartner(): Promise<Partner> {
  const arrivals = new Map<string, number>();
  const receiver = await startWebhookReceiver({ secret: TEST_WEBHOOK_SECRET, onRequest: (r) => r.idempotencyKey && arrivals.set(r.idempotencyKey, Date.parse(r.receivedAt)) });
  const body = JSON.stringify({ type: 'order.confirmed', data: { order: orderBody() } });
  return {
    name: 'webhook receiver (Standard Webhooks, signed)',
    target: { id: 'partner', kind: 'webhook-target', url: receiver.url, secret: TEST_WEBHOOK_SECRET, concurrency: CONCURRENCY },
    arrivals,
    duplicates: () => receiver.duplicates().length,
    anchorPost: (i) => {
      const id = `msg_anchor_${i}`;
      const sentAt = Math.floor(Date.now() / 1000);
      return axios.post(receiver.url, body, {
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(sentAt), 'webhook-signature': signStandardWebhook(TEST_WEBHOOK_SECRET, id, sentAt, body), 'idempotency-key': `anchor-${i}` },
      });
    },
    close: () => receiver.close(),
  };
}

async function erpPartner(): Promise<Partner> {
  const arrivals = new Map<string, number>();
  const erp = await startErpRestSandbox({ token: ERP_TOKEN, customers: ['C-100'], onRequest: (r) => r.idempotencyKey && arrivals.set(r.idempotencyKey, Date.parse(r.receivedAt)) });
  const url = `${erp.url}/api/sales-orders`;
  const body = JSON.stringify({ customerCode: 'C-100', lines: [{ item: 'PUMP-200', qty: '2', price: '12500.00' }] });
  return {
    name: 'erp-rest sandbox (JSONata mapping, bearer)',
    target: { id: 'partner', kind: 'erp-rest', url, auth: { type: 'bearer', token: ERP_TOKEN }, mapping: ERP_MAPPING, concurrency: CONCURRENCY },
    arrivals,
    duplicates: () => {
      const refs = erp.orders.flatMap((o) => (o.externalRef ? [o.externalRef] : []));
      return refs.length - new Set(refs).size;
    },
    anchorPost: (i) => axios.post(url, body, { headers: { 'content-type': 'application/json', authorization: `Bearer ${ERP_TOKEN}`, 'idempotency-key': `anchor-${i}-${randomUUID()}` } }),
    close: () => erp.close(),
  };
}


async function startHub(redis: TestRedis, partner: Partner): Promise<TestHub> {
  const t = await startTestHub(redis.url, { connectors: [partner.target], routes: [{ on: 'order.confirmed', to: ['partner'] }], pipeline: { intakeConcurrency: 16, outboxPollMs: 20 } } as never);
  const plenty = '100000000';
  await t.api('/api/v1/inventory', { method: 'PUT', json: { levels: [{ sku: 'PUMP-200', location: 'main', onHand: plenty }, { sku: 'VALVE-DN50', location: 'main', onHand: plenty }] } });
  await t.api('/api/v1/prices', { method: 'PUT', json: { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' }] } });
  return t;
}

async function postOrder(t: TestHub): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/orders`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.intake}`, 'content-type': 'application/json' }, body: JSON.stringify(orderBody()) });
  if (res.status !== 202) throw new Error(`POST /orders answered ${res.status}`);
  return ((await res.json()) as { orderId: string }).orderId;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Deliveries/s draining a backlog of DELIVERIES routed deliveries. */
async function backlogRate(t: TestHub, partner: Partner): Promise<number> {
  const queue = new Queue(QUEUES.delivery.name('partner'), { connection: { url: t.hub.redisUrl }, prefix: t.queuePrefix });
  try {
    await queue.pause();
    await drive(DELIVERIES, CONCURRENCY, () => postOrder(t));
    await until('the backlog to be routed', async () => (await queue.getWaitingCount()) >= DELIVERIES);
    const keys = await allKeys(t);
    const resumed = Date.now();
    await queue.resume();
    await until('the backlog to drain', () => keys.every((key) => partner.arrivals.has(key)));
    return keys.length / ((Math.max(...keys.map((key) => partner.arrivals.get(key)!)) - resumed) / 1000);
  } finally {
    await queue.close();
  }
}

async function allKeys(t: TestHub): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.hub.store.deliveries.list({ target: 'partner', limit: 500, ...(cursor ? { cursor } : {}) });
    keys.push(...page.items.map((d) => d.idempotencyKey));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/** Event (order.confirmed written) → partner received, for PACED_ORDERS orders at PACED_RATE. */
async function pacedLatencies(t: TestHub, partner: Partner): Promise<number[]> {
  const posts: Promise<string>[] = [];
  const start = Date.now();
  for (let i = 0; i < PACED_ORDERS; i += 1) {
    await new Promise((r) => setTimeout(r, Math.max(0, start + (i * 1000) / PACED_RATE - Date.now())));
    posts.push(postOrder(t));
  }
  const ids = await Promise.all(posts);
  const key = (id: string) => `${id}:order.confirmed:partner`;
  await until('the paced orders to arrive', () => ids.every((id) => partner.arrivals.has(key(id))));
  const latencies = await Promise.all(
    ids.map(async (id) => {
      const order = await t.hub.store.orders.get(id);
      const confirmed = order?.history.find((h) => h.to === 'confirmed')?.at;
      if (!confirmed) throw new Error(`order ${id} has no confirmed step`);
      return partner.arrivals.get(key(id))! - Date.parse(confirmed);
    }),
  );
  return latencies.sort((a, b) => a - b);
}

/** Each partner gets a fresh redis-server: what one run left in Redis (AOF growth, kept jobs) must not slow the next. */
async function measure(open: () => Promise<Partner>): Promise<string[]> {
  const redis = await startTestRedis();
  const partner = await open();
  try {
    const anchor = await drive(DELIVERIES, CONCURRENCY, (i) => partner.anchorPost(i));
    const t = await startHub(redis, partner);
    try {
      const rate = await backlogRate(t, partner);
      const paced = await pacedLatencies(t, partner);
      const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
      return [
        partner.name,
        `${anchor.rate.toFixed(0)} req/s; ${fmt(percentile(anchor.latencies, 50))} / ${fmt(percentile(anchor.latencies, 99))}`,
        `${rate.toFixed(0)} deliveries/s`,
        `${fmt(percentile(paced, 50))} / ${fmt(percentile(paced, 99))}`,
        String(partner.duplicates()),
      ];
    } finally {
      await t.stop();
    }
  } finally {
    await partner.close();
    await redis.stop();
  }
}

async function main(): Promise<void> {
  const rows = [await measure(webhookPartner), await measure(erpPartner)];
  const cpu = cpus();
  process.stdout.write(
    `${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
      `${DELIVERIES} deliveries, ${CONCURRENCY} in flight; latency at ${PACED_RATE} orders/s × ${PACED_ORDERS}\n\n` +
      `| partner | anchor: bare axios POST, rate; p50 / p99 | hub: backlog drained | hub: event → partner accepted, p50 / p99 | duplicates |\n|---|---|---|---|---|\n` +
      `${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
