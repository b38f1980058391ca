import { signBodyHmac, verifyBodyHmac } from '../shared/body-hmac';

/**
 * WooCommerce webhook signatures (WC_Webhook::generate_signature, woocommerce/includes/class-wc-webhook.php;
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks): `X-WC-Webhook-Signature` is the
 * base64 HMAC-SHA256 of the raw JSON body, keyed with the webhook's secret. No timestamp is signed;
 * a replay is recognised by `X-WC-Webhook-Delivery-ID` (see woocommerce.platform.ts).
 */

export const WOO_SIGNATURE_HEADER = 'x-wc-webhook-signature';

/** The header value WooCommerce would send for `body`. */
export function signWooWebhook(secret: string, body: Buffer | string): string {
  return signBodyHmac(secret, body);
}

/** @throws SignatureError `signature.missing` without the header, `signature.invalid` when it differs from the body's HMAC */
export function verifyWooWebhook(secret: string, header: string | undefined, body: Buffer): void {
  verifyBodyHmac(secret, header, body, 'X-WC-Webhook-Signature');
}
