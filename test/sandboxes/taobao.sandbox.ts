import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonNumber, stringifyWithDecimals } from '../../connectors/shared/json-decimals';
import { Dec, dec } from '../../core/order/money';
import { listenOnLoopback } from './sandbox-server';

/**
 * The Taobao Open Platform router (TOP, `/router/rest`), the part the taobao connector calls:
 * taobao.trades.sold.increment.get, taobao.trade.fullinfo.get, taobao.logistics.offline.send and
 * taobao.item.quantity.update. Like TOP it takes the system parameters as a form (or query), checks
 * app_key, session, the timestamp (GMT+8, ±10 minutes) and the signature (md5 / hmac / hmac-sha256
 * over the sorted parameters), and answers HTTP 200 either way, errors as
 * `{"error_response":{"code":25,"msg":"Invalid signature",…}}`. Ids (tid, oid, num_iid) are JSON
 * numbers beyond 2^53 as on the live platform, with `tid_str` beside `tid`. Increment results are
 * sorted by modified time, newest first, and paged by page_no; a span over one day is refused.
 */

export interface TaobaoSandboxOptions {
  readonly appKey: string;
  readonly appSecret: string;
  readonly session: string;
  /** Answer trades without `tid_str`, only the 19-digit number (public docs do not say fullinfo sends it). */
  readonly withoutTidStr?: boolean;
}

export interface TradeLineSpec {
  /** The SKU's merchant code (outer_sku_id); omit for an item without variants. */
  readonly sku?: string;
  /** The item's merchant code (outer_iid). */
  readonly outerIid?: string;
  readonly title?: string;
  readonly price: string;
  readonly num: number;
  /** Payable after discounts; price × num when not given. */
  readonly totalFee?: string;
}

export interface TradeSpec {
  readonly lines: readonly TradeLineSpec[];
  readonly status?: string;
  readonly buyerNick?: string;
  readonly receiverName?: string;
  readonly postFee?: string;
  /** When the trade was created and last modified; now when not given. */
  readonly at?: Date;
  /** Extra top-level fields, as Taobao would send them (a malformed trade, say). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface SandboxTrade {
  readonly tid: string;
  status: string;
  modified: string;
  readonly fields: Record<string, unknown>;
  readonly orders: Record<string, unknown>[];
}

export interface TopCall {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  /** The TOP error code answered, if any. */
  readonly errorCode?: number;
  readonly subCode?: string;
}

export type TopFault = 'call-limited' | { readonly httpStatus: number; readonly retryAfterSeconds?: number };

export interface TaobaoSandbox {
  /** The router URL, for `baseUrl`. */
  readonly url: string;
  readonly calls: TopCall[];
  addTrade(spec: TradeSpec): SandboxTrade;
  /** Changes a trade (and stamps it modified now), as a buyer or seller editing it would. */
  updateTrade(tid: string, change: (trade: SandboxTrade) => void): void;
  payTrade(tid: string): void;
  /** Closes the trade (refunded after payment, TRADE_CLOSED). */
  cancelTrade(tid: string): void;
  /** The next `n` signed calls (of `method`, if given) get `fault` instead of an answer. */
  failNext(n: number, fault: TopFault, method?: string): void;
  /** Runs before each signed call is answered (to change trades while a poll pages). */
  onCall?: (call: TopCall) => void;
  /** Items sold, for stock: num_iid → its SKU ids (empty for an item without variants). */
  addItem(numIid: string, skuIds?: readonly string[]): void;
  /** Send-backs Taobao accepted, in order. */
  shipments(): { tid: string; outSid: string; companyCode: string }[];
  /** Stock as last set: `num_iid` or `num_iid:sku_id` → quantity. */
  stockLevels(): Record<string, string>;
  expireSession(): void;
  close(): Promise<void>;
}

/** TOP allows a client clock 10 minutes off. */
const TIMESTAMP_TOLERANCE_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Taobao trade numbers are 19 digits today, past what a double holds exactly. */
const FIRST_TID = 3_524_419_873_459_847_323n;

export async function startTaobaoSandbox(options: TaobaoSandboxOptions): Promise<TaobaoSandbox> {
  const trades = new Map<string, SandboxTrade>();
  const tradeJson = (trade: SandboxTrade): Record<string, unknown> => ({
    tid: jsonNumber(trade.tid),
    ...(options.withoutTidStr ? {} : { tid_str: trade.tid }),
    status: trade.status,
    modified: trade.modified,
    ...trade.fields,
    orders: { order: trade.orders },
  });
  const items = new Map<string, readonly string[]>();
  const shipped: { tid: string; outSid: string; companyCode: string }[] = [];
  const stock: Record<string, string> = {};
  const calls: TopCall[] = [];
  const faults: { fault: TopFault; method?: string }[] = [];
  let session = options.session;
  let nextTid = FIRST_TID;

  const sandbox: TaobaoSandbox = {
    url: '',
    calls,
    addTrade(spec) {
      const tid = String(nextTid);
      nextTid += 1000n;
      const orders = spec.lines.map((line, i) => {
        const totalFee = line.totalFee ?? dec(line.price).times(line.num).toFixed(2);
        return {
          oid: jsonNumber(String(BigInt(tid) + BigInt(i + 1))),
          oid_str: String(BigInt(tid) + BigInt(i + 1)),
          num_iid: jsonNumber(String(612_345_678_900 + i)),
          title: line.title ?? `商品 ${i + 1}`,
          ...(line.sku ? { outer_sku_id: line.sku, sku_properties_name: '规格:标准' } : {}),
          ...(line.outerIid ? { outer_iid: line.outerIid } : {}),
          price: line.price,
          num: jsonNumber(String(line.num)),
          total_fee: totalFee,
          payment: totalFee,
          discount_fee: '0.00',
          adjust_fee: '0.00',
          refund_status: 'NO_REFUND',
          status: spec.status ?? 'WAIT_SELLER_SEND_GOODS',
        };
      });
      const now = beijing((spec.at ?? new Date()).getTime());
      const trade: SandboxTrade = {
        tid,
        status: spec.status ?? 'WAIT_SELLER_SEND_GOODS',
        modified: now,
        orders,
        fields: {
          created: now,
          pay_time: now,
          buyer_nick: spec.buyerNick ?? 'tb_buyer_01',
          receiver_name: spec.receiverName ?? '王小贝',
          receiver_state: '陕西省',
          receiver_city: '西安市',
          receiver_district: '新城区',
          receiver_address: '陕西省西安市新城区解放路100   ',
          receiver_zip: '710000 ',
          receiver_mobile: '13312343069',
          post_fee: spec.postFee ?? '0.00',
          payment: orders.reduce((sum, o) => sum.plus(dec(o.total_fee)), new Dec(0)).toFixed(2),
          type: 'fixed',
          ...spec.extra,
        },
      };
      trades.set(tid, trade);
      return trade;
    },
    updateTrade(tid, change) {
      const trade = mustFind(tid);
      change(trade);
      trade.modified = beijing(Date.now());
    },
    payTrade(tid) {
      sandbox.updateTrade(tid, (t) => setStatus(t, 'WAIT_SELLER_SEND_GOODS'));
    },
    cancelTrade(tid) {
      sandbox.updateTrade(tid, (t) => setStatus(t, 'TRADE_CLOSED'));
    },
    failNext(n, fault, method) {
      for (let i = 0; i < n; i += 1) faults.push({ fault, ...(method ? { method } : {}) });
    },
    addItem(numIid, skuIds = []) {
      items.set(numIid, skuIds);
    },
    shipments: () => [...shipped],
    stockLevels: () => ({ ...stock }),
    expireSession() {
      session = `expired-${randomUUID()}`;
    },
    close: async () => undefined,
  };

  function mustFind(tid: string): SandboxTrade {
    const trade = trades.get(tid);
    if (!trade) throw new Error(`sandbox: no trade ${tid}`);
    return trade;
  }

  const methods: Record<string, (p: Record<string, string>) => object> = {
    'taobao.trades.sold.increment.get': (p) => {
      const missing = ['fields', 'start_modified', 'end_modified'].find((k) => !p[k]);
      if (missing) return topError(40, `Missing required arguments:${missing}`);
      const start = Date.parse(`${p.start_modified!.replace(' ', 'T')}+08:00`);
      const end = Date.parse(`${p.end_modified!.replace(' ', 'T')}+08:00`);
      if (!(end > start) || end - start > DAY_MS) return topError(15, 'Remote service error', 'isv.invalid-parameter', '修改时间跨度不能大于一天，且结束时间必须大于开始时间');
      const pageSize = Math.min(Number(p.page_size ?? 40), 100);
      const pageNo = Number(p.page_no ?? 1);
      const found = [...trades.values()]
        .filter((t) => t.modified >= p.start_modified! && t.modified <= p.end_modified!)
        .sort((a, b) => (a.modified === b.modified ? compareTid(b.tid, a.tid) : a.modified < b.modified ? 1 : -1));
      const page = found.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((t) => pick(tradeJson(t), p.fields!));
      return {
        trades_sold_increment_get_response: {
          ...(p.use_has_next === 'true' ? { has_next: pageNo * pageSize < found.length } : { total_results: found.length }),
          ...(page.length ? { trades: { trade: page } } : {}),
          request_id: requestId(),
        },
      };
    },
    'taobao.trade.fullinfo.get': (p) => {
      if (!p.fields || !p.tid) return topError(40, `Missing required arguments:${p.fields ? 'tid' : 'fields'}`);
      const trade = trades.get(p.tid);
      if (!trade) return topError(15, 'Remote service error', 'isv.trade-not-exist', '交易不存在');
      return { trade_fullinfo_get_response: { trade: pick(tradeJson(trade), p.fields), request_id: requestId() } };
    },
    'taobao.logistics.offline.send': (p) => {
      const missing = ['tid', 'out_sid', 'company_code'].find((k) => !p[k]);
      if (missing) return topError(40, `Missing required arguments:${missing}`);
      const trade = trades.get(p.tid!);
      if (!trade) return topError(15, 'Remote service error', 'isv.logistics-offline-service-error:B01', '订单不存在');
      if (trade.status !== 'WAIT_SELLER_SEND_GOODS') {
        return topError(15, 'Remote service error', 'isv.logistics-offline-service-error:B04', '订单状态不对该物流订单已经发货或者已关闭，不能重复发货');
      }
      sandbox.updateTrade(trade.tid, (t) => {
        setStatus(t, 'WAIT_BUYER_CONFIRM_GOODS');
        for (const order of t.orders) Object.assign(order, { invoice_no: p.out_sid, logistics_company: p.company_code, consign_time: beijing(Date.now()) });
      });
      shipped.push({ tid: trade.tid, outSid: p.out_sid!, companyCode: p.company_code! });
      return { logistics_offline_send_response: { shipping: { is_success: true }, request_id: requestId() } };
    },
    'taobao.item.quantity.update': (p) => {
      const missing = ['num_iid', 'quantity'].find((k) => !p[k]);
      if (missing) return topError(40, `Missing required arguments:${missing}`);
      const skus = items.get(p.num_iid!);
      if (!skus || (p.sku_id && !skus.includes(p.sku_id))) return topError(15, 'Remote service error', 'isv.item-not-exist', `商品id对应的商品不存在: ${p.num_iid}`);
      if (p.type !== '2' && !/^\d+$/.test(p.quantity!)) return topError(41, 'Invalid arguments:quantity');
      stock[p.sku_id ? `${p.num_iid}:${p.sku_id}` : p.num_iid!] = p.quantity!;
      return { item_quantity_update_response: { item: { num_iid: jsonNumber(p.num_iid!), num: jsonNumber(p.quantity!), modified: beijing(Date.now()) }, request_id: requestId() } };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const send = (status: number, body: object | string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers }).end(typeof body === 'string' ? body : stringifyWithDecimals(body));
    if (url.pathname !== '/router/rest') return send(404, 'Not Found');
    const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))]);
    const method = params.method ?? '';
    const record = (answer: object) => {
      const error = (answer as { error_response?: { code: number; sub_code?: string } }).error_response;
      calls.push({ method, params, ...(error ? { errorCode: error.code, ...(error.sub_code ? { subCode: error.sub_code } : {}) } : {}) });
      return send(200, answer);
    };
    const refusal = check(params);
    if (refusal) return record(refusal);
    const at = faults.findIndex((f) => f.method === undefined || f.method === method);
    if (at >= 0) {
      const [{ fault }] = faults.splice(at, 1) as [{ fault: TopFault }];
      if (fault === 'call-limited') return record(topError(7, 'App Call Limited', 'accesscontrol.limited-by-app-access-count', 'This ban will last for 1 more seconds'));
      calls.push({ method, params });
      return send(fault.httpStatus, '<html>busy</html>', fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
    }
    const call: TopCall = { method, params };
    sandbox.onCall?.(call);
    const run = methods[method];
    return record(run ? run(params) : topError(22, 'Invalid method'));
  };

  /** TOP's gate: system parameters, app key, timestamp, signature, session; the first failure answers. */
  function check(p: Record<string, string>): object | undefined {
    if (!p.method) return topError(21, 'Missing method');
    if (!p.app_key) return topError(28, 'Missing app key');
    if (p.app_key !== options.appKey) return topError(29, 'Invalid app Key', 'isv.appkey-not-exists');
    if (!p.timestamp) return topError(30, 'Missing timestamp');
    const at = Date.parse(`${p.timestamp.replace(' ', 'T')}+08:00`);
    if (Number.isNaN(at) || Math.abs(at - Date.now()) > TIMESTAMP_TOLERANCE_MS) return topError(31, 'Invalid timestamp');
    if (p.v !== '2.0') return topError(32, 'Missing version');
    if (!p.sign) return topError(24, 'Missing signature');
    if (p.sign !== expectedSign(p, options.appSecret)) return topError(25, 'Invalid signature');
    if (!p.session) return topError(26, 'Missing session');
    if (p.session !== session) return topError(27, 'Invalid session', 'invalid-sessionkey', 'SessionKey非法');
    return undefined;
  }

  const { origin, close } = await listenOnLoopback(handle);
  return Object.assign(sandbox, { url: `${origin}/router/rest`, close });
}

/** The signature as TOP computes it: sorted name+value pairs, digested per sign_method, upper-case hex. */
function expectedSign(p: Record<string, string>, secret: string): string {
  const text = Object.keys(p)
    .filter((k) => k !== 'sign' && p[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => k + p[k])
    .join('');
  if (p.sign_method === 'hmac') return createHmac('md5', secret).update(text, 'utf8').digest('hex').toUpperCase();
  if (p.sign_method === 'hmac-sha256') return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
  return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
}

/** TOP returns only the top-level fields asked for. */
function pick(trade: Record<string, unknown>, fields: string): Record<string, unknown> {
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  return Object.fromEntries(Object.entries(trade).filter(([k]) => wanted.has(k)));
}

function setStatus(trade: SandboxTrade, status: string): void {
  trade.status = status;
  for (const order of trade.orders) order.status = status;
}

function topError(code: number, msg: string, subCode?: string, subMsg?: string): object {
  return { error_response: { code, msg, ...(subCode ? { sub_code: subCode } : {}), ...(subMsg ? { sub_msg: subMsg } : {}), request_id: requestId() } };
}

function compareTid(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function requestId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 13);
}

function beijing(ms: number): string {
  const shifted = new Date(ms + 8 * 60 * 60 * 1000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}
