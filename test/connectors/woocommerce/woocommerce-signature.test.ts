import { signatureRefusal } from '../../support/signature-refusal';
import { signWooWebhook, verifyWooWebhook } from '../../../connectors/woocommerce/woocommerce.signature';

const SECRET = 'woo webhook secret';
const BODY = Buffer.from('{"id":727,"status":"processing"}');
/** Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64 */
const OPENSSL_HMAC = 'kgDBnqMP7P/6JPVA0XybC5iJfJemFfJreWRCtFdia3A=';

describe('WooCommerce webhook signature (X-WC-Webhook-Signature)', () => {
  it('is the base64 HMAC-SHA256 of the raw body keyed with the webhook secret', () => {
    expect(signWooWebhook(SECRET, BODY)).toBe(OPENSSL_HMAC);
    expect(signatureRefusal(() => verifyWooWebhook(SECRET, OPENSSL_HMAC, BODY))).toBeUndefined();
  });

  it('refuses a changed body, another secret and a missing header', () => {
    expect(signatureRefusal(() => verifyWooWebhook(SECRET, OPENSSL_HMAC, Buffer.from('{"id":727,"status":"completed"}')))).toBe('signature.invalid');
    expect(signatureRefusal(() => verifyWooWebhook('other', OPENSSL_HMAC, BODY))).toBe('signature.invalid');
    expect(signatureRefusal(() => verifyWooWebhook(SECRET, undefined, BODY))).toBe('signature.missing');
  });
});
