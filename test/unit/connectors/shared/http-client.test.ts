import { PermanentPartnerError, TransientPartnerError } from '../../../../core/errors/partner.error';
import { KEPT_BODY_CHARS, postJson } from '../../../../connectors/shared/http-client';
import { freePort } from '../../../support/free-port';
import { startWebhookReceiver, type WebhookReceiver } from '../../../sandboxes/webhook-receiver';

const BODY = '{"hello":"world","price":"12.50"}';
const OPTIONS = { timeoutMs: 2_000 };

let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});

afterEach(async () => {
  await receiver.close();
});

/** The error postJson rejected with, for asserting on its class and fields. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err,
  );
}

describe('postJson', () => {
  describe('when the partner answers 2xx', () => {
    it('returns the status and the answer', async () => {
      const reply = await postJson(receiver.url, BODY, {}, OPTIONS);
      expect(reply).toMatchObject({ status: 200, body: '{"id":"RCV-1"}', keptBody: '{"id":"RCV-1"}', headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    });

    it('sends the body byte for byte, as JSON', async () => {
      await postJson(receiver.url, BODY, { 'x-extra': 'yes' }, OPTIONS);
      expect(receiver.requests[0]).toMatchObject({ method: 'POST', body: BODY });
      expect(receiver.requests[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-extra': 'yes' });
    });

    it.each([
      ['surrounding whitespace', ` ${BODY}\n`],
      ['a body that is not JSON', 'not json'],
    ])('sends %s untouched, since it was signed as is', async (_case, body) => {
      await postJson(receiver.url, body, {}, OPTIONS);
      expect(receiver.requests[0]?.body).toBe(body);
    });

    it('keeps only the first 4 KB of a long answer but returns all of it', async () => {
      const long = JSON.stringify({ id: 'X', filler: 'x'.repeat(10_000) });
      receiver.faults.set([{ status: 201, body: long }]);
      const reply = await postJson(receiver.url, BODY, {}, OPTIONS);
      expect(reply.body).toBe(long);
      expect(reply.keptBody).toBe(`${long.slice(0, KEPT_BODY_CHARS)}…`);
    });
  });

  describe('when the partner answers with a retryable status', () => {
    it.each([500, 502, 503, 408, 425, 429])('raises a transient error for %i, keeping status and body', async (status) => {
      receiver.faults.set([{ status }]);
      const err = await failure(postJson(receiver.url, BODY, {}, OPTIONS));
      expect(err).toBeInstanceOf(TransientPartnerError);
      expect(err).toMatchObject({ code: 'partner.transient', response: { status, body: `{"error":"injected ${status}"}` }, retryAfterMs: undefined });
    });

    it('carries Retry-After given in seconds', async () => {
      receiver.faults.set([{ status: 429, retryAfterSeconds: 30 }]);
      await expect(postJson(receiver.url, BODY, {}, OPTIONS)).rejects.toMatchObject({ retryAfterMs: 30_000 });
    });

    it('carries Retry-After given as an HTTP-date', async () => {
      const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
      receiver.faults.set([{ status: 503, headers: { 'retry-after': inTwoMinutes } }]);
      const err = (await failure(postJson(receiver.url, BODY, {}, OPTIONS))) as TransientPartnerError;
      expect(err.retryAfterMs).toBeGreaterThan(110_000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(120_000);
    });
  });

  describe('when the partner refuses the request itself', () => {
    it.each([400, 401, 404, 422])('raises a permanent error for %i, keeping status and body', async (status) => {
      receiver.faults.set([{ status }]);
      const err = await failure(postJson(receiver.url, BODY, {}, OPTIONS));
      expect(err).toBeInstanceOf(PermanentPartnerError);
      expect(err).toMatchObject({ code: 'partner.permanent', response: { status, body: `{"error":"injected ${status}"}` } });
    });

    it('does not follow a redirect, and reports it as permanent', async () => {
      receiver.faults.set([{ status: 301, headers: { location: 'http://example.invalid/' } }]);
      await expect(postJson(receiver.url, BODY, {}, OPTIONS)).rejects.toBeInstanceOf(PermanentPartnerError);
      expect(receiver.requests).toHaveLength(1);
    });

    it('refuses a url that is not http(s) without sending anything', async () => {
      await expect(postJson('data:application/json,{}', BODY, {}, OPTIONS)).rejects.toBeInstanceOf(PermanentPartnerError);
    });
  });

  describe('when no complete answer comes back', () => {
    it('raises a transient error once the deadline passes on a slow partner', async () => {
      receiver.faults.set([{ delayMs: 2_000 }]);
      const err = await failure(postJson(receiver.url, BODY, {}, { timeoutMs: 200 }));
      expect(err).toBeInstanceOf(TransientPartnerError);
      expect((err as Error).message).toMatch(/within 200ms/);
    });

    it('raises a transient error when the partner commits and falls silent', async () => {
      receiver.faults.set([{ commitThenTimeout: true }]);
      await expect(postJson(receiver.url, BODY, {}, { timeoutMs: 200 })).rejects.toBeInstanceOf(TransientPartnerError);
      expect(receiver.uniqueKeys()).toEqual([]);
      expect(receiver.requests[0]?.committed).toBe(true);
    });

    it('raises a transient error when the connection is refused', async () => {
      const url = `http://127.0.0.1:${await freePort()}/hooks`;
      const err = await failure(postJson(url, BODY, {}, OPTIONS));
      expect(err).toBeInstanceOf(TransientPartnerError);
      expect((err as Error).message).toMatch(/ECONNREFUSED/);
    });

    it('raises a transient error when the answer exceeds 1 MiB', async () => {
      receiver.faults.set([{ status: 200, body: 'x'.repeat(1024 * 1024 + 1) }]);
      await expect(postJson(receiver.url, BODY, {}, OPTIONS)).rejects.toBeInstanceOf(TransientPartnerError);
    });

    it('never lets an axios error out, so request headers cannot reach a log', async () => {
      const url = `http://127.0.0.1:${await freePort()}/hooks`;
      const err = await failure(postJson(url, BODY, { authorization: 'Bearer s3cret' }, OPTIONS));
      expect(JSON.stringify(err)).not.toContain('s3cret');
      expect((err as Error).cause).toBeUndefined();
    });
  });

  describe('when the caller aborts', () => {
    it('stops waiting at once and raises a transient error', async () => {
      receiver.faults.set([{ delayMs: 5_000 }]);
      const controller = new AbortController();
      const pending = postJson(receiver.url, BODY, {}, { timeoutMs: 10_000, signal: controller.signal });
      await receiver.waitFor((requests) => requests.length === 1);
      const abortedAt = Date.now();
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(TransientPartnerError);
      expect(Date.now() - abortedAt).toBeLessThan(1_000);
    });

    it('sends nothing when the signal is already aborted', async () => {
      await expect(postJson(receiver.url, BODY, {}, { ...OPTIONS, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(TransientPartnerError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(receiver.requests).toHaveLength(0);
    });
  });
});
