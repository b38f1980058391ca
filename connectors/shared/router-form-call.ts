import { PermanentPartnerError, TransientPartnerError, type PartnerResponse } from '../../core/errors/partner.error';
import { requestJson, type RequestOptions } from './http-client';

/**
 * One call to a Chinese platform's API router (Taobao TOP, JD JOS): a signed form POSTed to one
 * URL, answered with HTTP 200 and a JSON object whatever happened. What the object says (an
 * `error_response`, the method's answer) is each platform's to read; this only gets it.
 * @throws TransientPartnerError for 429/5xx, timeouts and an answer that is not JSON (a proxy's error page)
 * @throws PermanentPartnerError for other HTTP refusals and JSON that is not an object
 */
export async function postRouterForm(
  platform: string,
  method: string,
  url: string,
  form: Readonly<Record<string, string>>,
  options: RequestOptions,
  parse: (body: string) => unknown = JSON.parse,
): Promise<{ answer: Record<string, unknown>; response: Required<PartnerResponse> }> {
  const reply = await requestJson('POST', url, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, options);
  const response = { status: reply.status, body: reply.keptBody };
  let answer: unknown;
  try {
    answer = parse(reply.body);
  } catch {
    throw new TransientPartnerError(`${platform} answered ${method} with something that is not JSON`, response);
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new PermanentPartnerError(`${platform} answered ${method} with JSON that is not an object`, response);
  }
  return { answer: answer as Record<string, unknown>, response };
}
