import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../../core/errors/signature.error';
import { ValidationError } from '../../core/errors/validation.error';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, symmetric `v1`): the signed
 * content is `${webhook-id}.${webhook-timestamp}.${body}`, the MAC is HMAC-SHA256 keyed with the
 * base64 part of a `whsec_` secret, and `webhook-signature` holds space-separated `v1,<base64>`
 * entries so a sender can sign with an old and a new secret while a key is rotated.
 */

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The spec's default: wide enough for clock skew, narrow enough to make replays useless. */
const DEFAULT_TOLERANCE_SECONDS = 300;

/** The signature headers, as Node's `req.headers` holds them (lower-case names). */
export type SignatureHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyOptions {
  /** How far `webhook-timestamp` may be from `now`, either way, in seconds. @defaultValue 300 */
  readonly toleranceSeconds?: number;
  /** Epoch milliseconds to check the timestamp against. @defaultValue Date.now() */
  readonly now?: number;
}

/**
 * The HMAC key inside a `whsec_<base64>` secret (the prefix is optional, as in the spec's own
 * libraries). Call it when a connector is created, so a malformed secret stops startup rather than
 * every delivery.
 * @throws ValidationError when the secret is not base64 after the prefix
 */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded)) {
    const message = 'must be "whsec_" followed by base64';
    throw new ValidationError(`webhook secret ${message}`, [{ path: 'secret', message }], 'signature.secret_malformed');
  }
  return Buffer.from(encoded, 'base64');
}

/** The `webhook-signature` header value for one message: `v1,<base64 HMAC-SHA256>`. */
export function signStandardWebhook(secret: string, msgId: string, timestampSeconds: number, body: string | Buffer): string {
  return `v1,${mac(decodeWebhookSecret(secret), msgId, String(timestampSeconds), body).toString('base64')}`;
}

/**
 * Checks a received message against its `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * headers. Pass the body exactly as received: re-serialised JSON does not verify.
 * @throws SignatureError `signature.missing`, `signature.stale` or `signature.invalid`
 */
export function verifyStandardWebhook(secret: string, headers: SignatureHeaders, body: string | Buffer, options: VerifyOptions = {}): void {
  const msgId = single(headers['webhook-id']);
  const timestamp = single(headers['webhook-timestamp']);
  const signatures = single(headers['webhook-signature']);
  if (!msgId || !timestamp || !signatures) {
    throw new SignatureError('signature.missing', 'webhook-id, webhook-timestamp and webhook-signature headers are required');
  }
  if (!/^\d+$/.test(timestamp)) throw new SignatureError('signature.invalid', 'webhook-timestamp is not a number of seconds');

  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    throw new SignatureError('signature.stale', `webhook-timestamp is more than ${toleranceSeconds}s away from now`);
  }

  const expected = mac(decodeWebhookSecret(secret), msgId, timestamp, body);
  const matches = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  if (!matches) throw new SignatureError('signature.invalid', 'no v1 signature matches the body');
}

function mac(key: Buffer, msgId: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', key).update(`${msgId}.${timestamp}.`).update(body).digest();
}

/** A repeated header is ambiguous for a signature check; treat it as absent. */
function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
