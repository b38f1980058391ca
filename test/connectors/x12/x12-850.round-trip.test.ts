import { generate850 } from '../../../connectors/x12/x12-850.generator';
import type { CanonicalOrder } from '../../../core/order/order.types';
import { makeOrder } from '../../support/order-factory';
import { outbound, parse, readBack } from './x12-harness';

function projectOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return makeOrder({
    poNumber: 'PO-2026-0815',
    customer: { id: 'HC-100', name: 'Harbor Construction Inc.', contact: { name: 'Dana Ortiz', email: 'dana@harbor.example', phone: '+1 206 555 0134' } },
    shipTo: { name: 'Pier 46 Site Office', street: '2400 Alaskan Way', city: 'Seattle', region: 'WA', postalCode: '98121', country: 'US' },
    billTo: { name: 'Harbor Construction AP', street: 'PO Box 9120', city: 'Seattle', region: 'WA', postalCode: '98109', country: 'US' },
    currency: 'USD',
    paymentTerms: 'Net 30 days after acceptance',
    requestedDeliveryDate: '2026-12-15',
    lines: [
      { lineNo: 1, sku: 'PUMP-200', customerSku: 'HC-PMP-01', description: 'Submersible pump 200 m3/h', quantity: '12', uom: 'EA', unitPrice: '1480.00', requestedDate: '2026-12-01' },
      { lineNo: 2, sku: 'BEAM-H200', quantity: '0.5', uom: 'TN', unitPrice: '860' },
      { lineNo: 3, sku: 'BOLT-M20', quantity: '40', uom: 'BX', unitPrice: '12.5' },
    ],
    ...overrides,
  });
}

/** What an 850 carries of a canonical order; tax rates and discounts are not part of it. */
function carried(order: CanonicalOrder) {
  return {
    poNumber: order.poNumber,
    customer: order.customer,
    shipTo: order.shipTo,
    billTo: order.billTo,
    currency: order.currency,
    paymentTerms: order.paymentTerms,
    requestedDeliveryDate: order.requestedDeliveryDate,
    lines: order.lines.map(({ lineNo, sku, customerSku, description, quantity, uom, unitPrice, requestedDate }) =>
      Object.fromEntries(Object.entries({ lineNo, sku, customerSku, description, quantity, uom, unitPrice, requestedDate }).filter(([, v]) => v !== undefined)),
    ),
    claimedTotals: { gross: order.totals.gross },
  };
}

describe('X12 850 round trip', () => {
  describe('when a canonical order is written as an 850 and read back', () => {
    it('gives the same PO, parties, currency, terms, dates and lines', async () => {
      const order = projectOrder();
      const document = await generate850(order, outbound());
      const result = await parse(document.body);
      expect(result.ok).toBe(true);
      expect(result.orders).toHaveLength(1);
      expect(result.orders[0]!.issues).toEqual([]);
      expect(result.orders[0]!.draft).toEqual({ ...carried(order), notes: 'order date 2026-03-02' });
    });

    it('keeps non-Latin names and addresses, written as UTF-8', async () => {
      const order = projectOrder({
        customer: { id: 'CUST-1', name: '华东水务工程有限公司', contact: { name: '王工' } },
        shipTo: { name: '青浦泵站工地', city: '上海', country: 'CN' },
        billTo: undefined,
        currency: 'CNY',
      });
      const draft = (await parse((await generate850(order, outbound())).body)).orders[0]!.draft!;
      expect([draft.customer, draft.shipTo, draft.currency]).toEqual([order.customer, order.shipTo, 'CNY']);
    });

    it('takes the order id as BEG03 when the order has no PO number', async () => {
      const order = projectOrder({ poNumber: undefined });
      const draft = (await parse((await generate850(order, outbound())).body)).orders[0]!.draft!;
      expect(draft.poNumber).toBe(order.id);
    });
  });

  describe('the document written', () => {
    it('has an ISA of exactly 106 characters with *, ^, > and ~ as 005010 declares them', async () => {
      const document = await generate850(projectOrder(), outbound());
      const text = document.body.toString('utf8');
      expect(text.slice(0, 107)).toBe('ISA*00*          *00*          *ZZ*ORDERHUB       *ZZ*HARBORCO       *261123*1055*^*00501*000000001*0*P*>~\n');
      expect(text.split('\n').slice(1, 3)).toEqual(['GS*PO*ORDERHUB*HARBORCO*20261123*1055*1*X*005010~', 'ST*850*0001~']);
      expect(text.endsWith('GE*1*1~\nIEA*1*000000001~\n')).toBe(true);
    });

    it('is named by its ISA13 and typed as X12', async () => {
      const document = await generate850(projectOrder(), outbound());
      expect([document.format, document.fileName, document.contentType]).toEqual(['x12-850', '850-000000001.x12', 'application/edi-x12']);
    });

    it('takes its control numbers from the allocator, one per ISA, GS and ST', async () => {
      const options = outbound();
      await generate850(projectOrder(), options);
      const second = readBack((await generate850(projectOrder(), options)).body);
      expect(second.isa.split('*')[13]).toBe('000000002');
      expect(second.segments.filter((s) => /^(GS|ST|SE|GE|IEA)\*/.test(s)).map((s) => s.split('*').slice(0, 3).join('*'))).toEqual([
        'GS*PO*ORDERHUB',
        'ST*850*0002',
        'SE*21*0002',
        'GE*1*2',
        'IEA*1*000000002',
      ]);
    });

    it('replaces delimiters inside the data with spaces, so they cannot split an element', async () => {
      const order = projectOrder({ lines: [{ lineNo: 1, sku: 'PUMP-200', description: 'pump*deluxe~2^ >', quantity: '1', uom: 'EA', unitPrice: '10' }] });
      const { segments } = readBack((await generate850(order, outbound())).body);
      expect(segments).toContain('PID*F****pump deluxe 2');
    });

    it('writes a 004010 envelope when asked', async () => {
      const { isa, interchange } = readBack((await generate850(projectOrder(), outbound({ version: '004010', usage: 'T' }))).body);
      expect(isa.split('*').slice(11, 16)).toEqual(['U', '00401', '000000001', '0', 'T']);
      expect(interchange.groups[0]!.version).toBe('004010');
    });
  });
});
