import request from 'supertest';
import { ConflictError, VersionConflictError } from '../../../core/errors/conflict.error';
import { HubError } from '../../../core/errors/hub-error';
import { IllegalTransitionError } from '../../../core/errors/illegal-transition.error';
import { NotFoundError } from '../../../core/errors/not-found.error';
import { ValidationError } from '../../../core/errors/validation.error';
import { createKeyLookup, ForbiddenError, hashApiKey, UnauthenticatedError } from '../../../connectors/rest-api/api-keys';
import { toHttpError } from '../../../connectors/rest-api/error-handler';
import { bearer, createHarness, type Harness } from './api-harness';

describe('ops endpoints', () => {
  let h: Harness;
  afterEach(() => h.close());

  describe('when the hub is ready', () => {
    beforeEach(async () => {
      h = await createHarness();
    });

    it('answers /healthz, /readyz and /metrics without a key', async () => {
      expect((await request(h.app).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
      expect((await request(h.app).get('/readyz').expect(200)).body).toEqual({ status: 'ready', checks: { store: 'ok' } });
      const metrics = await request(h.app).get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
      expect(metrics.text).toBe('hub_orders_total 3\n');
    });

    it('serves the order JSON Schemas to partners without a key', async () => {
      const order = await request(h.app).get('/api/v1/schema/order').expect(200);
      expect(order.body).toMatchObject({ type: 'object', properties: { id: expect.any(Object), lines: expect.any(Object) } });
      const draft = await request(h.app).get('/api/v1/schema/order-draft').expect(200);
      expect(draft.body.required).toEqual(expect.arrayContaining(['customer', 'currency', 'lines']));
      // The API refuses unknown fields, so the schema it publishes for posting says so at every depth.
      expect(draft.body.additionalProperties).toBe(false);
      expect(draft.body.properties.lines.items.additionalProperties).toBe(false);
    });

    it('answers 404 route.not_found for unknown paths, authenticated or not', async () => {
      const res = await request(h.app).get('/api/v2/orders').expect(404);
      expect(res.body).toEqual({ error: { code: 'route.not_found', message: 'route GET /api/v2/orders not found', details: [] } });
      await request(h.app).delete('/api/v1/orders/o-1').set(...bearer('admin')).expect(404);
    });

    it('binds a request id, echoing a sane caller one', async () => {
      const res = await request(h.app).get('/healthz').set('X-Request-Id', 'lb-123').expect(200);
      expect(res.headers['x-request-id']).toBe('lb-123');
      expect(h.logs).toContainEqual(expect.objectContaining({ reqId: 'lb-123', url: '/healthz', status: 200 }));
    });
  });

  describe('when a readiness check fails or throws', () => {
    it('answers 503 with the checks', async () => {
      h = await createHarness({ ready: async () => ({ ok: false, checks: { store: 'ok', redis: 'down: ECONNREFUSED' } }) });
      expect((await request(h.app).get('/readyz').expect(503)).body).toEqual({ status: 'unavailable', checks: { store: 'ok', redis: 'down: ECONNREFUSED' } });
    });

    it('answers 503 when the check itself throws', async () => {
      h = await createHarness({ ready: async () => Promise.reject(new Error('boom')) });
      await request(h.app).get('/readyz').expect(503);
    });
  });
});

describe('toHttpError', () => {
  it.each([
    [new UnauthenticatedError(), 401, 'auth.unauthenticated'],
    [new ForbiddenError('k', 'viewer', 'orders:write'), 403, 'auth.forbidden'],
    [new ValidationError('bad', [{ path: 'a', message: 'b' }]), 422, 'validation.failed'],
    [new NotFoundError('order', 'o-1'), 404, 'order.not_found'],
    [new ConflictError('idempotency.key_reused', 'again'), 409, 'idempotency.key_reused'],
    [new VersionConflictError('o-1', 3), 409, 'store.version_conflict'],
    [new IllegalTransitionError('o-1', 'closed', 'shipped'), 409, 'lifecycle.illegal_transition'],
    [new HubError('request.something', 'no', 'user'), 400, 'request.something'],
  ])('maps %p to %i', (err, status, code) => {
    const answer = toHttpError(err);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
  });

  it('turns anything not raised on purpose into a generic 500 that leaks nothing', () => {
    for (const err of [new Error('SQLITE_CORRUPT at /var/lib/hub.db'), new HubError('x.y', 'secret detail', 'unexpected'), 'a string']) {
      const answer = toHttpError(err);
      expect(answer).toEqual({ status: 500, body: { error: { code: 'internal', message: 'internal error; the hub has logged it', details: [] } } });
    }
  });
});

describe('API key lookup', () => {
  it('finds the key whose sha256 matches, and nothing for another key', () => {
    const lookup = createKeyLookup([
      { name: 'a', role: 'viewer', hash: hashApiKey('alpha') },
      { name: 'b', role: 'admin', hash: hashApiKey('beta') },
    ]);
    expect(lookup('beta')).toEqual({ name: 'b', role: 'admin' });
    expect(lookup('gamma')).toBeUndefined();
  });

  it('refuses a configured hash that is not sha256:<64 hex>', () => {
    expect(() => createKeyLookup([{ name: 'bad', role: 'viewer', hash: 'md5:abc' }])).toThrow(/bad/);
  });
});
