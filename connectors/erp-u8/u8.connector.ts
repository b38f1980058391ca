import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import type { ConnectorDefinition, DeliveryOutcome, DeliveryRequest, Target } from '../connector';
import { compactRef } from '../shared/external-ref';
import { requestJson, type PartnerExchange } from '../shared/http-client';
import { stringifyWithDecimals } from '../shared/json-decimals';
import { SessionCache } from '../shared/session-cache';
import { u8Config, type U8Config } from './u8.config';
import { buildSaleOrder } from './u8.mapping';

/**
 * Yonyou U8 (用友U8) OpenAPI: a token from `GET /system/token` (from_account, app_key, app_secret),
 * a trade id from `GET /system/tradeid` for each business call, then `POST /api/saleorder/add` with
 * `{ saleorder: { …, entry: [...] } }`; the answer's `id` is the new order's number.
 *
 * Docs followed. The platform's reference pages (open.yonyouup.com) sit behind its developer login;
 * what is public and was read:
 * - 用友U8+ API接口使用教程 (developer and enterprise accounts, token, tradeid, the data-source client):
 *   https://bbs.qeasy.cloud/d/13137-yong-you-u8-apijie-kou-shi-yong-jiao-cheng
 * - The saleorder/add model as public OpenAPI clients send it (saleorder.code, date, businesstype,
 *   typecode, custcode, deptcode, personcode, dpredatebt, memo; entry rows rowno, inventorycode,
 *   quantity, unitprice, taxrate, discount, bgift), and the answers: `{ errcode, errmsg, … }` with
 *   errcode "0" for success, token `{ token: { id, expiresIn } }`, trade id `{ trade: { id } }`, add
 *   `{ id, tradeid }`, or only a result `url` (https://api.yonyouup.com/result?requestid=) when U8
 *   answers asynchronously.
 *
 * Idempotency: the ERP detects it, and a lookup finds it. The order's `code` (订单号) is a reference
 * derived from the delivery key; U8 refuses a second order with the same number, and before adding,
 * `GET /api/saleorder/batch_get?code_begin=&code_end=` looks for it. The trade id cannot carry the
 * key across attempts: the platform issues it, and a retry after a restart would not have it.
 */

/** errcode of a successful call. */
const OK = '0';
/** Token lifetime when the answer gives none: the platform's usual expiresIn of 7200 s. */
const DEFAULT_TOKEN_TTL_S = 7200;

interface U8Answer {
  readonly errcode?: string;
  readonly errmsg?: string;
  readonly id?: string;
  readonly url?: string;
  readonly token?: { readonly id?: string; readonly expiresIn?: number };
  readonly trade?: { readonly id?: string };
  readonly saleorder?: readonly { readonly code?: string }[];
}

export const erpU8: ConnectorDefinition<typeof u8Config> = {
  kind: 'erp-u8',
  summary: 'Creates a sales order per confirmed order in Yonyou U8 through the U8 OpenAPI (token, tradeid, saleorder/add).',
  config: u8Config,
  create(config) {
    return { id: config.id, kind: 'erp-u8', target: createTarget(config, new U8Client(config)) };
  },
};

function createTarget(config: U8Config, client: U8Client): Target {
  return {
    async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
      if (event !== 'order.confirmed') throw new PermanentPartnerError(`${config.id} creates sales orders on order.confirmed only; ${event} is routed here by mistake`);
      const code = compactRef(delivery.idempotencyKey);
      const body = stringifyWithDecimals(buildSaleOrder(config, order, code));
      const existing = await client.find(code, signal);
      if (existing) return existing;
      const { answer, reply } = await client.add(body, delivery.idempotencyKey, signal);
      const outcome = { status: reply.status, responseBody: reply.keptBody };
      if (answer?.errcode === OK && answer.id) return { partnerRef: answer.id, ...outcome };
      if (answer?.errcode === OK) throw new TransientPartnerError('U8 accepted the order without its number yet; the retry finds it by its code', { status: reply.status, body: reply.keptBody });
      // A refused add may be a duplicate number: an earlier attempt's order, now visible.
      const saved = await client.find(code, signal);
      if (saved) return saved;
      throw new PermanentPartnerError(`U8 refused the sales order (errcode ${answer?.errcode ?? '?'}): ${answer?.errmsg ?? reply.keptBody}`, { status: reply.status, body: reply.keptBody });
    },
  };
}

class U8Client {
  private readonly token = new SessionCache(() => this.fetchToken());

  constructor(private readonly config: U8Config) {}

  /** The order numbered `code`, as a delivery outcome. An unanswerable lookup counts as none: U8's own number check still stops a duplicate. */
  async find(code: string, signal: AbortSignal): Promise<DeliveryOutcome | undefined> {
    const { answer, reply } = await this.call('GET', '/api/saleorder/batch_get', { to_account: this.config.toAccount, code_begin: code, code_end: code, ...this.dataSource() }, undefined, signal);
    const found = answer?.errcode === OK ? answer.saleorder?.find((so) => so.code === code) : undefined;
    return found ? { partnerRef: code, status: reply.status, responseBody: reply.keptBody } : undefined;
  }

  async add(body: string, idempotencyKey: string, signal: AbortSignal): Promise<{ answer: U8Answer | undefined; reply: PartnerExchange }> {
    const trade = await this.call('GET', '/system/tradeid', {}, undefined, signal);
    const tradeid = trade.answer?.trade?.id;
    if (trade.answer?.errcode !== OK || !tradeid) throw new TransientPartnerError(`U8 issued no trade id (errcode ${trade.answer?.errcode ?? '?'}): ${trade.answer?.errmsg ?? ''}`, { status: trade.reply.status, body: trade.reply.keptBody });
    return this.call('POST', '/api/saleorder/add', { to_account: this.config.toAccount, tradeid, ...this.dataSource() }, body, signal, idempotencyKey);
  }

  /**
   * One OpenAPI call with the current token. A token the platform rejects (HTTP 401 or a configured
   * errcode) is renewed and the attempt retried at once.
   */
  private async call(method: 'GET' | 'POST', path: string, params: Record<string, string>, body: string | undefined, signal: AbortSignal, idempotencyKey?: string) {
    const token = await this.token.get();
    const query = new URLSearchParams({ from_account: this.config.fromAccount, app_key: this.config.appKey, token, ...params });
    const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
    const reply = await requestJson(method, `${this.config.baseUrl}${path}?${query}`, body, headers, { timeoutMs: this.config.timeoutMs, signal, passStatuses: [401] });
    const answer = parse<U8Answer>(reply.body);
    if (reply.status === 401 || (answer?.errcode !== undefined && this.config.tokenErrcodes.includes(answer.errcode))) {
      await this.token.renew(token);
      throw new TransientPartnerError(`U8 rejected the token (${answer?.errcode ?? reply.status}: ${answer?.errmsg ?? ''}); fetched a new one`, { status: reply.status, body: reply.keptBody }, 0);
    }
    return { answer, reply };
  }

  private async fetchToken() {
    const query = new URLSearchParams({ from_account: this.config.fromAccount, app_key: this.config.appKey, app_secret: this.config.appSecret });
    const reply = await requestJson('GET', `${this.config.baseUrl}/system/token?${query}`, undefined, {}, { timeoutMs: this.config.timeoutMs });
    const answer = parse<U8Answer & { expiresIn?: number }>(reply.body);
    if (answer?.errcode !== OK || !answer.token?.id) {
      throw new PermanentPartnerError(`U8 refused the token request of ${this.config.fromAccount} (errcode ${answer?.errcode ?? '?'}): ${answer?.errmsg ?? ''}`, { status: reply.status, body: reply.keptBody });
    }
    const ttl = answer.token.expiresIn ?? answer.expiresIn ?? DEFAULT_TOKEN_TTL_S;
    return { value: answer.token.id, expiresAt: Date.now() + ttl * 1000 };
  }

  private dataSource(): Record<string, string> {
    return this.config.dsSequence === undefined ? {} : { ds_sequence: String(this.config.dsSequence) };
  }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
