import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { ConnectorDefinition, DeliveryOutcome, DeliveryRequest, Target } from '../connector';
import { requestJson, type PartnerExchange } from '../shared/http-client';
import { stringifyWithDecimals } from '../shared/json-decimals';
import { SessionCache } from '../shared/session-cache';
import { odooConfig, type OdooConfig } from './odoo.config';
import { partnerDomains, saleOrderValues } from './odoo.mapping';

/**
 * Odoo external API over JSON-RPC: `POST /jsonrpc` `{ jsonrpc: "2.0", method: "call", params: { service,
 * method, args } }`; the uid from `common.authenticate(db, login, password, {})`, then
 * `object.execute_kw(db, uid, password, model, method, args, kwargs)` to find the customer
 * (res.partner), the products (product.product by default_code) and create sale.order with its lines,
 * whose `name` (S00042) is read back as the partner reference.
 *
 * Docs followed:
 * - External API (authenticate, execute_kw, search_read, create, read; the JSON-RPC transport of the
 *   same calls): https://www.odoo.com/documentation/18.0/developer/reference/external_api.html
 * - Odoo 19 deprecates `/jsonrpc` for `/json/2` (removal planned for Odoo 22):
 *   https://raw.githubusercontent.com/odoo/documentation/64e81e4e45c44e57aff6679213752bb01fa41eb2/content/developer/reference/external_rpc_api.rst
 * - Errors are JSON-RPC `error: { code, message, data: { name, message, debug } }`, `data.name` the
 *   Python exception (odoo.exceptions.ValidationError, UserError, AccessDenied, AccessError …).
 *
 * Idempotency: by lookup. Odoo has no idempotency key, so each order carries the delivery key in
 * `origin`, and before creating, `search_read` on sale.order by `origin` returns an existing order.
 * (Not by client_order_ref = PO: a customer may send two different orders with the same PO.)
 */

/**
 * A uid does not expire, but the API key behind it can be revoked or the user re-created; the
 * credentials are checked again this often, and at once when Odoo answers AccessDenied.
 */
const UID_TTL_MS = 60 * 60 * 1000;
/** Exceptions of database contention or unavailability: the same call may succeed later. */
const TRANSIENT_EXCEPTION_PREFIX = 'psycopg2.';
/** The exception of a uid or key Odoo no longer accepts: authenticate again rather than give up. */
const ACCESS_DENIED = 'odoo.exceptions.AccessDenied';

interface RpcError {
  readonly code?: number;
  readonly message?: string;
  readonly data?: { readonly name?: string; readonly message?: string };
}

export const erpOdoo: ConnectorDefinition<typeof odooConfig> = {
  kind: 'erp-odoo',
  summary: 'Creates a sale.order per confirmed order in Odoo through the external JSON-RPC API, found again by origin on retries.',
  config: odooConfig,
  create(config) {
    return { id: config.id, kind: 'erp-odoo', target: createTarget(config, new OdooClient(config)) };
  },
};

function createTarget(config: OdooConfig, odoo: OdooClient): Target {
  return {
    async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
      if (event !== 'order.confirmed') throw new PermanentPartnerError(`${config.id} creates sales orders on order.confirmed only; ${event} is routed here by mistake`);
      const key = delivery.idempotencyKey;
      const existing = await odoo.execute<{ name: string }[]>('sale.order', 'search_read', [[['origin', '=', key]]], { fields: ['name'], limit: 1 }, signal);
      if (existing.result[0]) return outcome(existing.result[0].name, existing.reply);
      const partnerId = await findPartner(config, odoo, order, signal);
      const productIds = await findProducts(odoo, order, signal);
      const created = await odoo.execute<number>('sale.order', 'create', [saleOrderValues(order, key, partnerId, productIds)], {}, signal, key);
      const read = await odoo.execute<{ name: string }[]>('sale.order', 'read', [[created.result]], { fields: ['name'] }, signal);
      const name = read.result[0]?.name;
      if (!name) throw new TransientPartnerError(`Odoo created sale.order ${created.result} but did not return its name`, { status: read.reply.status, body: read.reply.keptBody });
      return outcome(name, created.reply);
    },
  };
}

function outcome(partnerRef: string, reply: PartnerExchange): DeliveryOutcome {
  return { partnerRef, status: reply.status, responseBody: reply.keptBody };
}

async function findPartner(config: OdooConfig, odoo: OdooClient, order: CanonicalOrder, signal: AbortSignal): Promise<number> {
  for (const domain of partnerDomains(order, config.customerMatch)) {
    const { result } = await odoo.execute<{ id: number }[]>('res.partner', 'search_read', [domain], { fields: ['id'], limit: 2 }, signal);
    if (result.length > 1) throw new PermanentPartnerError(`customer "${order.customer.id ?? order.customer.name}" matches several Odoo contacts (${JSON.stringify(domain)}): give it a unique reference`);
    if (result[0]) return result[0].id;
  }
  throw new PermanentPartnerError(`no Odoo contact for customer "${order.customer.id ?? order.customer.name}" (matched by ${config.customerMatch})`);
}

async function findProducts(odoo: OdooClient, order: CanonicalOrder, signal: AbortSignal): Promise<Map<string, number>> {
  const skus = [...new Set(order.lines.map((line) => line.sku))];
  const { result } = await odoo.execute<{ id: number; default_code: string }[]>('product.product', 'search_read', [[['default_code', 'in', skus]]], { fields: ['default_code'] }, signal);
  const ids = new Map(result.map((product) => [product.default_code, product.id]));
  const missing = skus.filter((sku) => !ids.has(sku));
  if (missing.length) throw new PermanentPartnerError(`no Odoo product with internal reference ${missing.join(', ')}`);
  return ids;
}

class OdooClient {
  private readonly uid = new SessionCache(() => this.authenticate());

  constructor(private readonly config: OdooConfig) {}

  /**
   * `object.execute_kw` as the integration user. AccessDenied (the uid or key no longer valid)
   * authenticates again and asks for an immediate retry.
   */
  async execute<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>, signal: AbortSignal, idempotencyKey?: string): Promise<{ result: T; reply: PartnerExchange }> {
    const uid = await this.uid.get();
    const call = await this.rpc('object', 'execute_kw', [this.config.db, uid, this.config.password, model, method, args, kwargs], signal, idempotencyKey);
    if (call.error?.data?.name === ACCESS_DENIED) {
      await this.uid.renew(uid);
      throw new TransientPartnerError(`Odoo denied access to uid ${uid}; authenticated again`, { status: call.reply.status, body: call.reply.keptBody }, 0);
    }
    if (call.error) throw classify(call.error, call.reply, `${model}.${method}`);
    return { result: call.result as T, reply: call.reply };
  }

  private async authenticate() {
    const call = await this.rpc('common', 'authenticate', [this.config.db, this.config.login, this.config.password, {}]);
    if (call.error) throw classify(call.error, call.reply, 'authenticate');
    if (typeof call.result !== 'number') throw new PermanentPartnerError(`Odoo refused the login of ${this.config.login} on ${this.config.db}`, { status: call.reply.status, body: call.reply.keptBody });
    return { value: call.result, expiresAt: Date.now() + UID_TTL_MS };
  }

  private async rpc(service: string, method: string, args: unknown[], signal?: AbortSignal, idempotencyKey?: string) {
    const body = stringifyWithDecimals({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: Date.now() });
    const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
    const reply = await requestJson('POST', `${this.config.url}/jsonrpc`, body, headers, { timeoutMs: this.config.timeoutMs, ...(signal ? { signal } : {}) });
    let answer: { result?: unknown; error?: RpcError } | undefined;
    try {
      answer = JSON.parse(reply.body) as typeof answer;
    } catch {
      throw new TransientPartnerError('Odoo answered something other than JSON-RPC', { status: reply.status, body: reply.keptBody });
    }
    return { result: answer?.result, error: answer?.error, reply };
  }
}

function classify(error: RpcError, reply: PartnerExchange, call: string): Error {
  const name = error.data?.name ?? 'unknown';
  const message = `Odoo ${call} failed (${name}): ${error.data?.message ?? error.message ?? ''}`;
  const response = { status: reply.status, body: reply.keptBody };
  return name.startsWith(TRANSIENT_EXCEPTION_PREFIX) ? new TransientPartnerError(message, response) : new PermanentPartnerError(message, response);
}
