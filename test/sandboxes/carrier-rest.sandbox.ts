import { randomUUID } from 'node:crypto';
import { signStandardWebhook } from '../../connectors/shared/signatures';
import { disorder, header, jsonObject, postCallback, startSandbox, type CallbackDelivery, type Sandbox, type SandboxListen, type SandboxRequest } from './sandbox-server';

/**
 * A carrier speaking the hub's generic carrier contract (connectors/carrier-rest/README.md):
 * Bearer key; `POST /shipments` opens one waybill per Idempotency-Key; tracking is pushed back as
 * Standard Webhooks messages signed with the carrier's `whsec_` secret.
 */

export interface CarrierTrackingEvent {
  /** Our order id, as the carrier got it in `reference`. */
  readonly orderId: string;
  readonly trackingNumber: string;
  /** The carrier's own vocabulary (`picked_up`, `arrived_at_facility`, `delivered` …). */
  readonly status: string;
  readonly occurredAt: string;
  readonly location?: string;
  /** The message id; one is made up when absent. Duplicates resend the same id, as a retrying carrier does. */
  readonly id?: string;
}

export interface CarrierRestSandbox extends Sandbox {
  /** Tracking number per Idempotency-Key, for the waybills opened. */
  readonly waybills: ReadonlyMap<string, string>;
  sendTrackingEvents(url: string, events: readonly CarrierTrackingEvent[], options?: { shuffle?: boolean; duplicate?: boolean }): Promise<CallbackDelivery[]>;
}

export interface CarrierRestSandboxOptions extends SandboxListen {
  readonly apiKey: string;
  readonly webhookSecret: string;
}

export async function startCarrierRestSandbox(options: CarrierRestSandboxOptions): Promise<CarrierRestSandbox> {
  const waybills = new Map<string, string>();

  const check = (request: SandboxRequest) => {
    request.verified = header(request, 'authorization') === `Bearer ${options.apiKey}`;
    if (!request.verified) return { status: 401, body: { error: 'invalid api key' } };
    request.idempotencyKey = header(request, 'idempotency-key');
    if (!request.idempotencyKey) return { status: 400, body: { error: 'Idempotency-Key header is required' } };
    const body = jsonObject(request.body);
    if (typeof body?.reference !== 'string') return { status: 422, body: { error: 'reference is required' } };
    request.reference = body.reference;
    return undefined;
  };

  const sandbox = await startSandbox([
    {
      method: 'POST',
      path: '/v1/shipments',
      check,
      commit: (request) => {
        const key = request.idempotencyKey as string;
        const known = waybills.get(key);
        if (known) return { status: 200, body: { trackingNumber: known }, replayed: true };
        const trackingNumber = `AF${String(1_000_000_000 + waybills.size + 1)}`;
        waybills.set(key, trackingNumber);
        return { status: 201, body: { trackingNumber, labelUrl: `https://labels.example.com/${trackingNumber}.pdf` } };
      },
    },
  ], options);

  return {
    ...sandbox,
    url: `${sandbox.url}/v1`,
    waybills,
    async sendTrackingEvents(url, events, sendOptions = {}) {
      const messages = events.map((event) => ({ ...event, id: event.id ?? `msg_${randomUUID()}` }));
      const results: CallbackDelivery[] = [];
      for (const event of disorder(messages, sendOptions)) results.push(await postTrackingEvent(url, options.webhookSecret, event));
      return results;
    },
  };
}

/** Signs one tracking event with the carrier's `whsec_` secret, as the carrier does, and POSTs it to the hub's hook `url`. */
export function postTrackingEvent(url: string, webhookSecret: string, event: CarrierTrackingEvent & { readonly id: string }): Promise<CallbackDelivery> {
  const body = JSON.stringify({
    type: 'shipment.tracking',
    timestamp: event.occurredAt,
    data: { reference: event.orderId, trackingNumber: event.trackingNumber, status: event.status, occurredAt: event.occurredAt, location: event.location },
  });
  const sentAt = Math.floor(Date.now() / 1000);
  return postCallback(url, body, {
    'content-type': 'application/json',
    'webhook-id': event.id,
    'webhook-timestamp': String(sentAt),
    'webhook-signature': signStandardWebhook(webhookSecret, event.id, sentAt, body),
  });
}
