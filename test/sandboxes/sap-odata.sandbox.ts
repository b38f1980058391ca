import { randomUUID } from 'node:crypto';
import { parseJson, startSandboxServer, type SandboxRequest, type SandboxServer } from './erp-sandbox';

/**
 * SAP S/4HANA's API_SALES_ORDER_SRV, the subset erp-sap calls: the CSRF token fetch on the service
 * root (`x-csrf-token: Fetch`, answered with the token and session cookies), `GET A_SalesOrder` with
 * `$filter` on SoldToParty and PurchaseOrderByCustomer and `$expand=to_Text`, and `POST A_SalesOrder`
 * with deep insert, which checks the token against the session cookie (`403 x-csrf-token: Required`
 * otherwise) and answers `201 { d: { SalesOrder } }` or an OData V2 error. Like SAP with its default
 * settings, it does not refuse a second order with the same PurchaseOrderByCustomer: duplicates are
 * recorded, for tests to prove the connector prevents them.
 */

export const SAP_SERVICE_PATH = '/sap/opu/odata/sap/API_SALES_ORDER_SRV';
const SESSION_COOKIE = 'SAP_SESSIONID_S4H_100';

export interface SapSandboxOptions {
  readonly username: string;
  readonly password: string;
  /** SoldToParty numbers that exist. */
  readonly customers: readonly string[];
  /** Material numbers that exist. */
  readonly materials: readonly string[];
}

export interface SapSalesOrder {
  readonly SalesOrder: string;
  readonly SoldToParty: string;
  readonly PurchaseOrderByCustomer: string;
  readonly texts: readonly string[];
  readonly body: Record<string, unknown>;
}

export interface SapSandbox extends SandboxServer {
  /** `serviceUrl` for the connector. */
  readonly serviceUrl: string;
  readonly salesOrders: SapSalesOrder[];
  /** Ends every security session: the next modifying call with an old token is refused. */
  expireSessions(): void;
}

export async function startSapSandbox(options: SapSandboxOptions): Promise<SapSandbox> {
  const salesOrders: SapSalesOrder[] = [];
  /** CSRF token per session id. */
  const sessions = new Map<string, string>();
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;

  const odataError = (status: number, code: string, value: string) => ({
    status,
    body: { error: { code, message: { lang: 'en', value }, innererror: { errordetails: [{ code, message: value, severity: 'error' }] } } },
  });

  const create = (request: SandboxRequest) => {
    const sessionId = /SAP_SESSIONID_S4H_100=([^;]+)/.exec(String(request.headers.cookie ?? ''))?.[1];
    const token = sessionId ? sessions.get(sessionId) : undefined;
    if (!token || request.headers['x-csrf-token'] !== token) return { status: 403, body: 'CSRF token validation failed', headers: { 'x-csrf-token': 'Required' } };
    const body = parseJson(request.body) as Record<string, unknown> | undefined;
    if (!body) return odataError(400, '/IWBEP/CM_MGW_RT/020', 'The request body is not valid JSON');
    const soldTo = String(body.SoldToParty ?? '');
    if (!options.customers.includes(soldTo)) return odataError(400, 'V1/102', `Sold-to party ${soldTo} not maintained for sales area`);
    const items = ((body.to_Item as { results?: { Material?: string }[] } | undefined)?.results ?? []);
    const unknown = items.find((item) => !options.materials.includes(String(item.Material)));
    if (unknown) return odataError(400, 'V1/392', `Material ${String(unknown.Material)} is not defined for sales org.`);
    const texts = ((body.to_Text as { results?: { LongText?: string }[] } | undefined)?.results ?? []).map((t) => String(t.LongText));
    const salesOrder = String(5_000_000 + salesOrders.length + 1);
    salesOrders.push({ SalesOrder: salesOrder, SoldToParty: soldTo, PurchaseOrderByCustomer: String(body.PurchaseOrderByCustomer ?? ''), texts, body });
    return { status: 201, body: { d: { __metadata: { type: 'API_SALES_ORDER_SRV.A_SalesOrderType' }, ...body, SalesOrder: salesOrder } } };
  };

  const lookup = (request: SandboxRequest) => {
    const filter = request.query.$filter ?? '';
    const soldTo = /SoldToParty eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replaceAll("''", "'");
    const po = /PurchaseOrderByCustomer eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replaceAll("''", "'");
    const results = salesOrders
      .filter((so) => so.SoldToParty === soldTo && so.PurchaseOrderByCustomer === po)
      .map((so) => ({ SalesOrder: so.SalesOrder, to_Text: { results: so.texts.map((LongText) => ({ LongText })) } }));
    return { status: 200, body: { d: { results } } };
  };

  const server = await startSandboxServer({
    operationOf: ({ method, path }) => (method === 'POST' ? 'create' : path.endsWith('/A_SalesOrder') ? 'lookup' : 'csrf'),
    handle: (request) => {
      if (request.headers.authorization !== basic) return { status: 401, body: 'Logon failed' };
      if (request.operation === 'create') return create(request);
      if (request.operation === 'lookup') return lookup(request);
      const sessionId = randomUUID();
      const token = randomUUID();
      sessions.set(sessionId, token);
      return {
        status: 200,
        body: { d: { EntitySets: ['A_SalesOrder', 'A_SalesOrderItem', 'A_SalesOrderText'] } },
        headers: { 'x-csrf-token': token, 'set-cookie': [`${SESSION_COOKIE}=${sessionId}; path=/; HttpOnly`, `sap-usercontext=sap-client=100; path=/`] },
      };
    },
  });
  return Object.assign(server, { serviceUrl: `${server.url}${SAP_SERVICE_PATH}`, salesOrders, expireSessions: () => sessions.clear() });
}
