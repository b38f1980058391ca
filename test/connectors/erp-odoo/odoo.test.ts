import pino from 'pino';
import type { Target } from '../../../connectors/connector';
import { erpOdoo } from '../../../connectors/erp-odoo/odoo.connector';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { Delivery } from '../../../core/store/store.port';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo.sandbox';
import { makeOrder } from '../../support/order-factory';

const KEY = 'ORD-2026-000042:order.confirmed:odoo';

let odoo: OdooSandbox;
let order: CanonicalOrder;

beforeEach(async () => {
  odoo = await startOdooSandbox({
    db: 'acme',
    login: 'hub@acme.example',
    password: 'api-key-1',
    partners: [
      { id: 7, name: 'Acme Build Co.', ref: 'CUST-1' },
      { id: 8, name: 'Twin Ltd' },
      { id: 9, name: 'Twin Ltd' },
    ],
    products: ['PANEL-A', 'BRACKET-B'],
  });
  order = makeOrder({
    id: 'ORD-2026-000042',
    status: 'confirmed',
    requestedDeliveryDate: '2026-04-15',
    lines: [
      { lineNo: 1, sku: 'PANEL-A', quantity: '10', uom: 'EA', unitPrice: '120.00', taxRatePct: '13', discountPct: '2.5' },
      { lineNo: 2, sku: 'BRACKET-B', quantity: '2.5', uom: 'KG', unitPrice: '8.40' },
    ],
  });
});

afterEach(async () => {
  await odoo.close();
});

function createTarget(overrides: Record<string, unknown> = {}): Target {
  const config = erpOdoo.config.parse({ id: 'odoo', kind: 'erp-odoo', url: odoo.url, db: 'acme', login: 'hub@acme.example', password: 'api-key-1', timeoutMs: 300, ...overrides });
  return erpOdoo.create(config, { log: pino({ level: 'silent' }) }).target!;
}

function deliver(target: Target, attempts = 0, key = KEY) {
  const delivery: Delivery = {
    id: key.replaceAll(':', '-').replaceAll('.', '-'),
    idempotencyKey: key,
    orderId: order.id,
    eventId: 'evt-1',
    event: 'order.confirmed',
    target: 'odoo',
    status: attempts ? 'retrying' : 'pending',
    attempts: Array.from({ length: attempts }, () => ({ at: '2026-03-02T09:30:02.000Z', ok: false, durationMs: 300, error: 'timeout' })),
    createdAt: '2026-03-02T09:30:01.000Z',
    updatedAt: '2026-03-02T09:30:01.000Z',
  };
  return target.deliver({ delivery, event: 'order.confirmed', order }, new AbortController().signal);
}

describe('erp-odoo', () => {
  describe('when Odoo creates the order', () => {
    it('authenticates, looks up by origin, finds customer and products, creates and reads the order name', async () => {
      await expect(deliver(createTarget())).resolves.toMatchObject({ partnerRef: 'S00001', status: 200 });
      expect(odoo.requests.map((r) => r.operation)).toEqual(['authenticate', 'lookup', 'partner', 'product', 'create', 'read']);
      expect(odoo.requests.find((r) => r.operation === 'create')?.idempotencyKey).toBe(KEY);
    });

    it('sends the order as sale.order values, lines as (0, 0, values) with numbers written digit for digit', async () => {
      await deliver(createTarget());
      const create = odoo.requests.find((r) => r.operation === 'create')?.body ?? '';
      expect(create).toContain('"product_uom_qty":10,"price_unit":120,"discount":2.5');
      expect(odoo.saleOrders[0]?.values).toEqual({
        partner_id: 7,
        origin: KEY,
        client_order_ref: 'PO-1001',
        commitment_date: '2026-04-15 00:00:00',
        order_line: [
          [0, 0, { product_id: 100, product_uom_qty: 10, price_unit: 120, discount: 2.5 }],
          [0, 0, { product_id: 101, product_uom_qty: 2.5, price_unit: 8.4 }],
        ],
      });
    });

    it('finds a customer without a reference by name', async () => {
      order = makeOrder({ customer: { name: 'Acme Build Co.' } });
      await deliver(createTarget());
      expect(odoo.saleOrders[0]?.values.partner_id).toBe(7);
    });

    it('authenticates once for many orders', async () => {
      const target = createTarget();
      await deliver(target);
      await deliver(target, 0, 'ORD-2026-000043:order.confirmed:odoo');
      expect(odoo.count('authenticate')).toBe(1);
    });
  });

  describe('when a reply is lost after Odoo committed', () => {
    it('finds the order by origin on the retry: one order, the same name', async () => {
      odoo.fault('create', { commitThenTimeout: true });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 1)).resolves.toMatchObject({ partnerRef: 'S00001' });
      expect(odoo.saleOrders).toHaveLength(1);
    });

    it('creates a separate order for another delivery with the same PO', async () => {
      const target = createTarget();
      await deliver(target);
      await expect(deliver(target, 0, 'ORD-2026-000077:order.confirmed:odoo')).resolves.toMatchObject({ partnerRef: 'S00002' });
    });
  });

  describe('when the uid is no longer valid', () => {
    it('authenticates again and asks for an immediate retry, which succeeds', async () => {
      const target = createTarget();
      await deliver(target);
      odoo.recreateUser();
      await expect(deliver(target, 0, 'ORD-2026-000043:order.confirmed:odoo')).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: 0 });
      expect(odoo.count('authenticate')).toBe(2);
      await expect(deliver(target, 1, 'ORD-2026-000043:order.confirmed:odoo')).resolves.toMatchObject({ partnerRef: 'S00002' });
    });
  });

  describe('when the attempt fails', () => {
    it('dead-letters a refused login', async () => {
      await expect(deliver(createTarget({ password: 'revoked' }))).rejects.toThrow(/refused the login of hub@acme.example on acme/);
    });

    it('dead-letters a customer Odoo does not know, or knows twice', async () => {
      order = makeOrder({ customer: { id: 'CUST-404', name: 'Nobody' } });
      await expect(deliver(createTarget())).rejects.toThrow(/no Odoo contact for customer "CUST-404"/);
      order = makeOrder({ customer: { name: 'Twin Ltd' } });
      await expect(deliver(createTarget())).rejects.toThrow(/matches several Odoo contacts/);
      expect(odoo.saleOrders).toHaveLength(0);
    });

    it('dead-letters a SKU with no product', async () => {
      order = makeOrder({ lines: [{ lineNo: 1, sku: 'GHOST-1', quantity: '1', uom: 'EA', unitPrice: '1.00' }] });
      await expect(deliver(createTarget())).rejects.toThrow(/no Odoo product with internal reference GHOST-1/);
    });

    it('dead-letters an Odoo validation error, naming the exception', async () => {
      odoo.fault('create', { status: 200, body: { jsonrpc: '2.0', id: 1, error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.ValidationError', message: 'Pricelist currency mismatch' } } } });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: PermanentPartnerError, message: expect.stringContaining('odoo.exceptions.ValidationError): Pricelist currency mismatch') });
    });

    it('retries a database serialization failure', async () => {
      odoo.fault('create', { status: 200, body: { jsonrpc: '2.0', id: 1, error: { code: 200, message: 'Odoo Server Error', data: { name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access' } } } });
      await expect(deliver(createTarget())).rejects.toBeInstanceOf(TransientPartnerError);
    });

    it.each([
      [503, 2],
      [429, 15],
    ])('retries a %i with the Retry-After', async (status, seconds) => {
      odoo.fault('create', { status, retryAfterSeconds: seconds });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: seconds * 1000 });
    });
  });
});
