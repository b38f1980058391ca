import { generateCxmlOrderRequest, type CxmlOrderRequestOptions } from '../../../connectors/cxml/cxml-order.generator';
import { cxmlOrderParser } from '../../../connectors/cxml/cxml-order.parser';
import { draftOf, roundTripOrder } from '../xml/round-trip-order';
import { expectGolden, xmlFixtures } from '../xml/xml-fixtures';

const options: CxmlOrderRequestOptions = {
  payloadId: '1772438400000.4711@hub.example.cn',
  now: new Date('2026-03-02T08:00:00Z'),
  to: { domain: 'NetworkID', identity: 'AN01000099999' },
};
const parse = (xml: string | Buffer, mapping: Record<string, unknown> = {}) =>
  cxmlOrderParser.parse(Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8'), { mapping });

/** A minimal valid OrderRequest with `header` and `items` spliced in. */
function orderRequest(header = '', items = ITEM): string {
  return `<?xml version="1.0"?>
<cXML payloadID="p-1@test" timestamp="2026-03-02T08:00:00Z">
  <Header>
    <From><Credential domain="NetworkID"><Identity>AN-BUYER</Identity></Credential></From>
    <To><Credential domain="NetworkID"><Identity>AN-SUPPLIER</Identity></Credential></To>
    <Sender><Credential domain="NetworkID"><Identity>AN-BUYER</Identity></Credential><UserAgent>t</UserAgent></Sender>
  </Header>
  <Request><OrderRequest>
    <OrderRequestHeader orderID="PO-1" orderDate="2026-03-02" type="new">
      <Total><Money currency="USD">10.00</Money></Total>
      <BillTo><Address><Name xml:lang="en">Buyer Inc.</Name></Address></BillTo>
      ${header}
    </OrderRequestHeader>
    ${items}
  </OrderRequest></Request>
</cXML>`;
}
const ITEM = `<ItemOut quantity="1" lineNumber="1"><ItemID><SupplierPartID>SKU-1</SupplierPartID></ItemID>
  <ItemDetail><UnitPrice><Money currency="USD">10.00</Money></UnitPrice><Description xml:lang="en">x</Description><UnitOfMeasure>EA</UnitOfMeasure></ItemDetail></ItemOut>`;

describe('cXML OrderRequest parser', () => {
  describe.each(xmlFixtures('cxml'))('fixture $name', (fixture) => {
    it('is recognised by sniff', () => {
      expect(cxmlOrderParser.sniff(fixture.body)).toBe(true);
    });

    it('parses to its golden result', async () => {
      expectGolden(await cxmlOrderParser.parse(fixture.body, { mapping: fixture.mapping }), fixture.expectedPath);
    });
  });

  describe('when a canonical order makes the round trip through generateCxmlOrderRequest', () => {
    it('comes back with the same fields, Chinese text and exact decimals included', async () => {
      const order = roundTripOrder();
      const result = await parse(generateCxmlOrderRequest(order, options).body);

      expect(result.ok).toBe(true);
      expect(result.interchange).toEqual({ sender: 'CUST-0815', receiver: 'AN01000099999', controlNumber: options.payloadId });
      const [parsed] = result.orders;
      expect(parsed?.issues).toEqual([]);
      // cXML has no field for the customer's tax id.
      const { taxId: _, ...customer } = order.customer;
      expect(parsed?.draft).toEqual({ ...draftOf(order), customer, claimedTotals: { gross: order.totals.gross, tax: order.totals.tax } });
      expect(parsed?.draft?.lines[1]).toMatchObject({ sku: '007', unitPrice: '12.50', quantity: '20.5' });
    });

    it('writes the cXML DOCTYPE the parser accepts and a DTD never fetched', () => {
      const body = generateCxmlOrderRequest(roundTripOrder(), options).body.toString('utf8');
      expect(body).toContain('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.060/cXML.dtd">');
      expect(body).toContain('离心泵 200 型 &lt;主泵&gt;');
    });

    it('refuses an order without customer id when no From credential is given', () => {
      const order = roundTripOrder({ customer: { name: '无编号客户' } });
      expect(() => generateCxmlOrderRequest(order, options)).toThrow(/From credential/);
    });
  });

  describe('when the XML is not a cXML OrderRequest', () => {
    it.each([
      ['another root element', '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', '/Order', /root element is <Order>/],
      ['a PunchOutSetupRequest', '<cXML payloadID="x"><Header/><Request><PunchOutSetupRequest/></Request></cXML>', '/cXML/Request/OrderRequest', /carries a PunchOutSetupRequest/],
      ['a Response', '<cXML payloadID="x"><Response><Status code="200" text="OK"/></Response></cXML>', '/cXML/Request/OrderRequest', /carries a Response/],
      ['two OrderRequests in one Request', '<cXML payloadID="x"><Request><OrderRequest/><OrderRequest/></Request></cXML>', '/cXML/Request', /expected one OrderRequest; the Request holds 2/],
    ])('refuses %s with cxml.expected_order_request', async (_name, xml, path, message) => {
      const result = await parse(xml);
      expect(result).toMatchObject({ ok: false, code: 'cxml.expected_order_request', orders: [] });
      expect(result.issues[0]).toMatchObject({ path, message: expect.stringMatching(message) });
    });
  });

  describe('when required elements are missing', () => {
    it('names each missing one by its XPath and keeps no draft', async () => {
      const xml = orderRequest()
        .replace('orderID="PO-1" ', '')
        .replace('<Money currency="USD">10.00</Money></Total>', '<Money>10.00</Money></Total>')
        .replace('<ItemOut quantity="1" ', '<ItemOut ')
        .replace('<SupplierPartID>SKU-1</SupplierPartID>', '');
      const [order] = (await parse(xml)).orders;
      expect(order?.draft).toBeUndefined();
      expect(order?.issues.map((i) => i.path)).toEqual([
        '/cXML/Request/OrderRequest/OrderRequestHeader/Total/Money/@currency',
        '/cXML/Request/OrderRequest/OrderRequestHeader/@orderID',
        '/cXML/Request/OrderRequest/ItemOut[1]/ItemID/SupplierPartID',
        '/cXML/Request/OrderRequest/ItemOut[1]/@quantity',
      ]);
      expect(order?.issues.every((i) => i.code === 'xml.required_missing')).toBe(true);
    });

    it('names an OrderRequest without ItemOut', async () => {
      const [order] = (await parse(orderRequest('', ''))).orders;
      expect(order?.issues).toEqual([{ path: '/cXML/Request/OrderRequest/ItemOut', code: 'xml.required_missing', message: 'an OrderRequest needs at least one ItemOut' }]);
    });

    it('restates a schema failure at the XPath the value came from', async () => {
      const [order] = (await parse(orderRequest('', ITEM.replace('quantity="1"', 'quantity="1,5"')))).orders;
      expect(order?.issues).toEqual([
        { path: '/cXML/Request/OrderRequest/ItemOut[1]/@quantity', code: 'draft.invalid', message: expect.stringMatching(/^lines\[0\]\.quantity .*decimal.*\(got "1,5"\)$/) },
      ]);
    });

    it('reports a missing envelope identity at the input level and keeps the order', async () => {
      const result = await parse(orderRequest().replace('payloadID="p-1@test" ', ''));
      expect(result.issues).toEqual([{ path: '/cXML/@payloadID', code: 'xml.required_missing', message: 'cXML/@payloadID is missing' }]);
      expect(result.interchange).toBeUndefined();
      expect(result.orders[0]?.draft?.poNumber).toBe('PO-1');
    });
  });

  describe('when the partner mapping overrides the defaults', () => {
    const withContact = orderRequest(`<Contact role="purchasingAgent" addressID="C-9"><Name xml:lang="en">Buyer Contact Ltd</Name><Email>pa@example.com</Email></Contact>`);

    it('takes the customer from the Contact the mapping names', async () => {
      const [order] = (await parse(withContact, { customer: { source: 'buyer-contact', contactRole: 'purchasingAgent' } })).orders;
      expect(order?.draft?.customer).toEqual({ id: 'C-9', name: 'Buyer Contact Ltd', contact: { email: 'pa@example.com' } });
    });

    it('names the missing Contact by role when the partner should send one', async () => {
      const [order] = (await parse(withContact, { customer: { source: 'buyer-contact' } })).orders;
      expect(order?.issues).toEqual([
        { path: "/cXML/Request/OrderRequest/OrderRequestHeader/Contact[@role='buyer']", code: 'xml.required_missing', message: 'Contact with role "buyer" is missing' },
      ]);
    });

    it('reads Total as the net amount when the partner says so', async () => {
      const [order] = (await parse(orderRequest(), { totalIs: 'net' })).orders;
      expect(order?.draft?.claimedTotals).toEqual({ net: '10.00' });
    });

    it('numbers lines by position when the partner sends non-numeric line numbers', async () => {
      const xml = orderRequest('', ITEM.replace('lineNumber="1"', 'lineNumber="A1"'));
      expect((await parse(xml)).orders[0]?.issues[0]).toMatchObject({ path: '/cXML/Request/OrderRequest/ItemOut[1]/@lineNumber', code: 'xml.invalid_value' });
      expect((await parse(xml, { lineNumbers: 'position' })).orders[0]?.draft?.lines[0]?.lineNo).toBe(1);
    });

    it('accepts update orders only when the mapping allows them', async () => {
      const update = orderRequest().replace('type="new"', 'type="update"');
      expect((await parse(update)).orders[0]?.issues[0]).toMatchObject({ code: 'cxml.order_type_unsupported', path: '/cXML/Request/OrderRequest/OrderRequestHeader/@type' });
      expect((await parse(update, { orderTypes: ['new', 'update'] })).orders[0]?.draft).toBeDefined();
    });

    it('refuses a mapping with an unknown key as mapping.invalid', async () => {
      const result = await parse(orderRequest(), { customr: {} });
      expect(result).toMatchObject({ ok: false, code: 'mapping.invalid' });
      expect(result.issues[0]?.path).toBe('mapping.customr');
    });
  });

  it('refuses a DOCTYPE other than the cXML DTD label', async () => {
    const xml = orderRequest().replace('<?xml version="1.0"?>', '<?xml version="1.0"?><!DOCTYPE cXML SYSTEM "http://evil.example/cXML.dtd">');
    expect(await parse(xml)).toMatchObject({ ok: false, code: 'xml.doctype_forbidden' });
  });

  it('flags a line priced in another currency than the order', async () => {
    const [order] = (await parse(orderRequest('', ITEM.replace('<UnitPrice><Money currency="USD">', '<UnitPrice><Money currency="EUR">')))).orders;
    expect(order?.issues).toEqual([
      { path: '/cXML/Request/OrderRequest/ItemOut[1]/ItemDetail/UnitPrice/Money/@currency', code: 'cxml.currency_mismatch', message: 'unit price is in EUR but the order is in USD' },
    ]);
  });
});
