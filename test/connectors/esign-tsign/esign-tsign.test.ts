import { createHmac } from 'node:crypto';
import type { CallbackRequest } from '../../../connectors/connector';
import { esignTsign } from '../../../connectors/esign-tsign/esign-tsign.connector';
import { FLOW_END_STATUSES } from '../../../connectors/esign-tsign/esign-tsign.mapping';
import { contentMd5, requestSignature, stringToSign } from '../../../connectors/esign-tsign/tsign.signing';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import { startEsignTsignSandbox, type EsignTsignSandbox } from '../../sandboxes/esign-tsign.sandbox';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { deliveryRequest, noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';

const APP_ID = '7438000001';
const APP_SECRET = 'tsign-app-secret';
const HOOK = 'https://hub.example.com/api/v1/hooks/esign';
let tsign: EsignTsignSandbox;

beforeEach(async () => {
  tsign = await startEsignTsignSandbox({ appId: APP_ID, appSecret: APP_SECRET });
});

afterEach(async () => {
  await tsign.close();
});

function connector(overrides: Record<string, unknown> = {}) {
  return esignTsign.create(
    esignTsign.config.parse({ id: 'esign', kind: 'esign-tsign', baseUrl: tsign.url, appId: APP_ID, appSecret: APP_SECRET, docTemplateId: 'tpl-acceptance', callbackUrl: HOOK, timeoutMs: 500, ...overrides }),
  );
}

function delivered(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return makeOrder({ status: 'delivered', poNumber: 'PO-88', customer: { name: '华东水务工程有限公司', contact: { name: '王工', phone: '13800000000' } }, ...overrides });
}

function deliver(order = delivered(), overrides: Record<string, unknown> = {}) {
  return connector(overrides).target.deliver(deliveryRequest(order, 'order.delivered', 'esign'), noAbort());
}

describe('e签宝 request signing', () => {
  it('lays out the documented string to sign and matches an independently computed vector', () => {
    expect(contentMd5('{}')).toBe('mZFLkyvTelC5g8XnyQrpOw==');
    const sts = stringToSign('POST', 'uxydqKBMBy6x1siClKEQ6Q==', '/v3/sign-flow/create-by-file');
    expect(sts).toBe('POST\n*/*\nuxydqKBMBy6x1siClKEQ6Q==\napplication/json; charset=UTF-8\n\n/v3/sign-flow/create-by-file');
    expect(requestSignature('dummysecret', sts)).toBe('6dYuzEqXUobDAEL97Ja5pvH3QWHpn4R5iJSWEvIsCo8=');
  });
});

describe('e签宝 acceptance signing flow', () => {
  it('fills the template, starts the flow with signed requests and returns the flow id', async () => {
    const order = delivered();
    const outcome = await deliver(order);
    expect(outcome.partnerRef).toBe('flow00000001');
    expect(tsign.requests.map((r) => [r.path, r.verified])).toEqual([
      ['/v3/files/create-by-doc-template', true],
      ['/v3/sign-flow/create-by-file', true],
    ]);
    expect(tsign.files.get('file00000001')).toContain(`订单 ${order.id} / 采购单 PO-88`);
    expect(tsign.files.get('file00000001')).toContain('1. PANEL-A × 10 EA');
    expect(tsign.flows.get('flow00000001')).toMatchObject({ orderId: order.id, notifyUrl: `${HOOK}?orderId=${order.id}` });
    expect(JSON.parse(tsign.requests[1]!.body)).toMatchObject({
      signFlowConfig: { autoFinish: true },
      signers: [{ signerType: 1, orgSignerInfo: { orgName: '华东水务工程有限公司', transactorInfo: { psnAccount: '13800000000' } } }],
    });
  });

  it('refuses other events and unreachable signers permanently, without calling e签宝', async () => {
    await expect(connector().target.deliver(deliveryRequest(delivered(), 'order.shipped', 'esign'), noAbort())).rejects.toBeInstanceOf(PermanentPartnerError);
    await expect(deliver(delivered({ customer: { name: 'X' } }))).rejects.toBeInstanceOf(PermanentPartnerError);
    expect(tsign.requests).toHaveLength(0);
  });

  it('treats the gateway refusing a wrong secret as permanent', async () => {
    await expect(deliver(delivered(), { appSecret: 'wrong' })).rejects.toMatchObject({ code: 'partner.permanent', response: { status: 401 } });
  });

  it.each([
    ['a 503 on the template fill', [{ status: 503 }], TransientPartnerError],
    ['file not converted yet (1437513)', [undefined, { status: 200, body: '{"code":1437513,"message":"文档未成功转换成pdf","data":null}' }], TransientPartnerError],
    ['a business error code', [undefined, { status: 200, body: '{"code":1435002,"message":"参数错误","data":null}' }], PermanentPartnerError],
    ['a garbled answer', [{ status: 200, body: 'oops' }], PermanentPartnerError],
    ['a slow answer', [{ delayMs: 2000 }], TransientPartnerError],
  ])('classifies %s', async (_name, plan, expected) => {
    const faults = [...plan];
    tsign.faults.set(() => faults.shift());
    await expect(deliver(delivered(), { timeoutMs: 150 })).rejects.toBeInstanceOf(expected);
  });

  it('carries Retry-After of a 429', async () => {
    tsign.faults.set([{ status: 429, retryAfterSeconds: 2 }]);
    await expect(deliver()).rejects.toMatchObject({ retryAfterMs: 2000 });
  });

  it('has no idempotency key: a flow committed before a timeout is not found by the retry, and the sandbox shows it', async () => {
    const order = delivered();
    tsign.faults.set((request) => (request.path.endsWith('create-by-file') && request.seq === 2 ? { commitThenTimeout: true } : undefined));
    await expect(deliver(order, { timeoutMs: 150 })).rejects.toBeInstanceOf(TransientPartnerError);
    await deliver(order);
    expect(tsign.duplicateReferences()).toEqual([order.id]);
  });
});

describe('e签宝 completion callback', () => {
  const handler = () => connector().callbacks;
  const body = (fields: Record<string, unknown> = {}) => JSON.stringify({ action: 'SIGN_FLOW_COMPLETE', timestamp: 1772700000000, signFlowId: 'flow1', signFlowStatus: '2', signFlowFinishTime: 1772700000000, ...fields });

  function signed(raw: string, options: { query?: Record<string, string>; ageMs?: number; secret?: string; appId?: string } = {}): CallbackRequest {
    const now = Date.now();
    const timestamp = String(now - (options.ageMs ?? 0));
    const query = options.query ?? { orderId: 'ORD-1' };
    const values = Object.keys(query).sort().map((k) => query[k]).join('');
    const signature = createHmac('sha256', options.secret ?? APP_SECRET).update(timestamp + values + raw).digest('hex');
    return {
      headers: { 'x-tsign-open-app-id': options.appId ?? APP_ID, 'x-tsign-open-timestamp': timestamp, 'x-tsign-open-signature': signature, 'x-tsign-open-signature-algorithm': 'hmac-sha256' },
      rawBody: Buffer.from(raw),
      query,
      receivedAt: now,
    };
  }

  it('verifies hex HMAC over timestamp + query values + body and maps the flow end', () => {
    const request = signed(body());
    handler().verify(request);
    expect(handler().parse(request)).toEqual([{ kind: 'signature', eventId: 'tsign-flow1-2', orderId: 'ORD-1', occurredAt: new Date(1772700000000).toISOString(), flowId: 'flow1', status: 'completed' }]);
  });

  it('refuses a bad signature, another app, a changed query and a stale timestamp', () => {
    expect(() => handler().verify(signed(body(), { secret: 'other' }))).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify(signed(body(), { appId: '999' }))).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify({ ...signed(body()), query: { orderId: 'ORD-2' } })).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify(signed(body(), { ageMs: 301_000 }))).toThrow(expect.objectContaining({ code: 'signature.stale' }));
  });

  it('refuses missing signature headers', () => {
    const { 'x-tsign-open-signature': _dropped, ...headers } = signed(body()).headers;
    expect(() => handler().verify({ ...signed(body()), headers })).toThrow(expect.objectContaining({ code: 'signature.missing' }));
  });

  it('names the malformed field', () => {
    expect(() => handler().parse(signed(body({ signFlowStatus: '9' })))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'signFlowStatus' })] }));
    expect(() => handler().parse(signed(body({ signFlowId: undefined })))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'signFlowId' })] }));
    expect(() => handler().parse(signed(body(), { query: {} }))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'query.orderId' })] }));
    expect(() => handler().parse(signed('[]'))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'body' })] }));
    expect(() => handler().parse(signed('{"signFlowId":"flow1"}'))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'action' })] }));
  });

  it('acknowledges other actions with no events', () => {
    expect(handler().parse(signed(JSON.stringify({ action: 'SIGN_MISSON_COMPLETE', signFlowId: 'flow1', signResult: 2 })))).toEqual([]);
  });

  it.each(Object.entries(FLOW_END_STATUSES))('maps signFlowStatus %s to %s', (code, status) => {
    expect(handler().parse(signed(body({ signFlowStatus: code })))).toEqual([expect.objectContaining({ status, eventId: `tsign-flow1-${code}` })]);
  });

  it('the sandbox completes a flow at the order\'s notifyUrl; a duplicate keeps the event id', async () => {
    const order = delivered();
    const { partnerRef } = await deliver(order);
    const receiver = await startCallbackReceiver(handler());
    try {
      const results = await tsign.completeSigning(receiver.url, partnerRef!, { duplicate: true });
      expect(results.map((r) => [r.status, r.body])).toEqual([
        [200, '{"code":"200","msg":"success"}'],
        [200, '{"code":"200","msg":"success"}'],
      ]);
      expect(receiver.events).toEqual([expect.objectContaining({ orderId: order.id, flowId: partnerRef, status: 'completed' }), expect.objectContaining({ eventId: `tsign-${partnerRef}-2` })]);
    } finally {
      await receiver.close();
    }
  });
});
