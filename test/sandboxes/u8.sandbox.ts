import { randomUUID } from 'node:crypto';
import { parseJson, startSandboxServer, type SandboxRequest, type SandboxServer } from './erp-sandbox';

/**
 * The U8 OpenAPI gateway, the subset erp-u8 calls: `GET /system/token`, `GET /system/tradeid`,
 * `GET /api/saleorder/batch_get` (by code range) and `POST /api/saleorder/add`, all answering
 * `{ errcode, errmsg, … }` with HTTP 200. Like U8, it refuses a second order with an existing code
 * (订单号) and a trade id used before. Error codes other than "0" are the sandbox's own: the real
 * platform's invalid-token code is whatever the test configures as `tokenErrcode`.
 */

export interface U8SandboxOptions {
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly appKey: string;
  readonly appSecret: string;
  /** errcode answered for an unknown or expired token. */
  readonly tokenErrcode: string;
  /** Customer codes (custcode) that exist. */
  readonly customers: readonly string[];
  /** Inventory codes that exist. */
  readonly inventory: readonly string[];
  /** Token lifetime answered in expiresIn, in seconds. @defaultValue 7200 */
  readonly tokenExpiresIn?: number;
}

export interface U8SaleOrder {
  readonly code: string;
  readonly tradeid: string;
  readonly saleorder: Record<string, unknown>;
}

export interface U8Sandbox extends SandboxServer {
  readonly saleOrders: U8SaleOrder[];
  /** Invalidates every token issued so far. */
  expireTokens(): void;
}

export async function startU8Sandbox(options: U8SandboxOptions): Promise<U8Sandbox> {
  const saleOrders: U8SaleOrder[] = [];
  const tokens = new Set<string>();
  const tradeIds = new Map<string, boolean>();
  const refuse = (errcode: string, errmsg: string) => ({ status: 200, body: { errcode, errmsg } });

  const add = (request: SandboxRequest) => {
    const tradeid = request.query.tradeid ?? '';
    if (tradeIds.get(tradeid) !== false) return refuse('30010', `交易号${tradeid}无效或已使用`);
    tradeIds.set(tradeid, true);
    const saleorder = ((parseJson(request.body) as { saleorder?: Record<string, unknown> } | undefined)?.saleorder ?? {}) as Record<string, unknown>;
    if (!options.customers.includes(String(saleorder.custcode))) return refuse('20015', `客户编码${String(saleorder.custcode)}不存在`);
    const entry = (saleorder.entry ?? []) as { inventorycode?: string }[];
    const unknown = entry.find((row) => !options.inventory.includes(String(row.inventorycode)));
    if (unknown) return refuse('20016', `存货编码${String(unknown.inventorycode)}不存在`);
    const code = typeof saleorder.code === 'string' && saleorder.code !== '' ? saleorder.code : String(saleOrders.length + 1).padStart(10, '0');
    if (saleOrders.some((so) => so.code === code)) return refuse('20017', `订单号${code}已存在`);
    saleOrders.push({ code, tradeid, saleorder });
    return { status: 200, body: { errcode: '0', errmsg: '', id: code, tradeid } };
  };

  const server = await startSandboxServer({
    operationOf: ({ path }) => ({ '/system/token': 'token', '/system/tradeid': 'tradeid', '/api/saleorder/batch_get': 'lookup', '/api/saleorder/add': 'create' })[path] ?? 'unknown',
    handle: (request) => {
      const q = request.query;
      if (q.from_account !== options.fromAccount || q.app_key !== options.appKey) return refuse('30001', 'from_account 或 app_key 错误');
      if (request.operation === 'token') {
        if (q.app_secret !== options.appSecret) return refuse('30002', 'app_secret 错误');
        const id = randomUUID().replaceAll('-', '');
        tokens.add(id);
        return { status: 200, body: { errcode: '0', errmsg: '', token: { id, appKey: options.appKey, expiresIn: options.tokenExpiresIn ?? 7200 } } };
      }
      if (!tokens.has(q.token ?? '')) return refuse(options.tokenErrcode, 'token 无效或已过期');
      if (request.operation === 'tradeid') {
        const id = randomUUID().replaceAll('-', '');
        tradeIds.set(id, false);
        return { status: 200, body: { errcode: '0', errmsg: '', trade: { id } } };
      }
      if (q.to_account !== options.toAccount) return refuse('30003', 'to_account 未授权');
      if (request.operation === 'lookup') {
        const found = saleOrders.filter((so) => so.code >= (q.code_begin ?? '') && so.code <= (q.code_end ?? '\uffff'));
        return { status: 200, body: { errcode: '0', errmsg: '', page_index: 1, rows_per_page: 20, row_count: found.length, page_count: 1, saleorder: found.map((so) => ({ ...so.saleorder, code: so.code })) } };
      }
      if (request.operation === 'create') return add(request);
      return { status: 404, body: 'not found' };
    },
  });
  return Object.assign(server, { saleOrders, expireTokens: () => tokens.clear() });
}
