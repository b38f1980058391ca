import { SignatureError } from '../../../core/errors/signature.error';
import { signWooWebhook, verifyWooWebhook } from '../../../connectors/woocommerce/woocommerce.signature';

const SECRET = 'woo webhook secret';
const BODY = Buffer.from('{"id":727,"status":"processing"}');
/** Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64 */
const OPENSSL_HMAC = 'kgDBnqMP7P/6JPVA0XybC5iJfJemFfJreWRCtFdia3A=';

function refusal(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureError);
    return (err as SignatureError).code;
  }
}

describe('WooCommerce webhook signature (X-WC-Webhook-Signature)', () => {
  it('is the base64 HMAC-SHA256 of the raw body keyed with the webhook secret', () => {
    expect(signWooWebhook(SECRET, BODY)).toBe(OPENSSL_HMAC);
    expect(refusal(() => verifyWooWebhook(SECRET, OPENSSL_HMAC, BODY))).toBeUndefined();
  });

  it('refuses a changed body, another secret and a missing header', () => {
    expect(refusal(() => verifyWooWebhook(SECRET, OPENSSL_HMAC, Buffer.from('{"id":727,"status":"completed"}')))).toBe('signature.invalid');
    expect(refusal(() => verifyWooWebhook('other', OPENSSL_HMAC, BODY))).toBe('signature.invalid');
    expect(refusal(() => verifyWooWebhook(SECRET, undefined, BODY))).toBe('signature.missing');
  });
});
