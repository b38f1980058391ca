import { ValidationError } from '../../../core/errors/validation.error';
import { generateIdocOrders05, type IdocOrders05Options } from '../../../connectors/idoc/idoc-orders05.generator';
import { idocOrders05Parser } from '../../../connectors/idoc/idoc-orders05.parser';
import { draftOf, roundTripOrder } from '../xml/round-trip-order';
import { expectGolden, xmlFixtures } from '../xml/xml-fixtures';

const options: IdocOrders05Options = {
  docnum: '4711',
  sender: { partner: 'ORDERHUB', port: 'HUBPORT' },
  receiver: { partner: 'S4HCLNT100', port: 'SAPS4H' },
  now: new Date('2026-03-02T08:00:00Z'),
};
const parse = (xml: string | Buffer, mapping: Record<string, unknown> = {}) =>
  idocOrders05Parser.parse(Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8'), { mapping });

const CONTROL = '<EDI_DC40 SEGMENT="1"><DOCNUM>0000000000000001</DOCNUM><IDOCTYP>ORDERS05</IDOCTYP><MESTYP>ORDERS</MESTYP><SNDPRN>CUST</SNDPRN><RCVPRN>SAP</RCVPRN></EDI_DC40>';
const ITEM = '<E1EDP01 SEGMENT="1"><POSEX>000010</POSEX><MENGE>5.000</MENGE><MENEE>PCE</MENEE><VPREI>12.50</VPREI><E1EDP19 SEGMENT="1"><QUALF>002</QUALF><IDTNR>007</IDTNR></E1EDP19></E1EDP01>';
function idoc(segments = '<E1EDK01 SEGMENT="1"><CURCY>EUR</CURCY></E1EDK01><E1EDKA1 SEGMENT="1"><PARVW>AG</PARVW><PARTN>100</PARTN><NAME1>Kunde AG</NAME1></E1EDKA1><E1EDK02 SEGMENT="1"><QUALF>001</QUALF><BELNR>PO-9</BELNR></E1EDK02>', items = ITEM, control = CONTROL): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ORDERS05><IDOC BEGIN="1">${control}${segments}${items}</IDOC></ORDERS05>`;
}

describe('SAP IDoc ORDERS05 parser', () => {
  describe.each(xmlFixtures('idoc'))('fixture $name', (fixture) => {
    it('is recognised by sniff', () => {
      expect(idocOrders05Parser.sniff(fixture.body)).toBe(true);
    });

    it('parses to its golden result', async () => {
      expectGolden(await idocOrders05Parser.parse(fixture.body, { mapping: fixture.mapping }), fixture.expectedPath);
    });
  });

  describe('when a canonical order makes the round trip through generateIdocOrders05', () => {
    it('comes back with the same fields, Chinese text and exact decimals included', async () => {
      const order = roundTripOrder({ paymentTerms: '30% advance, 70% in 30 days' });
      const result = await parse(generateIdocOrders05(order, options).body);

      expect(result.ok).toBe(true);
      expect(result.interchange).toEqual({ sender: 'ORDERHUB', receiver: 'S4HCLNT100', controlNumber: '0000000000004711' });
      const [parsed] = result.orders;
      expect(parsed?.issues).toEqual([]);
      // ORDERS05 has no e-mail field.
      const { email: _, ...contact } = order.customer.contact!;
      expect(parsed?.draft).toEqual({ ...draftOf(order), customer: { ...order.customer, contact }, claimedTotals: { net: order.totals.net } });
      expect(parsed?.draft?.lines[1]).toMatchObject({ sku: '007', unitPrice: '12.50', discountPct: '10' });
    });

    it('refuses a value longer than its SAP field, naming the field instead of cutting it', () => {
      const order = roundTripOrder({ billTo: { name: '华东水务工程有限公司'.repeat(4) } });
      const thrown = (() => {
        try {
          generateIdocOrders05(order, options);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).code).toBe('idoc.order_does_not_fit');
      expect((thrown as ValidationError).details).toEqual([{ path: 'billTo.name', message: 'is 40 characters; NAME1 holds 35', code: 'idoc.field_too_long' }]);
    });

    it('refuses a DOCNUM that is not up to 16 digits', () => {
      expect(() => generateIdocOrders05(roundTripOrder(), { ...options, docnum: 'A-1' })).toThrow(ValidationError);
    });
  });

  describe('when the XML is not an ORDERS05 IDoc', () => {
    it.each([
      ['another IDoc type', idoc().replace('<IDOCTYP>ORDERS05</IDOCTYP>', '<IDOCTYP>INVOIC02</IDOCTYP>'), '/ORDERS05/IDOC/EDI_DC40/IDOCTYP', /EDI_DC40\/IDOCTYP is INVOIC02/],
      ['an IDoc without control record', idoc(undefined, ITEM, ''), '/ORDERS05/IDOC/EDI_DC40', /no EDI_DC40/],
      ['a cXML document', '<cXML payloadID="x"/>', '/cXML', /root element <cXML> holds no IDOC/],
    ])('refuses %s with idoc.expected_orders05', async (_name, xml, path, message) => {
      const result = await parse(xml);
      expect(result).toMatchObject({ ok: false, code: 'idoc.expected_orders05', orders: [] });
      expect(result.issues[0]).toMatchObject({ path, message: expect.stringMatching(message) });
    });

    it('refuses a file of several IDocs, each of which needs its own DOCNUM', async () => {
      const two = idoc().replace('</ORDERS05>', '') + idoc().replace(/^.*<ORDERS05>/s, '');
      expect(await parse(two)).toMatchObject({ ok: false, code: 'idoc.multiple_idocs' });
    });
  });

  describe('when required segments and fields are missing', () => {
    it('names each missing one by its XPath and keeps no draft', async () => {
      const [parsed] = (await parse(idoc('<E1EDK01 SEGMENT="1"/>', ITEM.replace('<MENGE>5.000</MENGE>', '').replace('<QUALF>002</QUALF>', '<QUALF>001</QUALF>')))).orders;
      expect(parsed?.draft).toBeUndefined();
      expect(parsed?.issues.map((i) => [i.path, i.code])).toEqual([
        ["/ORDERS05/IDOC/E1EDK02[QUALF='001']/BELNR", 'xml.required_missing'],
        ["/ORDERS05/IDOC/E1EDKA1[PARVW='AG']/PARTN", 'xml.required_missing'],
        ['/ORDERS05/IDOC/E1EDK01/CURCY', 'xml.required_missing'],
        ["/ORDERS05/IDOC/E1EDP01[1]/E1EDP19[QUALF='002']/IDTNR", 'xml.required_missing'],
        ['/ORDERS05/IDOC/E1EDP01[1]/MENGE', 'xml.required_missing'],
      ]);
    });

    it('reports a missing DOCNUM at the input level and keeps the order', async () => {
      const result = await parse(idoc(undefined, ITEM, CONTROL.replace('<DOCNUM>0000000000000001</DOCNUM>', '')));
      expect(result.issues).toEqual([{ path: '/ORDERS05/IDOC/EDI_DC40/DOCNUM', code: 'xml.required_missing', message: 'EDI_DC40/DOCNUM is missing' }]);
      expect(result.interchange).toBeUndefined();
      expect(result.orders[0]?.draft?.poNumber).toBe('PO-9');
    });

    it('names a wrong item count in E1EDS01', async () => {
      const xml = idoc(undefined, `${ITEM}<E1EDS01 SEGMENT="1"><SUMID>001</SUMID><SUMME>3</SUMME></E1EDS01>`);
      expect((await parse(xml)).orders[0]?.issues).toEqual([
        { path: '/ORDERS05/IDOC/E1EDS01[1]/SUMME', code: 'idoc.count_mismatch', message: 'E1EDS01 SUMID 001 says 3 items; the IDoc has 1 E1EDP01' },
      ]);
    });
  });

  describe('when the partner mapping overrides the defaults', () => {
    it('reads the PO number from the qualifier the partner uses', async () => {
      const xml = idoc('<E1EDK01 SEGMENT="1"><CURCY>EUR</CURCY></E1EDK01><E1EDKA1 SEGMENT="1"><PARVW>AG</PARVW><NAME1>K</NAME1></E1EDKA1><E1EDK02 SEGMENT="1"><QUALF>044</QUALF><BELNR>REL-12</BELNR></E1EDK02>');
      expect((await parse(xml)).orders[0]?.issues[0]?.path).toBe("/ORDERS05/IDOC/E1EDK02[QUALF='001']/BELNR");
      expect((await parse(xml, { poNumber: ['044'] })).orders[0]?.draft?.poNumber).toBe('REL-12');
    });

    it('takes the customer from another partner function', async () => {
      const xml = idoc('<E1EDK01 SEGMENT="1"><CURCY>EUR</CURCY></E1EDK01><E1EDKA1 SEGMENT="1"><PARVW>SP</PARVW><PARTN>9</PARTN><NAME1>Auftraggeber</NAME1></E1EDKA1><E1EDK02 SEGMENT="1"><QUALF>001</QUALF><BELNR>P</BELNR></E1EDK02>');
      expect((await parse(xml, { partners: { customer: 'SP' } })).orders[0]?.draft?.customer).toEqual({ id: '9', name: 'Auftraggeber' });
    });

    it('accepts an extended IDoc type the partner declares', async () => {
      const xml = idoc().replace('<IDOCTYP>ORDERS05</IDOCTYP>', '<IDOCTYP>ZORDERS5</IDOCTYP>');
      expect((await parse(xml, { idocTypes: ['ORDERS05', 'ZORDERS5'] })).ok).toBe(true);
    });
  });
});
