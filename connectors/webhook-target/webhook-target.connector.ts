import type { Logger } from 'pino';
import type { ConnectorDefinition, DeliveryOutcome, DeliveryRequest, Target } from '../connector';
import { postJson } from '../shared/http-client';
import { decodeWebhookSecret, signStandardWebhook } from '../shared/signatures';
import { webhookTargetConfig, type WebhookTargetConfig } from './webhook-target.config';

const USER_AGENT = 'order-hub/0.1';
/** Headers the connector owns: a configured header of the same name would break signing or dedup. */
const RESERVED_HEADERS = new Set(['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'idempotency-key', 'user-agent']);
/** Fields of a partner's JSON answer that may hold its own id for what it created, in order of preference. */
const PARTNER_REF_FIELDS = ['id', 'reference', 'partnerRef'] as const;

/** Posts order events as signed JSON to one endpoint: the generic way to feed an ERP, WMS or script. */
export const webhookTarget: ConnectorDefinition<typeof webhookTargetConfig> = {
  kind: 'webhook-target',
  summary: 'POSTs each routed order event as JSON, signed per Standard Webhooks, with an Idempotency-Key.',
  config: webhookTargetConfig,
  create(config, deps) {
    // A malformed secret stops startup here rather than failing every delivery later.
    decodeWebhookSecret(config.secret);
    return { id: config.id, kind: 'webhook-target', target: createTarget(config, extraHeaders(config.headers, deps.log)) };
  },
};

function createTarget(config: WebhookTargetConfig, headers: Readonly<Record<string, string>>): Target {
  return {
    async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
      // `timestamp` is when the delivery was created, not sent, so every attempt carries the same event time.
      const body = JSON.stringify({
        type: event,
        timestamp: delivery.createdAt,
        data: { order, delivery: { id: delivery.id, idempotencyKey: delivery.idempotencyKey, attempt: delivery.attempts.length + 1 } },
      });
      const sentAt = Math.floor(Date.now() / 1000);
      const reply = await postJson(
        config.url,
        body,
        {
          ...headers,
          'webhook-id': delivery.id,
          'webhook-timestamp': String(sentAt),
          'webhook-signature': signStandardWebhook(config.secret, delivery.id, sentAt, body),
          'Idempotency-Key': delivery.idempotencyKey,
          'User-Agent': USER_AGENT,
        },
        { timeoutMs: config.timeoutMs, signal },
      );
      return { status: reply.status, responseBody: reply.keptBody, partnerRef: readPartnerRef(reply.body) };
    },
  };
}

function extraHeaders(configured: Readonly<Record<string, string>>, log: Logger): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) log.warn({ header: name }, 'configured header ignored: the connector sets it');
    else kept[name] = value;
  }
  return kept;
}

/** The partner's id from a JSON answer; a non-JSON or id-less answer is still a success. */
function readPartnerRef(body: string): string | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof answer !== 'object' || answer === null) return undefined;
  const fields = answer as Record<string, unknown>;
  return PARTNER_REF_FIELDS.map((field) => fields[field]).find((value): value is string => typeof value === 'string' && value !== '');
}
