import { edifactOrdersParser } from '../../../connectors/edifact/edifact-orders.parser';
import { edifactMappingSchema } from '../../../connectors/edifact/edifact.mapping';
import { interchange, ORDER_BODY, parse } from './edifact.harness';

/**
 * ORDER_BODY with the segment starting with `from` replaced by `to` (null removes it), or `to`
 * added before UNS when there is none; `to` may hold several segments, one per line.
 */
function body(changes: Record<string, string | null>): string[] {
  let segments = [...ORDER_BODY];
  for (const [from, to] of Object.entries(changes)) {
    const i = segments.findIndex((s) => s.startsWith(from));
    if (i >= 0) segments = to === null ? segments.filter((_, j) => j !== i) : segments.flatMap((s, j) => (j === i ? to.split('\n') : [s]));
    else if (to !== null) segments.splice(segments.indexOf('UNS+S'), 0, ...to.split('\n'));
  }
  return segments;
}

describe('edifact-orders parser', () => {
  describe('sniff', () => {
    it.each([
      ["UNA:+.? 'UNB+UNOC:3"],
      ['UNB+UNOC:3+A'],
      ['\ufeff\r\n  UNB+UNOY:4+A'],
      ['UNA^|,! ~UNB|'],
    ])('recognises %j', (head) => {
      expect(edifactOrdersParser.sniff(Buffer.from(head))).toBe(true);
    });

    it.each([['ISA*00*'], ['<?xml version="1.0"?>'], ['{"a":1}'], ['UNBELIEVABLE'], ['']])('passes on %j', (head) => {
      expect(edifactOrdersParser.sniff(Buffer.from(head))).toBe(false);
    });
  });

  describe('mapping', () => {
    it('fills every default, so an empty mapping reads plain UN/EDIFACT and EANCOM', () => {
      const mapping = edifactMappingSchema.parse({});
      expect(mapping).toMatchObject({
        parties: { customer: ['BY'], shipTo: ['ST', 'DP'], billTo: ['IV'] },
        articleNumbers: { sku: ['SA'], customerSku: ['BP', 'IN'] },
        deliveryDateQualifiers: ['2', '64'],
        limits: { maxBytes: 20 * 2 ** 20, maxSegments: 100_000 },
      });
    });

    it('refuses an unknown key or a bad value, naming it', async () => {
      const result = await parse(interchange([ORDER_BODY]), { partys: {}, limits: { maxBytes: -1 } });
      expect(result).toMatchObject({ ok: false, code: 'mapping.invalid' });
      expect(result.issues.map((i) => i.path).sort()).toEqual(['mapping', 'mapping.limits.maxBytes']);
    });

    describe('when a partner puts the SKU in another PIA type and the date in another DTM', () => {
      const doc = interchange([
        [
          'BGM+220+PO-1+9',
          'DTM+69:20270201:102',
          'NAD+BY+CUST-1::92++Acme Bau',
          'CUX+2:EUR:9',
          'LIN+1++4006381333931:EN',
          'PIA+1+P-77:MF+B-1:BP',
          'QTY+21:3',
          'DTM+69:20270301:102',
          'PRI+AAA:10.50',
          'UNS+S',
          'CNT+2:1',
        ],
      ]);

      it('rejects the line with the default mapping, naming LIN03', async () => {
        const result = await parse(doc);
        expect(result.orders[0]!.issues).toEqual([expect.objectContaining({ path: 'segment 7 (LIN) LIN03-1', message: 'lines[0]: no item number of type SA in LIN03 or PIA' })]);
      });

      it('reads both through the mapping', async () => {
        const result = await parse(doc, { articleNumbers: { sku: ['MF'] }, deliveryDateQualifiers: ['69'] });
        expect(result.orders[0]!.issues).toEqual([]);
        expect(result.orders[0]!.draft).toMatchObject({ requestedDeliveryDate: '2027-02-01', lines: [{ sku: 'P-77', customerSku: 'B-1', requestedDate: '2027-03-01' }] });
      });
    });

    it('takes the currency from the mapping when there is no CUX', async () => {
      const result = await parse(interchange([body({ CUX: null })]), { defaultCurrency: 'CNY' });
      expect(result.orders[0]!.draft?.currency).toBe('CNY');
    });
  });

  describe('when a message lacks what an order needs', () => {
    it.each([
      ['no price', { PRI: null }, 'segment 6 (LIN)', 'lines[0]: no PRI with qualifier AAA or AAB'],
      ['no quantity', { QTY: null }, 'segment 6 (LIN)', 'lines[0]: no QTY with qualifier 21 or 1'],
      ['no customer', { NAD: null }, 'segment 2 (UNH)', 'no NAD with qualifier BY (customer)'],
      ['no currency', { CUX: null }, 'segment 2 (UNH)', 'no CUX and no defaultCurrency in the partner mapping'],
      ['a cancellation', { BGM: 'BGM+220+PO-1+1' }, 'segment 3 (BGM) BGM03', 'BGM03 message function "1" is not a new order (taken: 9)'],
      ['a wrong line count', { CNT: 'CNT+2:4' }, 'segment 10 (CNT) CNT01-2', 'CNT+2 says "4" lines but the message has 1 LIN'],
      ['an impossible date', { BGM: 'BGM+220+PO-1+9\nDTM+2:20270230:102' }, 'segment 4 (DTM) DTM01-2', expect.stringContaining('is not a date the hub reads')],
      ['a quantity that is not a number', { QTY: 'QTY+21:1.000,5' }, 'segment 7 (QTY) QTY01-2', 'lines[0]: quantity "1.000,5" is not a number'],
    ])('rejects the order for %s, naming where', async (_, changes, path, message) => {
      const result = await parse(interchange([body(changes)]));
      expect(result.ok).toBe(true);
      expect(result.orders[0]!.draft).toBeUndefined();
      expect(result.orders[0]!.issues).toEqual([expect.objectContaining({ path, message })]);
    });

    it('reports what the canonical schema refuses at the segment that carried it', async () => {
      const result = await parse(interchange([body({ QTY: 'QTY+21:0' })]));
      expect(result.orders[0]!.issues).toEqual([expect.objectContaining({ path: 'segment 7 (QTY) QTY01-2', message: 'lines[0].quantity: must be greater than zero' })]);
    });
  });

  describe('parties', () => {
    it('names a customer known only by its GLN by that GLN', async () => {
      const result = await parse(interchange([body({ NAD: 'NAD+BY+5412345000176::9' })]));
      expect(result.orders[0]!.draft?.customer).toEqual({ id: '5412345000176', name: '5412345000176' });
    });

    it('reads an unstructured name (C058) when there is no structured one', async () => {
      const result = await parse(interchange([body({ NAD: 'NAD+BY++Acme Bau GmbH:Werk 2' })]));
      expect(result.orders[0]!.draft?.customer.name).toBe('Acme Bau GmbH');
    });

    it('joins name components with a space', async () => {
      const result = await parse(interchange([body({ NAD: 'NAD+BY+++Shanghai Huadong Water:Engineering Co. Ltd.' })]));
      expect(result.orders[0]!.draft?.customer.name).toBe('Shanghai Huadong Water Engineering Co. Ltd.');
    });
  });

  describe('lines', () => {
    it('divides a price given per 100 units down to the unit, in decimals', async () => {
      const result = await parse(interchange([body({ PRI: 'PRI+AAA:1:CT:NTP:3:PCE' })]));
      expect(result.orders[0]!.draft?.lines[0]?.unitPrice).toBe('0.3333333333');
    });

    it('applies an allowance to a gross price but not to a net one', async () => {
      const gross = await parse(interchange([body({ PRI: 'PRI+AAB:100', 'ALC+A': 'ALC+A', 'PCD+1': 'PCD+1:5' })]));
      const net = await parse(interchange([body({ PRI: 'PRI+AAA:95', 'ALC+A': 'ALC+A', 'PCD+1': 'PCD+1:5' })]));
      expect(gross.orders[0]!.draft?.lines[0]).toMatchObject({ unitPrice: '100', discountPct: '5' });
      expect(net.orders[0]!.draft?.lines[0]).toMatchObject({ unitPrice: '95' });
      expect(net.orders[0]!.draft?.lines[0]?.discountPct).toBeUndefined();
    });

    it('leaves a date inside a price group (SG28) to the price, not the line', async () => {
      const result = await parse(interchange([body({ PRI: 'PRI+AAA:10.50\nDTM+2:20270101:102' })]));
      expect(result.orders[0]!.draft?.lines[0]?.requestedDate).toBeUndefined();
    });

    it('numbers lines by position when LIN01 is not a number', async () => {
      const result = await parse(interchange([body({ LIN: 'LIN+A1++SKU-1:SA' })]));
      expect(result.orders[0]!.draft?.lines[0]?.lineNo).toBe(1);
    });
  });
});
