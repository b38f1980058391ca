import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { toBeijingTime } from '../shared/beijing-time';
import { postRouterForm } from '../shared/router-form-call';
import type { TaobaoConfig } from './taobao.config';
import { signTopRequest } from './taobao.signature';
import { isRecord, parseTopJson, topText } from './top-json';

/**
 * One TOP API call: the system parameters of API调用方法详解 (method, app_key, session, timestamp in
 * GMT+8 `yyyy-MM-dd HH:mm:ss`, format=json, v=2.0, sign_method, sign) plus the API's own, POSTed as
 * a form to the router (https://open.taobao.com/doc.htm?docId=101617&docType=1). TOP answers HTTP
 * 200 for its own errors, as `{"error_response":{"code":7,"msg":"App Call Limited","sub_code":…,
 * "sub_msg":"This ban will last for 71 more seconds"}}`; this file turns them into the pipeline's
 * two kinds of failure. Codes follow TOP's error table (API错误码, e.g. mirrored at
 * https://www.miaokee.com/2464230.html): 4–8 are call limits, 10 service unavailable, 26/27 a
 * missing or invalid session, and any sub_code starting `isp.` is the platform's own fault
 * ("隔一段时间再重试", http://blog.unvs.cn/archives/taobao-oauth-top-error-code.html).
 */

/** Call-limit codes: User/Session/Partner/App Call Limited and App Call Exceeds Limited Frequency. */
const CALL_LIMITED = new Set(['4', '5', '6', '7', '8']);
/** Service Currently Unavailable. */
const UNAVAILABLE = '10';
/** Missing / invalid SessionKey: the seller's grant ended; only a new authorisation helps. */
const SESSION_CODES = new Set(['26', '27']);
/** A ban whose wait the answer does not state is waited out this long before the next try. */
const DEFAULT_BAN_MS = 60_000;
/** Daily-quota bans last hours; a delivery is retried after at most this and meets the ban again if it holds. */
const MAX_BAN_MS = 60 * 60 * 1000;

/** What TOP refused, kept for the callers that must tell refusals apart (an "already shipped" one). */
export class TopApiError extends PermanentPartnerError {
  constructor(
    message: string,
    readonly topCode: string,
    readonly subCode: string | undefined,
    readonly subMsg: string | undefined,
    response: { status: number; body: string },
  ) {
    super(message, response);
  }
}

export class TopClient {
  constructor(
    private readonly config: TaobaoConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Calls `method` and returns its `<method without "taobao.", dots as underscores>_response`
   * object, numbers kept exact (see top-json.ts).
   * @throws TransientPartnerError for call limits (with the ban's wait), 5xx/429, `isp.*` faults
   * @throws TopApiError for every other refusal; PermanentPartnerError for an unreadable answer
   */
  async call(method: string, params: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Record<string, unknown>> {
    const { config } = this;
    const form: Record<string, string> = {
      ...params,
      method,
      app_key: config.appKey,
      session: config.session,
      timestamp: toBeijingTime(this.now()),
      format: 'json',
      v: '2.0',
      sign_method: config.signMethod,
    };
    form.sign = signTopRequest(form, config.appSecret, config.signMethod);
    const { answer, response } = await postRouterForm('Taobao', method, config.baseUrl, form, { timeoutMs: config.timeoutMs, signal }, parseTopJson);
    if (isRecord(answer.error_response)) throw refusal(method, answer.error_response, response);
    const key = `${method.replace(/^taobao\./, '').replaceAll('.', '_')}_response`;
    const result = answer[key];
    if (!isRecord(result)) throw new PermanentPartnerError(`Taobao's answer to ${method} has no ${key}`, response);
    return result;
  }
}

function refusal(method: string, error: Record<string, unknown>, response: { status: number; body: string }): Error {
  const code = topText(error.code) ?? '?';
  const subCode = topText(error.sub_code);
  const subMsg = topText(error.sub_msg);
  const said = [`code ${code}`, topText(error.msg), subCode, subMsg].filter(Boolean).join(', ');
  if (CALL_LIMITED.has(code) || subCode?.startsWith('accesscontrol.limited-by')) {
    return new TransientPartnerError(`Taobao limits calls (${said}); ${method} waits`, response, banMs(subMsg));
  }
  if (code === UNAVAILABLE || subCode?.startsWith('isp.')) return new TransientPartnerError(`Taobao could not serve ${method} now (${said})`, response);
  if (SESSION_CODES.has(code)) {
    return new TopApiError(`Taobao refused the seller's session (${said}); the shop must authorise the app again and the new SessionKey go into config`, code, subCode, subMsg, response);
  }
  return new TopApiError(`Taobao refused ${method} (${said})`, code, subCode, subMsg, response);
}

/** "This ban will last for 71 more seconds" → 71000. */
function banMs(subMsg: string | undefined): number {
  const seconds = /last for (\d+) more seconds?/i.exec(subMsg ?? '')?.[1];
  return seconds === undefined ? DEFAULT_BAN_MS : Math.min(Number(seconds) * 1000, MAX_BAN_MS);
}
