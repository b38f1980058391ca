import request from 'supertest';
import type { RawMessageInput } from '../../../core/store/store.port';
import { bearer, createHarness, type Harness } from './api-harness';

const rawInput = (body: Buffer, extra: Partial<RawMessageInput> = {}): RawMessageInput => ({
  connectorId: 'rest-api',
  channel: 'rest',
  format: 'canonical-json',
  contentType: 'application/json',
  body,
  receivedAt: '2026-03-02T08:59:00.000Z',
  ...extra,
});

describe('raw messages API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  describe('GET /api/v1/raw/:id', () => {
    it('returns metadata and a UTF-8 body as text', async () => {
      const { message } = await h.store.raw.put(rawInput(Buffer.from('{"客户":"上海"}'), { meta: { apiKey: 'intake-client' } }));
      const res = await request(h.app).get(`/api/v1/raw/${message.id}`).set(...bearer('viewer')).expect(200);
      expect(res.body).toMatchObject({
        id: message.id,
        connectorId: 'rest-api',
        status: 'received',
        size: message.size,
        contentHash: message.contentHash,
        meta: { apiKey: 'intake-client' },
        details: [],
        outcomes: [],
        orderIds: [],
        body: '{"客户":"上海"}',
        bodyEncoding: 'utf-8',
      });
    });

    it('returns a body that is not valid UTF-8 as base64, byte for byte', async () => {
      const bytes = Buffer.from([0x7b, 0xb9, 0xe3, 0xd6, 0xdd, 0x7d]); // GBK text, as some ERPs still send
      const { message } = await h.store.raw.put(rawInput(bytes));
      const res = await request(h.app).get(`/api/v1/raw/${message.id}`).set(...bearer('operator')).expect(200);
      expect(res.body.bodyEncoding).toBe('base64');
      expect(Buffer.from(res.body.body, 'base64').equals(bytes)).toBe(true);
    });

    it('answers 404 raw.not_found and 403 for an intake key', async () => {
      expect((await request(h.app).get('/api/v1/raw/nope').set(...bearer('viewer')).expect(404)).body.error.code).toBe('raw.not_found');
      await request(h.app).get('/api/v1/raw/nope').set(...bearer('intake')).expect(403);
    });
  });

  describe('GET /api/v1/raw', () => {
    it('lists quarantined messages of one connector, without bodies, and names a bad filter', async () => {
      const kept = await h.store.raw.put(rawInput(Buffer.from('not json'), { connectorId: 'sales-inbox', quarantine: { reason: 'email.no_order', details: [] } }));
      await h.store.raw.put(rawInput(Buffer.from('{}'), { connectorId: 'sales-inbox' }));
      await h.store.raw.put(rawInput(Buffer.from('x'), { connectorId: 'other', quarantine: { reason: 'format.unknown', details: [] } }));
      const res = await request(h.app).get('/api/v1/raw?status=quarantined&connectorId=sales-inbox').set(...bearer('viewer')).expect(200);
      expect(res.body.items.map((m: { id: string; reason: string }) => [m.id, m.reason])).toEqual([[kept.message.id, 'email.no_order']]);
      expect(res.body.items[0].body).toBeUndefined();
      const bad = await request(h.app).get('/api/v1/raw?status=lost').set(...bearer('viewer')).expect(422);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'query.status' })]);
    });
  });

  describe('POST /api/v1/raw/:id/replay', () => {
    it('sets a quarantined message back to received and queues it', async () => {
      const { message } = await h.store.raw.put(rawInput(Buffer.from('{'), { quarantine: { reason: 'request.malformed_json', details: [] } }));
      const res = await request(h.app).post(`/api/v1/raw/${message.id}/replay`).set(...bearer('operator')).expect(202);
      expect(res.body).toEqual({ rawMessageId: message.id, status: 'received', links: { raw: `/api/v1/raw/${message.id}` } });
      expect(h.enqueued).toEqual([message.id]);
      const stored = await h.store.raw.get(message.id);
      expect(stored?.status).toBe('received');
      expect(stored?.outcomes.map((o) => o.outcome)).toEqual(['quarantined', 'replayed']);
    });

    it('answers 409 for a processed message, which would create its orders twice', async () => {
      const { message } = await h.store.raw.put(rawInput(Buffer.from('{}')));
      await h.store.raw.markProcessed(message.id, ['ord-1'], '2026-03-02T09:00:00.000Z');
      const res = await request(h.app).post(`/api/v1/raw/${message.id}/replay`).set(...bearer('admin')).expect(409);
      expect(res.body.error.code).toBe('raw.already_processed');
      expect(h.enqueued).toEqual([]);
    });

    it('answers 403 for a viewer key', async () => {
      await request(h.app).post('/api/v1/raw/x/replay').set(...bearer('viewer')).expect(403);
    });
  });
});
