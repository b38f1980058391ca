import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { toBeijingTime } from '../shared/beijing-time';
import { postRouterForm } from '../shared/router-form-call';
import { stringifyWithDecimals } from '../shared/json-decimals';
import type { JdConfig } from './jd.config';
import { signJosRequest } from './jd.signature';

/**
 * One JOS call: system parameters method, app_key, access_token, timestamp (Beijing time,
 * `yyyy-MM-dd HH:mm:ss`), v=2.0, the API's own parameters as JSON in `360buy_param_json`, and
 * `sign`, POSTed as a form to `routerjson` (JOS 调用说明, https://jos.jd.com/commondoc?listId=33).
 * JOS answers HTTP 200 for its own errors too: the gateway's as `{"error_response":{"code":"19",
 * "zh_desc":"无效access_token","en_desc":"Invalid access_token"}}`, an API's inside its answer
 * (`apiResult.success: false` with chineseErrCode). The answer's key is the method with dots as
 * underscores and the suffix `_responce` (JOS's own spelling, which live answers and client code
 * use; the API pages' examples write `_response`, so both are read).
 *
 * Gateway codes confirmed by JOS's error table (网关系统错误码, mirrored at
 * https://blog.csdn.net/DianSan_ERP/article/details/142364242): 2 App Call Limited, 8 invalid
 * timestamp, 12 invalid signature; 19 invalid access_token and 21 invalid app_key as quoted in
 * client code. JOS's reply to a rate limit could not be confirmed beyond code 2, so a code 2 or a
 * description speaking of limits or busy systems is taken as transient, as are HTTP 429 and 5xx.
 */

const CALL_LIMITED = '2';
const INVALID_TOKEN = '19';
/** Words of JOS descriptions that mean "not now": call limits, flow control, busy or timed-out services. */
const NOT_NOW = /limit|频率|流控|超限|繁忙|busy|timeout|超时|unavailable|不可用/i;

export class JosApiError extends PermanentPartnerError {}

export class JosClient {
  constructor(
    private readonly config: JdConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Calls `method` with `params` (sent as 360buy_param_json) and returns its answer object.
   * @throws TransientPartnerError for call limits, busy systems, HTTP 429/5xx and timeouts
   * @throws JosApiError for other gateway refusals (signature, token, parameters)
   */
  async call(method: string, params: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<Record<string, unknown>> {
    const { config } = this;
    const form: Record<string, string> = {
      method,
      app_key: config.appKey,
      access_token: config.accessToken,
      timestamp: toBeijingTime(this.now()),
      v: '2.0',
      // Long parameters go as JsonDecimal literals (jsonNumber), as the SDKs send them; never through a float.
      '360buy_param_json': stringifyWithDecimals(params),
    };
    form.sign = signJosRequest(form, config.appSecret);
    const { answer, response } = await postRouterForm('JD', method, config.baseUrl, form, { timeoutMs: config.timeoutMs, signal });
    if (isRecord(answer.error_response)) {
      const { code, zh_desc: zh, en_desc: en } = answer.error_response as { code?: unknown; zh_desc?: unknown; en_desc?: unknown };
      const said = `code ${String(code ?? '?')}: ${[zh, en].filter((d) => typeof d === 'string' && d).join(' / ')}`;
      if (String(code) === CALL_LIMITED || NOT_NOW.test(said)) throw new TransientPartnerError(`JD limits or cannot serve ${method} now (${said})`, response);
      if (String(code) === INVALID_TOKEN) throw new JosApiError(`JD refused the shop's access_token (${said}); the shop must authorise the app again and the new token go into config`, response);
      throw new JosApiError(`JD refused ${method} (${said})`, response);
    }
    const base = method.replaceAll('.', '_');
    const result = answer[`${base}_responce`] ?? answer[`${base}_response`];
    if (!isRecord(result)) throw new PermanentPartnerError(`JD's answer to ${method} has no ${base}_responce`, response);
    return result;
  }
}

/** An API's own verdict (`apiResult` or a `*_result` object): success, else its Chinese and English message. */
export function apiVerdict(result: unknown): { ok: boolean; message: string } {
  const record = isRecord(result) ? result : {};
  const ok = record.success === true || record.success === 'true';
  const message = [record.chineseErrCode, record.englishErrCode, record.errorCode ?? record.numberCode].filter((v) => v !== undefined && v !== '').join(' / ');
  return { ok, message };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
