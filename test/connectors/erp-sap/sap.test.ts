import pino from 'pino';
import type { Target } from '../../../connectors/connector';
import { erpSap } from '../../../connectors/erp-sap/sap.connector';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { Delivery } from '../../../core/store/store.port';
import { startSapSandbox, type SapSandbox } from '../../sandboxes/sap-odata.sandbox';
import { makeOrder } from '../../support/order-factory';

const KEY = 'ORD-2026-000042:order.confirmed:s4';

let sap: SapSandbox;
let order: CanonicalOrder;

beforeEach(async () => {
  sap = await startSapSandbox({ username: 'HUB_COMM', password: 's3cret', customers: ['0010100001'], materials: ['TG11', 'TG12'] });
  order = makeOrder({ id: 'ORD-2026-000042', status: 'confirmed', requestedDeliveryDate: '2026-04-15' });
});

afterEach(async () => {
  await sap.close();
});

function createTarget(overrides: Record<string, unknown> = {}): Target {
  const config = erpSap.config.parse({
    id: 's4',
    kind: 'erp-sap',
    serviceUrl: sap.serviceUrl,
    username: 'HUB_COMM',
    password: 's3cret',
    salesOrganization: '1710',
    distributionChannel: '10',
    organizationDivision: '00',
    customers: { 'CUST-1': '0010100001' },
    materials: { 'PANEL-A': 'TG11', 'BRACKET-B': 'TG12' },
    units: { EA: 'PC' },
    timeoutMs: 300,
    ...overrides,
  });
  return erpSap.create(config, { log: pino({ level: 'silent' }) }).target!;
}

function deliver(target: Target, attempts = 0) {
  const delivery: Delivery = {
    id: 'ORD-2026-000042-order-confirmed-s4',
    idempotencyKey: KEY,
    orderId: order.id,
    eventId: 'evt-1',
    event: 'order.confirmed',
    target: 's4',
    status: attempts ? 'retrying' : 'pending',
    attempts: Array.from({ length: attempts }, () => ({ at: '2026-03-02T09:30:02.000Z', ok: false, durationMs: 300, error: 'timeout' })),
    createdAt: '2026-03-02T09:30:01.000Z',
    updatedAt: '2026-03-02T09:30:01.000Z',
  };
  return target.deliver({ delivery, event: 'order.confirmed', order }, new AbortController().signal);
}

describe('erp-sap', () => {
  describe('when SAP accepts the order', () => {
    it('fetches a CSRF token, then creates the order with the token and session cookie', async () => {
      await expect(deliver(createTarget())).resolves.toMatchObject({ partnerRef: '5000001', status: 201 });
      expect(sap.requests.map((r) => r.operation)).toEqual(['csrf', 'lookup', 'create']);
      const [csrf, , create] = sap.requests;
      expect(csrf?.headers['x-csrf-token']).toBe('Fetch');
      expect(create?.headers.cookie).toMatch(/SAP_SESSIONID_S4H_100=/);
      expect(create?.idempotencyKey).toBe(KEY);
    });

    it('maps customer, SKUs and units through the config tables, quantities as Edm.Decimal strings', async () => {
      await deliver(createTarget({ priceConditionType: 'PPR0' }));
      expect(sap.salesOrders[0]?.body).toEqual({
        SalesOrderType: 'OR',
        SalesOrganization: '1710',
        DistributionChannel: '10',
        OrganizationDivision: '00',
        SoldToParty: '0010100001',
        PurchaseOrderByCustomer: 'PO-1001',
        TransactionCurrency: 'CNY',
        RequestedDeliveryDate: `/Date(${Date.UTC(2026, 3, 15)})/`,
        to_Item: {
          results: [
            { SalesOrderItem: '10', Material: 'TG11', RequestedQuantity: '10', RequestedQuantityUnit: 'PC', to_PricingElement: { results: [{ ConditionType: 'PPR0', ConditionRateValue: '120.00', ConditionCurrency: 'CNY' }] } },
            { SalesOrderItem: '20', Material: 'TG12', RequestedQuantity: '2.5', RequestedQuantityUnit: 'KG', to_PricingElement: { results: [{ ConditionType: 'PPR0', ConditionRateValue: '8.40', ConditionCurrency: 'CNY' }] } },
          ],
        },
        to_Text: { results: [{ Language: 'EN', LongTextID: '0001', LongText: `order-hub ${KEY}` }] },
      });
    });

    it('reuses the token for the next delivery', async () => {
      const target = createTarget();
      await deliver(target);
      order = makeOrder({ id: 'ORD-2026-000043', poNumber: 'PO-1002', status: 'confirmed' });
      await deliver(target);
      expect(sap.count('csrf')).toBe(1);
    });
  });

  describe('when a reply is lost after SAP committed', () => {
    it('finds the order by PO and key text on the retry: one order, the same number', async () => {
      sap.fault('create', { commitThenTimeout: true });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: '5000001', status: 200 });
      expect(sap.salesOrders).toHaveLength(1);
    });

    it('creates a new order for another delivery with the same PO', async () => {
      const target = createTarget();
      await deliver(target);
      order = makeOrder({ id: 'ORD-2026-000099', status: 'confirmed' });
      const delivery = { id: 'other', idempotencyKey: 'ORD-2026-000099:order.confirmed:s4', orderId: order.id, eventId: 'e', event: 'order.confirmed', target: 's4', status: 'pending' as const, attempts: [], createdAt: '2026-03-02T09:30:01.000Z', updatedAt: '2026-03-02T09:30:01.000Z' };
      await expect(target.deliver({ delivery, event: 'order.confirmed', order }, new AbortController().signal)).resolves.toMatchObject({ partnerRef: '5000002' });
    });
  });

  describe('when the security session has expired', () => {
    it('fetches a new token and asks for an immediate retry, which succeeds', async () => {
      const target = createTarget();
      await deliver(target);
      sap.expireSessions();
      order = makeOrder({ id: 'ORD-2026-000043', poNumber: 'PO-1002', status: 'confirmed' });
      await expect(deliver(target)).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: 0 });
      expect(sap.count('csrf')).toBe(2);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: '5000002' });
    });
  });

  describe('when the attempt fails', () => {
    it('dead-letters a Material SAP does not know, with SAP’s message', async () => {
      await expect(deliver(createTarget({ materials: { 'PANEL-A': 'TG11', 'BRACKET-B': 'NOPE' } }))).rejects.toMatchObject({
        constructor: PermanentPartnerError,
        message: expect.stringContaining('Material NOPE is not defined'),
        response: { status: 400 },
      });
    });

    it('dead-letters a customer missing from the config before calling SAP', async () => {
      order = makeOrder({ customer: { id: 'CUST-9', name: 'Nobody' } });
      await expect(deliver(createTarget())).rejects.toThrow(/no SoldToParty for customer "CUST-9"/);
      expect(sap.requests).toHaveLength(0);
    });

    it('dead-letters wrong credentials', async () => {
      await expect(deliver(createTarget({ password: 'wrong' }))).rejects.toMatchObject({ constructor: PermanentPartnerError, response: { status: 401 } });
    });

    it.each([
      [503, 5],
      [429, 60],
    ])('retries a %i with SAP’s Retry-After', async (status, seconds) => {
      sap.fault('create', { status, retryAfterSeconds: seconds });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: seconds * 1000 });
    });
  });
});
