import type { CallbackRequest } from '../../../connectors/connector';
import { esignFadada } from '../../../connectors/esign-fadada/esign-fadada.connector';
import { TASK_END_EVENTS } from '../../../connectors/esign-fadada/esign-fadada.mapping';
import { fascSign } from '../../../connectors/esign-fadada/fasc.signing';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import { startEsignFadadaSandbox, type EsignFadadaSandbox } from '../../sandboxes/esign-fadada.sandbox';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { deliveryRequest, noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';

const APP_ID = '80000001';
const APP_SECRET = 'fadada-app-secret';
let fdd: EsignFadadaSandbox;

beforeEach(async () => {
  fdd = await startEsignFadadaSandbox({ appId: APP_ID, appSecret: APP_SECRET });
});

afterEach(async () => {
  await fdd.close();
});

function connector(overrides: Record<string, unknown> = {}) {
  return esignFadada.create(
    esignFadada.config.parse({
      id: 'fadada',
      kind: 'esign-fadada',
      baseUrl: fdd.url,
      appId: APP_ID,
      appSecret: APP_SECRET,
      openCorpId: 'corp-open-1',
      signTemplateId: 'tpl-1',
      acceptanceField: { docId: '1', fieldId: 'acceptance' },
      timeoutMs: 500,
      ...overrides,
    }),
  );
}

function delivered(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return makeOrder({ status: 'delivered', poNumber: 'PO-99', customer: { name: '华东水务工程有限公司', contact: { name: '王工', email: 'wang@example.cn' } }, ...overrides });
}

describe('法大大 signature recipe', () => {
  it('matches a vector computed independently with the documented two-step HMAC', () => {
    const params = {
      'X-FASC-AccessToken': 'tok',
      'X-FASC-Api-SubVersion': '5.1',
      'X-FASC-App-Id': '00000000',
      'X-FASC-Nonce': 'a'.repeat(32),
      'X-FASC-Sign-Type': 'HMAC-SHA256',
      'X-FASC-Timestamp': '1757570000000',
      'X-FASC-Grant-Type': undefined,
      bizContent: '{"signTaskId":"1"}',
    };
    expect(fascSign(params, '1757570000000', 'dummysecret')).toBe('45a459b6af348e6ff2b3e5727823c54f4e5f4e23eea22e916d8da6befefe25bf');
  });
});

describe('法大大 acceptance signing task', () => {
  it('gets a token once, creates signed tasks from the template and returns their ids', async () => {
    const target = connector().target;
    const first = delivered();
    const outcome = await target.deliver(deliveryRequest(first, 'order.delivered', 'fadada'), noAbort());
    await target.deliver(deliveryRequest(delivered(), 'order.delivered', 'fadada'), noAbort());
    expect(fdd.requests.map((r) => [r.path.replace('/api/v5', ''), r.verified])).toEqual([
      ['/service/get-access-token', true],
      ['/sign-task/create-with-template', true],
      ['/sign-task/create-with-template', true],
    ]);
    expect(fdd.tasks.get(outcome.partnerRef!)).toMatchObject({ orderId: first.id, subject: '验收单 PO-99' });
    expect(fdd.tasks.get(outcome.partnerRef!)?.acceptance).toContain(`订单 ${first.id} / 采购单 PO-99`);
    const biz = JSON.parse(new URLSearchParams(fdd.requests[1]!.body).get('bizContent')!);
    expect(biz.actors[1]).toMatchObject({ actor: { actorId: '验收方', actorName: '华东水务工程有限公司', notification: { notifyWay: 'email', notifyAddress: 'wang@example.cn' } } });
  });

  it('refuses other events and unreachable signers permanently, without calling 法大大', async () => {
    await expect(connector().target.deliver(deliveryRequest(delivered(), 'order.accepted', 'fadada'), noAbort())).rejects.toBeInstanceOf(PermanentPartnerError);
    await expect(connector().target.deliver(deliveryRequest(delivered({ customer: { name: 'X' } }), 'order.delivered', 'fadada'), noAbort())).rejects.toBeInstanceOf(PermanentPartnerError);
    expect(fdd.requests).toHaveLength(0);
  });

  it('on an expired token (401 + 100002) fails transient and the retry fetches a new one', async () => {
    const target = connector().target;
    await target.deliver(deliveryRequest(delivered(), 'order.delivered', 'fadada'), noAbort());
    fdd.expireTokens();
    const order = delivered();
    await expect(target.deliver(deliveryRequest(order, 'order.delivered', 'fadada'), noAbort())).rejects.toBeInstanceOf(TransientPartnerError);
    const retry = await target.deliver(deliveryRequest(order, 'order.delivered', 'fadada'), noAbort());
    expect(fdd.tasks.get(retry.partnerRef!)?.orderId).toBe(order.id);
    expect(fdd.requests.filter((r) => r.path.endsWith('get-access-token'))).toHaveLength(2);
  });

  it('treats a refused signature (wrong secret) as permanent', async () => {
    await expect(connector({ appSecret: 'wrong' }).target.deliver(deliveryRequest(delivered(), 'order.delivered', 'fadada'), noAbort())).rejects.toMatchObject({
      code: 'partner.permanent',
      message: expect.stringContaining('100004'),
    });
  });

  it.each([
    ['a 503', { status: 503 }, TransientPartnerError],
    ['code 100001', { status: 200, body: '{"code":"100001","msg":"不可预知异常","data":null}' }, TransientPartnerError],
    ['a business error', { status: 200, body: '{"code":"210002","msg":"参数错误","data":null}' }, PermanentPartnerError],
    ['a garbled answer', { status: 200, body: '<html>' }, PermanentPartnerError],
    ['a slow answer', { delayMs: 2000 }, TransientPartnerError],
  ])('classifies %s on task creation', async (_name, fault, expected) => {
    fdd.faults.set((request) => (request.path.endsWith('create-with-template') ? fault : undefined));
    await expect(connector({ timeoutMs: 150 }).target.deliver(deliveryRequest(delivered(), 'order.delivered', 'fadada'), noAbort())).rejects.toBeInstanceOf(expected);
  });

  it('carries Retry-After of a 429', async () => {
    fdd.faults.set([{ status: 429, retryAfterSeconds: 9 }]);
    await expect(connector().target.deliver(deliveryRequest(delivered(), 'order.delivered', 'fadada'), noAbort())).rejects.toMatchObject({ retryAfterMs: 9000 });
  });

  it('has no idempotency key: a task committed before a timeout is repeated by the retry, and the sandbox shows it', async () => {
    const order = delivered();
    fdd.faults.set((request) => (request.path.endsWith('create-with-template') && request.seq === 2 ? { commitThenTimeout: true } : undefined));
    const target = connector({ timeoutMs: 150 }).target;
    await expect(target.deliver(deliveryRequest(order, 'order.delivered', 'fadada'), noAbort())).rejects.toBeInstanceOf(TransientPartnerError);
    await target.deliver(deliveryRequest(order, 'order.delivered', 'fadada'), noAbort());
    expect(fdd.duplicateReferences()).toEqual([order.id]);
  });
});

describe('法大大 task events', () => {
  const handler = () => connector().callbacks;

  function signed(event: string, biz: Record<string, unknown> | undefined, options: { ageMs?: number; secret?: string; appId?: string } = {}): CallbackRequest {
    const now = Date.now();
    const bizContent = biz === undefined ? undefined : JSON.stringify(biz);
    const headers = { 'X-FASC-App-Id': options.appId ?? APP_ID, 'X-FASC-Sign-Type': 'HMAC-SHA256', 'X-FASC-Timestamp': String(now - (options.ageMs ?? 0)), 'X-FASC-Nonce': 'n'.repeat(32), 'X-FASC-Event': event };
    const sign = fascSign({ ...headers, bizContent }, headers['X-FASC-Timestamp'], options.secret ?? APP_SECRET);
    return {
      headers: Object.fromEntries(Object.entries({ ...headers, 'X-FASC-Sign': sign }).map(([k, v]) => [k.toLowerCase(), v])),
      rawBody: Buffer.from(bizContent === undefined ? '' : new URLSearchParams({ bizContent }).toString()),
      query: {},
      receivedAt: now,
    };
  }
  const finished = { eventTime: '1772700000000', signTaskId: '1656657193146145801', signTaskStatus: 'task_finished', transReferenceId: 'ORD-1' };

  it('verifies X-FASC-Sign over the headers and raw bizContent and maps sign-task-finished', () => {
    const request = signed('sign-task-finished', finished);
    handler().verify(request);
    expect(handler().parse(request)).toEqual([
      { kind: 'signature', eventId: 'fadada-1656657193146145801-sign-task-finished', orderId: 'ORD-1', occurredAt: new Date(1772700000000).toISOString(), flowId: '1656657193146145801', status: 'completed' },
    ]);
  });

  it('refuses a bad signature, another app, altered content and a stale timestamp', () => {
    expect(() => handler().verify(signed('sign-task-finished', finished, { secret: 'other' }))).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify(signed('sign-task-finished', finished, { appId: 'other' }))).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    const altered = { ...signed('sign-task-finished', finished), rawBody: Buffer.from(new URLSearchParams({ bizContent: JSON.stringify({ ...finished, transReferenceId: 'ORD-2' }) }).toString()) };
    expect(() => handler().verify(altered)).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
    expect(() => handler().verify(signed('sign-task-finished', finished, { ageMs: 301_000 }))).toThrow(expect.objectContaining({ code: 'signature.stale' }));
  });

  it('refuses missing signature headers', () => {
    const { 'x-fasc-sign': _dropped, ...headers } = signed('sign-task-finished', finished).headers;
    expect(() => handler().verify({ ...signed('sign-task-finished', finished), headers })).toThrow(expect.objectContaining({ code: 'signature.missing' }));
  });

  it('names the malformed field', () => {
    const { transReferenceId: _dropped, ...withoutRef } = finished;
    expect(() => handler().parse(signed('sign-task-finished', withoutRef))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'bizContent.transReferenceId' })] }));
    expect(() => handler().parse(signed('sign-task-finished', undefined))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'bizContent' })] }));
    expect(() => handler().parse(signed('sign-task-finished', { ...finished, eventTime: 'yesterday' }))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'bizContent.eventTime' })] }));
  });

  it('acknowledges events that end nothing with no events', () => {
    expect(handler().parse(signed('sign-task-signed', { ...finished, signTaskStatus: 'sign_progress' }))).toEqual([]);
  });

  it.each(Object.entries(TASK_END_EVENTS))('maps %s to %s', (event, status) => {
    expect(handler().parse(signed(event, finished))).toEqual([expect.objectContaining({ status, eventId: `fadada-${finished.signTaskId}-${event}` })]);
  });

  it('the sandbox sends a finished task and a retry of it; both verify, one event id, answered success', async () => {
    const order = delivered();
    const { partnerRef } = await connector().target.deliver(deliveryRequest(order, 'order.delivered', 'fadada'), noAbort());
    const receiver = await startCallbackReceiver(handler());
    try {
      const results = await fdd.completeSigning(receiver.url, partnerRef!, { duplicate: true });
      expect(results.every((r) => r.status === 200 && r.body.includes('success'))).toBe(true);
      expect(new Set(receiver.events.map((e) => e.eventId))).toEqual(new Set([`fadada-${partnerRef}-sign-task-finished`]));
      expect(receiver.events[0]).toMatchObject({ orderId: order.id, status: 'completed' });
    } finally {
      await receiver.close();
    }
  });
});
