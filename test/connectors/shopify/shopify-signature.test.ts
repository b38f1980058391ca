import { signatureRefusal } from '../../support/signature-refusal';
import { signShopifyWebhook, verifyShopifyWebhook } from '../../../connectors/shopify/shopify.signature';

const SECRET = 'shpss_sandbox_secret';
const BODY = Buffer.from('{"id":820982911946154508,"email":"jon@example.com"}');
/** Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64 */
const OPENSSL_HMAC = 'UPmqUWgEToU29GtVXo6ThJxaTzw952JN5CKuU5oTcCw=';

describe('Shopify webhook signature (X-Shopify-Hmac-Sha256)', () => {
  it('is the base64 HMAC-SHA256 of the raw body keyed with the client secret', () => {
    expect(signShopifyWebhook(SECRET, BODY)).toBe(OPENSSL_HMAC);
    expect(signatureRefusal(() => verifyShopifyWebhook(SECRET, OPENSSL_HMAC, BODY))).toBeUndefined();
  });

  it('refuses the same JSON re-serialised, since only the bytes as sent are signed', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 1));
    expect(signatureRefusal(() => verifyShopifyWebhook(SECRET, OPENSSL_HMAC, reformatted))).toBe('signature.invalid');
  });

  it('refuses a body signed with another secret, a truncated header and a missing one', () => {
    expect(signatureRefusal(() => verifyShopifyWebhook('another-secret', OPENSSL_HMAC, BODY))).toBe('signature.invalid');
    expect(signatureRefusal(() => verifyShopifyWebhook(SECRET, OPENSSL_HMAC.slice(0, 20), BODY))).toBe('signature.invalid');
    expect(signatureRefusal(() => verifyShopifyWebhook(SECRET, undefined, BODY))).toBe('signature.missing');
  });
});
