import axios, { isAxiosError } from 'axios';
import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { KEPT_BODY_CHARS, parseRetryAfter, type PartnerReply, type RequestOptions } from '../shared/http-client';

/**
 * GET for the stock read, classified exactly as `shared/http-client.ts` classifies POSTs (which
 * has no GET of its own yet): 2xx is an answer; 408, 425, 429, 5xx, timeouts and connection
 * failures may be retried (Retry-After honoured); any other status will fail the same way again.
 * Kept here, in the one connector that reads, until the shared client grows a GET.
 */

/** Largest answer read: a stock page is small; a WMS streaming megabytes is a fault, not a page. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const RETRYABLE_4XX = new Set([408, 425, 429]);

const client = axios.create({ validateStatus: () => true, responseType: 'text', maxRedirects: 0, maxContentLength: MAX_RESPONSE_BYTES });

/**
 * @throws TransientPartnerError for 408, 425, 429, 5xx, timeouts, aborts and connection failures
 * @throws PermanentPartnerError for other 3xx/4xx answers
 */
export async function getText(url: string, headers: Readonly<Record<string, string>>, options: RequestOptions): Promise<PartnerReply> {
  const host = new URL(url).host;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response;
  try {
    response = await client.get<string>(url, { headers, signal });
  } catch (err) {
    if (!isAxiosError(err)) throw err;
    if (timeout.aborted) throw new TransientPartnerError(`${host} gave no answer within ${options.timeoutMs}ms`);
    if (options.signal?.aborted) throw new TransientPartnerError(`request to ${host} aborted`);
    throw new TransientPartnerError(`no complete answer from ${host} (${err.code ?? 'unknown'}): ${err.message}`);
  }
  const text = response.data ?? '';
  const keptBody = text.length > KEPT_BODY_CHARS ? `${text.slice(0, KEPT_BODY_CHARS)}…` : text;
  const { status } = response;
  if (status >= 200 && status < 300) return { status, body: text, keptBody };
  if (status >= 500 || RETRYABLE_4XX.has(status)) {
    const retryAfter = response.headers['retry-after'];
    throw new TransientPartnerError(`WMS answered ${status}`, { status, body: keptBody }, parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined));
  }
  throw new PermanentPartnerError(`WMS answered ${status}`, { status, body: keptBody });
}
