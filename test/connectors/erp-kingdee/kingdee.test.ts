import pino from 'pino';
import type { Target } from '../../../connectors/connector';
import { erpKingdee } from '../../../connectors/erp-kingdee/kingdee.connector';
import { compactRef } from '../../../connectors/shared/external-ref';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { Delivery } from '../../../core/store/store.port';
import { startKingdeeSandbox, type KingdeeSandbox } from '../../sandboxes/kingdee.sandbox';
import { makeOrder } from '../../support/order-factory';

const KEY = 'ORD-2026-000042:order.confirmed:k3';
const REF = compactRef(KEY);

let k3: KingdeeSandbox;
let order: CanonicalOrder;

beforeEach(async () => {
  k3 = await startKingdeeSandbox({
    acctId: '62f49d037697ee',
    username: 'hub',
    password: 'pw-1',
    appId: '232257_hub',
    appSecret: 'secret-1',
    customers: ['CUST0001'],
    materials: ['1.01.001', '1.02.007'],
  });
  order = makeOrder({ id: 'ORD-2026-000042', status: 'confirmed', requestedDeliveryDate: '2026-04-15' });
});

afterEach(async () => {
  await k3.close();
});

function createTarget(overrides: Record<string, unknown> = {}): Target {
  const config = erpKingdee.config.parse({
    id: 'k3',
    kind: 'erp-kingdee',
    baseUrl: k3.baseUrl,
    acctId: '62f49d037697ee',
    username: 'hub',
    login: { type: 'password', password: 'pw-1' },
    saleOrg: '100',
    customers: { 'CUST-1': 'CUST0001' },
    materials: { 'PANEL-A': '1.01.001', 'BRACKET-B': '1.02.007' },
    units: { KG: 'kg' },
    timeoutMs: 300,
    ...overrides,
  });
  return erpKingdee.create(config, { log: pino({ level: 'silent' }) }).target!;
}

function deliver(target: Target, attempts = 0, key = KEY) {
  const delivery: Delivery = {
    id: key.replaceAll(':', '-').replaceAll('.', '-'),
    idempotencyKey: key,
    orderId: order.id,
    eventId: 'evt-1',
    event: 'order.confirmed',
    target: 'k3',
    status: attempts ? 'retrying' : 'pending',
    attempts: Array.from({ length: attempts }, () => ({ at: '2026-03-02T09:30:02.000Z', ok: false, durationMs: 300, error: 'timeout' })),
    createdAt: '2026-03-02T09:30:01.000Z',
    updatedAt: '2026-03-02T09:30:01.000Z',
  };
  return target.deliver({ delivery, event: 'order.confirmed', order }, new AbortController().signal);
}

describe('erp-kingdee', () => {
  describe('when Kingdee saves the order', () => {
    it('logs in, looks the reference up, saves SAL_SaleOrder with the session cookie and returns the bill number', async () => {
      await expect(deliver(createTarget())).resolves.toMatchObject({ partnerRef: REF, status: 200 });
      expect(k3.requests.map((r) => r.operation)).toEqual(['login', 'lookup', 'create']);
      expect(k3.requests[2]?.headers.cookie).toMatch(/kdservice-sessionid=/);
      expect(k3.requests[2]?.idempotencyKey).toBe(KEY);
    });

    it('maps the order into the Model, quantities and prices as JSON numbers with their exact digits', async () => {
      await deliver(createTarget());
      const body = k3.requests[2]?.body ?? '';
      expect(body).toContain('"FQty":10,"FPrice":120,"FEntryTaxRate":13');
      expect(body).toContain('"FQty":2.5,"FPrice":8.4');
      expect(JSON.parse(body).data.Model).toEqual({
        FID: 0,
        FBillTypeID: { FNumber: 'XSDD01_SYS' },
        FDate: '2026-03-02',
        FSaleOrgId: { FNumber: '100' },
        FCustId: { FNumber: 'CUST0001' },
        FBillNo: REF,
        FSaleOrderFinance: { FSettleCurrId: { FNumber: 'PRE001' }, FIsIncludedTax: false },
        FSaleOrderEntry: [
          { FMaterialId: { FNumber: '1.01.001' }, FQty: 10, FPrice: 120, FEntryTaxRate: 13, FDeliveryDate: '2026-04-15' },
          { FMaterialId: { FNumber: '1.02.007' }, FUnitID: { FNumber: 'kg' }, FQty: 2.5, FPrice: 8.4, FDeliveryDate: '2026-04-15' },
        ],
      });
    });

    it('keeps the bill number to Kingdee and the whole key in a text field when told to', async () => {
      await expect(deliver(createTarget({ externalRefField: 'F_ABC_ExtRef' }))).resolves.toMatchObject({ partnerRef: 'XSDD000001' });
      expect(k3.saleOrders[0]?.model.F_ABC_ExtRef).toBe(KEY);
    });

    it('logs in with an app secret', async () => {
      await expect(deliver(createTarget({ login: { type: 'appSecret', appId: '232257_hub', appSecret: 'secret-1' } }))).resolves.toMatchObject({ partnerRef: REF });
      expect(k3.count('login-app')).toBe(1);
    });
  });

  describe('when a reply is lost after Kingdee saved', () => {
    it('finds the saved bill by its reference on the retry: one order, the same number', async () => {
      k3.fault('create', { commitThenTimeout: true });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: REF });
      expect(k3.saleOrders).toHaveLength(1);
    });

    it('finds it by a text-field reference too, which Kingdee itself would not refuse twice', async () => {
      k3.fault('create', { commitThenTimeout: true });
      const target = createTarget({ externalRefField: 'F_ABC_ExtRef' });
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: 'XSDD000001' });
      expect(k3.saleOrders).toHaveLength(1);
    });
  });

  describe('when two attempts of one delivery race', () => {
    it('returns the bill the other attempt saved once Kingdee refuses the duplicate number', async () => {
      k3.fault('create', { delayMs: 100 });
      const target = createTarget();
      const results = await Promise.all([deliver(target), deliver(target, 1)]);
      expect(results.map((r) => r.partnerRef)).toEqual([REF, REF]);
      expect(k3.saleOrders).toHaveLength(1);
      expect(k3.count('create')).toBe(2);
    });
  });

  describe('when the session is lost', () => {
    it('logs in again and asks for an immediate retry, which succeeds on the new session', async () => {
      const target = createTarget();
      await deliver(target);
      k3.expireSessions();
      await expect(deliver(target, 0, 'ORD-2026-000043:order.confirmed:k3')).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: 0 });
      expect(k3.count('login')).toBe(2);
      await expect(deliver(target, 1, 'ORD-2026-000043:order.confirmed:k3')).resolves.toMatchObject({ partnerRef: compactRef('ORD-2026-000043:order.confirmed:k3') });
    });
  });

  describe('when the attempt fails', () => {
    it('dead-letters a material Kingdee does not know, with its message', async () => {
      await expect(deliver(createTarget({ materials: { 'PANEL-A': '9.99.999' } }))).rejects.toMatchObject({
        constructor: PermanentPartnerError,
        message: expect.stringContaining('FMaterialId: 编码为9.99.999的物料不存在'),
      });
      expect(k3.saleOrders).toHaveLength(0);
    });

    it('dead-letters a refused login', async () => {
      await expect(deliver(createTarget({ login: { type: 'password', password: 'wrong' } }))).rejects.toThrow(/refused the login of hub \(LoginResultType 0/);
    });

    it('dead-letters a customer or currency missing from the config before calling Kingdee', async () => {
      order = makeOrder({ currency: 'EUR' });
      await expect(deliver(createTarget())).rejects.toThrow(/no Kingdee currency number for EUR/);
      expect(k3.requests).toHaveLength(0);
    });

    it.each([
      [502, 3],
      [429, 20],
    ])('retries a %i with the Retry-After', async (status, seconds) => {
      k3.fault('create', { status, retryAfterSeconds: seconds });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: seconds * 1000 });
    });
  });
});
