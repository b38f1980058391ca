import { signStandardWebhook } from '../../../connectors/shared/signatures';
import { startWebhookReceiver, type WebhookReceiver } from '../../sandboxes/webhook-receiver';

/** The sandbox partner other suites and the benchmark rely on: its own behaviour, pinned down. */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let receiver: WebhookReceiver;

afterEach(async () => {
  await receiver.close();
});

function send(key: string, { secret = SECRET, signal }: { secret?: string; signal?: AbortSignal } = {}) {
  const body = JSON.stringify({ type: 'order.confirmed', timestamp: new Date().toISOString(), data: { order: { id: 'ORD-1' } } });
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(receiver.url, {
    method: 'POST',
    body,
    signal,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      'webhook-id': `msg-${key}`,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(secret, `msg-${key}`, timestamp, body),
    },
  });
}

describe('webhook receiver sandbox', () => {
  describe('with a secret', () => {
    beforeEach(async () => {
      receiver = await startWebhookReceiver({ secret: SECRET });
    });

    it('accepts a signed request with a numbered reference', async () => {
      const response = await send('k1');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'RCV-1' });
      expect(receiver.requests[0]).toMatchObject({ seq: 1, method: 'POST', path: '/hooks/orders', verified: true, idempotencyKey: 'k1', status: 200, committed: true });
    });

    it('answers 401 to a bad signature, records it and does not act on it', async () => {
      const response = await send('k1', { secret: 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=' });
      expect(response.status).toBe(401);
      expect(receiver.requests[0]).toMatchObject({ verified: false, committed: false });
      expect(receiver.uniqueKeys()).toEqual([]);
    });
  });

  describe('without a secret', () => {
    beforeEach(async () => {
      receiver = await startWebhookReceiver();
    });

    it('accepts anything and records it as unverified', async () => {
      expect((await send('k1')).status).toBe(200);
      expect(receiver.requests[0]?.verified).toBe(false);
    });

    it('answers a repeated key with its first reference and lists it as a duplicate', async () => {
      await send('k1');
      await send('k2');
      expect(await (await send('k1')).json()).toEqual({ id: 'RCV-1' });
      expect(receiver.uniqueKeys()).toEqual(['k1', 'k2']);
      expect(receiver.duplicates()).toEqual(['k1']);
    });

    it('consumes a fault queue one request at a time, then answers normally', async () => {
      receiver.faults.set([{ status: 500 }, { status: 429, retryAfterSeconds: 3 }]);
      const first = await send('k1');
      const second = await send('k1');
      const third = await send('k1');
      expect([first.status, second.status, third.status]).toEqual([500, 429, 200]);
      expect(second.headers.get('retry-after')).toBe('3');
      expect(receiver.duplicates()).toEqual([]);
    });

    it('asks a fault function about every request', async () => {
      receiver.faults.set((request) => (request.seq % 2 === 0 ? { status: 503 } : undefined));
      const statuses = [];
      for (const key of ['a', 'b', 'c', 'd']) statuses.push((await send(key)).status);
      expect(statuses).toEqual([200, 503, 200, 503]);
      expect(receiver.uniqueKeys()).toEqual(['a', 'c']);
    });

    it('commits and then stays silent until the client gives up', async () => {
      receiver.faults.set([{ commitThenTimeout: true }]);
      await expect(send('k1', { signal: AbortSignal.timeout(100) })).rejects.toThrow();
      expect(receiver.requests[0]?.committed).toBe(true);
      expect(receiver.requests[0]?.status).toBeUndefined();
      expect(receiver.uniqueKeys()).toEqual(['k1']);
    });

    it('closes promptly while a silent request is still open', async () => {
      receiver.faults.set([{ commitThenTimeout: true }]);
      const pending = send('k1');
      await receiver.waitFor((requests) => requests.length === 1);
      await receiver.close();
      await expect(pending).rejects.toThrow();
      receiver = await startWebhookReceiver();
    });

    it('rejects waitFor when the condition is not met in time', async () => {
      await expect(receiver.waitFor((requests) => requests.length > 0, 50)).rejects.toThrow(/within 50ms \(0 requests\)/);
    });
  });
});
