import request from 'supertest';
import { bearer, createHarness, type Harness } from './api-harness';

describe('reference data API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const put = (path: string, body: unknown, role: 'operator' | 'viewer' = 'operator') => request(h.app).put(path).set(...bearer(role)).send(body as object);

  describe('inventory', () => {
    it('stores levels with PUT and reads positions back with GET, all or by SKU', async () => {
      const levels = [
        { sku: 'BEAM-H200', location: 'WH-1', onHand: '40' },
        { sku: 'BEAM-H200', location: 'WH-2', onHand: '2.5' },
        { sku: 'BOLT-M20', location: 'WH-1', onHand: '1000' },
      ];
      expect((await put('/api/v1/inventory', { levels }).expect(200)).body).toEqual({ updated: 3 });

      const all = await request(h.app).get('/api/v1/inventory').set(...bearer('sales')).expect(200);
      expect(all.body.items.map((p: { sku: string }) => p.sku).sort()).toEqual(['BEAM-H200', 'BOLT-M20']);
      const some = await request(h.app).get('/api/v1/inventory?sku=BEAM-H200,UNKNOWN').set(...bearer('viewer')).expect(200);
      expect(some.body.items).toEqual([expect.objectContaining({ sku: 'BEAM-H200', reserved: '0' })]);
      expect(Number(some.body.items[0].onHand)).toBe(42.5);
    });

    it('answers 422 naming each bad level and 403 for a viewer', async () => {
      const res = await put('/api/v1/inventory', { levels: [{ sku: 'A', location: 'WH-1', onHand: '-1' }, { sku: '', location: 'WH-1', onHand: 3 }] }).expect(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['levels[0].onHand', 'levels[1].sku', 'levels[1].onHand']);
      await put('/api/v1/inventory', { levels: [{ sku: 'A', location: 'WH-1', onHand: '1' }] }, 'viewer').expect(403);
    });
  });

  describe('prices, capacity and calendar', () => {
    it('stores each with PUT', async () => {
      await put('/api/v1/prices', { prices: [{ sku: 'BEAM-H200', currency: 'CNY', unitPrice: '860.00' }, { sku: 'BEAM-H200', currency: 'CNY', unitPrice: '840.00', customerKey: 'id:CUST-9' }] }).expect(200);
      expect(await h.store.prices.prices(['BEAM-H200'], 'CNY')).toHaveLength(2);

      await put('/api/v1/capacity', { days: [{ date: '2026-04-01', units: '120' }] }).expect(200);
      expect(await h.store.capacity.days(['2026-04-01'])).toEqual([expect.objectContaining({ date: '2026-04-01' })]);

      await put('/api/v1/calendar', { days: [{ date: '2026-05-01', working: false, note: '劳动节' }, { date: '2026-04-26', working: true }] }).expect(200);
      expect(await h.store.calendar.days('2026-04-01', '2026-05-31')).toHaveLength(2);
    });

    it('answers 422 for a bad date, a bad currency and an unknown field', async () => {
      const capacity = await put('/api/v1/capacity', { days: [{ date: '2026-13-01', units: '1' }] }).expect(422);
      expect(capacity.body.error.details).toEqual([expect.objectContaining({ path: 'days[0].date', message: 'must be a calendar date, YYYY-MM-DD' })]);
      const prices = await put('/api/v1/prices', { prices: [{ sku: 'A', currency: 'rmb', unitPrice: '1', discount: '2' }] }).expect(422);
      expect(prices.body.error.details.map((d: { path: string }) => d.path)).toEqual(['prices[0].currency', 'prices[0].discount']);
    });
  });
});
