import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { RestPollerConfig } from './rest-poller.config';
import { evaluate, compileExpression } from './rest-poller.expressions';

/**
 * The three ways platforms page a listing, as the ShopPlatform page token (a string) carries them:
 * a page number, an opaque cursor read from the answer, or the URL of the `Link: <…>; rel="next"`
 * header (RFC 8288 §3, https://www.rfc-editor.org/rfc/rfc8288#section-3).
 */

type Pagination = RestPollerConfig['orders']['pagination'];

/** Query parameters of one page request (besides the window), for page and cursor paging. */
export function pageParams(pagination: Pagination, page: string | undefined): Record<string, string> {
  const size = pagination.sizeParam && pagination.size !== undefined ? { [pagination.sizeParam]: String(pagination.size) } : {};
  if (pagination.type === 'page') return { ...size, [pagination.param]: page ?? String(pagination.first) };
  if (pagination.type === 'cursor') return { ...size, ...(page ? { [pagination.param]: page } : {}) };
  return size;
}

export interface PageAnswer {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly items: readonly unknown[];
  /** The URL this page was read from (a relative `Link` target resolves against it). */
  readonly url: URL;
}

/**
 * The next page's token, or undefined on the last page.
 * @throws PermanentPartnerError when the platform points back at the same page, or a `Link` leads to another host
 */
export async function nextPage(pagination: Pagination, current: string | undefined, answer: PageAnswer, listingUrl: URL): Promise<string | undefined> {
  if (pagination.type === 'page') {
    if (answer.items.length === 0) return undefined;
    const more = pagination.hasMore
      ? truthy(await evaluate(compileExpression(pagination.hasMore), answer.body))
      : pagination.size === undefined || answer.items.length >= pagination.size;
    return more ? String(Number(current ?? pagination.first) + 1) : undefined;
  }
  if (pagination.type === 'cursor') {
    const token = await evaluate(compileExpression(pagination.next), answer.body);
    if (token === undefined || token === null || token === '' || token === false) return undefined;
    const next = String(token);
    if (next === current) throw new PermanentPartnerError(`the platform answered the cursor "${next}" with the same cursor again`);
    return next;
  }
  const link = nextLink(answer.headers.link);
  if (!link) return undefined;
  const next = new URL(link, answer.url);
  // Credentials go with every request; a next link to another host must not receive them.
  if (next.origin !== listingUrl.origin) throw new PermanentPartnerError(`the next-page link leads to ${next.origin}, not ${listingUrl.origin}; not followed`);
  if (next.toString() === answer.url.toString()) throw new PermanentPartnerError('the next-page link points at the same page');
  return next.toString();
}

/**
 * The target of the `rel="next"` link in a Link header (RFC 8288 §3: `<uri>; param=value, …`; rel
 * may list several space-separated types, compared case-insensitively).
 */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const value of values) {
    for (const found of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
      const params = found[2] ?? '';
      const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
      const types = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
      if (types.includes('next')) return found[1];
    }
  }
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}
