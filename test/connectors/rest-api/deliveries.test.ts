import request from 'supertest';
import { bearer, createHarness, type Harness } from './api-harness';

describe('deliveries API', () => {
  let h: Harness;

  /** A delivery row as the event router would create it, then one attempt that left it in `status`. */
  async function delivery(orderId: string, target: string, status: 'delivered' | 'dead') {
    const id = `${orderId}-order-confirmed-${target}`;
    await h.store.deliveries.ensure({
      id,
      idempotencyKey: `${orderId}:order.confirmed:${target}`,
      orderId,
      eventId: `evt-${orderId}`,
      event: 'order.confirmed',
      target,
      createdAt: '2026-03-02T08:00:00.000Z',
    });
    await h.store.deliveries.recordAttempt(id, { at: '2026-03-02T08:00:01.000Z', ok: status === 'delivered', durationMs: 40, status: status === 'delivered' ? 200 : 400 }, status);
    return id;
  }

  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  describe('GET /api/v1/deliveries', () => {
    it('filters by status, target and order, and pages', async () => {
      await delivery('o-1', 'erp', 'delivered');
      const dead = await delivery('o-1', 'wms', 'dead');
      await delivery('o-2', 'erp', 'dead');
      const get = (query: string) => request(h.app).get(`/api/v1/deliveries?${query}`).set(...bearer('viewer')).expect(200);

      expect((await get('status=dead&target=wms')).body).toEqual({ items: [expect.objectContaining({ id: dead })], nextCursor: null });
      expect((await get('orderId=o-1')).body.items).toHaveLength(2);
      const first = await get('limit=2');
      expect(first.body.items).toHaveLength(2);
      const rest = await get(`limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(rest.body).toEqual({ items: [expect.any(Object)], nextCursor: null });
    });

    it('answers 422 for an unknown status', async () => {
      const res = await request(h.app).get('/api/v1/deliveries?status=lost').set(...bearer('operator')).expect(422);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'query.status' })]);
    });
  });

  describe('GET /api/v1/deliveries/:id', () => {
    it('returns the delivery with its attempts, or 404', async () => {
      const id = await delivery('o-1', 'erp', 'dead');
      const res = await request(h.app).get(`/api/v1/deliveries/${id}`).set(...bearer('operator')).expect(200);
      expect(res.body).toMatchObject({ id, status: 'dead', attempts: [expect.objectContaining({ status: 400 })] });
      expect((await request(h.app).get('/api/v1/deliveries/nope').set(...bearer('operator')).expect(404)).body.error.code).toBe('delivery.not_found');
    });

    it('is closed to review roles', async () => {
      await request(h.app).get('/api/v1/deliveries').set(...bearer('sales')).expect(403);
    });
  });

  describe('POST /api/v1/deliveries/:id/replay', () => {
    it('replays a dead delivery as the key holder and answers 202 with it pending', async () => {
      const id = await delivery('o-1', 'erp', 'dead');
      const res = await request(h.app).post(`/api/v1/deliveries/${id}/replay`).set(...bearer('operator')).expect(202);
      expect(res.body).toMatchObject({ id, status: 'pending' });
      expect(h.replays).toEqual([{ id, actor: 'operator-client' }]);
    });

    it('answers 409 when the replay refuses a delivered one, 404 for an unknown id, 403 for a viewer', async () => {
      const id = await delivery('o-1', 'erp', 'delivered');
      expect((await request(h.app).post(`/api/v1/deliveries/${id}/replay`).set(...bearer('admin')).expect(409)).body.error.code).toBe('delivery.not_dead');
      await request(h.app).post('/api/v1/deliveries/nope/replay').set(...bearer('admin')).expect(404);
      await request(h.app).post(`/api/v1/deliveries/${id}/replay`).set(...bearer('viewer')).expect(403);
      expect(h.replays).toEqual([{ id, actor: 'admin-client' }]);
    });
  });

  describe('when the replay fails unexpectedly', () => {
    it('answers a generic 500 and logs the cause', async () => {
      await h.close();
      h = await createHarness({ replay: async () => Promise.reject(new Error('connection reset by 10.0.0.5:6379')) });
      const id = await delivery('o-1', 'erp', 'dead');
      const res = await request(h.app).post(`/api/v1/deliveries/${id}/replay`).set(...bearer('operator')).expect(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error; the hub has logged it', details: [] } });
      expect(h.logs).toContainEqual(expect.objectContaining({ level: 50, err: expect.objectContaining({ message: 'connection reset by 10.0.0.5:6379' }) }));
    });
  });
});
