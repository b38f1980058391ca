import { PermanentPartnerError } from '../../core/errors/partner.error';
import { SignatureError } from '../../core/errors/signature.error';
import type { CallbackRequest, ConnectorDefinition, DeliveryOutcome, DeliveryRequest } from '../connector';
import { postJson } from '../shared/http-client';
import { decodeWebhookSecret, verifyStandardWebhook } from '../shared/signatures';
import { carrierRestConfig, type CarrierRestConfig } from './carrier-rest.config';
import { shipmentRequest, trackingEvents, trackingNumberOf } from './carrier-rest.mapping';

/**
 * Generic REST carrier (contract in README.md): on `order.confirmed` or `order.in_fulfillment` a
 * shipment is created with an Idempotency-Key
 * (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/) and answered with
 * its tracking number; tracking comes back at POST /api/v1/hooks/:id as Standard Webhooks
 * messages (https://www.standardwebhooks.com, https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md),
 * verified on the raw body with the configured timestamp tolerance.
 */

const USER_AGENT = 'order-hub/0.1';
/** A waybill is opened when the order is confirmed or, for routes that wait, when fulfilment starts. */
const ACCEPTED_EVENTS: ReadonlySet<string> = new Set(['order.confirmed', 'order.in_fulfillment']);

export const carrierRest = {
  kind: 'carrier-rest',
  summary: 'Creates a shipment with a generic REST carrier (Idempotency-Key) and reads its Standard Webhooks tracking callbacks.',
  config: carrierRestConfig,
  create(config: CarrierRestConfig) {
    // A malformed webhook secret stops startup here rather than refusing every callback later.
    decodeWebhookSecret(config.webhookSecret);
    return {
      id: config.id,
      kind: 'carrier-rest',
      target: {
        async deliver({ delivery, event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
          if (!ACCEPTED_EVENTS.has(event)) throw new PermanentPartnerError(`carrier-rest opens waybills on ${[...ACCEPTED_EVENTS].join(' or ')}, not ${event}`);
          const reply = await postJson(
            `${config.baseUrl.replace(/\/+$/, '')}/shipments`,
            shipmentRequest(order, config),
            { Authorization: `Bearer ${config.apiKey}`, 'Idempotency-Key': delivery.idempotencyKey, 'User-Agent': USER_AGENT },
            { timeoutMs: config.timeoutMs, signal },
          );
          const trackingNumber = trackingNumberOf(reply);
          return { status: reply.status, responseBody: reply.keptBody, partnerRef: trackingNumber, shipment: { carrier: config.carrier, trackingNumber } };
        },
      },
      callbacks: {
        verify(request: CallbackRequest) {
          verifyStandardWebhook(config.webhookSecret, request.headers, request.rawBody, { toleranceSeconds: config.toleranceSeconds, now: request.receivedAt });
        },
        parse(request: CallbackRequest) {
          const messageId = request.headers['webhook-id'];
          if (!messageId) throw new SignatureError('signature.missing', 'webhook-id header is required');
          return trackingEvents(request.rawBody, messageId, config.carrier);
        },
      },
    };
  },
} satisfies ConnectorDefinition<typeof carrierRestConfig>;
