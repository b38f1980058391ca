import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FormatParser, OutboundDocument } from '../../../connectors/connector';
import { generateCxmlOrderRequest } from '../../../connectors/cxml/cxml-order.generator';
import { cxmlOrderParser } from '../../../connectors/cxml/cxml-order.parser';
import { generateIdocOrders05 } from '../../../connectors/idoc/idoc-orders05.generator';
import { idocOrders05Parser } from '../../../connectors/idoc/idoc-orders05.parser';
import { generateUblOrder } from '../../../connectors/ubl/ubl-order.generator';
import { ublOrderParser } from '../../../connectors/ubl/ubl-order.parser';
import type { CanonicalOrder, OrderLine } from '../../../core/order/order.types';
import { makeOrder } from '../../support/order-factory';
import { measure, type BenchRow } from './bench-row';

/**
 * cXML, UBL and IDoc ORDERS05: the hub's parser (hardening, parse, mapping and schema validation)
 * beside fast-xml-parser alone on the same documents, with attributes on (every format needs them)
 * and its defaults otherwise. The design target is at least 0.8× the bare parser's documents/s.
 */

/** Line counts of the generated documents: a typical order, a large one, and a site's bill of materials. */
const LINE_COUNTS = [3, 40, 400] as const;

function order(lines: number): CanonicalOrder {
  return makeOrder({
    poNumber: `PO-BENCH-${lines}`,
    customer: { id: 'CUST-0815', name: '华东水务工程有限公司', contact: { name: '王工', email: 'wang@example.cn', phone: '+86 21 5555 0000' } },
    shipTo: { name: '青浦泵站工地', street: '华新镇新府中路 88 号', city: '上海', postalCode: '201708', country: 'CN' },
    billTo: { name: '华东水务工程有限公司', street: '世纪大道 100 号', city: '上海', country: 'CN' },
    paymentTerms: '30% advance, 70% within 30 days',
    requestedDeliveryDate: '2027-01-15',
    lines: Array.from({ length: lines }, (_, i): OrderLine => ({
      lineNo: i + 1,
      sku: `SKU-${String(i).padStart(5, '0')}`,
      customerSku: `HD-${i}`,
      description: `闸阀 DN${50 + (i % 10) * 10} 铸铁`,
      quantity: String(1 + (i % 17)),
      uom: 'EA',
      unitPrice: `${100 + i}.50`,
      taxRatePct: '13',
      requestedDate: '2027-01-15',
    })),
  });
}

const now = new Date('2026-03-02T08:00:00Z');
const FORMATS: readonly { format: string; parser: FormatParser; generate: (o: CanonicalOrder) => OutboundDocument }[] = [
  { format: 'cxml-order', parser: cxmlOrderParser, generate: (o) => generateCxmlOrderRequest(o, { payloadId: `${o.id}@bench`, now, to: { domain: 'NetworkID', identity: 'AN-SUPPLIER' } }) },
  {
    format: 'ubl-order',
    parser: ublOrderParser,
    generate: (o) => generateUblOrder(o, { now, buyerEndpoint: { id: '6901234000012', schemeId: '0088' }, seller: { name: 'Supplier', endpoint: { id: '6909876000013', schemeId: '0088' } } }),
  },
  { format: 'idoc-orders05', parser: idocOrders05Parser, generate: (o) => generateIdocOrders05(o, { docnum: '1', sender: { partner: 'HUB' }, receiver: { partner: 'SAP' }, now }) },
];

function fastXmlParserVersion(): string {
  const manifest = join(dirname(require.resolve('fast-xml-parser')), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export async function bench(): Promise<BenchRow[]> {
  const raw = new XMLParser({ ignoreAttributes: false });
  const rawName = `fast-xml-parser ${fastXmlParserVersion()} (parse only)`;
  const rows: BenchRow[] = [];
  for (const { format, parser, generate } of FORMATS) {
    const documents = LINE_COUNTS.map((lines) => generate(order(lines)).body);
    for (const body of documents) {
      const result = await parser.parse(body, { mapping: {} });
      if (!result.ok || result.orders[0]?.draft === undefined) throw new Error(`${format}: a bench document does not parse: ${JSON.stringify(result)}`);
    }
    rows.push({ format, implementation: 'order-hub (parse + mapping)', ...(await measure(documents, (body) => parser.parse(body, { mapping: {} }))) });
    rows.push({ format, implementation: rawName, ...(await measure(documents, (body) => raw.parse(body))) });
  }
  return rows;
}
