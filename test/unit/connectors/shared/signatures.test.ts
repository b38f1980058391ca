import { signatureRefusal } from '../../../support/signature-refusal';
import { SignatureError } from '../../../../core/errors';
import { ValidationError } from '../../../../core/errors/validation.error';
import { decodeWebhookSecret, signStandardWebhook, verifyStandardWebhook } from '../../../../connectors/shared/signatures';

/** The example published with the Standard Webhooks spec. */
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_SPEC_TIME = { now: SPEC.timestamp * 1000 };
const OTHER_SECRET = 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=';

function specHeaders(signature = SPEC.signature) {
  return { 'webhook-id': SPEC.msgId, 'webhook-timestamp': String(SPEC.timestamp), 'webhook-signature': signature };
}

describe('signStandardWebhook', () => {
  it('reproduces the spec example signature', () => {
    expect(signStandardWebhook(SPEC.secret, SPEC.msgId, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it('accepts the secret without its whsec_ prefix', () => {
    expect(signStandardWebhook(SPEC.secret.slice('whsec_'.length), SPEC.msgId, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it('refuses a secret that is not base64', () => {
    expect(() => decodeWebhookSecret('whsec_not base64!')).toThrow(ValidationError);
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts the spec example', () => {
    expect(() => verifyStandardWebhook(SPEC.secret, specHeaders(), SPEC.body, AT_SPEC_TIME)).not.toThrow();
  });

  it('accepts the body as the raw bytes received', () => {
    expect(() => verifyStandardWebhook(SPEC.secret, specHeaders(), Buffer.from(SPEC.body), AT_SPEC_TIME)).not.toThrow();
  });

  describe('when anything signed was changed', () => {
    it('rejects a tampered body as invalid', () => {
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, specHeaders(), '{"test": 2432232315}', AT_SPEC_TIME))).toBe('signature.invalid');
    });

    it('rejects a different message id as invalid', () => {
      const headers = { ...specHeaders(), 'webhook-id': 'msg_other' };
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, headers, SPEC.body, AT_SPEC_TIME))).toBe('signature.invalid');
    });

    it('rejects a signature made with another secret as invalid', () => {
      const forged = signStandardWebhook(OTHER_SECRET, SPEC.msgId, SPEC.timestamp, SPEC.body);
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, specHeaders(forged), SPEC.body, AT_SPEC_TIME))).toBe('signature.invalid');
    });

    it('rejects a truncated signature as invalid', () => {
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, specHeaders('v1,g0hM9SsE'), SPEC.body, AT_SPEC_TIME))).toBe('signature.invalid');
    });
  });

  describe('when the header lists several signatures', () => {
    it('accepts the message if any v1 entry matches, as during a key rotation', () => {
      const old = signStandardWebhook(OTHER_SECRET, SPEC.msgId, SPEC.timestamp, SPEC.body);
      expect(() => verifyStandardWebhook(SPEC.secret, specHeaders(`${old} ${SPEC.signature}`), SPEC.body, AT_SPEC_TIME)).not.toThrow();
    });

    it('ignores entries of other versions carrying the right MAC', () => {
      const otherVersion = SPEC.signature.replace('v1,', 'v1a,');
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, specHeaders(otherVersion), SPEC.body, AT_SPEC_TIME))).toBe('signature.invalid');
    });
  });

  describe('when the timestamp is outside the tolerance', () => {
    it('rejects a message older than five minutes as stale', () => {
      const now = (SPEC.timestamp + 301) * 1000;
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, specHeaders(), SPEC.body, { now }))).toBe('signature.stale');
    });

    it('rejects a message from more than five minutes ahead as stale', () => {
      const now = (SPEC.timestamp - 301) * 1000;
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, specHeaders(), SPEC.body, { now }))).toBe('signature.stale');
    });

    it('accepts it within a wider configured tolerance', () => {
      const now = (SPEC.timestamp + 600) * 1000;
      expect(() => verifyStandardWebhook(SPEC.secret, specHeaders(), SPEC.body, { now, toleranceSeconds: 600 })).not.toThrow();
    });

    it('rejects a timestamp that is not whole seconds as invalid', () => {
      const headers = { ...specHeaders(), 'webhook-timestamp': '2021-02-26T00:00:00Z' };
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, headers, SPEC.body, AT_SPEC_TIME))).toBe('signature.invalid');
    });
  });

  describe('when a header is missing', () => {
    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a message without %s as missing', (name) => {
      const headers: Record<string, string | undefined> = { ...specHeaders(), [name]: undefined };
      expect(signatureRefusal(() => verifyStandardWebhook(SPEC.secret, headers, SPEC.body, AT_SPEC_TIME))).toBe('signature.missing');
    });
  });

  it('raises a user error, answered as 4xx by the API', () => {
    try {
      verifyStandardWebhook(SPEC.secret, {}, SPEC.body);
    } catch (err) {
      expect(err).toMatchObject({ name: 'SignatureError', category: 'user', code: 'signature.missing' });
    }
    expect.assertions(1);
  });
});
