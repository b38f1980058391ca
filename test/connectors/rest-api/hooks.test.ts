import request from 'supertest';
import { ValidationError } from '../../../core/errors/validation.error';
import type { CallbackHandler, PartnerEvent } from '../../../connectors/connector';
import { signStandardWebhook, verifyStandardWebhook } from '../../../connectors/shared/signatures';
import { makeOrder } from '../../support/order-factory';
import { createHarness, type Harness } from './api-harness';

const SECRET = `whsec_${Buffer.from('carrier-callback-secret-0123456789').toString('base64')}`;

/** A Standard Webhooks tracking callback: `{events:[{id, orderId, status, at}]}`. */
const trackingHandler: CallbackHandler = {
  verify(req) {
    verifyStandardWebhook(SECRET, { 'webhook-id': req.headers['webhook-id'], 'webhook-timestamp': req.headers['webhook-timestamp'], 'webhook-signature': req.headers['webhook-signature'] }, req.rawBody, { now: req.receivedAt });
  },
  parse(req) {
    const body = JSON.parse(req.rawBody.toString('utf8')) as { events?: { id?: string; orderId: string; status: string; at: string }[] };
    if (!Array.isArray(body.events)) throw new ValidationError('callback has no events', [{ path: 'events', message: 'an array is required' }]);
    return body.events.map((e, i): PartnerEvent => {
      if (!e.id) throw new ValidationError('event without id', [{ path: `events[${i}].id`, message: 'required' }]);
      return { kind: 'tracking', eventId: e.id, orderId: e.orderId, occurredAt: e.at, carrier: 'TEST', trackingNumber: 'T-1', status: e.status as 'delivered' };
    });
  },
};

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ callbacks: new Map([['carrier', trackingHandler]]) });
});
afterEach(() => h.close());

function post(body: string, { secret = SECRET, id = 'msg-1', timestamp = Math.floor(Date.now() / 1000) } = {}) {
  return request(h.app)
    .post('/api/v1/hooks/carrier')
    .set('content-type', 'application/json')
    .set('webhook-id', id)
    .set('webhook-timestamp', String(timestamp))
    .set('webhook-signature', signStandardWebhook(secret, id, timestamp, body))
    .send(body);
}

const rawMessages = async () => (await h.store.raw.list({ connectorId: 'carrier' })).items;

describe('POST /api/v1/hooks/:connectorId', () => {
  it('applies a verified tracking event, keeps the raw body, and ignores the same event sent again', async () => {
    const order = await h.store.orders.create(makeOrder({ status: 'confirmed' }), { events: [] });
    const body = JSON.stringify({ events: [{ id: 'ev-1', orderId: order.id, status: 'in_transit', at: '2026-03-03T08:00:00.000Z' }] });
    const first = await post(body).expect(200);
    expect(first.body).toEqual({ received: 1, duplicates: 0 });
    expect((await h.store.orders.get(order.id))!.status).toBe('shipped');

    const again = await post(body, { id: 'msg-2' }).expect(200);
    expect(again.body).toEqual({ received: 1, duplicates: 1 });
    const stored = (await h.store.orders.get(order.id))!;
    expect(stored.shipments[0]!.events).toHaveLength(1);
    expect((await rawMessages()).map((m) => m.status)).toEqual(['processed', 'processed']);
  });

  it('answers 401 for a bad signature and a stale timestamp, changing nothing and quarantining the input', async () => {
    const order = await h.store.orders.create(makeOrder({ status: 'confirmed' }), { events: [] });
    const body = JSON.stringify({ events: [{ id: 'ev-1', orderId: order.id, status: 'delivered', at: '2026-03-03T08:00:00.000Z' }] });
    const forged = await post(body, { secret: `whsec_${Buffer.from('someone-else-entirely-000000000').toString('base64')}` }).expect(401);
    expect(forged.body.error.code).toBe('signature.invalid');
    const stale = await post(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }).expect(401);
    expect(stale.body.error.code).toBe('signature.stale');
    expect((await h.store.orders.get(order.id))!.status).toBe('confirmed');
    expect((await rawMessages()).map((m) => [m.status, m.reason])).toEqual([
      ['quarantined', 'signature.invalid'],
      ['quarantined', 'signature.stale'],
    ]);
  });

  it('answers 422 naming the field for a malformed body, and 404 for an unknown order or connector', async () => {
    const bad = await post(JSON.stringify({ events: [{ orderId: 'x', status: 'delivered', at: '2026-03-03T08:00:00.000Z' }] })).expect(422);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'events[0].id' })]);
    const unknown = await post(JSON.stringify({ events: [{ id: 'ev-7', orderId: 'no-such-order', status: 'delivered', at: '2026-03-03T08:00:00.000Z' }] })).expect(404);
    expect(unknown.body.error.code).toBe('order.not_found');
    await request(h.app).post('/api/v1/hooks/nobody').send('{}').expect(404);
  });
});
