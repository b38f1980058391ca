import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dec, Dec } from '../../core/order/money';
import { listenOnLoopback } from './sandbox-server';

/**
 * The JD Open Service router (JOS, `/routerjson`), the part the jd connector calls:
 * jingdong.pop.order.search, jingdong.pop.order.get, jingdong.pop.order.shipment and
 * jingdong.stock.write.updateSkuStock. Like JOS it takes the form fields method, app_key,
 * access_token, timestamp (Beijing time, ±6 minutes), v=2.0, 360buy_param_json and sign, checks
 * sign = MD5(secret + sorted name+value + secret) in upper-case hex, and answers HTTP 200 either
 * way: gateway errors as `{"error_response":{"code":"12","zh_desc":"无效签名","en_desc":"Invalid
 * signature"}}`, an API's own as `apiResult.success: false`. Answers use JOS's `_responce` spelling
 * and strings for every value. The search filters by modified time (dateType 0) or creation time,
 * sorts ascending (sortType default), pages by `page`, and refuses spans over a month.
 *
 * JOS documents no answer for shipping an order twice; this sandbox answers `success: false` with a
 * message of its own, which the connector must not (and does not) read.
 */

export interface JdSandboxOptions {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
}

export interface JdItemSpec {
  readonly outerSkuId?: string;
  readonly skuId?: string;
  readonly name?: string;
  readonly price: string;
  readonly quantity: number;
}

export interface JdOrderSpec {
  readonly items: readonly JdItemSpec[];
  readonly state?: string;
  readonly fullname?: string;
  /** When the order was created and last modified; now when not given. */
  readonly at?: Date;
  /** Extra fields, as JD would send them (a malformed order, say). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface SandboxJdOrder {
  readonly orderId: string;
  readonly fields: Record<string, unknown>;
}

export interface JosCall {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The gateway error code answered, if any. */
  readonly errorCode?: string;
}

export type JosFault = 'call-limited' | { readonly httpStatus: number; readonly retryAfterSeconds?: number };

export interface JdSandbox {
  /** The router URL, for `baseUrl`. */
  readonly url: string;
  readonly calls: JosCall[];
  addOrder(spec: JdOrderSpec): SandboxJdOrder;
  /** Changes an order and stamps it modified now. */
  updateOrder(orderId: string, change: (fields: Record<string, unknown>) => void): void;
  cancelOrder(orderId: string): void;
  /** The next `n` signed calls (of `method`, if given) get `fault` instead of an answer. */
  failNext(n: number, fault: JosFault, method?: string): void;
  onCall?: (call: JosCall) => void;
  /** SKUs JD sells, for stock. */
  addSku(skuId: string): void;
  /** Shipments JD accepted, in order. */
  shipments(): { orderId: string; logiCoprId: string; logiNo: string }[];
  /** skuId → stock as last set. */
  stockLevels(): Record<string, string>;
  /** How many search answers listed this order. */
  timesListed(orderId: string): number;
  expireToken(): void;
  close(): Promise<void>;
}

const TIMESTAMP_TOLERANCE_MS = 6 * 60 * 1000;
const MONTH_MS = 31 * 24 * 60 * 60 * 1000;
const FIRST_ORDER_ID = 301_234_567_890;

export async function startJdSandbox(options: JdSandboxOptions): Promise<JdSandbox> {
  const orders = new Map<string, SandboxJdOrder>();
  const skus = new Set<string>();
  const shipped: { orderId: string; logiCoprId: string; logiNo: string }[] = [];
  const stock: Record<string, string> = {};
  const calls: JosCall[] = [];
  const listed = new Map<string, number>();
  const faults: { fault: JosFault; method?: string }[] = [];
  let token = options.accessToken;
  let nextId = FIRST_ORDER_ID;

  const sandbox: JdSandbox = {
    url: '',
    calls,
    addOrder(spec) {
      const orderId = String(nextId);
      nextId += 7;
      const now = beijing((spec.at ?? new Date()).getTime());
      const total = spec.items.reduce((sum, item) => sum.plus(dec(item.price).times(item.quantity)), new Dec(0)).toFixed(2);
      const order: SandboxJdOrder = {
        orderId,
        fields: {
          orderId,
          venderId: '281201',
          orderType: '22',
          payType: '4',
          orderTotalPrice: total,
          orderSellerPrice: total,
          orderPayment: total,
          freightPrice: '0.00',
          sellerDiscount: '0.00',
          orderState: spec.state ?? 'WAIT_SELLER_STOCK_OUT',
          orderStateRemark: '等待出库',
          orderRemark: '',
          venderRemark: '',
          orderStartTime: now,
          paymentConfirmTime: now,
          modified: now,
          pin: 'jd_buyer_01',
          waybill: '',
          logisticsId: '',
          consigneeInfo: { fullname: spec.fullname ?? '李蕾', mobile: '18311111111', telephone: '010-2553791', fullAddress: '河北廊坊市三河市齐心庄镇', province: '河北省', city: '廊坊市', county: '三河市', town: '齐心庄镇' },
          itemInfoList: spec.items.map((item, i) => ({
            skuId: item.skuId ?? String(45_123_213 + i),
            outerSkuId: item.outerSkuId ?? '',
            skuName: item.name ?? `测试商品 ${i + 1}`,
            jdPrice: item.price,
            itemTotal: String(item.quantity),
            wareId: String(451_261 + i),
            productNo: '',
            giftPoint: '0',
          })),
          ...spec.extra,
        },
      };
      orders.set(orderId, order);
      return order;
    },
    updateOrder(orderId, change) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`sandbox: no order ${orderId}`);
      change(order.fields);
      order.fields.modified = beijing(Date.now());
    },
    cancelOrder(orderId) {
      sandbox.updateOrder(orderId, (f) => {
        f.orderState = 'TRADE_CANCELED';
        f.orderStateRemark = '取消';
      });
    },
    failNext(n, fault, method) {
      for (let i = 0; i < n; i += 1) faults.push({ fault, ...(method ? { method } : {}) });
    },
    addSku(skuId) {
      skus.add(skuId);
    },
    shipments: () => [...shipped],
    stockLevels: () => ({ ...stock }),
    timesListed: (orderId) => listed.get(orderId) ?? 0,
    expireToken() {
      token = `expired-${randomUUID()}`;
    },
    close: async () => undefined,
  };

  const methods: Record<string, (p: Record<string, unknown>) => object> = {
    'jingdong.pop.order.search': (p) => {
      const fields = str(p.optional_fields);
      if (!fields) return { searchorderinfo_result: { apiResult: failure('optional_fields不能为空', 'optional_fields is required') } };
      const start = Date.parse(`${str(p.start_date).replace(' ', 'T')}+08:00`);
      const end = Date.parse(`${str(p.end_date).replace(' ', 'T')}+08:00`);
      if (!(end > start) || end - start > MONTH_MS) return { searchorderinfo_result: { apiResult: failure('开始时间和结束时间，不得相差超过1个月', 'date range over one month') } };
      const states = new Set(str(p.order_state).split(','));
      const byCreation = String(p.dateType) === '1';
      const key = byCreation ? 'orderStartTime' : 'modified';
      const pageSize = Math.min(Number(p.page_size ?? 20), 100);
      const page = Number(p.page ?? 1);
      const found = [...orders.values()]
        .map((o) => o.fields)
        .filter((f) => states.has(String(f.orderState)) && String(f[key]) >= str(p.start_date) && String(f[key]) <= str(p.end_date))
        .sort((a, b) => (a[key] === b[key] ? Number(a.orderId) - Number(b.orderId) : String(a[key]) < String(b[key]) ? -1 : 1));
      const list = found.slice((page - 1) * pageSize, page * pageSize).map((f) => pick(f, fields));
      for (const f of list) listed.set(String(f.orderId), (listed.get(String(f.orderId)) ?? 0) + 1);
      return { searchorderinfo_result: { orderInfoList: list, orderTotal: found.length, apiResult: success() } };
    },
    'jingdong.pop.order.get': (p) => {
      const order = orders.get(str(p.order_id));
      if (!order) return { orderDetailInfo: { apiResult: failure('订单不存在', 'order not found') } };
      return { orderDetailInfo: { orderInfo: pick(order.fields, str(p.optional_fields) || Object.keys(order.fields).join(',')), apiResult: success() } };
    },
    'jingdong.pop.order.shipment': (p) => {
      const order = orders.get(str(p.orderId));
      if (!order || !str(p.logiCoprId) || !str(p.logiNo)) return { sopjosshipment_result: failure('参数错误', 'parameter error') };
      if (order.fields.orderState !== 'WAIT_SELLER_STOCK_OUT') return { sopjosshipment_result: failure('订单状态不是等待出库，不能出库', 'order is not waiting for stock-out') };
      sandbox.updateOrder(order.orderId, (f) => {
        Object.assign(f, { orderState: 'WAIT_GOODS_RECEIVE_CONFIRM', orderStateRemark: '等待确认收货', waybill: str(p.logiNo), logisticsId: str(p.logiCoprId) });
      });
      shipped.push({ orderId: order.orderId, logiCoprId: str(p.logiCoprId), logiNo: str(p.logiNo) });
      return { sopjosshipment_result: { success: true, chineseErrCode: '成功', englishErrCode: 'success', errorCode: '' } };
    },
    'jingdong.stock.write.updateSkuStock': (p) => {
      const skuId = str(p.skuId);
      if (!skus.has(skuId) || !/^\d+$/.test(str(p.stockNum))) return { success: false };
      stock[skuId] = str(p.stockNum);
      return { success: true };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const send = (status: number, body: object | string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
    if (url.pathname !== '/routerjson') return send(404, 'Not Found');
    const form = Object.fromEntries([...url.searchParams, ...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))]);
    const method = form.method ?? '';
    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(form['360buy_param_json'] ?? '{}') as Record<string, unknown>;
    } catch {
      params = {};
    }
    const gateway = (code: string, zh: string, en: string) => {
      calls.push({ method, params, errorCode: code });
      return send(200, { error_response: { code, zh_desc: zh, en_desc: en } });
    };
    const refusal = check(form);
    if (refusal) return gateway(...refusal);
    const at = faults.findIndex((f) => f.method === undefined || f.method === method);
    if (at >= 0) {
      const [{ fault }] = faults.splice(at, 1) as [{ fault: JosFault }];
      if (fault === 'call-limited') return gateway('2', '限制时间内调用失败次数', 'App Call Limited');
      calls.push({ method, params });
      return send(fault.httpStatus, '<html>busy</html>', fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
    }
    const run = methods[method];
    if (!run) return gateway('15', '不存在的方法名', 'Invalid Method');
    const call: JosCall = { method, params };
    sandbox.onCall?.(call);
    calls.push(call);
    return send(200, { [`${method.replaceAll('.', '_')}_responce`]: { code: '0', ...run(params) } });
  };

  /** JOS's gateway checks, first failure answers: [code, zh_desc, en_desc]. */
  function check(f: Record<string, string>): [string, string, string] | undefined {
    if (!f.method) return ['14', '缺少方法名参数', 'Missing Method'];
    if (f.app_key !== options.appKey) return ['21', `key=${f.app_key ?? ''} 信息无效`, 'Invalid app_key'];
    if (!f.v) return ['4', '缺少版本参数', 'Missing Version'];
    if (!f.timestamp) return ['7', '缺少时间戳参数', 'Missing Timestamp'];
    const at = Date.parse(`${f.timestamp.replace(' ', 'T')}+08:00`);
    if (Number.isNaN(at) || Math.abs(at - Date.now()) > TIMESTAMP_TOLERANCE_MS) return ['8', '非法的时间戳参数', 'Invalid Timestamp'];
    if (!f.sign) return ['11', '缺少签名参数', 'Missing Signature'];
    if (f.sign !== expectedSign(f, options.appSecret)) return ['12', '无效签名', 'Invalid signature'];
    if (f.access_token !== token) return ['19', '无效access_token', 'Invalid access_token'];
    return undefined;
  }

  const { origin, close } = await listenOnLoopback(handle);
  return Object.assign(sandbox, { url: `${origin}/routerjson`, close });
}

function expectedSign(f: Record<string, string>, secret: string): string {
  const text = Object.keys(f)
    .filter((k) => k !== 'sign' && f[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => k + f[k])
    .join('');
  return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
}

/** JOS returns only the fields named in optional_fields. */
function pick(fields: Record<string, unknown>, wanted: string): Record<string, unknown> {
  const names = new Set(wanted.split(',').map((n) => n.trim()));
  return Object.fromEntries(Object.entries(fields).filter(([k]) => names.has(k)));
}

function success() {
  return { success: true, englishErrCode: 'success', chineseErrCode: '成功', numberCode: '10100000' };
}

function failure(zh: string, en: string) {
  return { success: false, englishErrCode: en, chineseErrCode: zh, numberCode: '10500001' };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function beijing(ms: number): string {
  const shifted = new Date(ms + 8 * 60 * 60 * 1000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}
