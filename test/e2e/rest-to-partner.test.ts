import { Queue } from 'bullmq';
import pino from 'pino';
import { QUEUES } from '../../pipelines/queues';
import { RawSweeper } from '../../pipelines/raw-sweeper';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { Delivery } from '../../core/store/store.port';
import { startWebhookReceiver, type WebhookReceiver } from '../sandboxes/webhook-receiver';
import { eventually, orderBody, startTestHub, TEST_WEBHOOK_SECRET, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

let redis: TestRedis;
let receiver: WebhookReceiver;
let flaky: WebhookReceiver;
let t: TestHub;

beforeAll(async () => {
  redis = await startTestRedis();
  receiver = await startWebhookReceiver({ secret: TEST_WEBHOOK_SECRET });
  flaky = await startWebhookReceiver({ secret: TEST_WEBHOOK_SECRET });
  t = await startTestHub(redis.url, {
    connectors: [
      { id: 'erp', kind: 'webhook-target', url: `${receiver.url}/hooks/orders`, secret: TEST_WEBHOOK_SECRET },
      { id: 'flaky-wms', kind: 'webhook-target', url: `${flaky.url}/hooks/orders`, secret: TEST_WEBHOOK_SECRET, timeoutMs: 2_000 },
      {
        id: 'shop-json',
        kind: 'rest-api',
        mapping: '{ "poNumber": ref, "customer": { "name": buyer }, "currency": "CNY", "paymentTerms": terms, "requestedDeliveryDate": due, "lines": [items.{ "lineNo": $number(no), "sku": code, "quantity": qty, "unitPrice": price }] }',
      },
    ],
    routes: [
      { on: 'order.confirmed', to: ['erp'] },
      { on: 'order.cancelled', to: ['flaky-wms'] },
    ],
    pipeline: { deliveryAttempts: 3, backoffMs: 20, maxBackoffMs: 200, outboxPollMs: 50 },
  } as never);
  await seedReferenceData();
});

afterAll(async () => {
  await t?.stop();
  await receiver?.close();
  await flaky?.close();
  await redis?.stop();
});

async function seedReferenceData() {
  const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
  await put('/api/v1/inventory', { levels: [{ sku: 'PUMP-200', location: 'main', onHand: '50' }, { sku: 'VALVE-DN50', location: 'main', onHand: '500' }] });
  await put('/api/v1/prices', {
    prices: [
      { sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' },
      { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' },
    ],
  });
}

async function postOrder(body: unknown, headers: Record<string, string> = {}, query = '') {
  const res = await t.api(`/api/v1/orders${query}`, { json: body, headers, role: 'intake' });
  return { status: res.status, body: (await res.json()) as { orderId: string; rawMessageId: string; error?: { code: string; details: { path: string }[] } }, headers: res.headers };
}

async function orderWhen(id: string, predicate: (o: CanonicalOrder) => boolean): Promise<CanonicalOrder> {
  return eventually(async () => {
    const res = await t.api(`/api/v1/orders/${id}`);
    if (res.status !== 200) return undefined;
    const order = (await res.json()) as CanonicalOrder;
    return predicate(order) ? order : undefined;
  }, `order ${id} to reach the expected state`);
}

const eventsFor = (r: WebhookReceiver, orderId: string) => r.requests.filter((q) => q.body.includes(orderId));

describe('when a clean order is posted', () => {
  it('answers 202 at once, confirms it, reserves stock and delivers order.confirmed to the ERP once, signed', async () => {
    const posted = await postOrder(
      orderBody({
        lines: [
          { lineNo: 1, sku: 'PUMP-200', quantity: '2', unitPrice: '12500.00', taxRatePct: '13' },
          { lineNo: 2, sku: 'VALVE-DN50', quantity: '10', unitPrice: '380.50', taxRatePct: '13' },
        ],
      }),
      { 'Idempotency-Key': 'clean-1' },
    );
    expect(posted.status).toBe(202);
    const { orderId, rawMessageId } = posted.body;

    await receiver.waitFor(() => eventsFor(receiver, orderId).length === 1, 10_000);
    const [request] = eventsFor(receiver, orderId);
    expect(request!.verified).toBe(true);
    expect(request!.idempotencyKey).toBe(`${orderId}:order.confirmed:erp`);
    const payload = JSON.parse(request!.body);
    expect(payload.type).toBe('order.confirmed');
    expect(payload.data.order).toMatchObject({ id: orderId, status: 'confirmed', totals: { net: '28805.00', tax: '3744.65', gross: '32549.65' } });

    const order = await orderWhen(orderId, (o) => o.status === 'confirmed');
    expect(order.history.map((h) => h.to).filter(Boolean)).toEqual(['received', 'checked', 'confirmed']);
    expect(order.reservations).toEqual(expect.arrayContaining([{ sku: 'PUMP-200', location: 'main', quantity: '2' }]));

    const raw = await (await t.api(`/api/v1/raw/${rawMessageId}`)).json();
    expect(raw).toMatchObject({ status: 'processed', orderIds: [orderId] });

    const deliveries = (await (await t.api(`/api/v1/deliveries?orderId=${orderId}`)).json()) as { items: Delivery[] };
    await eventually(async () => {
      const list = (await (await t.api(`/api/v1/deliveries?orderId=${orderId}`)).json()) as { items: Delivery[] };
      return list.items[0]?.status === 'delivered' ? true : undefined;
    }, 'delivery to be recorded');
    expect(deliveries.items).toHaveLength(1);
  });

  it('gives the same order id for a re-post with the same Idempotency-Key and delivers nothing new', async () => {
    const body = orderBody();
    const first = await postOrder(body, { 'Idempotency-Key': 'repost-1' });
    const second = await postOrder(body, { 'Idempotency-Key': 'repost-1' });
    expect(second.status).toBe(202);
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await orderWhen(first.body.orderId, (o) => o.status === 'confirmed');
    await receiver.waitFor(() => eventsFor(receiver, first.body.orderId).length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsFor(receiver, first.body.orderId)).toHaveLength(1);
    expect(receiver.duplicates()).toEqual([]);
  });
});

describe('when an order breaks a business rule', () => {
  it('is accepted with 202, then rejected with the rule named, and nothing is sent to partners', async () => {
    const posted = await postOrder(orderBody({ lines: [{ lineNo: 1, sku: 'NO-SUCH-SKU', quantity: '1', unitPrice: '10' }] }));
    expect(posted.status).toBe(202);
    const order = await orderWhen(posted.body.orderId, (o) => o.status === 'rejected');
    expect(order.checks!.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku', severity: 'error' })]));
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsFor(receiver, order.id)).toHaveLength(0);
  });

  it('answers 422 naming each bad field when the body does not fit the schema, and keeps the raw input quarantined', async () => {
    const posted = await postOrder(orderBody({ currency: 'yuan', lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '-1', unitPrice: 5 }] }));
    expect(posted.status).toBe(422);
    expect(posted.body.error!.details.map((d) => d.path)).toEqual(expect.arrayContaining(['currency', 'lines[0].quantity', 'lines[0].unitPrice']));
  });
});

describe('when an order has warnings', () => {
  it('waits in needs_review for every required role, then is confirmed and delivered', async () => {
    const posted = await postOrder(orderBody({ lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '1', unitPrice: '9000.00' }] }));
    const review = await orderWhen(posted.body.orderId, (o) => o.status === 'needs_review');
    expect(review.review!.requiredRoles).toEqual(['sales', 'finance']);
    expect(eventsFor(receiver, review.id)).toHaveLength(0);

    const sign = (role: 'sales' | 'finance') => t.api(`/api/v1/orders/${review.id}/approvals`, { role, json: { decision: 'approved', comment: `ok from ${role}` } });
    expect((await sign('sales')).status).toBe(200);
    expect(((await (await t.api(`/api/v1/orders/${review.id}`)).json()) as CanonicalOrder).status).toBe('needs_review');
    expect((await sign('finance')).status).toBe(200);

    await receiver.waitFor(() => eventsFor(receiver, review.id).length === 1, 10_000);
    const confirmed = await orderWhen(review.id, (o) => o.status === 'confirmed');
    expect(confirmed.approvals.map((a) => a.role)).toEqual(['sales', 'finance']);
  });
});

describe('when a connector maps a partner JSON body', () => {
  it('turns the mapped body into a canonical order', async () => {
    const posted = await postOrder(
      { ref: 'SHOP-7788', buyer: 'Acme Shop', terms: 'prepaid', due: '2027-03-16', items: [{ no: '1', code: 'VALVE-DN50', qty: '4', price: '380.50' }] },
      {},
      '?connector=shop-json',
    );
    expect(posted.body).toEqual(expect.objectContaining({ orderId: expect.any(String) }));
    const order = await orderWhen(posted.body.orderId, (o) => o.status === 'confirmed');
    expect(order).toMatchObject({ poNumber: 'SHOP-7788', customer: { name: 'Acme Shop' }, source: { connectorId: 'shop-json' }, totals: { net: '1522.00' } });
  });
});

describe('when a partner keeps failing', () => {
  it('dead-letters the delivery after the attempt budget with the last error, and a replay delivers it', async () => {
    flaky.faults.set(() => ({ status: 503, body: 'maintenance' }));
    const posted = await postOrder(orderBody());
    const { orderId } = posted.body;
    await orderWhen(orderId, (o) => o.status === 'confirmed');
    const cancel = await t.api(`/api/v1/orders/${orderId}/status`, { role: 'operator', json: { to: 'cancelled', reason: 'customer withdrew' } });
    expect(cancel.status).toBe(200);

    const dead = await eventually(async () => {
      const list = (await (await t.api('/api/v1/deliveries?status=dead', { role: 'operator' })).json()) as { items: Delivery[] };
      return list.items.find((d) => d.orderId === orderId);
    }, 'the delivery to be dead-lettered');
    expect(dead.attempts).toHaveLength(3);
    expect(dead.lastError).toMatch(/503/);
    expect(dead.attempts[2]).toMatchObject({ ok: false, status: 503, responseBody: 'maintenance' });

    flaky.faults.clear();
    const replay = await t.api(`/api/v1/deliveries/${dead.id}/replay`, { method: 'POST', role: 'operator' });
    expect(replay.status).toBe(202);
    await eventually(async () => {
      const d = (await (await t.api(`/api/v1/deliveries/${dead.id}`, { role: 'operator' })).json()) as Delivery;
      return d.status === 'delivered' ? d : undefined;
    }, 'the replayed delivery to be delivered');
    const committed = flaky.requests.filter((r) => r.committed && r.body.includes(orderId));
    expect(committed).toHaveLength(1);
    expect(committed[0]!.idempotencyKey).toBe(`${orderId}:order.cancelled:flaky-wms`);
  });

  it('refuses to replay a delivery that is not dead', async () => {
    const posted = await postOrder(orderBody());
    await receiver.waitFor(() => eventsFor(receiver, posted.body.orderId).length === 1, 10_000);
    const id = `${posted.body.orderId}-order_confirmed-erp`;
    await eventually(async () => (((await (await t.api(`/api/v1/deliveries/${id}`)).json()) as Delivery).status === 'delivered' ? true : undefined), 'delivered');
    const replay = await t.api(`/api/v1/deliveries/${id}/replay`, { method: 'POST', role: 'operator' });
    expect(replay.status).toBe(409);
  });
});

describe('when an order is cancelled after confirmation', () => {
  it('releases its stock reservation', async () => {
    const available = async () => ((await (await t.api('/api/v1/inventory?sku=PUMP-200')).json()) as { items: { available: string }[] }).items[0]!.available;
    const before = await available();
    const posted = await postOrder(orderBody({ lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '3', unitPrice: '12500.00' }] }));
    await orderWhen(posted.body.orderId, (o) => o.status === 'confirmed');
    expect(Number(before) - Number(await available())).toBe(3);
    await t.api(`/api/v1/orders/${posted.body.orderId}/status`, { role: 'operator', json: { to: 'cancelled' } });
    expect(await available()).toBe(before);
  });
});

describe('when a raw message was stored but never queued', () => {
  it('is queued again by the sweeper and becomes an order', async () => {
    const body = Buffer.from(JSON.stringify(orderBody()));
    const orderId = '00000000-0000-4000-8000-00000000abcd';
    const { message } = await t.hub.store.raw.put({
      connectorId: 'rest-api',
      channel: 'rest',
      format: 'canonical-json',
      contentType: 'application/json',
      body,
      plannedOrderId: orderId,
      receivedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const intake = new Queue(QUEUES.intake.name, { connection: { url: t.hub.redisUrl }, prefix: t.queuePrefix });
    const sweeper = new RawSweeper(t.hub.store.raw, intake, 30_000, pino({ level: 'silent' }));
    try {
      expect(await sweeper.sweep()).toBe(1);
      const order = await orderWhen(orderId, (o) => o.status === 'confirmed');
      expect(order.source.rawMessageId).toBe(message.id);
      expect(await sweeper.sweep()).toBe(0);
    } finally {
      await intake.close();
    }
  });
});

describe('when Prometheus scrapes the hub', () => {
  it('reports orders by status, queue depths and delivery latency per target', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/order_hub_orders\{status="confirmed"\} [1-9]/);
    expect(text).toMatch(/order_hub_orders\{status="rejected"\} [1-9]/);
    expect(text).toMatch(/order_hub_queue_jobs\{queue="deliver-erp",state="waiting"\} \d+/);
    expect(text).toMatch(/order_hub_delivery_latency_seconds_count\{target="erp"\} [1-9]/);
    expect(text).toMatch(/order_hub_delivery_attempts_total\{target="flaky-wms",outcome="dead"\} 1/);
  });
});
