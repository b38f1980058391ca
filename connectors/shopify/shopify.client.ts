import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { requestJson, type HttpMethod, type PartnerExchange, type PartnerReply } from '../shared/http-client';
import { SessionCache, type Session } from '../shared/session-cache';
import type { ShopifyConfig } from './shopify.config';

/**
 * The few REST Admin API calls the connector makes, behind one small seam so a GraphQL Admin API
 * client can replace it (REST is legacy since 2024-10: https://shopify.dev/docs/api/admin-rest).
 * Every call carries `X-Shopify-Access-Token`: the fixed token of a custom app created in the store
 * admin (https://shopify.dev/docs/apps/build/authentication-authorization/legacy/admin-custom-apps),
 * or one the hub obtains for a Dev Dashboard app with its client credentials.
 */

/** Largest page Shopify serves on list endpoints (https://shopify.dev/docs/api/admin-rest/usage/pagination). */
export const SHOPIFY_PAGE_LIMIT = 250;

export interface ShopifyReply<T> {
  readonly status: number;
  readonly data: T;
  readonly keptBody: string;
  /** `page_info` of the `rel="next"` link, when there is a next page. */
  readonly nextPageInfo?: string;
}

export interface ShopifyClient {
  /** `path` below `/admin/api/{version}`, with its query string. */
  call<T>(method: HttpMethod, path: string, body: string | undefined, signal: AbortSignal): Promise<ShopifyReply<T>>;
}

/** Shopify's client-credentials tokens live 24 h (`expires_in` 86399); this is used when an answer omits it. */
const DEFAULT_TOKEN_LIFETIME_S = 86_399;

export function createShopifyClient(
  config: Pick<ShopifyConfig, 'shopUrl' | 'apiVersion' | 'accessToken' | 'clientId' | 'clientSecret' | 'timeoutMs'>,
): ShopifyClient {
  const shop = config.shopUrl.replace(/\/+$/, '');
  const base = `${shop}/admin/api/${config.apiVersion}`;
  const tokens = config.accessToken ? undefined : new SessionCache(() => requestToken(shop, config));
  const token = async () => config.accessToken ?? tokens!.get();

  const send = async (method: HttpMethod, path: string, body: string | undefined, signal: AbortSignal, accessToken: string) =>
    requestJson(method, `${base}${path}`, body, { 'x-shopify-access-token': accessToken, accept: 'application/json' }, { timeoutMs: config.timeoutMs, signal, passStatuses: [401, 429] });

  return {
    async call<T>(method: HttpMethod, path: string, body: string | undefined, signal: AbortSignal): Promise<ShopifyReply<T>> {
      const used = await token();
      let reply = await send(method, path, body, signal, used);
      // A granted token can be revoked (app reinstalled, scopes changed) before it expires: get a new one once.
      if (reply.status === 401 && tokens) reply = await send(method, path, body, signal, await tokens.renew(used));
      if (reply.status === 401) throw new PermanentPartnerError('Shopify refused the access token (401); check the app is installed and the credentials', { status: 401, body: reply.keptBody });
      if (reply.status === 429) throw rateLimited(reply);
      const next = nextPageInfo(reply.headers.link);
      return { status: reply.status, data: parse<T>(reply, `${method} ${path.split('?')[0]}`), keptBody: reply.keptBody, ...(next ? { nextPageInfo: next } : {}) };
    },
  };
}

/**
 * Client credentials grant for Dev Dashboard apps installed on the store
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant):
 * `POST /admin/oauth/access_token` with the form `grant_type=client_credentials&client_id&client_secret`.
 */
async function requestToken(shop: string, config: Pick<ShopifyConfig, 'clientId' | 'clientSecret' | 'timeoutMs'>): Promise<Session<string>> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: config.clientId ?? '', client_secret: config.clientSecret });
  const reply = await requestJson('POST', `${shop}/admin/oauth/access_token`, form.toString(), { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, { timeoutMs: config.timeoutMs });
  const granted = parse<{ access_token?: unknown; expires_in?: unknown }>(reply, 'POST /admin/oauth/access_token');
  if (typeof granted.access_token !== 'string' || !granted.access_token) {
    throw new PermanentPartnerError('Shopify granted no access_token', { status: reply.status, body: reply.keptBody });
  }
  const lifetime = typeof granted.expires_in === 'number' && granted.expires_in > 0 ? granted.expires_in : DEFAULT_TOKEN_LIFETIME_S;
  return { value: granted.access_token, expiresAt: Date.now() + lifetime * 1000 };
}

/**
 * Shopify answers an exhausted bucket with 429 and `Retry-After` in seconds, as a decimal ("2.0",
 * https://shopify.dev/docs/api/admin-rest/usage/rate-limits), which the shared client's whole-second
 * reading does not take; read here so the wait it asks for is honoured.
 */
function rateLimited(reply: PartnerExchange): TransientPartnerError {
  const header = reply.headers['retry-after'];
  const seconds = typeof header === 'string' && /^\d+(\.\d+)?$/.test(header.trim()) ? Number(header.trim()) : undefined;
  return new TransientPartnerError('Shopify rate limit reached (429)', { status: 429, body: reply.keptBody }, seconds === undefined ? undefined : Math.ceil(seconds * 1000));
}

/** `<…?limit=250&page_info=abc>; rel="next", <…>; rel="previous"` → `abc`. */
export function nextPageInfo(link: string | string[] | undefined): string | undefined {
  const header = Array.isArray(link) ? link.join(', ') : link;
  for (const part of header?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match?.[1] && URL.canParse(match[1])) return new URL(match[1]).searchParams.get('page_info') ?? undefined;
  }
  return undefined;
}

function parse<T>(reply: PartnerReply, what: string): T {
  try {
    return JSON.parse(reply.body) as T;
  } catch {
    throw new PermanentPartnerError(`Shopify answered ${what} with something that is not JSON`, { status: reply.status, body: reply.keptBody });
  }
}
