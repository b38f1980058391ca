import request from 'supertest';
import { makeOrder } from '../../support/order-factory';
import { bearer, createHarness, type Harness } from './api-harness';

describe('orders API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const get = (path: string) => request(h.app).get(path).set(...bearer('viewer'));

  describe('GET /api/v1/orders/:id', () => {
    it('returns the stored order', async () => {
      const order = await h.store.orders.create(makeOrder(), { events: [] });
      const res = await get(`/api/v1/orders/${order.id}`).expect(200);
      expect(res.body).toEqual(order);
    });

    it('answers 404 order.not_found, hinting that intake may still be running', async () => {
      const res = await get('/api/v1/orders/ord-missing').expect(404);
      expect(res.body.error.code).toBe('order.not_found');
      expect(res.body.error.message).toMatch(/intake/);
    });
  });

  describe('GET /api/v1/orders', () => {
    beforeEach(async () => {
      await h.store.orders.create(makeOrder({ id: 'o-1', createdAt: '2026-03-01T08:00:00.000Z' }), { events: [] });
      await h.store.orders.create(makeOrder({ id: 'o-2', createdAt: '2026-03-02T08:00:00.000Z', customer: { id: 'CUST-2', name: 'Other' } }), { events: [] });
      await h.store.orders.create(makeOrder({ id: 'o-3', createdAt: '2026-03-03T08:00:00.000Z', status: 'needs_review' }), { events: [] });
    });

    it('filters by status, customer and date range', async () => {
      expect((await get('/api/v1/orders?status=needs_review').expect(200)).body).toEqual({ items: [expect.objectContaining({ id: 'o-3' })], nextCursor: null });
      const byCustomer = await get('/api/v1/orders?customer=CUST-2').expect(200);
      expect(byCustomer.body.items.map((o: { id: string }) => o.id)).toEqual(['o-2']);
      const byDate = await get('/api/v1/orders?from=2026-03-02&to=2026-03-03').expect(200);
      expect(byDate.body.items.map((o: { id: string }) => o.id)).toEqual(['o-2']);
    });

    it('pages newest first with an opaque cursor', async () => {
      const first = await get('/api/v1/orders?limit=2').expect(200);
      expect(first.body.items.map((o: { id: string }) => o.id)).toEqual(['o-3', 'o-2']);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get(`/api/v1/orders?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: 'o-1' })], nextCursor: null });
    });

    it('answers 422 naming each bad query parameter', async () => {
      const res = await get('/api/v1/orders?status=lost&limit=abc&from=yesterday&sort=asc').expect(422);
      expect(res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message])).toEqual([
        ['query.status', expect.stringMatching(/^must be one of "received", /)],
        ['query.from', 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time'],
        ['query.limit', 'must be a whole number'],
        ['query.sort', 'unknown field'],
      ]);
    });
  });

  describe('GET /api/v1/orders/:id/history', () => {
    it('returns the status and the history entries', async () => {
      const history = [{ at: '2026-03-02T08:00:00.000Z', type: 'status', actor: 'system:intake', to: 'received' as const }];
      const order = await h.store.orders.create(makeOrder({ history }), { events: [] });
      const res = await get(`/api/v1/orders/${order.id}/history`).expect(200);
      expect(res.body).toEqual({ orderId: order.id, status: 'received', history });
    });
  });

  describe('POST /api/v1/orders/:id/approvals', () => {
    it('signs with the key role and name and answers the order', async () => {
      const order = await h.store.orders.create(makeOrder({ status: 'needs_review', review: { requiredRoles: ['sales', 'finance'] } }), { events: [] });
      const res = await request(h.app)
        .post(`/api/v1/orders/${order.id}/approvals`)
        .set(...bearer('sales'))
        .send({ decision: 'approved', comment: 'price agreed' })
        .expect(200);
      expect(h.commandCalls).toEqual([
        { name: 'approve', input: { orderId: order.id, role: 'sales', actor: 'sales-client', decision: 'approved', comment: 'price agreed' } },
      ]);
      expect(res.body.approvals).toEqual([expect.objectContaining({ role: 'sales', actor: 'sales-client', decision: 'approved' })]);
    });

    it('lets an admin key sign for a review role, and no other key', async () => {
      const order = await h.store.orders.create(makeOrder({ status: 'needs_review', review: { requiredRoles: ['sales', 'finance'] } }), { events: [] });
      await request(h.app).post(`/api/v1/orders/${order.id}/approvals`).set(...bearer('admin')).send({ decision: 'approved', role: 'finance' }).expect(200);
      expect(h.commandCalls).toEqual([{ name: 'approve', input: expect.objectContaining({ role: 'finance', actor: 'admin-client' }) }]);
      await request(h.app).post(`/api/v1/orders/${order.id}/approvals`).set(...bearer('sales')).send({ decision: 'approved', role: 'finance' }).expect(403);
      expect(h.commandCalls).toHaveLength(1);
    });

    it('answers 422 for an unknown decision and 403 for an operator key', async () => {
      const path = '/api/v1/orders/o-x/approvals';
      const bad = await request(h.app).post(path).set(...bearer('sales')).send({ decision: 'maybe' }).expect(422);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'decision' })]);
      await request(h.app).post(path).set(...bearer('operator')).send({ decision: 'approved' }).expect(403);
      expect(h.commandCalls).toEqual([]);
    });
  });

  describe('POST /api/v1/orders/:id/status', () => {
    it('moves the order and answers it', async () => {
      const order = await h.store.orders.create(makeOrder({ status: 'confirmed' }), { events: [] });
      const res = await request(h.app)
        .post(`/api/v1/orders/${order.id}/status`)
        .set(...bearer('operator'))
        .send({ to: 'on_hold', reason: 'customer asked to wait' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'on_hold', heldFrom: 'confirmed', version: 2 });
    });

    it('answers 409 lifecycle.illegal_transition for a move the table forbids', async () => {
      const order = await h.store.orders.create(makeOrder({ status: 'received' }), { events: [] });
      const res = await request(h.app).post(`/api/v1/orders/${order.id}/status`).set(...bearer('operator')).send({ to: 'shipped' }).expect(409);
      expect(res.body.error.code).toBe('lifecycle.illegal_transition');
    });

    it('answers 400 for a body that is not JSON, and 404 for an unknown order', async () => {
      const bad = await request(h.app).post('/api/v1/orders/o-x/status').set(...bearer('operator')).set('Content-Type', 'application/json').send('{to:').expect(400);
      expect(bad.body.error.code).toBe('request.malformed_json');
      const missing = await request(h.app).post('/api/v1/orders/o-x/status').set(...bearer('operator')).send({ to: 'cancelled' }).expect(404);
      expect(missing.body.error.code).toBe('order.not_found');
    });
  });
});
