import { cpus, totalmem } from 'node:os';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startWebhookReceiver } from '../sandboxes/webhook-receiver';
import { orderBody, startTestHub, TEST_KEYS, TEST_WEBHOOK_SECRET } from '../support/hub-harness';
import { startTestRedis } from '../support/redis-server';
import { drive, percentile } from './load';

/**
 * `npm run bench:intake`: posts N orders to a hub on this machine (real Redis, SQLite file) and
 * waits until every one is delivered to a loopback partner. Beside it, the anchor: the same client
 * against a bare express POST handler, so figures can be compared across machines and runs.
 * ORDERS (default 2000) and CONCURRENCY (default 32) come from the environment.
 */
const ORDERS = Number(process.env.ORDERS ?? 2_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);


async function anchor(bodies: string[]): Promise<number> {
  const app = express();
  app.post('/orders', express.json({ limit: '1mb' }), (_req, res) => void res.status(202).json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
  const { seconds } = await drive(bodies.length, CONCURRENCY, async (i) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i] });
    await res.arrayBuffer();
  });
  server.close();
  return bodies.length / seconds;
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const receiver = await startWebhookReceiver({ secret: TEST_WEBHOOK_SECRET });
  const t = await startTestHub(redis.url, {
    connectors: [{ id: 'erp', kind: 'webhook-target', url: `${receiver.url}/hooks`, secret: TEST_WEBHOOK_SECRET, concurrency: 32 }],
    routes: [{ on: 'order.confirmed', to: ['erp'] }],
    pipeline: { intakeConcurrency: 16, outboxPollMs: 20 },
  } as never);
  await t.api('/api/v1/inventory', { method: 'PUT', json: { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '100000000' }, { sku: 'VALVE-DN50', location: 'main', onHand: '100000000' }] } });
  await t.api('/api/v1/prices', { method: 'PUT', json: { prices: [{ sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' }, { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' }] } });

  const bodies = Array.from({ length: ORDERS }, () => JSON.stringify(orderBody()));
  const anchorRate = await anchor(bodies);

  const sentAt = new Map<string, number>();
  const intake = await drive(ORDERS, CONCURRENCY, async (i) => {
    const t0 = performance.now();
    const res = await fetch(`${t.url}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEYS.intake}`, 'content-type': 'application/json' },
      body: bodies[i],
    });
    const { orderId } = (await res.json()) as { orderId: string };
    if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
    sentAt.set(orderId, t0);
  });
  await receiver.waitFor((requests) => requests.length >= ORDERS, 600_000);
  const endToEnd = (Math.max(...receiver.requests.map((r) => Date.parse(r.receivedAt))) - (performance.timeOrigin + Math.min(...sentAt.values()))) / 1000;
  const e2eLatencies = receiver.requests
    .map((r) => {
      const orderId = (JSON.parse(r.body) as { data: { order: { id: string } } }).data.order.id;
      return Date.parse(r.receivedAt) - (performance.timeOrigin + sentAt.get(orderId)!);
    })
    .sort((a, b) => a - b);

  const rows = [
    ['machine', `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`],
    ['date', new Date().toISOString()],
    ['orders × client concurrency', `${ORDERS} × ${CONCURRENCY}`],
    ['anchor: bare express POST', `${anchorRate.toFixed(0)} req/s`],
    ['intake: 202 accepted (raw stored durably first)', `${(ORDERS / intake.seconds).toFixed(0)} orders/s`],
    ['intake POST latency p50 / p99', `${percentile(intake.latencies, 50).toFixed(1)} ms / ${percentile(intake.latencies, 99).toFixed(1)} ms`],
    ['end to end: posted → delivered to partner', `${(ORDERS / endToEnd).toFixed(0)} orders/s`],
    ['intake-to-delivery latency p50 / p99', `${percentile(e2eLatencies, 50).toFixed(0)} ms / ${percentile(e2eLatencies, 99).toFixed(0)} ms`],
    ['duplicates at the partner', String(receiver.duplicates().length)],
  ];
  process.stdout.write(`| measure | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);

  await t.stop();
  await receiver.close();
  await redis.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
