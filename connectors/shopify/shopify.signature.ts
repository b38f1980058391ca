import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../../core/errors/signature.error';

/**
 * Shopify webhook signatures (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries):
 * `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw request body, keyed with the app's
 * client secret (for a webhook made in the store admin without an app, the signing key shown on
 * that page). No timestamp is signed, so a replay is recognised by `X-Shopify-Webhook-Id` instead
 * (the shop connector's ledger).
 */

export const SHOPIFY_HMAC_HEADER = 'x-shopify-hmac-sha256';

/** The header value Shopify would send for `body`. */
export function signShopifyWebhook(clientSecret: string, body: Buffer | string): string {
  return createHmac('sha256', clientSecret).update(body).digest('base64');
}

/**
 * Compares the header with the HMAC of the body exactly as received, in constant time.
 * @throws SignatureError `signature.missing` without the header, `signature.invalid` when it differs
 */
export function verifyShopifyWebhook(clientSecret: string, header: string | undefined, body: Buffer): void {
  if (!header) throw new SignatureError('signature.missing', 'X-Shopify-Hmac-Sha256 header is required');
  const expected = createHmac('sha256', clientSecret).update(body).digest();
  const given = Buffer.from(header.trim(), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureError('signature.invalid', 'X-Shopify-Hmac-Sha256 does not match the body');
  }
}
