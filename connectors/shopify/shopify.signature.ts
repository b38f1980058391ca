import { signBodyHmac, verifyBodyHmac } from '../shared/body-hmac';

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
  return signBodyHmac(clientSecret, body);
}

/** @throws SignatureError `signature.missing` without the header, `signature.invalid` when it differs from the body's HMAC */
export function verifyShopifyWebhook(clientSecret: string, header: string | undefined, body: Buffer): void {
  verifyBodyHmac(clientSecret, header, body, 'X-Shopify-Hmac-Sha256');
}
