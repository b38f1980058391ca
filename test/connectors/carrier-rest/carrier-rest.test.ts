import { carrierRest } from '../../../connectors/carrier-rest/carrier-rest.connector';
import { TRACKING_STATUSES } from '../../../connectors/carrier-rest/carrier-rest.mapping';
import type { CallbackRequest } from '../../../connectors/connector';
import { signStandardWebhook } from '../../../connectors/shared/signatures';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { SignatureError } from '../../../core/errors/signature.error';
import { ValidationError } from '../../../core/errors/validation.error';
import type { OrderEventName } from '../../../core/lifecycle/order-events';
import { startCarrierRestSandbox, type CarrierRestSandbox } from '../../sandboxes/carrier-rest.sandbox';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { deliveryRequest, noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';

const API_KEY = 'carrier-key';
const WEBHOOK_SECRET = 'whsec_Y2Fycmllci13ZWJob29rLXNlY3JldC0zMi1ieXRlcyE=';
const SHIPPER = { name: '华东泵业仓库', phone: '021-5555-0100', street: '华新镇华志路 123 号', city: '上海', country: 'CN' };
let carrier: CarrierRestSandbox;

beforeEach(async () => {
  carrier = await startCarrierRestSandbox({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
});

afterEach(async () => {
  await carrier.close();
});

function connector(overrides: Record<string, unknown> = {}) {
  const config = carrierRest.config.parse({
    id: 'acme',
    kind: 'carrier-rest',
    baseUrl: carrier.url,
    apiKey: API_KEY,
    carrier: 'acme-freight',
    shipper: SHIPPER,
    webhookSecret: WEBHOOK_SECRET,
    timeoutMs: 500,
    ...overrides,
  });
  return carrierRest.create(config);
}

function deliver(order = makeOrder({ status: 'confirmed' }), event: OrderEventName = 'order.confirmed', overrides: Record<string, unknown> = {}) {
  return connector(overrides).target.deliver(deliveryRequest(order, event, 'acme'), noAbort());
}

describe('carrier-rest waybill', () => {
  it('opens a waybill with the API key and idempotency key and returns its tracking number as shipment', async () => {
    const order = makeOrder({ status: 'confirmed', customer: { name: '华东水务', contact: { name: '王工', phone: '13800000000' } } });
    const outcome = await deliver(order);
    expect(outcome).toMatchObject({ status: 201, partnerRef: 'AF1000000001', shipment: { carrier: 'acme-freight', trackingNumber: 'AF1000000001' } });
    expect(carrier.requests[0]).toMatchObject({ verified: true, idempotencyKey: `${order.id}:order.confirmed:acme`, reference: order.id });
    expect(JSON.parse(carrier.requests[0]!.body)).toMatchObject({ reference: order.id, shipper: SHIPPER, consignee: { company: '华东水务', phone: '13800000000' } });
  });

  it('also opens on order.in_fulfillment, and the same key gets the same waybill back', async () => {
    const order = makeOrder({ status: 'in_fulfillment' });
    const first = await deliver(order, 'order.in_fulfillment');
    const again = await deliver(order, 'order.in_fulfillment');
    expect(again.shipment).toEqual(first.shipment);
    expect(carrier.duplicateReferences()).toEqual([]);
  });

  it('refuses other events permanently without calling the carrier', async () => {
    await expect(deliver(makeOrder(), 'order.delivered')).rejects.toBeInstanceOf(PermanentPartnerError);
    expect(carrier.requests).toHaveLength(0);
  });

  it.each([
    ['500', { status: 500 }, TransientPartnerError],
    ['a timeout', { delayMs: 2000 }, TransientPartnerError],
    ['422', { status: 422 }, PermanentPartnerError],
    ['a 2xx without trackingNumber', { status: 200, body: '{"labelUrl":"x"}' }, PermanentPartnerError],
  ])('classifies %s', async (_name, fault, expected) => {
    carrier.faults.set([fault]);
    await expect(deliver(makeOrder(), 'order.confirmed', { timeoutMs: 150 })).rejects.toBeInstanceOf(expected);
  });

  it('carries Retry-After of a 429 as retryAfterMs', async () => {
    carrier.faults.set([{ status: 429, retryAfterSeconds: 30 }]);
    await expect(deliver()).rejects.toMatchObject({ code: 'partner.transient', retryAfterMs: 30_000 });
  });

  it('after commit-then-timeout the retry returns the committed waybill', async () => {
    const order = makeOrder({ status: 'confirmed' });
    carrier.faults.set([{ commitThenTimeout: true }]);
    await expect(deliver(order, 'order.confirmed', { timeoutMs: 150 })).rejects.toBeInstanceOf(TransientPartnerError);
    expect((await deliver(order)).shipment?.trackingNumber).toBe('AF1000000001');
    expect(carrier.waybills.size).toBe(1);
  });
});

describe('carrier-rest tracking callbacks', () => {
  const handler = () => connector().callbacks;
  const body = (status = 'delivered', extra: Record<string, unknown> = {}) =>
    JSON.stringify({ type: 'shipment.tracking', data: { reference: 'ORD-1', trackingNumber: 'AF1', status, occurredAt: '2026-03-05T10:00:00+08:00', ...extra } });

  function signed(raw: string, options: { secret?: string; ageSeconds?: number; id?: string } = {}): CallbackRequest {
    const now = Date.now();
    const timestamp = Math.floor(now / 1000) - (options.ageSeconds ?? 0);
    const id = options.id ?? 'msg_1';
    return {
      headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook(options.secret ?? WEBHOOK_SECRET, id, timestamp, raw) },
      rawBody: Buffer.from(raw),
      query: {},
      receivedAt: now,
    };
  }

  it('verifies and maps a valid message, the message id as event id', () => {
    const request = signed(body('delivered', { location: '上海青浦' }));
    handler().verify(request);
    expect(handler().parse(request)).toEqual([
      { kind: 'tracking', eventId: 'msg_1', orderId: 'ORD-1', occurredAt: '2026-03-05T10:00:00+08:00', carrier: 'acme-freight', trackingNumber: 'AF1', status: 'delivered', location: '上海青浦' },
    ]);
  });

  it('refuses a bad signature, a stale timestamp and missing headers with their codes', () => {
    expect(() => handler().verify(signed(body(), { secret: 'whsec_b3RoZXItc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZXM=' }))).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify(signed(body(), { ageSeconds: 301 }))).toThrow(expect.objectContaining({ code: 'signature.stale' }));
    const { 'webhook-signature': _dropped, ...headers } = signed(body()).headers;
    expect(() => handler().verify({ ...signed(body()), headers })).toThrow(SignatureError);
    expect(() => handler().verify({ ...signed(body()), headers })).toThrow(expect.objectContaining({ code: 'signature.missing' }));
  });

  it('refuses a body altered after signing', () => {
    const request = signed(body('in_transit'));
    expect(() => handler().verify({ ...request, rawBody: Buffer.from(body('delivered')) })).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
  });

  it('names the malformed field', () => {
    expect(() => handler().parse(signed(body('teleported')))).toThrow(ValidationError);
    expect(() => handler().parse(signed(body('teleported')))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'data.status' })] }));
    expect(() => handler().parse(signed(body('delivered', { occurredAt: 'yesterday' })))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'data.occurredAt' })] }));
    expect(() => handler().parse(signed('not json'))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'body' })] }));
    expect(() => handler().parse(signed('{"data":{}}'))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'type' })] }));
  });

  it('acknowledges other message types with no events', () => {
    expect(handler().parse(signed(JSON.stringify({ type: 'label.created', data: {} })))).toEqual([]);
  });

  it.each(Object.entries(TRACKING_STATUSES))('maps carrier status %s to %s', (carrierStatus, hubStatus) => {
    expect(handler().parse(signed(body(carrierStatus)))[0]).toMatchObject({ kind: 'tracking', status: hubStatus });
  });

  it('the sandbox emits shuffled, duplicated messages that all verify, repeats keeping their id', async () => {
    const receiver = await startCallbackReceiver(handler());
    try {
      const events = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'].map((status, i) => ({
        orderId: 'ORD-9',
        trackingNumber: 'AF9',
        status,
        occurredAt: `2026-03-0${i + 2}T08:00:00+08:00`,
        id: `msg_${i}`,
      }));
      const results = await carrier.sendTrackingEvents(receiver.url, events, { shuffle: true, duplicate: true });
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(receiver.events).toHaveLength(8);
      expect(new Set(receiver.events.map((e) => e.eventId))).toEqual(new Set(['msg_0', 'msg_1', 'msg_2', 'msg_3']));
    } finally {
      await receiver.close();
    }
  });
});
