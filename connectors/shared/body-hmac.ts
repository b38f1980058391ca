import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../../core/errors/signature.error';

/**
 * The plainest webhook signature, used by Shopify and WooCommerce alike: one header holding the
 * base64 HMAC-SHA256 of the raw body, keyed with a shared secret, and nothing else signed (no
 * timestamp: replays are recognised by the delivery id instead).
 */

export function signBodyHmac(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * Compares the header with the HMAC of the body exactly as received, in constant time.
 * @param headerName as the platform writes it, for the messages
 * @throws SignatureError `signature.missing` without the header, `signature.invalid` when it differs
 */
export function verifyBodyHmac(secret: string, header: string | undefined, body: Buffer, headerName: string): void {
  if (!header) throw new SignatureError('signature.missing', `${headerName} header is required`);
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.trim(), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureError('signature.invalid', `${headerName} does not match the body`);
  }
}
