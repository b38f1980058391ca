import { generate810 } from '../../../connectors/x12/x12-810.generator';
import { generate855 } from '../../../connectors/x12/x12-855.generator';
import { generate856 } from '../../../connectors/x12/x12-856.generator';
import { ValidationError } from '../../../core/errors/validation.error';
import { makeOrder } from '../../support/order-factory';
import { outbound, readBack } from './x12-harness';

/** PO-1001, PANEL-A 10 EA × 120.00 at 13 % VAT and BRACKET-B 2.5 KG × 8.40: net 1221.00, tax 156.00, gross 1377.00. */
const order = makeOrder({
  shipTo: { name: 'Pier 46 Site Office', street: '2400 Alaskan Way', city: 'Seattle', region: 'WA', postalCode: '98121', country: 'US' },
  requestedDeliveryDate: '2026-12-15',
  lines: [
    { lineNo: 1, sku: 'PANEL-A', customerSku: 'HC-PNL-1', quantity: '10', uom: 'EA', unitPrice: '120.00', taxRatePct: '13', description: 'Panel A, grey' },
    { lineNo: 2, sku: 'BRACKET-B', quantity: '2.5', uom: 'KG', unitPrice: '8.40' },
  ],
});

/** The transaction set's own segments, between ST and SE. */
function body(document: { body: Buffer }): string[] {
  const { segments } = readBack(document.body);
  return segments.slice(segments.findIndex((s) => s.startsWith('ST*')) + 1, segments.findIndex((s) => s.startsWith('SE*')));
}

describe('X12 outbound documents', () => {
  describe('855 purchase order acknowledgment', () => {
    it('acknowledges each line as ordered, with its ship date', async () => {
      const document = await generate855(order, outbound());
      expect(document.fileName).toBe('855-000000001.x12');
      expect(readBack(document.body).segments[0]).toMatch(/^GS\*PR\*/);
      expect(body(document)).toEqual([
        'BAK*00*AD*PO-1001*20260302',
        'CUR*SE*CNY',
        'PO1*1*10*EA*120.00**VP*PANEL-A*BP*HC-PNL-1',
        'ACK*IA*10*EA*068*20261215',
        'PO1*2*2.5*KG*8.40**VP*BRACKET-B',
        'ACK*IA*2.5*KG*068*20261215',
        'CTT*2',
      ]);
    });

    it('rejects with detail when the order was rejected', async () => {
      const segments = body(await generate855({ ...order, status: 'rejected' }, outbound()));
      expect(segments[0]).toBe('BAK*00*RD*PO-1001*20260302');
      expect(segments.filter((s) => s.startsWith('ACK'))).toEqual(['ACK*IR*10*EA*068*20261215', 'ACK*IR*2.5*KG*068*20261215']);
    });

    it('refuses an order without a PO number, which the partner could not match', async () => {
      await expect(generate855({ ...order, poNumber: undefined }, outbound())).rejects.toThrow(ValidationError);
    });
  });

  describe('856 ship notice', () => {
    it('has shipment, order and item levels with the carrier, tracking number and quantities', async () => {
      const document = await generate856(order, { carrier: 'UPSN', trackingNumber: '1Z999AA10123456784', shippedAt: '2026-12-10T14:30:00Z' }, outbound());
      expect(readBack(document.body).segments[0]).toMatch(/^GS\*SH\*/);
      expect(body(document)).toEqual([
        'BSN*00*1Z999AA10123456784*20261210*1430*0004',
        'HL*1**S',
        'TD5*B*2*UPSN',
        'REF*CN*1Z999AA10123456784',
        'DTM*011*20261210*1430',
        'N1*ST*Pier 46 Site Office',
        'N3*2400 Alaskan Way',
        'N4*Seattle*WA*98121*US',
        'HL*2*1*O',
        'PRF*PO-1001',
        'HL*3*2*I',
        'LIN*1*VP*PANEL-A*BP*HC-PNL-1',
        'SN1**10*EA',
        'HL*4*2*I',
        'LIN*2*VP*BRACKET-B',
        'SN1**2.5*KG',
        'CTT*4',
      ]);
    });
  });

  describe('810 invoice', () => {
    it('bills each line and totals the gross in cents, with the VAT', async () => {
      const document = await generate810(order, { invoiceNumber: 'INV-2026-0042', invoiceDate: '2026-12-11' }, outbound());
      expect(readBack(document.body).segments[0]).toMatch(/^GS\*IN\*/);
      expect(body(document)).toEqual([
        'BIG*20261211*INV-2026-0042*20260302*PO-1001',
        'CUR*SE*CNY',
        'N1*BT*Acme Build Co.*92*CUST-1',
        'N1*ST*Pier 46 Site Office',
        'N3*2400 Alaskan Way',
        'N4*Seattle*WA*98121*US',
        'IT1*1*10*EA*120.00**VP*PANEL-A*BP*HC-PNL-1',
        'PID*F****Panel A, grey',
        'IT1*2*2.5*KG*8.40**VP*BRACKET-B',
        'TDS*137700',
        'TXI*VA*156.00',
        'CTT*2',
      ]);
    });
  });

  describe('the envelope options', () => {
    it('refuse a sender that is not QUALIFIER:ID', async () => {
      await expect(generate855(order, outbound({ sender: 'ORDERHUB' }))).rejects.toThrow(ValidationError);
    });

    it('refuse a control number the allocator hands out of range', async () => {
      await expect(generate855(order, outbound({ controlNumbers: { next: async () => 1_000_000_000 } }))).rejects.toThrow(/out of range/);
    });
  });
});
