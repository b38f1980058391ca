import { createHash } from 'node:crypto';
import { carrierKuaidi100 } from '../../../connectors/carrier-kuaidi100/carrier-kuaidi100.connector';
import { STATE_CODES } from '../../../connectors/carrier-kuaidi100/carrier-kuaidi100.mapping';
import { pushSalt } from '../../../connectors/carrier-kuaidi100/kuaidi100.signing';
import type { CallbackRequest } from '../../../connectors/connector';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { ValidationError } from '../../../core/errors/validation.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import { startKuaidi100Sandbox, type Kuaidi100Sandbox } from '../../sandboxes/carrier-kuaidi100.sandbox';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { deliveryRequest, noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';

const KEY = 'kd100-key';
const SECRET = 'kd100-secret';
const SALT_SECRET = 'salt-secret-for-tests';
const HOOK = 'https://hub.example.com/api/v1/hooks/kuaidi100';
let kd: Kuaidi100Sandbox;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

beforeEach(async () => {
  kd = await startKuaidi100Sandbox({ key: KEY, secret: SECRET });
});

afterEach(async () => {
  await kd.close();
});

function connector(overrides: Record<string, unknown> = {}) {
  return carrierKuaidi100.create(
    carrierKuaidi100.config.parse({
      id: 'kuaidi100',
      kind: 'carrier-kuaidi100',
      baseUrl: kd.url,
      key: KEY,
      secret: SECRET,
      kuaidicom: 'shunfeng',
      partnerId: '7551234567',
      sender: { name: '仓库', mobile: '13900000000', printAddr: '上海市青浦区华新镇华志路123号' },
      callbackUrl: HOOK,
      saltSecret: SALT_SECRET,
      timeoutMs: 500,
      ...overrides,
    }),
  );
}

function shippable(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return makeOrder({
    status: 'confirmed',
    poNumber: 'PO-2026-0815',
    customer: { name: '华东水务工程有限公司', contact: { name: '王工', phone: '13800000000' } },
    shipTo: { name: '青浦泵站工地', region: '上海市', city: '青浦区', street: '外青松公路 100 号', country: 'CN' },
    ...overrides,
  });
}

function deliver(order = shippable(), overrides: Record<string, unknown> = {}) {
  return connector(overrides).target.deliver(deliveryRequest(order, 'order.confirmed', 'kuaidi100'), noAbort());
}

describe('kuaidi100 e-waybill order', () => {
  it('signs MD5(param + t + key + secret) upper-case and returns the kuaidinum as shipment', async () => {
    const order = shippable();
    const outcome = await deliver(order);
    expect(outcome).toMatchObject({ partnerRef: 'SF1400000000001', shipment: { carrier: 'shunfeng', trackingNumber: 'SF1400000000001' } });
    const form = new URLSearchParams(kd.requests[0]!.body);
    expect(form.get('sign')).toBe(md5(`${form.get('param')}${form.get('t')}${KEY}${SECRET}`));
    expect(form.get('method')).toBe('order');
    expect(JSON.parse(form.get('param')!)).toMatchObject({
      kuaidicom: 'shunfeng',
      orderId: order.id,
      needSubscribe: true,
      pollCallBackUrl: `${HOOK}?orderId=${order.id}`,
      salt: pushSalt(SALT_SECRET, order.id),
      recMan: { name: '青浦泵站工地', mobile: '13800000000', printAddr: '上海市青浦区外青松公路 100 号' },
    });
    expect(kd.requests[0]).toMatchObject({ verified: true, reference: order.id });
  });

  it('fails permanently, without a call, when the order has no recipient phone', async () => {
    await expect(deliver(shippable({ customer: { name: 'X' } }))).rejects.toBeInstanceOf(PermanentPartnerError);
    expect(kd.requests).toHaveLength(0);
  });

  it('treats kuaidi100\'s signature refusal as permanent', async () => {
    await expect(deliver(shippable(), { secret: 'wrong' })).rejects.toMatchObject({ code: 'partner.permanent', message: expect.stringContaining('503') });
  });

  it.each([
    ['HTTP 502', { status: 502 }, TransientPartnerError],
    ['kuaidi100 code 500', { status: 200, body: '{"success":false,"code":500,"message":"服务器错误"}' }, TransientPartnerError],
    ['kuaidi100 code 400', { status: 200, body: '{"success":false,"code":400,"message":"参数错误"}' }, PermanentPartnerError],
    ['a garbled answer', { status: 200, body: '<html>' }, PermanentPartnerError],
    ['a slow answer', { delayMs: 2000 }, TransientPartnerError],
  ])('classifies %s', async (_name, fault, expected) => {
    kd.faults.set([fault]);
    await expect(deliver(shippable(), { timeoutMs: 150 })).rejects.toBeInstanceOf(expected);
  });

  it('carries Retry-After of a 429', async () => {
    kd.faults.set([{ status: 429, retryAfterSeconds: 5 }]);
    await expect(deliver()).rejects.toMatchObject({ retryAfterMs: 5000 });
  });

  it('has no idempotency key: a retry after commit-then-timeout opens a second waybill, and the sandbox shows it', async () => {
    const order = shippable();
    kd.faults.set([{ commitThenTimeout: true }]);
    await expect(deliver(order, { timeoutMs: 150 })).rejects.toBeInstanceOf(TransientPartnerError);
    await deliver(order);
    expect(kd.duplicateReferences()).toEqual([order.id]);
  });
});

describe('kuaidi100 tracking push', () => {
  const handler = () => connector().callbacks;
  const trace = (statusCode: string, ftime = '2026-03-05 10:00:00', context = '快件已揽收') => ({ context, time: ftime, ftime, statusCode, areaName: '上海' });

  function push(data: object[], options: { orderId?: string; signFor?: string; state?: string } = {}): CallbackRequest {
    const orderId = options.orderId ?? 'ORD-1';
    const param = JSON.stringify({ status: 'polling', message: '', lastResult: { state: options.state ?? '0', nu: 'SF1', com: 'shunfeng', data } });
    const sign = md5(param + pushSalt(SALT_SECRET, options.signFor ?? orderId));
    return { headers: {}, rawBody: Buffer.from(new URLSearchParams({ param, sign }).toString()), query: { orderId }, receivedAt: Date.now() };
  }

  it('verifies MD5(param + salt) and makes one event per trace, China time, hashed ids', () => {
    const request = push([trace('5', '2026-03-06 09:00:00', '派件中'), trace('103', '2026-03-05 10:00:00', '已揽收')]);
    handler().verify(request);
    const events = handler().parse(request);
    expect(events).toMatchObject([
      { kind: 'tracking', orderId: 'ORD-1', carrier: 'shunfeng', trackingNumber: 'SF1', status: 'out_for_delivery', occurredAt: '2026-03-06T09:00:00+08:00', description: '派件中', location: '上海' },
      { status: 'picked_up', occurredAt: '2026-03-05T10:00:00+08:00' },
    ]);
    expect(events[0]?.eventId).toMatch(/^kd100-[0-9a-f]{32}$/);
    expect(handler().parse(push([trace('5', '2026-03-06 09:00:00', '派件中')]))[0]?.eventId).toBe(events[0]?.eventId);
  });

  it('refuses a bad sign, and a push signed for another order', () => {
    const tampered = push([trace('3')]);
    const form = new URLSearchParams(tampered.rawBody.toString());
    form.set('sign', md5('forged'));
    expect(() => handler().verify({ ...tampered, rawBody: Buffer.from(form.toString()) })).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify(push([trace('3')], { orderId: 'ORD-2', signFor: 'ORD-1' }))).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
  });

  it('refuses missing sign, param or orderId as signature.missing', () => {
    const request = push([trace('3')]);
    expect(() => handler().verify({ ...request, rawBody: Buffer.from('param=%7B%7D') })).toThrow(expect.objectContaining({ code: 'signature.missing' }));
    expect(() => handler().verify({ ...request, query: {} })).toThrow(expect.objectContaining({ code: 'signature.missing' }));
  });

  it('has no timestamp to check: an old push verifies, and repeats its event ids for the hub to drop', () => {
    const request = { ...push([trace('3')]), receivedAt: Date.now() + 86_400_000 };
    expect(() => handler().verify(request)).not.toThrow();
    expect(handler().parse(request)).toEqual(handler().parse(push([trace('3')])));
  });

  it('names malformed fields', () => {
    expect(() => handler().parse(push([{ ...trace('3'), ftime: '05/03/2026' }]))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'param.lastResult.data[0].ftime' })] }));
    expect(() => handler().parse(push([trace('99')]))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'param.lastResult.data[0].statusCode' })] }));
    const garbage = { ...push([]), rawBody: Buffer.from(new URLSearchParams({ param: 'not json', sign: 'x' }).toString()) };
    expect(() => handler().parse(garbage)).toThrow(ValidationError);
  });

  it('uses the shipment state for a newest trace without its own code, and skips older ones', () => {
    const bare = ({ statusCode: _c, ...rest }: ReturnType<typeof trace>) => rest;
    const events = handler().parse(push([bare(trace('x', '2026-03-06 09:00:00')), bare(trace('x', '2026-03-05 09:00:00'))], { state: '3' }));
    expect(events).toMatchObject([{ status: 'delivered', occurredAt: '2026-03-06T09:00:00+08:00' }]);
  });

  it.each(Object.entries(STATE_CODES))('maps state %s to %s', (code, status) => {
    const events = handler().parse(push([trace(code)]));
    expect(events).toEqual(status ? [expect.objectContaining({ status })] : []);
  });

  it('acknowledges the way kuaidi100 expects, for shuffled and duplicated pushes from the sandbox', async () => {
    const order = shippable();
    const { shipment } = await deliver(order);
    const receiver = await startCallbackReceiver(handler());
    try {
      const traces = [
        { statusCode: '103', time: '2026-03-05 10:00:00', context: '已揽收' },
        { statusCode: '1002', time: '2026-03-05 20:00:00', context: '运输中' },
        { statusCode: '5', time: '2026-03-06 09:00:00', context: '派件中' },
        { statusCode: '301', time: '2026-03-06 15:00:00', context: '本人签收' },
      ].map((t) => ({ ...t, trackingNumber: shipment!.trackingNumber }));
      const results = await kd.sendTrackingEvents(receiver.url, traces, { shuffle: true, duplicate: true });
      expect(results.every((r) => r.status === 200 && JSON.parse(r.body).returnCode === '200')).toBe(true);
      expect(new Set(receiver.events.map((e) => e.orderId))).toEqual(new Set([order.id]));
      const unique = new Map(receiver.events.map((e) => [e.eventId, e]));
      expect([...unique.values()].map((e) => e.kind === 'tracking' && e.status).sort()).toEqual(['delivered', 'in_transit', 'out_for_delivery', 'picked_up']);
    } finally {
      await receiver.close();
    }
  });
});
