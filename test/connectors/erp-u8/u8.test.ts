import pino from 'pino';
import type { Target } from '../../../connectors/connector';
import { erpU8 } from '../../../connectors/erp-u8/u8.connector';
import { compactRef } from '../../../connectors/shared/external-ref';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { Delivery } from '../../../core/store/store.port';
import { startU8Sandbox, type U8Sandbox } from '../../sandboxes/u8.sandbox';
import { makeOrder } from '../../support/order-factory';

const KEY = 'ORD-2026-000042:order.confirmed:u8';
const CODE = compactRef(KEY);
const TOKEN_ERRCODE = '30016';

let u8: U8Sandbox;
let order: CanonicalOrder;

async function startU8(tokenExpiresIn?: number) {
  return startU8Sandbox({
    fromAccount: 'hubdev',
    toAccount: 'acme',
    appKey: 'app-key-1',
    appSecret: 'app-secret-1',
    tokenErrcode: TOKEN_ERRCODE,
    customers: ['00000017'],
    inventory: ['0101', '0207'],
    ...(tokenExpiresIn === undefined ? {} : { tokenExpiresIn }),
  });
}

beforeEach(async () => {
  u8 = await startU8();
  order = makeOrder({
    id: 'ORD-2026-000042',
    status: 'confirmed',
    requestedDeliveryDate: '2026-04-15',
    lines: [
      { lineNo: 1, sku: 'PANEL-A', quantity: '10', uom: 'EA', unitPrice: '120.00', taxRatePct: '13', discountPct: '5' },
      { lineNo: 2, sku: 'BRACKET-B', quantity: '2.5', uom: 'KG', unitPrice: '8.40' },
    ],
  });
});

afterEach(async () => {
  await u8.close();
});

function createTarget(overrides: Record<string, unknown> = {}): Target {
  const config = erpU8.config.parse({
    id: 'u8',
    kind: 'erp-u8',
    baseUrl: u8.url,
    fromAccount: 'hubdev',
    toAccount: 'acme',
    appKey: 'app-key-1',
    appSecret: 'app-secret-1',
    saleType: '01',
    department: '05',
    customers: { 'CUST-1': '00000017' },
    materials: { 'PANEL-A': '0101', 'BRACKET-B': '0207' },
    tokenErrcodes: [TOKEN_ERRCODE],
    timeoutMs: 300,
    ...overrides,
  });
  return erpU8.create(config, { log: pino({ level: 'silent' }) }).target!;
}

function deliver(target: Target, attempts = 0, key = KEY) {
  const delivery: Delivery = {
    id: key.replaceAll(':', '-').replaceAll('.', '-'),
    idempotencyKey: key,
    orderId: order.id,
    eventId: 'evt-1',
    event: 'order.confirmed',
    target: 'u8',
    status: attempts ? 'retrying' : 'pending',
    attempts: Array.from({ length: attempts }, () => ({ at: '2026-03-02T09:30:02.000Z', ok: false, durationMs: 300, error: 'timeout' })),
    createdAt: '2026-03-02T09:30:01.000Z',
    updatedAt: '2026-03-02T09:30:01.000Z',
  };
  return target.deliver({ delivery, event: 'order.confirmed', order }, new AbortController().signal);
}

describe('erp-u8', () => {
  describe('when U8 adds the order', () => {
    it('gets a token, looks the code up, gets a trade id and adds the order, returning its number', async () => {
      await expect(deliver(createTarget())).resolves.toMatchObject({ partnerRef: CODE, status: 200 });
      expect(u8.requests.map((r) => r.operation)).toEqual(['token', 'lookup', 'tradeid', 'create']);
      const add = u8.requests[3];
      expect(add?.query).toMatchObject({ from_account: 'hubdev', to_account: 'acme', app_key: 'app-key-1' });
      expect(add?.query.tradeid).toBe(u8.saleOrders[0]?.tradeid);
      expect(add?.idempotencyKey).toBe(KEY);
    });

    it('maps the order into the documented body, numbers written digit for digit', async () => {
      await deliver(createTarget({ person: '0501' }));
      const body = u8.requests[3]?.body ?? '';
      expect(body).toContain('"quantity":10,"unitprice":120,"taxrate":13,"discount":60');
      expect(JSON.parse(body)).toEqual({
        saleorder: {
          code: CODE,
          date: '2026-03-02',
          businesstype: '普通销售',
          typecode: '01',
          custcode: '00000017',
          deptcode: '05',
          personcode: '0501',
          dpredatebt: '2026-04-15',
          memo: 'PO PO-1001',
          entry: [
            { rowno: 1, inventorycode: '0101', quantity: 10, unitprice: 120, taxrate: 13, discount: 60, bgift: 0 },
            { rowno: 2, inventorycode: '0207', quantity: 2.5, unitprice: 8.4, bgift: 0 },
          ],
        },
      });
    });

    it('reuses the token and takes a fresh trade id for each order', async () => {
      const target = createTarget();
      await deliver(target);
      await deliver(target, 0, 'ORD-2026-000043:order.confirmed:u8');
      expect(u8.count('token')).toBe(1);
      expect(u8.count('tradeid')).toBe(2);
    });
  });

  describe('when a reply is lost after U8 added the order', () => {
    it('finds the order by its code on the retry: one order, the same number', async () => {
      u8.fault('create', { commitThenTimeout: true });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: CODE });
      expect(u8.saleOrders).toHaveLength(1);
    });

    it('still ends with one order when the lookup fails: U8 refuses the number twice and the order is found after', async () => {
      u8.fault('create', { commitThenTimeout: true });
      u8.fault('lookup', { status: 200 }, { status: 200 });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: CODE });
      expect(u8.saleOrders).toHaveLength(1);
    });
  });

  describe('when the token has expired', () => {
    it('renews it on the configured errcode and asks for an immediate retry, which succeeds', async () => {
      const target = createTarget();
      await deliver(target);
      u8.expireTokens();
      await expect(deliver(target, 0, 'ORD-2026-000043:order.confirmed:u8')).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: 0 });
      expect(u8.count('token')).toBe(2);
      await expect(deliver(target, 1, 'ORD-2026-000043:order.confirmed:u8')).resolves.toMatchObject({ partnerRef: compactRef('ORD-2026-000043:order.confirmed:u8') });
    });

    it('never sends a token in the last moments of its expiresIn', async () => {
      await u8.close();
      u8 = await startU8(1);
      await deliver(createTarget());
      // Each of lookup, tradeid and add finds the 1-second token too close to expiry and takes a new one.
      expect(u8.count('token')).toBe(3);
      expect(u8.saleOrders).toHaveLength(1);
    });
  });

  describe('when the attempt fails', () => {
    it('dead-letters inventory U8 does not know, with its message', async () => {
      await expect(deliver(createTarget({ materials: { 'PANEL-A': '9999' } }))).rejects.toMatchObject({
        constructor: PermanentPartnerError,
        message: expect.stringContaining('存货编码9999不存在'),
      });
    });

    it('dead-letters a refused app secret', async () => {
      await expect(deliver(createTarget({ appSecret: 'wrong' }))).rejects.toThrow(/refused the token request of hubdev \(errcode 30002\)/);
    });

    it('retries an add U8 accepted without its number yet', async () => {
      u8.fault('create', { status: 200, body: { errcode: '0', errmsg: '', url: 'https://api.yonyouup.com/result?requestid=1' } });
      await expect(deliver(createTarget())).rejects.toBeInstanceOf(TransientPartnerError);
    });

    it.each([
      [503, 4],
      [429, 10],
    ])('retries a %i with the Retry-After', async (status, seconds) => {
      u8.fault('create', { status, retryAfterSeconds: seconds });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: seconds * 1000 });
    });
  });
});
