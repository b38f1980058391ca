import { randomUUID } from 'node:crypto';
import { parseJson, startSandboxServer, type SandboxRequest, type SandboxServer } from './erp-sandbox';

/**
 * Kingdee K/3 Cloud's WebAPI, the subset erp-kingdee calls, under `/k3cloud/`: AuthService.ValidateUser
 * and LoginByAppSecret (setting the kdservice-sessionid cookie), DynamicFormService.ExecuteBillQuery
 * (rows as arrays) and DynamicFormService.Save of SAL_SaleOrder, answering
 * `{ Result: { ResponseStatus: { IsSuccess, MsgCode, Errors, SuccessEntitys }, Number } }`. A lost
 * session is MsgCode 1 "会话信息已丢失，请重新登录". Like K/3 Cloud it refuses a second bill with an
 * existing FBillNo; a reference in any other field is not checked, so duplicates are recorded.
 */

const SERVICE_PREFIX = '/k3cloud/Kingdee.BOS.WebApi.ServicesStub.';

export interface KingdeeSandboxOptions {
  readonly acctId: string;
  readonly username: string;
  readonly password?: string;
  readonly appId?: string;
  readonly appSecret?: string;
  /** Customer numbers (FCustId) that exist. */
  readonly customers: readonly string[];
  /** Material numbers (FMaterialId) that exist. */
  readonly materials: readonly string[];
}

export interface KingdeeSaleOrder {
  readonly FBillNo: string;
  readonly model: Record<string, unknown>;
}

export interface KingdeeSandbox extends SandboxServer {
  /** `baseUrl` for the connector. */
  readonly baseUrl: string;
  readonly saleOrders: KingdeeSaleOrder[];
  /** Drops every session, as a site restart or the session timeout does. */
  expireSessions(): void;
}

const status = (fields: Record<string, unknown>) => ({ ErrorCode: 0, IsSuccess: false, Errors: [], SuccessEntitys: [], SuccessMessages: [], MsgCode: 0, ...fields });
const failed = (msgCode: number, errors: { FieldName: string | null; Message: string }[]) => ({
  Result: { ResponseStatus: status({ ErrorCode: 500, MsgCode: msgCode, Errors: errors.map((e, DIndex) => ({ ...e, DIndex })) }) },
});

export async function startKingdeeSandbox(options: KingdeeSandboxOptions): Promise<KingdeeSandbox> {
  const saleOrders: KingdeeSaleOrder[] = [];
  const sessions = new Set<string>();

  const login = (request: SandboxRequest) => {
    const body = (parseJson(request.body) ?? {}) as Record<string, unknown>;
    const byPassword = request.operation === 'login' && body.password === options.password && options.password !== undefined;
    const bySecret = request.operation === 'login-app' && body.appId === options.appId && body.appSecret === options.appSecret && options.appSecret !== undefined;
    if (body.acctID !== options.acctId || body.username !== options.username || !(byPassword || bySecret)) {
      return { status: 200, body: { Message: '用户名或密码错误！', MessageCode: 'CheckPasswordPolicy', LoginResultType: 0, Context: null, KDSVCSessionId: null, IsSuccessByAPI: false } };
    }
    const sessionId = randomUUID();
    sessions.add(sessionId);
    return {
      status: 200,
      body: { Message: null, MessageCode: 'CheckPasswordPolicy', LoginResultType: 1, Context: { UserName: options.username, DBid: options.acctId }, KDSVCSessionId: sessionId, IsSuccessByAPI: true },
      headers: { 'set-cookie': [`kdservice-sessionid=${sessionId}; path=/`, `ASP.NET_SessionId=${randomUUID()}; path=/; HttpOnly`] },
    };
  };

  const query = (data: Record<string, unknown>) => {
    const [, field, value] = /^(\w+)='((?:[^']|'')*)'$/.exec(String(data.FilterString ?? '')) ?? [];
    const found = saleOrders.filter((so) => field !== undefined && so.model[field] === value?.replaceAll("''", "'"));
    return { status: 200, body: found.slice(0, Number(data.Limit) || undefined).map((so) => [so.FBillNo]) };
  };

  const save = (data: Record<string, unknown>) => {
    const model = (data.Model ?? {}) as Record<string, unknown>;
    const number = (field: string) => ((model[field] ?? {}) as { FNumber?: string }).FNumber;
    const entries = (model.FSaleOrderEntry ?? []) as Record<string, { FNumber?: string }>[];
    const errors: { FieldName: string; Message: string }[] = [];
    if (!options.customers.includes(String(number('FCustId')))) errors.push({ FieldName: 'FCustId', Message: `字段“客户”是必填项，编码为${number('FCustId')}的客户不存在` });
    for (const entry of entries) {
      if (!options.materials.includes(String(entry.FMaterialId?.FNumber))) errors.push({ FieldName: 'FMaterialId', Message: `编码为${entry.FMaterialId?.FNumber}的物料不存在` });
    }
    const billNo = typeof model.FBillNo === 'string' && model.FBillNo !== '' ? model.FBillNo : `XSDD${String(saleOrders.length + 1).padStart(6, '0')}`;
    if (saleOrders.some((so) => so.FBillNo === billNo)) errors.push({ FieldName: 'FBillNo', Message: `单据编号${billNo}已经存在` });
    if (errors.length) return { status: 200, body: failed(11, errors) };
    const id = 100_000 + saleOrders.length + 1;
    saleOrders.push({ FBillNo: billNo, model: { ...model, FBillNo: billNo } });
    return {
      status: 200,
      body: { Result: { ResponseStatus: status({ ErrorCode: 0, IsSuccess: true, SuccessEntitys: [{ Id: id, Number: billNo, DIndex: 0 }] }), Id: id, Number: billNo, NeedReturnData: [{ FBillNo: billNo }] } },
    };
  };

  const server = await startSandboxServer({
    operationOf: ({ path }) => {
      const service = path.startsWith(SERVICE_PREFIX) ? path.slice(SERVICE_PREFIX.length).replace(/\.common\.kdsvc$/, '') : '';
      return { 'AuthService.ValidateUser': 'login', 'AuthService.LoginByAppSecret': 'login-app', 'DynamicFormService.ExecuteBillQuery': 'lookup', 'DynamicFormService.Save': 'create' }[service] ?? 'unknown';
    },
    handle: (request) => {
      if (request.operation === 'login' || request.operation === 'login-app') return login(request);
      if (request.operation === 'unknown') return { status: 404, body: 'no such service' };
      const sessionId = /kdservice-sessionid=([^;]+)/.exec(String(request.headers.cookie ?? ''))?.[1];
      const lost = failed(1, [{ FieldName: null, Message: '会话信息已丢失，请重新登录' }]);
      if (!sessionId || !sessions.has(sessionId)) return { status: 200, body: request.operation === 'lookup' ? [[lost]] : lost };
      const body = (parseJson(request.body) ?? {}) as { formid?: string; data?: Record<string, unknown> };
      if (request.operation === 'lookup') return query(body.data ?? {});
      if (body.formid !== 'SAL_SaleOrder') return { status: 200, body: failed(5, [{ FieldName: null, Message: `表单${String(body.formid)}不存在` }]) };
      return save(body.data ?? {});
    },
  });
  return Object.assign(server, { baseUrl: `${server.url}/k3cloud/`, saleOrders, expireSessions: () => sessions.clear() });
}
