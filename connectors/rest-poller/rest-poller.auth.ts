import { PermanentPartnerError } from '../../core/errors/partner.error';
import { requestJson } from '../shared/http-client';
import { SessionCache } from '../shared/session-cache';
import type { RestPollerConfig } from './rest-poller.config';
import { sign, timestampOf } from './rest-poller.signature';

/**
 * Signs each request to the platform the way its config says. Bearer and basic are RFC 6750 and
 * RFC 7617; `hmac` is a header over method, path, timestamp and body (rest-poller.signature.ts);
 * `oauth2` is the client credentials grant of RFC 6749 §4.4
 * (https://datatracker.ietf.org/doc/html/rfc6749#section-4.4), with the token shared by every
 * request of the connector (SessionCache) until it expires or the platform answers 401.
 */

export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly body?: string;
}

export interface RequestAuth {
  /** Headers that authenticate this request. */
  headers(request: OutgoingRequest): Promise<Record<string, string>>;
  /**
   * The platform answered 401 to a request signed with `headers`: true when signing again may
   * help (a cached token was dropped and a new one fetched), false when it would fail the same way.
   */
  rejected(headers: Readonly<Record<string, string>>): Promise<boolean>;
}

/**
 * Lifetime assumed for a token whose answer has no `expires_in` (RFC 6749 §5.1 leaves it out to
 * "other means"): short, so a token the server expires sooner costs at most one refused call.
 */
const ASSUMED_TOKEN_LIFETIME_MS = 10 * 60_000;

export function createRequestAuth(auth: RestPollerConfig['auth'], timeoutMs: number, now: () => number = Date.now): RequestAuth {
  switch (auth.type) {
    case 'bearer':
      return fixed({ Authorization: `Bearer ${auth.token}` });
    case 'basic':
      return fixed({ Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` });
    case 'none':
      return fixed({});
    case 'hmac':
      return {
        async headers({ method, url, body }) {
          const timestamp = timestampOf(auth.timestampFormat, now());
          const signature = sign(auth, auth.secret, { method, path: `${url.pathname}${url.search}`, timestamp, body: body ?? '', ...(auth.keyId ? { keyId: auth.keyId } : {}) });
          return { [auth.header]: signature, [auth.timestampHeader]: timestamp, ...(auth.keyId ? { [auth.keyIdHeader]: auth.keyId } : {}) };
        },
        rejected: async () => false,
      };
    case 'oauth2':
      return oauth2(auth, timeoutMs, now);
  }
}

function fixed(headers: Record<string, string>): RequestAuth {
  return { headers: async () => headers, rejected: async () => false };
}

function oauth2(auth: Extract<RestPollerConfig['auth'], { type: 'oauth2' }>, timeoutMs: number, now: () => number): RequestAuth {
  const tokens = new SessionCache<string>(async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (auth.clientAuthentication === 'basic') {
      // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
      headers.authorization = `Basic ${Buffer.from(`${formEncode(auth.clientId)}:${formEncode(auth.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', auth.clientId);
      form.set('client_secret', auth.clientSecret);
    }
    const reply = await requestJson('POST', auth.tokenUrl, form.toString(), headers, { timeoutMs });
    const answer = readTokenAnswer(reply.body);
    return { value: answer.accessToken, expiresAt: now() + (answer.expiresInSeconds === undefined ? ASSUMED_TOKEN_LIFETIME_MS : answer.expiresInSeconds * 1000) };
  }, now);

  return {
    async headers() {
      return { Authorization: `Bearer ${await tokens.get()}` };
    },
    async rejected(sent) {
      const stale = sent.Authorization?.replace(/^Bearer /, '');
      if (stale === undefined) return false;
      await tokens.renew(stale);
      return true;
    },
  };
}

function readTokenAnswer(body: string): { accessToken: string; expiresInSeconds?: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PermanentPartnerError('the token endpoint answered without JSON');
  }
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') throw new PermanentPartnerError('the token endpoint answered without access_token');
  // RFC 6749 §7.1: the client must understand the token type; this client only speaks Bearer (RFC 6750).
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') throw new PermanentPartnerError(`the token endpoint issued a ${tokenType} token; only Bearer tokens are supported`);
  const seconds = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : undefined;
  return { accessToken, ...(seconds === undefined ? {} : { expiresInSeconds: seconds }) };
}

/** application/x-www-form-urlencoded encoding of one value (spaces as +), as RFC 6749 Appendix B asks. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
