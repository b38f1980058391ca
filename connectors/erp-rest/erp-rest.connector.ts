import type jsonata from 'jsonata';
import type { Logger } from 'pino';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { ConnectorDefinition, DeliveryOutcome, DeliveryRequest, Target } from '../connector';
import { requestJson } from '../shared/http-client';
import { erpRestConfig, type ErpRestConfig } from './erp-rest.config';
import { buildBody, compileExpression, mappingInput, readPartnerRef } from './erp-rest.mapping';

/**
 * Generic REST/JSON ERP target. There is no vendor document to follow: the contract is the one this
 * connector states in its README (JSON body from a JSONata mapping, `Idempotency-Key` header as in
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/, order number read
 * from the answer), and the mapping puts the key into the ERP's own external-reference field.
 *
 * Idempotency: the ERP is expected to honour `Idempotency-Key`; for one that does not, `lookup`
 * finds an order by its external reference before creating, and the order found is returned.
 */

const USER_AGENT = 'order-hub/0.1';
/** Headers the connector owns: a configured header of the same name would break auth or deduplication. */
const RESERVED_HEADERS = new Set(['content-type', 'idempotency-key', 'user-agent', 'authorization']);
/** Lookup answers that mean "no such order" rather than a failed call. */
const NOT_FOUND = [404];

export const erpRest: ConnectorDefinition<typeof erpRestConfig> = {
  kind: 'erp-rest',
  summary: 'Creates a sales order per confirmed order in any ERP with a JSON API: body mapped by JSONata, Idempotency-Key sent.',
  config: erpRestConfig,
  create(config, deps) {
    const expressions = {
      body: compileExpression(config.id, 'mapping', config.mapping),
      partnerRef: compileExpression(config.id, 'partnerRef', config.partnerRef),
      lookup: config.lookup ? compileExpression(config.id, 'lookup.partnerRef', config.lookup.partnerRef) : undefined,
    };
    const headers = { ...extraHeaders(config.headers, deps.log), ...authorization(config.auth), 'User-Agent': USER_AGENT };
    return { id: config.id, kind: 'erp-rest', target: createTarget(config, expressions, headers) };
  },
};

interface Expressions {
  readonly body: jsonata.Expression;
  readonly partnerRef: jsonata.Expression;
  readonly lookup: jsonata.Expression | undefined;
}

function createTarget(config: ErpRestConfig, expressions: Expressions, headers: Readonly<Record<string, string>>): Target {
  return {
    async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
      if (event !== 'order.confirmed') throw new PermanentPartnerError(`${config.id} creates sales orders on order.confirmed only; ${event} is routed here by mistake`);
      const options = { timeoutMs: config.timeoutMs, signal };
      if (config.lookup && expressions.lookup) {
        const url = config.lookup.url.replaceAll('{idempotencyKey}', encodeURIComponent(delivery.idempotencyKey));
        const found = await requestJson('GET', url, undefined, headers, { ...options, passStatuses: NOT_FOUND });
        const existing = found.status === 200 ? await readPartnerRef(expressions.lookup, found.body) : undefined;
        if (existing) return { partnerRef: existing, status: found.status, responseBody: found.keptBody };
      }
      const body = await buildBody(expressions.body, mappingInput(event, order, delivery));
      const reply = await requestJson(config.method, config.url, body, { ...headers, 'Idempotency-Key': delivery.idempotencyKey }, options);
      return { partnerRef: await readPartnerRef(expressions.partnerRef, reply.body), status: reply.status, responseBody: reply.keptBody };
    },
  };
}

function authorization(auth: ErpRestConfig['auth']): Record<string, string> {
  if (auth.type === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  if (auth.type === 'basic') return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
  return {};
}

function extraHeaders(configured: Readonly<Record<string, string>>, log: Logger): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) log.warn({ header: name }, 'configured header ignored: the connector sets it');
    else kept[name] = value;
  }
  return kept;
}
