import request from 'supertest';
import { createJsonataMapper } from '../../../connectors/rest-api/jsonata.mapper';
import { bearer, createHarness, KEYS, validDraft, type Harness } from './api-harness';

describe('POST /api/v1/orders', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({
      bodyLimitBytes: 4096,
      mappers: new Map([['acme-json', createJsonataMapper('acme-json', '{ "customer": { "name": buyer }, "currency": "USD", "lines": [items#$i.{ "lineNo": $i + 1, "sku": code, "quantity": qty, "unitPrice": price }] }')]]),
    });
  });
  afterEach(() => h.close());

  const post = (body: string | object, role: keyof typeof KEYS = 'intake') =>
    request(h.app)
      .post('/api/v1/orders')
      .set(...bearer(role))
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  describe('when the body is a valid canonical draft', () => {
    it('answers 202 with a new order id, keeps the raw body and queues it', async () => {
      const res = await post(validDraft()).set('User-Agent', 'erp-sync/2.1').expect(202);
      expect(res.body).toEqual({
        orderId: expect.any(String),
        rawMessageId: expect.any(String),
        status: 'received',
        links: { order: `/api/v1/orders/${res.body.orderId}`, raw: `/api/v1/raw/${res.body.rawMessageId}` },
      });
      expect(res.headers.location).toBe(`/api/v1/orders/${res.body.orderId}`);
      expect(h.enqueued).toEqual([res.body.rawMessageId]);
      const raw = await h.store.raw.get(res.body.rawMessageId);
      expect(raw).toMatchObject({
        connectorId: 'rest-api',
        channel: 'rest',
        format: 'canonical-json',
        contentType: 'application/json',
        plannedOrderId: res.body.orderId,
        status: 'received',
        meta: { apiKey: 'intake-client', userAgent: 'erp-sync/2.1', remoteAddress: expect.any(String) },
      });
      expect(raw!.body.toString('utf8')).toBe(JSON.stringify(validDraft()));
    });

    it('still answers 202 when the queue is unreachable, and logs a warning for the sweeper', async () => {
      await h.close();
      h = await createHarness({ enqueueFails: true });
      const res = await post(validDraft()).expect(202);
      expect((await h.store.raw.get(res.body.rawMessageId))?.status).toBe('received');
      expect(h.logs).toContainEqual(expect.objectContaining({ level: 40, rawMessageId: res.body.rawMessageId, orderId: res.body.orderId }));
    });
  });

  describe('when the same Idempotency-Key comes again', () => {
    it('with the same body, answers with the same order id and stores nothing new', async () => {
      const first = await post(validDraft()).set('Idempotency-Key', 'erp-42').expect(202);
      const again = await post(validDraft()).set('Idempotency-Key', 'erp-42').expect(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await h.store.raw.list({})).items).toHaveLength(1);
      expect(h.enqueued).toEqual([first.body.rawMessageId]);
    });

    it('with another body, answers 409 and keeps both bodies, the second quarantined', async () => {
      const first = await post(validDraft()).set('Idempotency-Key', 'erp-43').expect(202);
      const other = { ...validDraft(), poNumber: 'PO-OTHER' };
      const res = await post(other).set('Idempotency-Key', 'erp-43').expect(409);
      expect(res.body.error.code).toBe('idempotency.key_reused');
      const all = (await h.store.raw.list({})).items;
      expect(all).toHaveLength(2);
      const second = all.find((m) => m.id !== first.body.rawMessageId)!;
      expect(second).toMatchObject({ status: 'quarantined', reason: 'idempotency.key_reused', meta: { idempotencyKey: 'erp-43' } });
      expect(second.idempotencyKey).toBeUndefined();
      expect(second.body.toString()).toBe(JSON.stringify(other));
      expect(res.body.error.message).toContain(second.id);
    });

    it('after a refused body, answers with the same refusal', async () => {
      const first = await post('{"oops"').set('Idempotency-Key', 'erp-44').expect(400);
      const again = await post('{"oops"').set('Idempotency-Key', 'erp-44').expect(400);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.error.code).toBe('request.malformed_json');
      expect(again.body.error.details).toEqual(first.body.error.details);
    });

    it('refuses a key longer than 255 characters with 400, storing nothing', async () => {
      const res = await post(validDraft()).set('Idempotency-Key', 'k'.repeat(256)).expect(400);
      expect(res.body.error.code).toBe('request.invalid_idempotency_key');
      expect((await h.store.raw.list({})).items).toHaveLength(0);
    });
  });

  describe('when the body is refused', () => {
    it('answers 400 for malformed JSON and keeps the raw message quarantined with the reason', async () => {
      const res = await post('{"customer": {"name": "A"},').expect(400);
      expect(res.body.error).toMatchObject({ code: 'request.malformed_json', details: [{ path: '' }] });
      const [raw] = (await h.store.raw.list({})).items;
      expect(raw).toMatchObject({ status: 'quarantined', reason: 'request.malformed_json' });
      expect(res.body.error.message).toContain(raw!.id);
      expect(h.enqueued).toEqual([]);
    });

    it('answers 422 naming each missing, mistyped, negative and misdated field', async () => {
      const body = {
        customer: {},
        currency: 'CNY',
        requestedDeliveryDate: '2026-02-30',
        lines: [{ lineNo: 1, sku: 'A', quantity: '-1', unitPrice: 3 }],
      };
      const res = await post(body).expect(422);
      expect(res.body.error.code).toBe('validation.failed');
      expect(res.body.error.details).toEqual([
        { path: 'customer.name', message: 'is required', code: 'invalid_type' },
        { path: 'requestedDeliveryDate', message: 'must be a calendar date, YYYY-MM-DD', code: 'invalid_format' },
        { path: 'lines[0].quantity', message: 'must be greater than zero', code: 'custom' },
        { path: 'lines[0].unitPrice', message: 'must be a string; send numbers as decimal strings, e.g. "12.50"', code: 'invalid_type' },
      ]);
      const [raw] = (await h.store.raw.list({})).items;
      expect(raw).toMatchObject({ status: 'quarantined', reason: 'validation.failed', details: res.body.error.details });
    });

    it('answers 413 for a body over the limit, keeps nothing and logs size and key name', async () => {
      const big = { ...validDraft(), notes: 'x'.repeat(5000) };
      const res = await post(big).expect(413);
      expect(res.body.error.code).toBe('request.too_large');
      expect((await h.store.raw.list({})).items).toHaveLength(0);
      expect(h.logs).toContainEqual(expect.objectContaining({ apiKey: 'intake-client', size: expect.any(Number), limit: 4096 }));
    });
  });

  describe('when the caller is not allowed', () => {
    it('answers 401 without a key and with an unknown key', async () => {
      const none = await request(h.app).post('/api/v1/orders').send(validDraft()).expect(401);
      expect(none.body.error.code).toBe('auth.unauthenticated');
      expect(none.headers['www-authenticate']).toBe('Bearer');
      await request(h.app).post('/api/v1/orders').set('X-API-Key', 'not-a-key').send(validDraft()).expect(401);
    });

    it('answers 403 for a known key whose role may not post orders, and stores nothing', async () => {
      const res = await request(h.app).post('/api/v1/orders').set('X-API-Key', KEYS.viewer).send(validDraft()).expect(403);
      expect(res.body.error.code).toBe('auth.forbidden');
      expect((await h.store.raw.list({})).items).toHaveLength(0);
    });
  });

  describe('when ?connector= names a mapped channel', () => {
    it('stores the partner body as mapped-json under that connector and accepts the mapped draft', async () => {
      const body = { buyer: 'Acme Inc', items: [{ code: 'W-1', qty: '4', price: '2.50' }] };
      const res = await post(body).query({ connector: 'acme-json' }).expect(202);
      expect(await h.store.raw.get(res.body.rawMessageId)).toMatchObject({ connectorId: 'acme-json', format: 'mapped-json' });
    });

    it('answers 422 naming fields of the mapped draft when the partner body maps to an invalid one', async () => {
      const res = await post({ buyer: 'Acme Inc', items: [{ code: 'W-1', qty: 4, price: '2.50' }] }).query({ connector: 'acme-json' }).expect(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lines[0].quantity']);
    });

    it('answers 404 connector.not_found for an unknown connector, storing nothing', async () => {
      const res = await post(validDraft()).query({ connector: 'nobody' }).expect(404);
      expect(res.body.error.code).toBe('connector.not_found');
      expect((await h.store.raw.list({})).items).toHaveLength(0);
    });
  });
});
