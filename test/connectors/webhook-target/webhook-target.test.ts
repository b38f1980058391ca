import { Writable } from 'node:stream';
import pino from 'pino';
import type { Target } from '../../../connectors/connector';
import { webhookTarget } from '../../../connectors/webhook-target/webhook-target.connector';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { ValidationError } from '../../../core/errors/validation.error';
import type { OrderEventName } from '../../../core/lifecycle/order-events';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { Delivery, DeliveryAttempt } from '../../../core/store/store.port';
import { startWebhookReceiver, type WebhookReceiver } from '../../sandboxes/webhook-receiver';
import { makeOrder } from '../../support/order-factory';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const EVENT: OrderEventName = 'order.confirmed';

let receiver: WebhookReceiver;
let logLines: string[];
let order: CanonicalOrder;

beforeEach(async () => {
  receiver = await startWebhookReceiver({ secret: SECRET });
  logLines = [];
  order = makeOrder({ id: 'ORD-2026-000042', status: 'confirmed', version: 3 });
});

afterEach(async () => {
  await receiver.close();
});

function deliveryFor(attempts: readonly DeliveryAttempt[]): Delivery {
  return {
    id: `${order.id}-order-confirmed-erp`,
    idempotencyKey: `${order.id}:${EVENT}:erp`,
    orderId: order.id,
    eventId: 'evt-1',
    event: EVENT,
    target: 'erp',
    status: attempts.length ? 'retrying' : 'pending',
    attempts,
    createdAt: '2026-03-02T09:30:01.000Z',
    updatedAt: '2026-03-02T09:30:01.000Z',
  };
}

function createTarget(overrides: Record<string, unknown> = {}): Target {
  const config = webhookTarget.config.parse({ id: 'erp', kind: 'webhook-target', url: receiver.url, secret: SECRET, ...overrides });
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      logLines.push(chunk.toString());
      done();
    },
  });
  const log = pino(sink);
  const target = webhookTarget.create(config, { log }).target;
  if (!target) throw new Error('webhook-target must have a target side');
  return target;
}

function deliver(target: Target, signal = new AbortController().signal, attempts: readonly DeliveryAttempt[] = []) {
  return target.deliver({ delivery: deliveryFor(attempts), event: EVENT, order }, signal);
}

describe('webhook-target', () => {
  it('is registered under its kind with a one-line summary', () => {
    expect(webhookTarget.kind).toBe('webhook-target');
    expect(webhookTarget.summary).not.toContain('\n');
  });

  it('refuses to start with a secret that is not whsec_ base64', () => {
    expect(() => createTarget({ secret: 'whsec_not base64!' })).toThrow(ValidationError);
  });

  describe('when the partner accepts the event', () => {
    it('posts a Standard Webhooks payload the partner can verify', async () => {
      await deliver(createTarget());
      const [request] = receiver.requests;
      expect(request?.verified).toBe(true);
      expect(JSON.parse(request?.body ?? '')).toEqual({
        type: EVENT,
        timestamp: '2026-03-02T09:30:01.000Z',
        data: {
          order: JSON.parse(JSON.stringify(order)),
          delivery: { id: 'ORD-2026-000042-order-confirmed-erp', idempotencyKey: 'ORD-2026-000042:order.confirmed:erp', attempt: 1 },
        },
      });
    });

    it('sends the idempotency key, message id and user agent as headers', async () => {
      await deliver(createTarget());
      expect(receiver.requests[0]?.headers).toMatchObject({
        'content-type': 'application/json',
        'idempotency-key': 'ORD-2026-000042:order.confirmed:erp',
        'webhook-id': 'ORD-2026-000042-order-confirmed-erp',
        'user-agent': 'order-hub/0.1',
      });
      expect(receiver.uniqueKeys()).toEqual(['ORD-2026-000042:order.confirmed:erp']);
    });

    it('returns the status, the kept answer and the partner reference', async () => {
      await expect(deliver(createTarget())).resolves.toEqual({ status: 200, responseBody: '{"id":"RCV-1"}', partnerRef: 'RCV-1' });
    });

    it.each([
      ['reference', { reference: 'SO-9001' }, 'SO-9001'],
      ['partnerRef', { partnerRef: 'WB-77' }, 'WB-77'],
      ['a numeric id', { id: 42 }, undefined],
      ['no JSON at all', 'OK', undefined],
    ])('reads the partner reference from %s', async (_case, answer, expected) => {
      receiver.faults.set([{ status: 200, body: typeof answer === 'string' ? answer : JSON.stringify(answer) }]);
      await expect(deliver(createTarget())).resolves.toMatchObject({ status: 200, partnerRef: expected });
    });
  });

  describe('when headers are configured', () => {
    it('sends them along with every request', async () => {
      await deliver(createTarget({ headers: { Authorization: 'Bearer t0ken' } }));
      expect(receiver.requests[0]?.headers.authorization).toBe('Bearer t0ken');
    });

    it('ignores one that would overwrite a signed header, and says so', async () => {
      await deliver(createTarget({ headers: { 'Webhook-Signature': 'v1,forged', 'idempotency-key': 'mine' } }));
      expect(receiver.requests[0]).toMatchObject({ verified: true, idempotencyKey: 'ORD-2026-000042:order.confirmed:erp' });
      expect(logLines.join('')).toContain('configured header ignored');
    });
  });

  describe('when the attempt fails', () => {
    it('raises a permanent error when the partner rejects the signature', async () => {
      await receiver.close();
      receiver = await startWebhookReceiver({ secret: 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=' });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: PermanentPartnerError, response: { status: 401 } });
    });

    it('raises a transient error with the partner’s Retry-After', async () => {
      receiver.faults.set([{ status: 503, retryAfterSeconds: 7 }]);
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: 7_000 });
    });

    it('gives up after the configured timeout', async () => {
      receiver.faults.set([{ delayMs: 2_000 }]);
      await expect(deliver(createTarget({ timeoutMs: 150 }))).rejects.toThrow(/within 150ms/);
    });

    it('stops at once when the pipeline aborts the attempt', async () => {
      receiver.faults.set([{ delayMs: 5_000 }]);
      const controller = new AbortController();
      const pending = deliver(createTarget(), controller.signal);
      await receiver.waitFor((requests) => requests.length === 1);
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(TransientPartnerError);
    });
  });

  describe('when an attempt is retried after the partner committed silently', () => {
    it('resends the same message id and key, so the partner can answer with its first reference', async () => {
      receiver.faults.set([{ commitThenTimeout: true }]);
      const target = createTarget({ timeoutMs: 200 });
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      const firstAttempt: DeliveryAttempt = { at: '2026-03-02T09:30:02.000Z', ok: false, durationMs: 200, error: 'timeout' };

      await expect(deliver(target, undefined, [firstAttempt])).resolves.toMatchObject({ partnerRef: 'RCV-1' });
      const [first, second] = receiver.requests.map((r) => ({ id: r.headers['webhook-id'], key: r.idempotencyKey, body: JSON.parse(r.body) }));
      expect(second?.id).toBe(first?.id);
      expect(second?.key).toBe(first?.key);
      expect(second?.body.data.delivery.attempt).toBe(2);
      expect(receiver.duplicates()).toEqual(['ORD-2026-000042:order.confirmed:erp']);
    });
  });
});
