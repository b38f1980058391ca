import type { ErrorDetail } from '../../core/errors/hub-error';
import type { FormatParser, ParseContext, ParsedOrder, ParseResult } from '../connector';
import { peekXml, readXml } from '../shared/safe-xml';
import { readMapping, refusedDocument, XmlDraftSources, type LooseDraft } from '../shared/xml-draft';
import type { XmlElement } from '../shared/xml-path';
import { readIdocLines } from './idoc-orders05.lines';
import { qualified, qualifiedPath, sapDate } from './idoc-segments';
import { idocMappingSchema, type IdocMapping } from './idoc.mapping';

/**
 * SAP IDoc ORDERS05 in SAP's XML rendering → one canonical order draft. The control record
 * EDI_DC40 gives the interchange identity (SNDPRN, RCVPRN, DOCNUM); header segments E1EDK01,
 * E1EDK02, E1EDK03, E1EDKA1 and E1EDK18 the order (E1EDK01/KUNDEUINR the customer's VAT number); E1EDP01 the lines (idoc-orders05.lines.ts);
 * E1EDS01 the claimed totals and line count. The root element is the IDoc type or an extension
 * of it (`_-VENDOR_-ORDERS05_EXT`), so the type is read from EDI_DC40/IDOCTYP.
 */

/** EDI_DC40 with IDOCTYP sits right after the root and IDOC start tags. */
const SNIFF_BYTES = 4096;

export const idocOrders05Parser: FormatParser = {
  format: 'idoc-orders05',
  sniff(body) {
    const head = peekXml(body, SNIFF_BYTES);
    return head.includes('<EDI_DC40') && /<IDOCTYP>\s*ORDERS05\s*</.test(head);
  },
  async parse(body, context) {
    return parseIdocOrders05(body, context);
  },
};

export function parseIdocOrders05(body: Buffer, context: ParseContext): ParseResult {
  const read = readMapping(idocMappingSchema, context.mapping);
  if (!read.ok) return read.result;
  const mapping = read.mapping;
  const xml = readXml(body, mapping.limits);
  if (!xml.ok) return refusedDocument(xml.code, xml.issues);

  const root = xml.root;
  const idocs = root.name === 'IDOC' ? [root] : root.children('IDOC');
  if (idocs.length > 1) {
    return refusedDocument('idoc.multiple_idocs', [
      { path: root.path, code: 'idoc.multiple_idocs', message: `the file holds ${idocs.length} IDocs; one IDoc per file is read, so each keeps its own DOCNUM` },
    ]);
  }
  const idoc = root.name === 'IDOC' ? root : root.child('IDOC');
  const control = idoc?.child('EDI_DC40');
  const type = control?.textOf('IDOCTYP');
  if (!idoc || !control || type === undefined || !mapping.idocTypes.includes(type)) {
    const found = !idoc ? `the root element <${root.name}> holds no IDOC` : !control ? 'the IDOC has no EDI_DC40 control record' : `EDI_DC40/IDOCTYP is ${type ?? 'empty'}`;
    return refusedDocument('idoc.expected_orders05', [
      { path: control?.pathAlong('IDOCTYP') ?? idoc?.pathTo('EDI_DC40') ?? root.path, code: 'idoc.expected_orders05', message: `expected an IDoc of type ${mapping.idocTypes.join(' or ')}; ${found}` },
    ]);
  }

  const envelopeIssues: ErrorDetail[] = [];
  const field = (name: string): string | undefined => {
    const value = control.textOf(name);
    if (value === undefined) envelopeIssues.push({ path: control.pathAlong(name), message: `EDI_DC40/${name} is missing`, code: 'xml.required_missing' });
    return value;
  };
  const [controlNumber, sender, receiver] = [field('DOCNUM'), field('SNDPRN'), field('RCVPRN')];
  return {
    ok: true,
    issues: envelopeIssues,
    orders: [readOrder(idoc, mapping)],
    ...(controlNumber && sender && receiver ? { interchange: { sender, receiver, controlNumber } } : {}),
  };
}

function readOrder(idoc: XmlElement, mapping: IdocMapping): ParsedOrder {
  const src = new XmlDraftSources(idoc.path);
  const header = idoc.child('E1EDK01');
  const reference = qualified(idoc, 'E1EDK02', 'QUALF', mapping.poNumber);
  const poNumber = reference?.textOf('BELNR') ?? header?.textOf('BELNR');
  const poPath = reference?.pathAlong('BELNR') ?? (header?.textOf('BELNR') ? header.pathAlong('BELNR') : qualifiedPath(idoc, 'E1EDK02', 'QUALF', mapping.poNumber[0]!, 'BELNR'));
  const delivery = qualified(idoc, 'E1EDK03', 'IDDAT', mapping.deliveryDate);
  const partner = (role: string) => qualified(idoc, 'E1EDKA1', 'PARVW', [role]);
  const customer = partner(mapping.partners.customer);

  const draft: LooseDraft = {
    poNumber: src.required('poNumber', poPath, poNumber, 'the PO number (E1EDK02 BELNR)'),
    customer: readCustomer(idoc, customer, partner(mapping.partners.contact), mapping, src),
    shipTo: readAddress(partner(mapping.partners.shipTo), 'shipTo', mapping, src),
    billTo: readAddress(partner(mapping.partners.billTo), 'billTo', mapping, src),
    currency: src.required('currency', idoc.pathAlong('E1EDK01', 'CURCY'), header?.textOf('CURCY'), 'E1EDK01/CURCY'),
    paymentTerms: readPaymentTerms(idoc, header, src),
    requestedDeliveryDate: src.from('requestedDeliveryDate', delivery?.pathAlong('DATUM') ?? idoc.path, sapDate(delivery?.textOf('DATUM'))),
    lines: readIdocLines(idoc, mapping, src),
    claimedTotals: readTotals(idoc, mapping, src),
  };
  return src.finish(draft);
}

function partyName(party: XmlElement, mapping: IdocMapping): { value: string | undefined; path: string } {
  for (const field of mapping.partners.nameFields) {
    const value = party.textOf(field);
    if (value !== undefined) return { value, path: party.pathAlong(field) };
  }
  return { value: undefined, path: party.pathAlong(mapping.partners.nameFields[0]!) };
}

function readCustomer(idoc: XmlElement, party: XmlElement | undefined, contact: XmlElement | undefined, mapping: IdocMapping, src: XmlDraftSources): LooseDraft['customer'] {
  if (!party) {
    src.problem(qualifiedPath(idoc, 'E1EDKA1', 'PARVW', mapping.partners.customer, 'PARTN'), `the customer partner segment (E1EDKA1 PARVW ${mapping.partners.customer}) is missing`, 'xml.required_missing', 'customer.name');
    return {};
  }
  const name = partyName(party, mapping);
  const contactName = contact ? partyName(contact, mapping) : undefined;
  // The contact person's phone, else the sold-to's own.
  const phoneFrom = contact?.textOf('TELF1') !== undefined ? contact : party;
  const phone = phoneFrom.textOf('TELF1');
  return {
    id: src.from('customer.id', party.pathAlong('PARTN'), party.textOf('PARTN')),
    name: src.required('customer.name', name.path, name.value, `the customer name (E1EDKA1 ${mapping.partners.nameFields.join(' or ')})`),
    taxId: src.from('customer.taxId', idoc.pathAlong('E1EDK01', 'KUNDEUINR'), idoc.textOf('E1EDK01', 'KUNDEUINR')),
    contact:
      contactName?.value !== undefined || phone !== undefined
        ? {
            name: contactName && src.from('customer.contact.name', contactName.path, contactName.value),
            phone: src.from('customer.contact.phone', phoneFrom.pathAlong('TELF1'), phone),
          }
        : undefined,
  };
}

/** E1EDKA1 address: NAME, STRAS (+ HAUSN) and STRS2 as street lines, ORT01, PSTLZ, REGIO, LAND1. */
function readAddress(party: XmlElement | undefined, at: 'shipTo' | 'billTo', mapping: IdocMapping, src: XmlDraftSources): LooseDraft['shipTo'] {
  if (!party) return undefined;
  const name = partyName(party, mapping);
  const street = party.textOf('STRAS');
  const house = party.textOf('HAUSN');
  const lines = [street && house ? `${street} ${house}` : street, party.textOf('STRS2')].filter((l): l is string => l !== undefined);
  return {
    name: src.from(`${at}.name`, name.path, name.value),
    street: src.from(`${at}.street`, party.pathAlong('STRAS'), lines.length > 0 ? lines.join('\n') : undefined),
    city: src.from(`${at}.city`, party.pathAlong('ORT01'), party.textOf('ORT01')),
    region: src.from(`${at}.region`, party.pathAlong('REGIO'), party.textOf('REGIO')),
    postalCode: src.from(`${at}.postalCode`, party.pathAlong('PSTLZ'), party.textOf('PSTLZ')),
    country: src.from(`${at}.country`, party.pathAlong('LAND1'), party.textOf('LAND1')?.toUpperCase()),
  };
}

/** E1EDK18 terms as text (ZTERM_TXT, else `2% within 10 days` / `net 30 days`), else the E1EDK01/ZTERM key. */
function readPaymentTerms(idoc: XmlElement, header: XmlElement | undefined, src: XmlDraftSources): string | undefined {
  const terms = idoc.children('E1EDK18').flatMap((t) => {
    const text = t.textOf('ZTERM_TXT');
    const days = t.textOf('TAGE');
    const percent = t.textOf('PRZNT');
    if (text !== undefined) return [text];
    if (days === undefined) return [];
    return [percent === undefined || /^0*(\.0*)?$/.test(percent) ? `net ${days} days` : `${percent}% within ${days} days`];
  });
  if (terms.length > 0) return src.from('paymentTerms', idoc.pathAlong('E1EDK18'), terms.join('; '));
  return src.from('paymentTerms', idoc.pathAlong('E1EDK01', 'ZTERM'), header?.textOf('ZTERM'));
}

/** E1EDS01: the claimed net total, and the item count checked against the E1EDP01 segments. */
function readTotals(idoc: XmlElement, mapping: IdocMapping, src: XmlDraftSources): LooseDraft['claimedTotals'] {
  const count = qualified(idoc, 'E1EDS01', 'SUMID', [mapping.totals.lineCount]);
  const items = idoc.children('E1EDP01').length;
  const stated = count?.textOf('SUMME');
  if (count && stated !== undefined && !(/^\d+(\.0*)?$/.test(stated) && Number.parseInt(stated, 10) === items)) {
    src.problem(count.pathAlong('SUMME'), `E1EDS01 SUMID ${mapping.totals.lineCount} says ${stated} items; the IDoc has ${items} E1EDP01`, 'idoc.count_mismatch');
  }
  const net = qualified(idoc, 'E1EDS01', 'SUMID', mapping.totals.net);
  return { net: src.from('claimedTotals.net', net?.pathAlong('SUMME') ?? idoc.path, net?.textOf('SUMME')) };
}
