import type { FormatParser, ParseContext, ParsedOrder, ParseResult } from '../connector';
import { peekXml, readXml } from '../shared/safe-xml';
import { readMapping, refusedDocument, XmlDraftSources, type LooseDraft } from '../shared/xml-draft';
import type { XmlElement } from '../shared/xml-path';
import { readUblLines, requestedDate } from './ubl-order.lines';
import { readUblAddress, readUblCustomer } from './ubl-party';
import { ublMappingSchema, type UblMapping } from './ubl.mapping';

/**
 * UBL 2.x Order (Peppol BIS Order 3 included) → one canonical order draft: cbc:ID is the PO
 * number, the customer party the customer, Delivery the ship-to and requested date,
 * AnticipatedMonetaryTotal and TaxTotal the claimed totals. Lines live in ubl-order.lines.ts,
 * parties and addresses in ubl-party.ts. UBL has no envelope, so there is no interchange identity.
 */

/** The Order start tag and its namespace declarations come first, after at most a comment block. */
const SNIFF_BYTES = 4096;

export const ublOrderParser: FormatParser = {
  format: 'ubl-order',
  sniff(body) {
    const head = peekXml(body, SNIFF_BYTES);
    return /<([A-Za-z_][\w.-]*:)?Order[\s>]/.test(head) && head.includes('urn:oasis:names:specification:ubl:schema:xsd:Order-2');
  },
  async parse(body, context) {
    return parseUblOrder(body, context);
  },
};

export function parseUblOrder(body: Buffer, context: ParseContext): ParseResult {
  const read = readMapping(ublMappingSchema, context.mapping);
  if (!read.ok) return read.result;
  const mapping = read.mapping;
  const xml = readXml(body, mapping.limits);
  if (!xml.ok) return refusedDocument(xml.code, xml.issues);

  const { root, rootNamespace } = xml;
  if (root.name !== 'Order' || rootNamespace === undefined || !mapping.namespaces.includes(rootNamespace)) {
    const found = `the root element is <${root.name}>${rootNamespace ? ` in ${rootNamespace}` : ' without a namespace'}`;
    return refusedDocument('ubl.expected_order', [{ path: root.path, code: 'ubl.expected_order', message: `expected a UBL Order (${mapping.namespaces.join(' or ')}); ${found}` }]);
  }
  return { ok: true, issues: [], orders: [readOrder(root, mapping)] };
}

function readOrder(order: XmlElement, mapping: UblMapping): ParsedOrder {
  const src = new XmlDraftSources(order.path);
  const currency = documentCurrency(order, src);
  const delivery = order.child('Delivery');
  const totals = order.child('AnticipatedMonetaryTotal');
  const billToParty = mapping.billTo === 'none' ? undefined : order.descend(mapping.billTo, 'Party');
  const notes = order.children('Note').flatMap((n) => n.text() ?? []);
  const terms = order.children('PaymentTerms').flatMap((t) => t.children('Note').flatMap((n) => n.text() ?? []));

  const draft: LooseDraft = {
    poNumber: src.required('poNumber', order.pathAlong('ID'), order.textOf('ID'), 'cbc:ID'),
    customer: readUblCustomer(order, mapping, src),
    shipTo: delivery && readShipTo(delivery, src),
    billTo: billToParty && readUblAddress(billToParty.child('PostalAddress'), { value: billToParty.textOf('PartyName', 'Name'), path: billToParty.pathAlong('PartyName', 'Name') }, 'billTo', src),
    currency,
    paymentTerms: src.from('paymentTerms', order.pathAlong('PaymentTerms', 'Note'), terms.length > 0 ? terms.join('; ') : undefined),
    incoterms: src.from('incoterms', order.pathAlong('DeliveryTerms', 'ID'), order.textOf('DeliveryTerms', 'ID')),
    requestedDeliveryDate: delivery && requestedDate(delivery, 'requestedDeliveryDate', mapping, src),
    notes: src.from('notes', order.pathAlong('Note'), notes.length > 0 ? notes.join('\n') : undefined),
    lines: readUblLines(order, currency, mapping, src),
    claimedTotals: {
      net: src.from('claimedTotals.net', order.pathAlong('AnticipatedMonetaryTotal', 'LineExtensionAmount'), totals?.textOf('LineExtensionAmount')),
      tax: src.from('claimedTotals.tax', order.pathAlong('TaxTotal', 'TaxAmount'), order.textOf('TaxTotal', 'TaxAmount')),
      gross: src.from('claimedTotals.gross', order.pathAlong('AnticipatedMonetaryTotal', 'PayableAmount'), totals?.textOf('PayableAmount')),
    },
  };
  return src.finish(draft);
}

/** DocumentCurrencyCode; UBL 2.1 makes it optional, so the payable amount's currencyID stands in. */
function documentCurrency(order: XmlElement, src: XmlDraftSources): string | undefined {
  const code = order.textOf('DocumentCurrencyCode');
  if (code !== undefined) return src.from('currency', order.pathAlong('DocumentCurrencyCode'), code);
  const payable = order.descend('AnticipatedMonetaryTotal', 'PayableAmount');
  return src.required('currency', payable?.attrPath('currencyID') ?? order.pathTo('DocumentCurrencyCode'), payable?.attr('currencyID'), 'cbc:DocumentCurrencyCode');
}

/** Delivery/DeliveryLocation/Address, named by the DeliveryParty (or the location's own name). */
function readShipTo(delivery: XmlElement, src: XmlDraftSources): LooseDraft['shipTo'] {
  const location = delivery.child('DeliveryLocation');
  const partyName = delivery.textOf('DeliveryParty', 'PartyName', 'Name');
  const name =
    partyName !== undefined || location?.textOf('Name') === undefined
      ? { value: partyName, path: delivery.pathAlong('DeliveryParty', 'PartyName', 'Name') }
      : { value: location.textOf('Name'), path: location.pathAlong('Name') };
  const address = location?.child('Address') ?? delivery.child('DeliveryAddress');
  if (!address && name.value === undefined) return undefined;
  return readUblAddress(address, name, 'shipTo', src);
}
