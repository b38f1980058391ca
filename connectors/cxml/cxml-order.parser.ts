import type { ErrorDetail } from '../../core/errors/hub-error';
import type { FormatParser, ParseContext, ParsedOrder, ParseResult } from '../connector';
import { peekXml, readXml, type AllowedDoctype } from '../shared/safe-xml';
import { readMapping, refusedDocument, XmlDraftSources, xmlDatePart, type LooseDraft } from '../shared/xml-draft';
import { xpathWhere, type XmlElement } from '../shared/xml-path';
import { readCxmlLines } from './cxml-order.lines';
import { cxmlMappingSchema, type CxmlMapping } from './cxml.mapping';

/**
 * cXML OrderRequest → one canonical order draft. The envelope (payloadID, From and To credentials)
 * becomes the interchange identity; OrderRequestHeader and its ItemOuts become the draft. Item
 * mapping lives in cxml-order.lines.ts.
 */

/**
 * cXML documents carry `<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/<version>/cXML.dtd">`.
 * That exact form is allowed as a label (never fetched); the host is matched without regard to case
 * because senders write both xml.cxml.org and xml.cXML.org.
 */
export const CXML_DOCTYPES: readonly AllowedDoctype[] = [{ root: 'cXML', systemId: /^https?:\/\/xml\.cxml\.org\/schemas\/cXML\/[0-9.]+\/cXML\.dtd$/i }];

/** A cXML Header with several credentials still puts Request within the first few KiB. */
const SNIFF_BYTES = 16 * 1024;

export const cxmlOrderParser: FormatParser = {
  format: 'cxml-order',
  sniff(body) {
    const head = peekXml(body, SNIFF_BYTES);
    return /<cXML[\s>]/.test(head) && head.includes('<OrderRequest');
  },
  async parse(body, context) {
    return parseCxmlOrder(body, context);
  },
};

export function parseCxmlOrder(body: Buffer, context: ParseContext): ParseResult {
  const read = readMapping(cxmlMappingSchema, context.mapping);
  if (!read.ok) return read.result;
  const mapping = read.mapping;
  const xml = readXml(body, { ...mapping.limits, allowedDoctypes: CXML_DOCTYPES });
  if (!xml.ok) return refusedDocument(xml.code, xml.issues);

  const root = xml.root;
  const requests = root.name === 'cXML' ? (root.child('Request')?.children('OrderRequest') ?? []) : [];
  if (requests.length !== 1) return refusedDocument('cxml.expected_order_request', [notAnOrderRequest(root, requests.length)]);
  // Read again by child(), so the order's ref is /cXML/Request/OrderRequest without a position.
  const request = root.child('Request')!.child('OrderRequest')!;

  const header = root.child('Header');
  const envelopeIssues: ErrorDetail[] = [];
  const payloadId = root.attr('payloadID');
  if (payloadId === undefined) envelopeIssues.push(missing(root.attrPath('payloadID'), 'cXML/@payloadID'));
  const from = credential(header, 'From', mapping.customer.credentialDomain, envelopeIssues, root);
  const to = credential(header, 'To', mapping.customer.credentialDomain, envelopeIssues, root);
  const interchange = payloadId && from.identity && to.identity ? { sender: from.identity, receiver: to.identity, controlNumber: payloadId } : undefined;

  return {
    ok: true,
    issues: envelopeIssues,
    orders: [readOrder(request, from, mapping)],
    ...(interchange ? { interchange } : {}),
  };
}

function notAnOrderRequest(root: XmlElement, count: number): ErrorDetail {
  const code = 'cxml.expected_order_request';
  if (root.name !== 'cXML') return { path: root.path, code, message: `expected a cXML OrderRequest; the root element is <${root.name}>` };
  if (count > 1) return { path: root.pathTo('Request'), code, message: `expected one OrderRequest; the Request holds ${count}` };
  const carries = root.child('Request')?.childNames()[0] ?? root.childNames().find((n) => n !== 'Header');
  return { path: root.pathAlong('Request', 'OrderRequest'), code, message: `expected a cXML OrderRequest; the document carries ${carries ? `a ${carries}` : 'no request'}` };
}

function missing(path: string, what: string): ErrorDetail {
  return { path, message: `${what} is missing`, code: 'xml.required_missing' };
}

interface Credential {
  readonly identity: string | undefined;
  /** XPath of the Identity read (or where it should be). */
  readonly path: string;
}

/**
 * Header/From or Header/To credential identity: the one with `domain` when given, else the first.
 * The From identity is the customer's id, so a From without that domain has none; a To without it
 * gives its first credential, which still identifies the receiver for duplicate detection.
 */
function credential(header: XmlElement | undefined, party: 'From' | 'To', domain: string | undefined, issues: ErrorDetail[], root: XmlElement): Credential {
  const holder = header?.child(party);
  const credentials = holder?.children('Credential') ?? [];
  const inDomain = domain === undefined ? undefined : credentials.find((c) => c.attr('domain')?.toLowerCase() === domain.toLowerCase());
  const chosen = domain === undefined || (party === 'To' && !inDomain) ? credentials[0] : inDomain;
  const path = chosen
    ? chosen.pathAlong('Identity')
    : root.pathAlong('Header', party, domain === undefined ? 'Credential' : xpathWhere('Credential', 'domain', domain), 'Identity');
  const identity = chosen?.textOf('Identity');
  if (identity === undefined) issues.push(missing(path, `Header/${party} credential identity${domain === undefined ? '' : ` (domain ${domain})`}`));
  return { identity, path };
}

function readOrder(request: XmlElement, from: Credential, mapping: CxmlMapping): ParsedOrder {
  const src = new XmlDraftSources(request.path);
  const header = request.child('OrderRequestHeader');
  if (!header) {
    src.problem(request.pathTo('OrderRequestHeader'), 'OrderRequestHeader is missing', 'xml.required_missing');
    return src.finish({});
  }

  const type = header.attr('type') ?? 'new';
  if (!(mapping.orderTypes as readonly string[]).includes(type)) {
    src.problem(header.attrPath('type'), `order type "${type}" is not accepted from this partner (accepted: ${mapping.orderTypes.join(', ')})`, 'cxml.order_type_unsupported');
  }
  const total = header.descend('Total', 'Money');
  const currency = src.required('currency', header.pathAlong('Total', 'Money', '@currency'), total?.attr('currency'), 'Total/Money/@currency');
  const tax = header.descend('Tax', 'Money');

  const draft: LooseDraft = {
    poNumber: src.required('poNumber', header.attrPath('orderID'), header.attr('orderID'), 'OrderRequestHeader/@orderID'),
    customer: readCustomer(header, from, mapping, src),
    shipTo: readAddress(header.descend('ShipTo', 'Address'), 'shipTo', src),
    billTo: readAddress(header.descend('BillTo', 'Address'), 'billTo', src),
    currency,
    paymentTerms: readPaymentTerms(header, mapping, src),
    requestedDeliveryDate: src.from('requestedDeliveryDate', header.attrPath('requestedDeliveryDate'), xmlDatePart(header.attr('requestedDeliveryDate'))),
    notes: src.from('notes', header.pathAlong('Comments'), header.textOf('Comments')),
    lines: readCxmlLines(request, currency, mapping, src),
    claimedTotals: {
      [mapping.totalIs]: src.from(`claimedTotals.${mapping.totalIs}`, header.pathAlong('Total', 'Money'), total?.text()),
      tax: src.from('claimedTotals.tax', header.pathAlong('Tax', 'Money'), tax?.text()),
    },
  };
  return src.finish(draft);
}

function readCustomer(header: XmlElement, from: Credential, mapping: CxmlMapping, src: XmlDraftSources): LooseDraft['customer'] {
  const { source, contactRole } = mapping.customer;
  const contact = header.children('Contact').find((c) => c.attr('role') === contactRole);
  if (source === 'buyer-contact') {
    if (!contact) {
      src.problem(header.pathTo(xpathWhere('Contact', 'role', contactRole)), `Contact with role "${contactRole}" is missing`, 'xml.required_missing', 'customer.name');
      return {};
    }
    return {
      id: src.from('customer.id', contact.attrPath('addressID'), contact.attr('addressID')),
      name: src.required('customer.name', contact.pathAlong('Name'), contact.textOf('Name'), 'Contact/Name'),
      contact: readContact(contact, 'customer.contact', src, false),
    };
  }
  const billToName = header.textOf('BillTo', 'Address', 'Name');
  return {
    id: src.required('customer.id', from.path, from.identity, 'Header/From credential identity'),
    name: src.from('customer.name', billToName === undefined ? from.path : header.pathAlong('BillTo', 'Address', 'Name'), billToName ?? from.identity),
    contact: contact ? readContact(contact, 'customer.contact', src, true) : undefined,
  };
}

type LooseContact = NonNullable<NonNullable<LooseDraft['customer']>['contact']>;

function readContact(contact: XmlElement, at: string, src: XmlDraftSources, withName: boolean): LooseContact | undefined {
  const details = {
    name: withName ? src.from(`${at}.name`, contact.pathAlong('Name'), contact.textOf('Name')) : undefined,
    email: src.from(`${at}.email`, contact.pathAlong('Email'), contact.textOf('Email')),
    phone: src.from(`${at}.phone`, contact.pathAlong('Phone', 'TelephoneNumber'), phoneText(contact.descend('Phone', 'TelephoneNumber'))),
  };
  return details.name ?? details.email ?? details.phone ? details : undefined;
}

/** `+86 21 5555 0000 ext. 12` from TelephoneNumber's parts, skipping the empty ones. */
function phoneText(number: XmlElement | undefined): string | undefined {
  if (!number) return undefined;
  const country = number.textOf('CountryCode');
  const extension = number.textOf('Extension');
  const parts = [country && `+${country}`, number.textOf('AreaOrCityCode'), number.textOf('Number'), extension && `ext. ${extension}`].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** cXML Address: Name, PostalAddress (Street lines joined by newlines, City, State, PostalCode, Country@isoCountryCode). */
function readAddress(address: XmlElement | undefined, at: 'shipTo' | 'billTo', src: XmlDraftSources): LooseDraft['shipTo'] {
  if (!address) return undefined;
  src.from(at, address.path, undefined);
  const postal = address.child('PostalAddress');
  const streets = postal?.children('Street').flatMap((s) => s.text() ?? []) ?? [];
  const country = postal?.child('Country')?.attr('isoCountryCode') ?? address.attr('isoCountryCode');
  return {
    name: src.from(`${at}.name`, address.pathAlong('Name'), address.textOf('Name')),
    street: src.from(`${at}.street`, address.pathAlong('PostalAddress', 'Street'), streets.length > 0 ? streets.join('\n') : undefined),
    city: src.from(`${at}.city`, address.pathAlong('PostalAddress', 'City'), postal?.textOf('City')),
    region: src.from(`${at}.region`, address.pathAlong('PostalAddress', 'State'), postal?.textOf('State')),
    postalCode: src.from(`${at}.postalCode`, address.pathAlong('PostalAddress', 'PostalCode'), postal?.textOf('PostalCode')),
    country: src.from(`${at}.country`, address.pathAlong('PostalAddress', 'Country', '@isoCountryCode'), country?.toUpperCase()),
  };
}

/** PaymentTerm elements as text (`2% within 10 days; net 30 days`), else the configured Extrinsic. */
function readPaymentTerms(header: XmlElement, mapping: CxmlMapping, src: XmlDraftSources): string | undefined {
  const terms = header.children('PaymentTerm').flatMap((term) => {
    const days = term.attr('payInNumberOfDays');
    const percent = term.descend('Discount', 'DiscountPercent')?.attr('percent');
    if (days === undefined) return [];
    return [percent === undefined ? `net ${days} days` : `${percent}% within ${days} days`];
  });
  if (terms.length > 0) return src.from('paymentTerms', header.pathAlong('PaymentTerm'), terms.join('; '));
  const extrinsic = header.children('Extrinsic').find((e) => e.attr('name') === mapping.paymentTermsExtrinsic);
  return src.from('paymentTerms', extrinsic?.path ?? header.pathTo(xpathWhere('Extrinsic', 'name', mapping.paymentTermsExtrinsic)), extrinsic?.text());
}
