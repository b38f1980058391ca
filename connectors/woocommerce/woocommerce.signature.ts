import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../../core/errors/signature.error';

/**
 * WooCommerce webhook signatures (WC_Webhook::generate_signature, woocommerce/includes/class-wc-webhook.php;
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks): `X-WC-Webhook-Signature` is the
 * base64 HMAC-SHA256 of the raw JSON body, keyed with the webhook's secret. No timestamp is signed;
 * a replay is recognised by `X-WC-Webhook-Delivery-ID` (see woocommerce.platform.ts).
 */

export const WOO_SIGNATURE_HEADER = 'x-wc-webhook-signature';

export function signWooWebhook(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * Compares the header with the HMAC of the body exactly as received, in constant time.
 * @throws SignatureError `signature.missing` without the header, `signature.invalid` when it differs
 */
export function verifyWooWebhook(secret: string, header: string | undefined, body: Buffer): void {
  if (!header) throw new SignatureError('signature.missing', 'X-WC-Webhook-Signature header is required');
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.trim(), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureError('signature.invalid', 'X-WC-Webhook-Signature does not match the body');
  }
}
