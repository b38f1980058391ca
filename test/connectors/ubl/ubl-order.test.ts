import { generateUblOrder, type UblOrderOptions } from '../../../connectors/ubl/ubl-order.generator';
import { ublOrderParser } from '../../../connectors/ubl/ubl-order.parser';
import { draftOf, roundTripOrder } from '../xml/round-trip-order';
import { expectGolden, xmlFixtures } from '../xml/xml-fixtures';

const options: UblOrderOptions = {
  now: new Date('2026-03-02T08:00:00Z'),
  buyerEndpoint: { id: '6901234000012', schemeId: '0088' },
  seller: { name: 'Order Hub Demo Supplier', endpoint: { id: '6909876000013', schemeId: '0088' } },
};
const parse = (xml: string | Buffer, mapping: Record<string, unknown> = {}) =>
  ublOrderParser.parse(Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8'), { mapping });

const NS = 'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';
const LINE = `<cac:OrderLine><cac:LineItem><cbc:ID>1</cbc:ID><cbc:Quantity unitCode="EA">3</cbc:Quantity>
  <cac:Price><cbc:PriceAmount currencyID="EUR">12.50</cbc:PriceAmount></cac:Price>
  <cac:Item><cbc:Name>Widget</cbc:Name><cac:SellersItemIdentification><cbc:ID>007</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:LineItem></cac:OrderLine>`;
function order(body = `<cbc:ID>PO-7</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:BuyerCustomerParty><cac:Party><cac:PartyName><cbc:Name>Buyer AB</cbc:Name></cac:PartyName></cac:Party></cac:BuyerCustomerParty>`, lines = LINE): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Order ${NS}>${body}${lines}</Order>`;
}

describe('UBL Order parser', () => {
  describe.each(xmlFixtures('ubl'))('fixture $name', (fixture) => {
    it('is recognised by sniff', () => {
      expect(ublOrderParser.sniff(fixture.body)).toBe(true);
    });

    it('parses to its golden result', async () => {
      expectGolden(await ublOrderParser.parse(fixture.body, { mapping: fixture.mapping }), fixture.expectedPath);
    });
  });

  describe('when a canonical order makes the round trip through generateUblOrder', () => {
    it('comes back with the same fields, Chinese text and exact decimals included', async () => {
      const source = roundTripOrder({ incoterms: 'DAP', notes: '工地只在工作日收货' });
      const result = await parse(generateUblOrder(source, options).body);

      expect(result.ok).toBe(true);
      const [parsed] = result.orders;
      expect(parsed?.issues).toEqual([]);
      expect(parsed?.draft).toEqual({ ...draftOf(source), claimedTotals: source.totals });
      expect(parsed?.draft?.lines[1]).toMatchObject({ sku: '007', unitPrice: '12.50', discountPct: '10' });
    });

    it('writes a Peppol BIS Order 3 document', () => {
      const xml = generateUblOrder(roundTripOrder(), options).body.toString('utf8');
      expect(xml).toContain('<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order:3</cbc:CustomizationID>');
      expect(xml).toContain('<cbc:EndpointID schemeID="0088">6901234000012</cbc:EndpointID>');
    });
  });

  describe('when the XML is not a UBL Order', () => {
    it.each([
      ['a UBL Invoice', '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>', /root element is <Invoice> in urn:oasis:names:specification:ubl:schema:xsd:Invoice-2/],
      ['an Order without the UBL namespace', '<Order><ID>1</ID></Order>', /root element is <Order> without a namespace/],
      ['an Order in another namespace', '<x:Order xmlns:x="urn:example:orders"/>', /<Order> in urn:example:orders/],
    ])('refuses %s with ubl.expected_order', async (_name, xml, message) => {
      const result = await parse(xml);
      expect(result).toMatchObject({ ok: false, code: 'ubl.expected_order', orders: [] });
      expect(result.issues[0]?.message).toMatch(message);
    });
  });

  describe('when required elements are missing', () => {
    it('names each missing one by its XPath and keeps no draft', async () => {
      const xml = order('<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>', LINE.replace(/<cac:Price>.*<\/cac:Price>/s, '').replace('<cac:SellersItemIdentification><cbc:ID>007</cbc:ID></cac:SellersItemIdentification>', ''));
      const [parsed] = (await parse(xml)).orders;
      expect(parsed?.draft).toBeUndefined();
      expect(parsed?.issues).toEqual([
        { path: '/Order/ID', code: 'xml.required_missing', message: 'cbc:ID is missing' },
        { path: '/Order/BuyerCustomerParty/Party', code: 'xml.required_missing', message: 'cac:BuyerCustomerParty/cac:Party is missing' },
        { path: '/Order/OrderLine[1]/LineItem/Item/SellersItemIdentification/ID', code: 'xml.required_missing', message: 'cac:Item/cac:SellersItemIdentification/cbc:ID is missing' },
        { path: '/Order/OrderLine[1]/LineItem/Price/PriceAmount', code: 'xml.required_missing', message: 'cac:Price/cbc:PriceAmount is missing' },
      ]);
    });

    it('names the position of the line that lacks a quantity', async () => {
      const [parsed] = (await parse(order(undefined, LINE + LINE.replace('<cbc:Quantity unitCode="EA">3</cbc:Quantity>', '')))).orders;
      expect(parsed?.issues).toEqual([{ path: '/Order/OrderLine[2]/LineItem/Quantity', code: 'xml.required_missing', message: 'cbc:Quantity is missing' }]);
    });

    it('takes the currency from the payable amount when DocumentCurrencyCode is absent, and asks for it when both are', async () => {
      const withPayable = order(
        '<cbc:ID>PO-7</cbc:ID><cac:BuyerCustomerParty><cac:Party><cac:PartyName><cbc:Name>B</cbc:Name></cac:PartyName></cac:Party></cac:BuyerCustomerParty><cac:AnticipatedMonetaryTotal><cbc:PayableAmount currencyID="EUR">37.50</cbc:PayableAmount></cac:AnticipatedMonetaryTotal>',
      );
      expect((await parse(withPayable)).orders[0]?.draft?.currency).toBe('EUR');
      const [parsed] = (await parse(order('<cbc:ID>PO-7</cbc:ID><cac:BuyerCustomerParty><cac:Party><cac:PartyName><cbc:Name>B</cbc:Name></cac:PartyName></cac:Party></cac:BuyerCustomerParty>'))).orders;
      expect(parsed?.issues).toEqual([{ path: '/Order/DocumentCurrencyCode', code: 'xml.required_missing', message: 'cbc:DocumentCurrencyCode is missing' }]);
    });
  });

  describe('when the partner mapping overrides the defaults', () => {
    it('reads the SKU from the standard item identification the partner uses', async () => {
      const gtin = order(undefined, LINE.replace('SellersItemIdentification><cbc:ID>007</cbc:ID></cac:SellersItemIdentification', 'StandardItemIdentification><cbc:ID schemeID="0160">4006381333931</cbc:ID></cac:StandardItemIdentification'));
      expect((await parse(gtin)).orders[0]?.issues[0]?.path).toBe('/Order/OrderLine[1]/LineItem/Item/SellersItemIdentification/ID');
      const [parsed] = (await parse(gtin, { items: { sku: ['SellersItemIdentification', 'StandardItemIdentification'] } })).orders;
      expect(parsed?.draft?.lines[0]?.sku).toBe('4006381333931');
    });

    it('takes the customer from the accounting party', async () => {
      const xml = order(
        '<cbc:ID>PO-7</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0088">123</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Finance GmbH</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>',
      );
      const [parsed] = (await parse(xml, { customer: { party: 'AccountingCustomerParty' } })).orders;
      expect(parsed?.draft?.customer).toEqual({ id: '123', name: 'Finance GmbH' });
    });
  });

  it('flags a price in another currency than the order', async () => {
    const [parsed] = (await parse(order(undefined, LINE.replace('currencyID="EUR">12.50', 'currencyID="USD">12.50')))).orders;
    expect(parsed?.issues).toEqual([
      { path: '/Order/OrderLine[1]/LineItem/Price/PriceAmount/@currencyID', code: 'ubl.currency_mismatch', message: 'price is in USD but the order is in EUR' },
    ]);
  });
});
