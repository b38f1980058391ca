import { parseJson, startSandboxServer, type SandboxRequest, type SandboxServer } from './erp-sandbox';

/**
 * Odoo's external JSON-RPC endpoint (`POST /jsonrpc`), the subset erp-odoo calls: `common.authenticate`
 * and `object.execute_kw` with search_read on res.partner, product.product and sale.order (domains
 * of `=` and `in` terms), create and read of sale.order. Errors come as Odoo sends them:
 * `{ error: { code: 200, message: "Odoo Server Error", data: { name: "odoo.exceptions.…", message } } }`.
 * Like Odoo, it accepts any number of orders with the same origin or client_order_ref: duplicates
 * are recorded, for tests to prove the connector prevents them.
 */

export interface OdooPartner {
  readonly id: number;
  readonly name: string;
  readonly ref?: string;
}

export interface OdooSandboxOptions {
  readonly db: string;
  readonly login: string;
  readonly password: string;
  readonly partners: readonly OdooPartner[];
  /** Internal references (default_code) of existing products. */
  readonly products: readonly string[];
}

export interface OdooSaleOrder {
  readonly id: number;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

export interface OdooSandbox extends SandboxServer {
  readonly saleOrders: OdooSaleOrder[];
  /** Re-creates the integration user: the old uid is denied from now on, authenticate gives a new one. */
  recreateUser(): void;
}

type Domain = [string, string, unknown][];

export async function startOdooSandbox(options: OdooSandboxOptions): Promise<OdooSandbox> {
  const saleOrders: OdooSaleOrder[] = [];
  const products = options.products.map((code, i) => ({ id: 100 + i, default_code: code }));
  let uid = 2;

  const matches = (record: Record<string, unknown>, domain: Domain) =>
    domain.every(([field, op, value]) => (op === 'in' ? (value as unknown[]).includes(record[field]) : record[field] === value));
  const fail = (name: string, message: string) => ({ code: 200, message: 'Odoo Server Error', data: { name, debug: `Traceback (most recent call last):\n${name}: ${message}`, message, arguments: [message], context: {} } });

  const execute = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): { result?: unknown; error?: unknown } => {
    const pick = (records: Record<string, unknown>[]) => {
      const fields = (kwargs.fields as string[] | undefined) ?? [];
      const found = records.filter((r) => matches(r, args[0] as Domain)).slice(0, (kwargs.limit as number | undefined) ?? undefined);
      return found.map((r) => Object.fromEntries([['id', r.id], ...fields.map((f) => [f, r[f]])]));
    };
    if (method === 'search_read' && model === 'res.partner') return { result: pick(options.partners.map((p) => ({ ...p, ref: p.ref ?? false }))) };
    if (method === 'search_read' && model === 'product.product') return { result: pick(products) };
    if (method === 'search_read' && model === 'sale.order') return { result: pick(saleOrders.map((so) => ({ ...so.values, id: so.id, name: so.name }))) };
    if (model === 'sale.order' && method === 'read') return { result: saleOrders.filter((so) => (args[0] as number[]).includes(so.id)).map((so) => ({ id: so.id, name: so.name })) };
    if (model === 'sale.order' && method === 'create') {
      const values = args[0] as Record<string, unknown>;
      if (!options.partners.some((p) => p.id === values.partner_id)) return { error: fail('odoo.exceptions.MissingError', 'Record does not exist or has been deleted. (Record: res.partner)') };
      const lines = (values.order_line as [number, number, { product_id?: number }][]) ?? [];
      if (lines.some(([, , line]) => !products.some((p) => p.id === line.product_id))) return { error: fail('odoo.exceptions.ValidationError', 'The product on a sale order line is missing or archived.') };
      const id = saleOrders.length + 1;
      saleOrders.push({ id, name: `S${String(id).padStart(5, '0')}`, values });
      return { result: id };
    }
    return { error: fail('builtins.AttributeError', `The method '${method}' does not exist on the model '${model}'`) };
  };

  const server = await startSandboxServer({
    operationOf: ({ body }) => {
      const params = ((parseJson(body) as { params?: { method?: string; args?: unknown[] } } | undefined)?.params ?? {});
      if (params.method === 'authenticate') return 'authenticate';
      const [model, method] = [params.args?.[3], params.args?.[4]];
      if (model === 'sale.order') return method === 'search_read' ? 'lookup' : method === 'create' ? 'create' : 'read';
      return model === 'res.partner' ? 'partner' : 'product';
    },
    handle: (request: SandboxRequest) => {
      const rpc = parseJson(request.body) as { id?: unknown; params?: { service?: string; method?: string; args?: unknown[] } } | undefined;
      const reply = (answer: { result?: unknown; error?: unknown }) => ({ status: 200, body: { jsonrpc: '2.0', id: rpc?.id ?? null, ...answer } });
      const args = rpc?.params?.args ?? [];
      if (rpc?.params?.service === 'common' && rpc.params.method === 'authenticate') {
        return reply({ result: args[0] === options.db && args[1] === options.login && args[2] === options.password ? uid : false });
      }
      if (args[0] !== options.db || args[1] !== uid || args[2] !== options.password) return reply({ error: fail('odoo.exceptions.AccessDenied', 'Access Denied') });
      return reply(execute(String(args[3]), String(args[4]), (args[5] as unknown[]) ?? [], (args[6] as Record<string, unknown>) ?? {}));
    },
  });
  return Object.assign(server, { saleOrders, recreateUser: () => void (uid += 10) });
}
