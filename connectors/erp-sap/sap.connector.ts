import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import type { ConnectorDefinition, DeliveryOutcome, DeliveryRequest, Target } from '../connector';
import { requestJson, type PartnerExchange } from '../shared/http-client';
import { SessionCache } from '../shared/session-cache';
import { sapConfig, type SapConfig } from './sap.config';
import { buildSalesOrder, odataString, purchaseOrderByCustomer, referenceText, soldToParty } from './sap.mapping';

/**
 * SAP S/4HANA sales order create through OData V2 `API_SALES_ORDER_SRV`, `POST /A_SalesOrder` with
 * deep insert of `to_Item` (and `to_Text`), after a CSRF token fetch (`GET` with `x-csrf-token: Fetch`)
 * whose cookies go along with the modifying call.
 *
 * Docs followed:
 * - Service, entities and field lengths: the published OpenAPI description of API_SALES_ORDER_SRV,
 *   https://apis.apis.io/apis/sap-s4hana/sap-s4hana-sales-order-api/ (create example:
 *   https://raw.githubusercontent.com/api-evangelist/sap-sales-and-distribution-sd/refs/heads/main/examples/sap-sd-create-sales-order-example.json)
 * - CSRF token and cookies: https://blogs.sap.com/2021/06/04/how-does-csrf-token-work-sap-gateway/ and SAP KBA 3048103
 *   (https://userapps.support.sap.com/sap/support/knowledge/en/3048103): a stale token is `403` with `x-csrf-token: Required`.
 * - Error body: OData V2 `{ error: { code, message: { lang, value }, innererror: { errordetails } } }` (same OpenAPI description).
 *
 * Idempotency: by lookup. The service has no idempotency key of its own (SAP Gateway's RequestID /
 * RepeatabilityCreation headers work only for services registered as idempotent,
 * https://help.sap.com/saphelp_gateway20sp12/helpdata/en/67/8b5dcd6a5c41789b27b46eb34a6a86/content.htm), so
 * each order carries the delivery key in a header text, and before creating, the connector looks for
 * an order of the same SoldToParty and PurchaseOrderByCustomer holding that text.
 */

/**
 * A CSRF token lives as long as the security session it was issued in (`http/security_session_timeout`,
 * commonly 30 minutes); it is renewed before that, and at once when SAP says `Required`.
 */
const CSRF_SESSION_TTL_MS = 25 * 60 * 1000;

interface CsrfSession {
  readonly token: string;
  readonly cookie: string;
}

export const erpSap: ConnectorDefinition<typeof sapConfig> = {
  kind: 'erp-sap',
  summary: 'Creates a sales order per confirmed order in SAP S/4HANA (OData API_SALES_ORDER_SRV, CSRF token, lookup by PO and key text).',
  config: sapConfig,
  create(config) {
    const client = new SapClient(config);
    return { id: config.id, kind: 'erp-sap', target: createTarget(config, client) };
  },
};

function createTarget(config: SapConfig, client: SapClient): Target {
  return {
    async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
      if (event !== 'order.confirmed') throw new PermanentPartnerError(`${config.id} creates sales orders on order.confirmed only; ${event} is routed here by mistake`);
      const body = buildSalesOrder(config, order, delivery.idempotencyKey);
      const existing = await client.findByReference(soldToParty(config, order), purchaseOrderByCustomer(order, delivery.idempotencyKey), referenceText(delivery.idempotencyKey), signal);
      if (existing) return { partnerRef: existing.salesOrder, status: existing.reply.status, responseBody: existing.reply.keptBody };
      const reply = await client.create(JSON.stringify(body), delivery.idempotencyKey, signal);
      const created = parse<{ d?: { SalesOrder?: unknown } }>(reply.body)?.d?.SalesOrder;
      if (typeof created !== 'string' || created === '') throw new TransientPartnerError('SAP answered the create without a SalesOrder number', { status: reply.status, body: reply.keptBody });
      return { partnerRef: created, status: reply.status, responseBody: reply.keptBody };
    },
  };
}

class SapClient {
  private readonly session: SessionCache<CsrfSession>;
  private readonly basic: string;

  constructor(private readonly config: SapConfig) {
    this.basic = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
    this.session = new SessionCache(() => this.fetchToken());
  }

  /** The order already created for this delivery, if any. */
  async findByReference(soldTo: string, po: string, text: string, signal: AbortSignal): Promise<{ salesOrder: string; reply: PartnerExchange } | undefined> {
    const { cookie } = await this.session.get();
    const filter = `SoldToParty eq ${odataString(soldTo)} and PurchaseOrderByCustomer eq ${odataString(po)}`;
    const query = `$filter=${encodeURIComponent(filter)}&$expand=to_Text&$select=SalesOrder,to_Text/LongText`;
    const reply = await requestJson('GET', this.url('/A_SalesOrder', query), undefined, this.headers(cookie), { timeoutMs: this.config.timeoutMs, signal });
    type Found = { d?: { results?: { SalesOrder?: string; to_Text?: { results?: { LongText?: string }[] } }[] } };
    const match = parse<Found>(reply.body)?.d?.results?.find((so) => so.to_Text?.results?.some((t) => t.LongText === text));
    return match?.SalesOrder ? { salesOrder: match.SalesOrder, reply } : undefined;
  }

  /**
   * One POST. A stale CSRF token (403, `x-csrf-token: Required`) fetches a new one for the retry.
   * @throws PermanentPartnerError with SAP's own message for a 400 or a refused authorisation
   */
  async create(body: string, idempotencyKey: string, signal: AbortSignal): Promise<PartnerExchange> {
    const session = await this.session.get();
    const reply = await requestJson(
      'POST',
      this.url('/A_SalesOrder'),
      body,
      { ...this.headers(session.cookie), 'x-csrf-token': session.token, 'Idempotency-Key': idempotencyKey },
      { timeoutMs: this.config.timeoutMs, signal, passStatuses: [400, 403] },
    );
    if (reply.status === 403 && String(reply.headers['x-csrf-token']).toLowerCase() === 'required') {
      await this.session.renew(session);
      // Nothing was created: SAP checks the token before it reads the body. Retry at once with the new one.
      throw new TransientPartnerError('SAP refused an expired CSRF token; fetched a new one', { status: 403, body: reply.keptBody }, 0);
    }
    if (reply.status === 400 || reply.status === 403) throw new PermanentPartnerError(`SAP refused the sales order: ${odataMessage(reply.body)}`, { status: reply.status, body: reply.keptBody });
    return reply;
  }

  private async fetchToken() {
    const reply = await requestJson('GET', this.url('/'), undefined, { ...this.headers(''), 'x-csrf-token': 'Fetch' }, { timeoutMs: this.config.timeoutMs });
    const token = reply.headers['x-csrf-token'];
    if (typeof token !== 'string' || token === '' || token.toLowerCase() === 'required') {
      throw new PermanentPartnerError(`${this.config.serviceUrl} issued no CSRF token: check that serviceUrl is the OData service root`, { status: reply.status, body: reply.keptBody });
    }
    const setCookie = reply.headers['set-cookie'];
    const cookie = (Array.isArray(setCookie) ? setCookie : []).map((c) => c.split(';')[0]).join('; ');
    return { value: { token, cookie }, expiresAt: Date.now() + CSRF_SESSION_TTL_MS };
  }

  private headers(cookie: string): Record<string, string> {
    return { Authorization: this.basic, Accept: 'application/json', ...(cookie ? { Cookie: cookie } : {}) };
  }

  private url(path: string, query = ''): string {
    const client = this.config.sapClient ? `sap-client=${this.config.sapClient}` : '';
    const search = [client, query].filter(Boolean).join('&');
    return `${this.config.serviceUrl}${path}${search ? `?${search}` : ''}`;
  }
}

/** SAP's message from an OData V2 error body, details included; the raw text when it is not one. */
function odataMessage(body: string): string {
  type ODataError = { error?: { message?: { value?: string }; innererror?: { errordetails?: { message?: string }[] } } };
  const error = parse<ODataError>(body)?.error;
  if (!error?.message?.value) return body.slice(0, 200);
  const details = (error.innererror?.errordetails ?? []).map((d) => d.message).filter((m): m is string => !!m && m !== error.message?.value);
  return [error.message.value, ...details].join('; ');
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
