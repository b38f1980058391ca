import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SignatureError } from '../../core/errors/signature.error';

/**
 * HMAC request signatures as platforms without a standard scheme define them: a "string to sign"
 * made of the request's parts in an order and with separators the platform chooses, keyed with a
 * shared secret, written in hex or base64 into a header. One template language covers the schemes
 * seen in practice (`{method}\n{path}\n{timestamp}\n{body}`, `{timestamp}.{body}`, `{body}` alone).
 * HMAC is RFC 2104 (https://www.rfc-editor.org/rfc/rfc2104); the digests are Node's
 * (https://nodejs.org/api/crypto.html#cryptocreatehmacalgorithm-key-options).
 */

export const hmacAlgorithm = z.enum(['sha256', 'sha1', 'sha512', 'md5']);
export const signatureEncoding = z.enum(['hex', 'base64']);
export const timestampFormat = z.enum(['epoch-seconds', 'epoch-millis', 'iso']);

/** Placeholders a string-to-sign template may use. */
export interface SignedParts {
  /** Upper case: `GET`, `POST`. */
  readonly method?: string;
  /** Path and query exactly as requested: `/v1/orders?page=2`. */
  readonly path?: string;
  readonly timestamp?: string;
  /** The body exactly as sent or received; empty for a request without one. */
  readonly body?: string | Buffer;
  readonly keyId?: string;
}

const PLACEHOLDER = /\{(method|path|timestamp|body|bodySha256|keyId)\}/g;

export interface HmacScheme {
  readonly algorithm: z.output<typeof hmacAlgorithm>;
  readonly encoding: z.output<typeof signatureEncoding>;
  /** What is signed, with `{method}`, `{path}`, `{timestamp}`, `{body}`, `{bodySha256}`, `{keyId}`. */
  readonly stringToSign: string;
  /** Written before the signature in the header (`sha256=`, `HMAC-SHA256 `); may be empty. */
  readonly prefix: string;
}

/** The placeholders a template uses that `available` cannot fill: a config error, found at load. */
export function unknownPlaceholders(template: string, available: readonly string[]): string[] {
  const used = [...template.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1] as string);
  return used.filter((name) => !available.includes(name));
}

/** The header value: prefix + HMAC over the filled template. */
export function sign(scheme: HmacScheme, secret: string, parts: SignedParts): string {
  return `${scheme.prefix}${mac(scheme, secret, parts).toString(scheme.encoding)}`;
}

/**
 * Checks a received header value in constant time.
 * @throws SignatureError signature.missing / signature.invalid
 */
export function verify(scheme: HmacScheme, secret: string, parts: SignedParts, received: string | undefined): void {
  if (!received) throw new SignatureError('signature.missing', 'the signature header is missing');
  if (!received.startsWith(scheme.prefix)) throw new SignatureError('signature.invalid', `the signature does not start with "${scheme.prefix}"`);
  const expected = mac(scheme, secret, parts);
  const candidate = Buffer.from(received.slice(scheme.prefix.length).trim(), scheme.encoding);
  if (candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) {
    throw new SignatureError('signature.invalid', 'the signature does not match the body');
  }
}

/** A timestamp as the platform writes it in its timestamp header. */
export function timestampOf(format: z.output<typeof timestampFormat>, now: number): string {
  if (format === 'epoch-millis') return String(now);
  if (format === 'iso') return new Date(now).toISOString();
  return String(Math.floor(now / 1000));
}

/** Epoch ms of a received timestamp header, or NaN. */
export function readTimestamp(format: z.output<typeof timestampFormat>, value: string): number {
  if (format === 'iso') return Date.parse(value);
  if (!/^\d+$/.test(value)) return Number.NaN;
  return format === 'epoch-millis' ? Number(value) : Number(value) * 1000;
}

function mac(scheme: HmacScheme, secret: string, parts: SignedParts): Buffer {
  const hmac = createHmac(scheme.algorithm, secret);
  // Filled piece by piece, so the body's bytes go in exactly as they are, never through a re-encoding.
  let last = 0;
  for (const found of scheme.stringToSign.matchAll(PLACEHOLDER)) {
    hmac.update(scheme.stringToSign.slice(last, found.index));
    hmac.update(fill(found[1] as string, parts));
    last = (found.index ?? 0) + found[0].length;
  }
  hmac.update(scheme.stringToSign.slice(last));
  return hmac.digest();
}

function fill(name: string, parts: SignedParts): string | Buffer {
  switch (name) {
    case 'body':
      return parts.body ?? '';
    case 'bodySha256':
      return createHash('sha256').update(parts.body ?? '').digest('hex');
    case 'method':
      return parts.method ?? '';
    case 'path':
      return parts.path ?? '';
    case 'timestamp':
      return parts.timestamp ?? '';
    default:
      return parts.keyId ?? '';
  }
}
