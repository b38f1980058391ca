import { readEnvelope } from '../../../connectors/edifact/edifact.envelope';
import { generateDesadv } from '../../../connectors/edifact/edifact-desadv.generator';
import { generateInvoic } from '../../../connectors/edifact/edifact-invoic.generator';
import { generateOrdrsp } from '../../../connectors/edifact/edifact-ordrsp.generator';
import type { OutboundDocument } from '../../../connectors/connector';
import { outbound, plain, sampleOrder, segmentsOf } from './edifact.harness';

const order = { ...sampleOrder(), id: 'b3f1c2d4-0000-4000-8000-000000000001', status: 'confirmed' as const, totals: { net: '34242.40', tax: '6368.80', gross: '40611.20' } };
const shipment = { carrier: 'DB Schenker', trackingNumber: 'SCH-778812', shippedAt: '2027-01-08T06:30:00Z' };

/** The message body (between UNH and UNT) of a generated document, after checking its envelope. */
function messageOf(doc: OutboundDocument): string[] {
  const segments = segmentsOf(doc);
  expect(readEnvelope(segments).issues).toEqual([]);
  return plain(segments.slice(2, -2));
}

describe('outbound documents', () => {
  describe('ORDRSP', () => {
    it('accepts a confirmed order, referring to the buyer PO, line by line', async () => {
      const doc = await generateOrdrsp(order, outbound());
      expect(doc).toMatchObject({ format: 'edifact-ordrsp', fileName: 'ORDRSP-1.edi' });
      const body = messageOf(doc);
      expect(body.slice(0, 3)).toEqual(['BGM+231+1+29', 'DTM+137:202611231055:203', 'RFF+ON:PO-2026-0815']);
      expect(body.filter((s) => s.startsWith('LIN'))).toEqual(['LIN+1+5+PUMP-200:SA', 'LIN+2+5+VALVE-DN50:SA', 'LIN+3+5+CABLE:NYY+5x10:SA']);
      expect(body.slice(-4)).toEqual(['MOA+79:34242.40', 'MOA+124:6368.80', 'MOA+86:40611.20', 'CNT+2:3']);
    });

    it('says not accepted for a rejected order, and takes a document number', async () => {
      const body = messageOf(await generateOrdrsp({ ...order, status: 'rejected' }, outbound({ documentNumber: 'RSP-9' })));
      expect(body[0]).toBe('BGM+231+RSP-9+27');
      expect(body.filter((s) => s.startsWith('LIN')).map((s) => s.split('+')[2])).toEqual(['7', '7', '7']);
    });

    it('writes D:01B when asked', async () => {
      expect(plain(segmentsOf(await generateOrdrsp(order, outbound({ version: 'D:01B' }))))[1]).toBe('UNH+1+ORDRSP:D:01B:UN');
    });
  });

  describe('DESADV', () => {
    it('announces the consignment: despatch time, carrier, tracking number, despatched quantities', async () => {
      const doc = await generateDesadv(order, shipment, outbound());
      expect(doc).toMatchObject({ format: 'edifact-desadv', fileName: 'DESADV-1.edi' });
      const body = messageOf(doc);
      expect(body).toEqual(
        expect.arrayContaining(['BGM+351+1+9', 'DTM+11:202701080630:203', 'RFF+ON:PO-2026-0815', 'RFF+CN:SCH-778812', 'TDT+20++++:::DB Schenker', 'CPS+1', 'QTY+12:150.5:MTR', 'CNT+2:3']),
      );
      expect(body.some((s) => s.startsWith('PRI'))).toBe(false);
    });

    it('refuses a shipment without a readable despatch time', async () => {
      await expect(generateDesadv(order, { ...shipment, shippedAt: 'yesterday' }, outbound())).rejects.toMatchObject({
        code: 'validation.failed',
        details: [{ path: 'shipment.shippedAt' }],
      });
    });
  });

  describe('INVOIC', () => {
    it('invoices every line net of discount with the hub-computed totals', async () => {
      const doc = await generateInvoic(order, outbound({ documentNumber: 'INV-2027-0001' }));
      expect(doc).toMatchObject({ format: 'edifact-invoic', fileName: 'INVOIC-1.edi' });
      const body = messageOf(doc);
      expect(body[0]).toBe('BGM+380+INV-2027-0001+9');
      expect(body).toEqual(expect.arrayContaining(['NAD+SU+4012345000009', 'CUX+2:EUR:4', 'QTY+47:20:PCE', 'MOA+203:9200.00', 'PRI+AAB:500.00', 'PCD+1:8', 'MOA+203:722.40']));
      expect(body.slice(-5)).toEqual(['MOA+79:34242.40', 'MOA+125:34242.40', 'MOA+124:6368.80', 'MOA+77:40611.20', 'MOA+86:40611.20']);
    });
  });

  it('releases service characters in every outbound text', async () => {
    const raw = (await generateInvoic(order, outbound())).body.toString('latin1');
    expect(raw).toContain("O?'Brien ?+ Partner?: Tiefbau?? GmbH");
    expect(raw).toContain('LIN+3++CABLE?:NYY?+5x10:SA');
  });

  it('draws one interchange and one message number per document, never the same twice', async () => {
    const options = outbound();
    const files = [await generateOrdrsp(order, options), await generateDesadv(order, shipment, options), await generateInvoic(order, options)].map((d) => d.fileName);
    expect(files).toEqual(['ORDRSP-1.edi', 'DESADV-2.edi', 'INVOIC-3.edi']);
  });
});
