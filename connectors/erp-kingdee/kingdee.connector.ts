import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import type { ConnectorDefinition, DeliveryOutcome, DeliveryRequest, Target } from '../connector';
import { compactRef } from '../shared/external-ref';
import { requestJson, type PartnerExchange } from '../shared/http-client';
import { stringifyWithDecimals } from '../shared/json-decimals';
import { SessionCache } from '../shared/session-cache';
import { kingdeeConfig, type KingdeeConfig } from './kingdee.config';
import { buildSaveData, lookupQuery, SALE_ORDER_FORM } from './kingdee.mapping';

/**
 * Kingdee K/3 Cloud (金蝶云星空) WebAPI: log in (AuthService.ValidateUser, or LoginByAppSecret),
 * keep the session cookie (kdservice-sessionid), then DynamicFormService.Save of SAL_SaleOrder;
 * the sales order number is the returned `Number` (FBillNo).
 *
 * Docs followed:
 * - K3Cloud WebAPI 接口说明书 V2.0 (login parameters acctID/username/password/lcid, LoginResultType,
 *   services and their URLs): https://blog.csdn.net/wenllr/article/details/120895408
 * - 销售订单保存接口 使用指南和实例 (Save parameters NeedUpDateFields … IsAutoSubmitAndAudit, Model):
 *   https://wenku.my7c.com/article/kingdee-k3cloud-154709.html
 * - Model field keys of SAL_SaleOrder (FBillTypeID, FSaleOrgId, FCustId, FSaleOrderFinance.FSettleCurrId,
 *   FSaleOrderEntry.FMaterialId/FQty/FPrice/FTaxPrice/FDeliveryDate): https://www.qeasy.cloud/api/76f8ddf0-96bd-3420-ad96-5228a84fe196
 * - Answers `{ Result: { ResponseStatus: { IsSuccess, ErrorCode, MsgCode, Errors: [{ FieldName, Message }],
 *   SuccessEntitys: [{ Id, Number }] }, Id, Number } }`; MsgCode 1 is a lost context (expired session).
 *
 * Idempotency: the ERP detects it, and a lookup finds it. The document carries a reference derived
 * from the delivery key in `externalRefField` (FBillNo by default, which K/3 Cloud keeps unique);
 * before saving, ExecuteBillQuery looks for it, and a save that fails is looked up once more in case
 * a concurrent attempt saved it first.
 */

/**
 * An idle K/3 Cloud session ends with the site's session timeout (20 minutes unless changed);
 * renewed before that, and at once when a call reports the context lost.
 */
const SESSION_TTL_MS = 15 * 60 * 1000;
/** Login results the API accepts: 1 success, -5 an administrator login the guide says to allow. */
const LOGGED_IN = new Set([1, -5]);
/** MsgCode of a lost context: the session expired or the site restarted. */
const CONTEXT_LOST = 1;
/** MsgCodes that say "not now": database contention (6), network-control lock held by a user (13), call limit (14). */
const RETRYABLE_MSG_CODES = new Set([6, 13, 14]);

interface ResponseStatus {
  readonly IsSuccess?: boolean;
  readonly MsgCode?: number;
  readonly ErrorCode?: number;
  readonly Errors?: readonly { readonly FieldName?: string | null; readonly Message?: string }[];
  readonly SuccessEntitys?: readonly { readonly Number?: string }[];
}
/** A WebAPI answer and the session cookie it was sent with (to renew exactly that one if it was lost). */
interface Call {
  readonly reply: PartnerExchange;
  readonly cookie: string;
}
interface KingdeeResult {
  readonly Result?: { readonly ResponseStatus?: ResponseStatus; readonly Number?: string };
}

export const erpKingdee: ConnectorDefinition<typeof kingdeeConfig> = {
  kind: 'erp-kingdee',
  summary: 'Creates a sales order (SAL_SaleOrder) per confirmed order in Kingdee K/3 Cloud through its WebAPI.',
  config: kingdeeConfig,
  create(config) {
    return { id: config.id, kind: 'erp-kingdee', target: createTarget(config, new KingdeeClient(config)) };
  },
};

function createTarget(config: KingdeeConfig, client: KingdeeClient): Target {
  return {
    async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
      if (event !== 'order.confirmed') throw new PermanentPartnerError(`${config.id} creates sales orders on order.confirmed only; ${event} is routed here by mistake`);
      // A bill number is short; a text field holds the whole key.
      const ref = config.externalRefField === 'FBillNo' ? compactRef(delivery.idempotencyKey) : delivery.idempotencyKey;
      const data = buildSaveData(config, order, ref);
      const existing = await client.findBillNo(ref, signal);
      if (existing) return existing;
      const call = await client.call('DynamicFormService.Save', { formid: SALE_ORDER_FORM, data }, signal, delivery.idempotencyKey);
      const result = parse<KingdeeResult>(call.reply.body)?.Result;
      const number = result?.Number ?? result?.ResponseStatus?.SuccessEntitys?.[0]?.Number;
      if (result?.ResponseStatus?.IsSuccess && number) return { partnerRef: number, status: call.reply.status, responseBody: call.reply.keptBody };
      const failure = await client.failure(result?.ResponseStatus, call);
      if (failure instanceof PermanentPartnerError) {
        const saved = await client.findBillNo(ref, signal);
        if (saved) return saved;
      }
      throw failure;
    },
  };
}

class KingdeeClient {
  private readonly session = new SessionCache(() => this.login());

  constructor(private readonly config: KingdeeConfig) {}

  /** One WebAPI call with the session cookie; `body` may hold JsonDecimals. */
  async call(service: string, body: unknown, signal: AbortSignal, idempotencyKey?: string): Promise<Call> {
    const cookie = await this.session.get();
    const headers = { Cookie: cookie, ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) };
    const reply = await requestJson('POST', this.url(service), stringifyWithDecimals(body), headers, { timeoutMs: this.config.timeoutMs, signal });
    return { reply, cookie };
  }

  /** The sales order already carrying `ref`, as a delivery outcome. */
  async findBillNo(ref: string, signal: AbortSignal): Promise<DeliveryOutcome | undefined> {
    const call = await this.call('DynamicFormService.ExecuteBillQuery', { data: lookupQuery(this.config, ref) }, signal);
    const rows = parse<unknown[][]>(call.reply.body);
    const first = Array.isArray(rows) ? rows[0]?.[0] : undefined;
    if (typeof first === 'string' && first !== '') return { partnerRef: first, status: call.reply.status, responseBody: call.reply.keptBody };
    if (first && typeof first === 'object') throw await this.failure((first as KingdeeResult).Result?.ResponseStatus, call);
    return undefined;
  }

  /** What a failed ResponseStatus means for the pipeline; a lost context renews the session first. */
  async failure(status: ResponseStatus | undefined, { reply, cookie }: Call): Promise<Error> {
    const response = { status: reply.status, body: reply.keptBody };
    if (!status) return new TransientPartnerError('Kingdee answered without a ResponseStatus', response);
    const messages = (status.Errors ?? []).map((e) => (e.FieldName ? `${e.FieldName}: ${e.Message ?? ''}` : (e.Message ?? ''))).join('; ');
    if (status.MsgCode === CONTEXT_LOST) {
      await this.session.renew(cookie);
      return new TransientPartnerError(`Kingdee session was lost (${messages}); logged in again`, response, 0);
    }
    if (status.MsgCode !== undefined && RETRYABLE_MSG_CODES.has(status.MsgCode)) return new TransientPartnerError(`Kingdee asks to retry (MsgCode ${status.MsgCode}): ${messages}`, response);
    return new PermanentPartnerError(`Kingdee refused the sales order (MsgCode ${status.MsgCode ?? '?'}): ${messages}`, response);
  }

  private async login() {
    const { config } = this;
    const [service, credentials] =
      config.login.type === 'password'
        ? ['AuthService.ValidateUser', { password: config.login.password }]
        : ['AuthService.LoginByAppSecret', { appId: config.login.appId, appSecret: config.login.appSecret }];
    const body = JSON.stringify({ acctID: config.acctId, username: config.username, ...credentials, lcid: config.lcid });
    const reply = await requestJson('POST', this.url(service), body, {}, { timeoutMs: config.timeoutMs });
    const result = parse<{ LoginResultType?: number; Message?: string | null; KDSVCSessionId?: string }>(reply.body);
    if (!result || !LOGGED_IN.has(result.LoginResultType ?? 0)) {
      throw new PermanentPartnerError(`Kingdee refused the login of ${config.username} (LoginResultType ${result?.LoginResultType ?? '?'}: ${result?.Message ?? ''})`, {
        status: reply.status,
        body: reply.keptBody,
      });
    }
    const setCookie = reply.headers['set-cookie'];
    const cookies = (Array.isArray(setCookie) ? setCookie : []).map((c) => c.split(';')[0]);
    const cookie = cookies.length ? cookies.join('; ') : `kdservice-sessionid=${result.KDSVCSessionId ?? ''}`;
    return { value: cookie, expiresAt: Date.now() + SESSION_TTL_MS };
  }

  private url(service: string): string {
    const base = this.config.baseUrl.endsWith('/') ? this.config.baseUrl : `${this.config.baseUrl}/`;
    return `${base}Kingdee.BOS.WebApi.ServicesStub.${service}.common.kdsvc`;
  }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
