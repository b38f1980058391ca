import { PermanentPartnerError } from '../../core/errors/partner.error';
import { requestJson, type HttpMethod } from '../shared/http-client';
import type { WooCommerceConfig } from './woocommerce.config';

/**
 * The WooCommerce REST API v3 calls the connector makes, authenticated with the store's API keys:
 * HTTP Basic auth over HTTPS, or the keys as query parameters where a server drops the
 * Authorization header (https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https).
 * Errors come as `{ code, message, data: { status } }` with the HTTP status; 4xx are permanent,
 * 429 (from the host's rate limiting; WooCommerce core sets none on v3) and 5xx transient.
 */

export interface WooReply<T> {
  readonly status: number;
  readonly data: T;
  readonly keptBody: string;
  /** `X-WP-TotalPages` of a list, when sent. */
  readonly totalPages?: number;
}

export interface WooClient {
  /** `path` below `/wp-json/wc/v3`; `query` without the keys. */
  call<T>(method: HttpMethod, path: string, query: URLSearchParams | undefined, body: unknown, signal: AbortSignal): Promise<WooReply<T>>;
}

export function createWooClient(config: Pick<WooCommerceConfig, 'storeUrl' | 'consumerKey' | 'consumerSecret' | 'keysInQuery' | 'timeoutMs'>): WooClient {
  const base = `${config.storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3`;
  const auth: Record<string, string> = config.keysInQuery ? {} : { authorization: `Basic ${Buffer.from(`${config.consumerKey}:${config.consumerSecret}`).toString('base64')}` };
  return {
    async call<T>(method: HttpMethod, path: string, query: URLSearchParams | undefined, body: unknown, signal: AbortSignal): Promise<WooReply<T>> {
      const params = new URLSearchParams(query);
      if (config.keysInQuery) {
        params.set('consumer_key', config.consumerKey);
        params.set('consumer_secret', config.consumerSecret);
      }
      const url = `${base}${path}${params.size > 0 ? `?${params}` : ''}`;
      const reply = await requestJson(method, url, body === undefined ? undefined : JSON.stringify(body), { accept: 'application/json', ...auth }, { timeoutMs: config.timeoutMs, signal });
      const pages = Number(reply.headers['x-wp-totalpages']);
      let data: T;
      try {
        data = JSON.parse(reply.body) as T;
      } catch {
        throw new PermanentPartnerError(`WooCommerce answered ${method} ${path} with something that is not JSON (is ${config.storeUrl} a WooCommerce site with pretty permalinks?)`, { status: reply.status, body: reply.keptBody });
      }
      return { status: reply.status, data, keptBody: reply.keptBody, ...(Number.isInteger(pages) && pages >= 0 ? { totalPages: pages } : {}) };
    },
  };
}
