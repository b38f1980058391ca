import pino from 'pino';
import type { Target } from '../../../connectors/connector';
import { erpRest } from '../../../connectors/erp-rest/erp-rest.connector';
import { InvalidMappingError } from '../../../connectors/rest-api/jsonata.mapper';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import type { OrderEventName } from '../../../core/lifecycle/order-events';
import type { CanonicalOrder } from '../../../core/order/order.types';
import type { Delivery } from '../../../core/store/store.port';
import { startErpRestSandbox, type ErpRestSandbox } from '../../sandboxes/erp-rest.sandbox';
import { makeOrder } from '../../support/order-factory';

const TOKEN = 'erp-token-1';
const MAPPING = '{ "customerCode": order.customer.id, "externalRef": delivery.idempotencyKey, "lines": [order.lines.{ "item": sku, "qty": quantity, "price": unitPrice }] }';

let erp: ErpRestSandbox;
let order: CanonicalOrder;

beforeEach(async () => {
  erp = await startErpRestSandbox({ token: TOKEN, customers: ['CUST-1'] });
  order = makeOrder({ id: 'ORD-2026-000042', status: 'confirmed' });
});

afterEach(async () => {
  await erp.close();
});

function createTarget(overrides: Record<string, unknown> = {}): Target {
  const config = erpRest.config.parse({
    id: 'erp',
    kind: 'erp-rest',
    url: `${erp.url}/api/sales-orders`,
    auth: { type: 'bearer', token: TOKEN },
    mapping: MAPPING,
    timeoutMs: 300,
    ...overrides,
  });
  return erpRest.create(config, { log: pino({ level: 'silent' }) }).target!;
}

function deliver(target: Target, event: OrderEventName = 'order.confirmed', attempts = 0) {
  const delivery: Delivery = {
    id: `${order.id}-order-confirmed-erp`,
    idempotencyKey: `${order.id}:order.confirmed:erp`,
    orderId: order.id,
    eventId: 'evt-1',
    event,
    target: 'erp',
    status: attempts ? 'retrying' : 'pending',
    attempts: Array.from({ length: attempts }, () => ({ at: '2026-03-02T09:30:02.000Z', ok: false, durationMs: 300, error: 'timeout' })),
    createdAt: '2026-03-02T09:30:01.000Z',
    updatedAt: '2026-03-02T09:30:01.000Z',
  };
  return target.deliver({ delivery, event, order }, new AbortController().signal);
}

describe('erp-rest', () => {
  describe('when the ERP accepts the order', () => {
    it('posts the mapped body with the key as header and external reference, and returns the order number', async () => {
      await expect(deliver(createTarget())).resolves.toEqual({ partnerRef: 'SO-10001', status: 201, responseBody: '{"id":"SO-10001"}' });
      const [create] = erp.requests;
      expect(create?.idempotencyKey).toBe('ORD-2026-000042:order.confirmed:erp');
      expect(JSON.parse(create?.body ?? '')).toEqual({
        customerCode: 'CUST-1',
        externalRef: 'ORD-2026-000042:order.confirmed:erp',
        lines: [
          { item: 'PANEL-A', qty: '10', price: '120.00' },
          { item: 'BRACKET-B', qty: '2.5', price: '8.40' },
        ],
      });
    });

    it('reads the order number with the configured expression', async () => {
      erp.fault('create', { status: 201, body: { data: { orderNo: 4711 } } });
      await expect(deliver(createTarget({ partnerRef: 'data.orderNo' }))).resolves.toMatchObject({ partnerRef: '4711' });
    });
  });

  describe('when a reply is lost after the ERP committed', () => {
    it('gets the first order back for the same key from an ERP that honours Idempotency-Key', async () => {
      erp.fault('create', { commitThenTimeout: true });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 'order.confirmed', 1)).resolves.toMatchObject({ partnerRef: 'SO-10001' });
      expect(erp.orders).toHaveLength(1);
    });

    it('finds the first order by its external reference when the ERP ignores the key and a lookup is configured', async () => {
      await erp.close();
      erp = await startErpRestSandbox({ token: TOKEN, customers: ['CUST-1'], honoursIdempotencyKey: false });
      erp.fault('create', { commitThenTimeout: true });
      const target = createTarget({ lookup: { url: `${erp.url}/api/sales-orders?externalRef={idempotencyKey}`, partnerRef: 'items[0].id' } });
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await expect(deliver(target, 'order.confirmed', 1)).resolves.toMatchObject({ partnerRef: 'SO-10001', status: 200 });
      expect(erp.orders).toHaveLength(1);
      expect(erp.count('lookup')).toBe(2);
    });

    it('creates a second order in an ERP that ignores the key when no lookup is configured', async () => {
      await erp.close();
      erp = await startErpRestSandbox({ token: TOKEN, customers: ['CUST-1'], honoursIdempotencyKey: false });
      erp.fault('create', { commitThenTimeout: true });
      const target = createTarget();
      await expect(deliver(target)).rejects.toBeInstanceOf(TransientPartnerError);
      await deliver(target, 'order.confirmed', 1);
      expect(erp.orders.map((o) => o.externalRef)).toEqual(['ORD-2026-000042:order.confirmed:erp', 'ORD-2026-000042:order.confirmed:erp']);
    });
  });

  describe('when the attempt fails', () => {
    it('dead-letters an order the ERP refuses as invalid', async () => {
      order = makeOrder({ customer: { id: 'NOBODY', name: 'Unknown Ltd' } });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: PermanentPartnerError, response: { status: 422 } });
    });

    it('dead-letters a rejected token', async () => {
      await expect(deliver(createTarget({ auth: { type: 'bearer', token: 'wrong' } }))).rejects.toMatchObject({ constructor: PermanentPartnerError, response: { status: 401 } });
    });

    it.each([
      [503, 7],
      [429, 30],
    ])('retries a %i with the ERP’s Retry-After', async (status, seconds) => {
      erp.fault('create', { status, retryAfterSeconds: seconds });
      await expect(deliver(createTarget())).rejects.toMatchObject({ constructor: TransientPartnerError, retryAfterMs: seconds * 1000 });
    });

    it('dead-letters an event other than order.confirmed without calling the ERP', async () => {
      await expect(deliver(createTarget(), 'order.shipped')).rejects.toBeInstanceOf(PermanentPartnerError);
      expect(erp.requests).toHaveLength(0);
    });
  });

  describe('when the mapping in config is wrong', () => {
    it('refuses to start with an expression that does not compile, naming the field', () => {
      expect(() => createTarget({ partnerRef: 'data.(' })).toThrow(InvalidMappingError);
      expect(() => createTarget({ partnerRef: 'data.(' })).toThrow(/partnerRef/);
    });

    it('dead-letters an order the mapping fails on', async () => {
      await expect(deliver(createTarget({ mapping: '$error("no customer code")' }))).rejects.toThrow(/no customer code/);
      expect(erp.requests).toHaveLength(0);
    });
  });
});
