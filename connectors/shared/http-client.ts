import axios, { isAxiosError } from 'axios';
import { PermanentPartnerError, TransientPartnerError, type PartnerResponse } from '../../core/errors/partner.error';

/**
 * Partner calls over axios, reduced to one question the pipeline can act on: did it work, may it be
 * retried, or will it fail the same way again? Nothing axios-shaped leaves this file; an AxiosError
 * carries the request config, signature and any configured auth header included, so it is never
 * attached as a `cause` that a logger might serialise.
 */

/** Longest partner answer kept on the delivery record; enough to diagnose, small enough to store per attempt. */
export const KEPT_BODY_CHARS = 4096;
/** Largest answer read at all: a partner streaming megabytes must not exhaust the worker's memory. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** A `Retry-After` beyond this is treated as this: a partner must not park a delivery for days. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
/** Statuses that say "not now" rather than "not this": retrying the same request can succeed. */
const RETRYABLE_4XX = new Set([408, 425, 429]);
/** axios codes for a request that could not even be built; sending it again changes nothing. */
const UNSENDABLE = new Set(['ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_NOT_SUPPORT']);

const client = axios.create({
  validateStatus: () => true,
  responseType: 'text',
  // A redirected POST may be replayed as a GET, or carry the signature to another host; a moved
  // endpoint is a config change, reported as a permanent failure below.
  maxRedirects: 0,
  maxContentLength: MAX_RESPONSE_BYTES,
});

export interface RequestOptions {
  /** Deadline for the whole exchange (connect, send, answer), in ms. */
  readonly timeoutMs: number;
  /** Aborts the request; the attempt then fails as transient, since the partner may have acted. */
  readonly signal?: AbortSignal;
}

export interface PartnerReply {
  readonly status: number;
  /** The whole answer (at most 1 MiB), for reading the partner's reference out of it. */
  readonly body: string;
  /** The first KEPT_BODY_CHARS of the answer, for the delivery record. */
  readonly keptBody: string;
}

/**
 * POSTs `body` exactly as given (signatures are computed over these bytes) with a JSON content type.
 * @throws TransientPartnerError for 408, 425, 429, 5xx, timeouts, aborts and connection failures
 * @throws PermanentPartnerError for other 3xx/4xx answers and URLs that cannot be requested
 */
export async function postJson(url: string, body: string, headers: Readonly<Record<string, string>>, options: RequestOptions): Promise<PartnerReply> {
  return requestJson('POST', url, body, { 'content-type': 'application/json', ...headers }, options);
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestJsonOptions extends RequestOptions {
  /**
   * Statuses handed back as an answer instead of being classified, for partners whose error answers
   * must be read before deciding (SAP's `403` with `x-csrf-token: Required` is a stale token, not a refusal).
   * @defaultValue none
   */
  readonly passStatuses?: readonly number[];
}

export interface PartnerExchange extends PartnerReply {
  /** Response headers, names in lower case; `set-cookie` is an array. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Any method, with or without a body, for partners that need GETs, PUTs or form bodies. A body is
 * sent exactly as given; its content type is JSON unless `headers` name another (a form body).
 * @throws TransientPartnerError for 408, 425, 429, 5xx, timeouts, aborts and connection failures
 * @throws PermanentPartnerError for other 3xx/4xx answers and URLs that cannot be requested
 */
export async function requestJson(
  method: HttpMethod,
  url: string,
  body: string | undefined,
  headers: Readonly<Record<string, string>>,
  options: RequestJsonOptions,
): Promise<PartnerExchange> {
  const target = parseHttpUrl(url);
  const deadline = withDeadline(options);
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  try {
    // As a Buffer: axios trims a JSON string and re-encodes one it cannot parse, either of which breaks a signature.
    const response = await client.request<string>({
      method,
      url,
      data: body === undefined ? undefined : Buffer.from(body, 'utf8'),
      headers: body === undefined || hasContentType ? headers : { 'content-type': 'application/json', ...headers },
      signal: deadline.signal,
    });
    const responseHeaders = { ...response.headers } as Record<string, string | string[] | undefined>;
    const text = response.data ?? '';
    if (options.passStatuses?.includes(response.status)) return { status: response.status, body: text, keptBody: keep(text), headers: responseHeaders };
    return { ...classify(response.status, text, response.headers['retry-after']), headers: responseHeaders };
  } catch (err) {
    if (!isAxiosError(err)) throw err;
    if (deadline.timedOut()) throw new TransientPartnerError(`${target.host} gave no answer within ${options.timeoutMs}ms`);
    if (options.signal?.aborted) throw new TransientPartnerError(`request to ${target.host} aborted`, {}, undefined, options.signal.reason);
    const code = err.code ?? 'unknown';
    if (UNSENDABLE.has(code)) throw new PermanentPartnerError(`request to ${target.host} cannot be sent (${code}): ${err.message}`);
    throw new TransientPartnerError(`no complete answer from ${target.host} (${code}): ${err.message}`);
  } finally {
    deadline.clear();
  }
}

/**
 * Milliseconds to wait from a `Retry-After` value, in either of its forms (delta-seconds or an
 * HTTP-date), capped at one hour; a date in the past means "now" (0).
 * @returns undefined when the header is absent or unreadable
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseHttpDate(text) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * The three HTTP-date forms of RFC 9110 §5.6.7. They are matched before Date.parse sees them,
 * because V8 reads almost anything as a date ("-5" is May 2001) and asctime, which has no zone, as
 * local time although it means GMT.
 */
function parseHttpDate(text: string): number {
  if (/^[A-Z][a-z]{2,8}, \d{2}[ -][A-Z][a-z]{2}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return Date.parse(text);
  if (/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(text)) return Date.parse(`${text} GMT`);
  return Number.NaN;
}

/** The first KEPT_BODY_CHARS of an answer, marked when cut. */
function keep(text: string): string {
  return text.length > KEPT_BODY_CHARS ? `${text.slice(0, KEPT_BODY_CHARS)}…` : text;
}

function classify(status: number, text: string, retryAfter: unknown): PartnerReply {
  const keptBody = keep(text);
  if (status >= 200 && status < 300) return { status, body: text, keptBody };
  const response: PartnerResponse = { status, body: keptBody };
  if (status >= 500 || RETRYABLE_4XX.has(status)) {
    const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined);
    throw new TransientPartnerError(`partner answered ${status}`, response, retryAfterMs);
  }
  if (status >= 300 && status < 400) throw new PermanentPartnerError(`partner answered ${status} (redirects are not followed; update the url)`, response);
  throw new PermanentPartnerError(`partner answered ${status}`, response);
}

/** Other schemes are refused before axios sees them: it answers `data:` URLs without any network. */
function parseHttpUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw new PermanentPartnerError('partner url must be http or https');
  return parsed;
}

/** One signal for the caller's abort and a whole-exchange deadline (axios' own timeout is per socket idle). */
function withDeadline(options: RequestOptions) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}
