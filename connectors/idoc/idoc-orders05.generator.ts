import type { ErrorDetail } from '../../core/errors/hub-error';
import { ValidationError } from '../../core/errors/validation.error';
import { toMoney } from '../../core/order/money';
import type { CanonicalOrder, OrderLine } from '../../core/order/order.types';
import { lineNet } from '../../core/order/totals';
import type { OutboundDocument } from '../connector';
import { el, renderXml, type XmlChild, type XmlNodeSpec } from '../shared/xml-writer';
import { toSapDate } from './idoc-segments';

/**
 * An ORDERS05 IDoc in SAP's XML rendering from a canonical order: how the hub pushes a sales order
 * to SAP (inbound, DIRECT 2, processed by IDOC_INPUT_ORDERS), and the inverse of the IDoc parser
 * under its default mapping. SAP fields have fixed lengths; a value that does not fit is refused
 * with the field named rather than cut short. ORDERS05 has no field for e-mail addresses, so the
 * customer contact's e-mail is not carried.
 */

export interface IdocPartner {
  /** SNDPRN / RCVPRN: partner number, for partner type LS the logical system. */
  readonly partner: string;
  /** SNDPRT / RCVPRT. @defaultValue 'LS' */
  readonly partnerType?: string;
  /** SNDPOR / RCVPOR: the port, as set up in SAP (WE21). */
  readonly port?: string;
}

export interface IdocOrders05Options {
  /** EDI_DC40/DOCNUM: up to 16 digits, allocated by the caller and never reused. */
  readonly docnum: string;
  readonly sender: IdocPartner;
  readonly receiver: IdocPartner;
  /** When the IDoc is created: CREDAT and CRETIM, in UTC. */
  readonly now: Date;
  /** E1EDK14 sales area (VKORG, VTWEG, SPART), when SAP cannot derive it from the sold-to party. */
  readonly salesArea?: { readonly salesOrganization: string; readonly distributionChannel: string; readonly division: string };
}

/** Collects every value too long for its SAP field, so one error names them all. */
class FieldFit {
  readonly problems: ErrorDetail[] = [];

  /** The field's element, or nothing for an absent value; a value too long is recorded against `path`. */
  field(name: string, value: string | undefined, length: number, path: string): XmlNodeSpec | undefined {
    if (value === undefined || value === '') return undefined;
    if (value.length > length) this.problems.push({ path, message: `is ${value.length} characters; ${name} holds ${length}`, code: 'idoc.field_too_long' });
    return el(name, null, value);
  }
}

/** A data segment; SAP's XML rendering marks each with SEGMENT="1". */
function segment(name: string, ...children: XmlChild[]): XmlNodeSpec {
  return el(name, { SEGMENT: '1' }, ...children);
}

export function generateIdocOrders05(order: CanonicalOrder, options: IdocOrders05Options): OutboundDocument {
  const f = new FieldFit();
  if (!/^\d{1,16}$/.test(options.docnum)) f.problems.push({ path: 'docnum', message: 'must be 1 to 16 digits (EDI_DC40/DOCNUM)', code: 'idoc.docnum_invalid' });
  const docnum = options.docnum.padStart(16, '0');
  const field = f.field.bind(f);
  const control = segment(
    'EDI_DC40',
    el('TABNAM', null, 'EDI_DC40'),
    el('DOCNUM', null, docnum),
    el('DIRECT', null, '2'),
    el('IDOCTYP', null, 'ORDERS05'),
    el('MESTYP', null, 'ORDERS'),
    field('SNDPOR', options.sender.port, 10, 'sender.port'),
    el('SNDPRT', null, options.sender.partnerType ?? 'LS'),
    field('SNDPRN', options.sender.partner, 10, 'sender.partner'),
    field('RCVPOR', options.receiver.port, 10, 'receiver.port'),
    el('RCVPRT', null, options.receiver.partnerType ?? 'LS'),
    field('RCVPRN', options.receiver.partner, 10, 'receiver.partner'),
    el('CREDAT', null, toSapDate(options.now.toISOString())),
    el('CRETIM', null, options.now.toISOString().slice(11, 19).replaceAll(':', '')),
  );
  const { salesArea } = options;
  const partner = (role: string, fields: (XmlNodeSpec | undefined)[]) => segment('E1EDKA1', el('PARVW', null, role), fields);
  const address = (role: string, a: NonNullable<CanonicalOrder['shipTo']>, at: string) => {
    const [street, street2, ...rest] = a.street?.split('\n') ?? [];
    if (rest.length > 0) f.problems.push({ path: `${at}.street`, message: 'has more than two lines; E1EDKA1 holds STRAS and STRS2', code: 'idoc.field_too_long' });
    return partner(role, [
      field('NAME1', a.name, 35, `${at}.name`),
      field('STRAS', street, 35, `${at}.street`),
      field('STRS2', street2, 35, `${at}.street`),
      field('ORT01', a.city, 35, `${at}.city`),
      field('PSTLZ', a.postalCode, 10, `${at}.postalCode`),
      field('LAND1', a.country, 3, `${at}.country`),
      field('REGIO', a.region, 3, `${at}.region`),
    ]);
  };
  const contact = order.customer.contact;

  const idoc = el(
    'IDOC',
    { BEGIN: '1' },
    control,
    segment('E1EDK01', el('CURCY', null, order.currency), field('KUNDEUINR', order.customer.taxId, 20, 'customer.taxId')),
    salesArea && [
      segment('E1EDK14', el('QUALF', null, '008'), field('ORGID', salesArea.salesOrganization, 35, 'salesArea.salesOrganization')),
      segment('E1EDK14', el('QUALF', null, '007'), field('ORGID', salesArea.distributionChannel, 35, 'salesArea.distributionChannel')),
      segment('E1EDK14', el('QUALF', null, '006'), field('ORGID', salesArea.division, 35, 'salesArea.division')),
    ],
    order.requestedDeliveryDate && segment('E1EDK03', el('IDDAT', null, '002'), el('DATUM', null, toSapDate(order.requestedDeliveryDate))),
    partner('AG', [field('PARTN', order.customer.id, 17, 'customer.id'), field('NAME1', order.customer.name, 35, 'customer.name')]),
    contact && (contact.name || contact.phone) && partner('AP', [field('NAME1', contact.name, 35, 'customer.contact.name'), field('TELF1', contact.phone, 25, 'customer.contact.phone')]),
    order.shipTo && address('WE', order.shipTo, 'shipTo'),
    order.billTo && address('RE', order.billTo, 'billTo'),
    segment('E1EDK02', el('QUALF', null, '001'), field('BELNR', order.poNumber ?? order.id, 35, 'poNumber'), el('DATUM', null, toSapDate(order.createdAt))),
    order.paymentTerms && segment('E1EDK18', el('QUALF', null, '001'), field('ZTERM_TXT', order.paymentTerms, 70, 'paymentTerms')),
    order.lines.map((line, i) => item(line, `lines[${i}]`, order.currency, f)),
    segment('E1EDS01', el('SUMID', null, '001'), el('SUMME', null, String(order.lines.length))),
    segment('E1EDS01', el('SUMID', null, '002'), el('SUMME', null, order.totals.net), el('SUNIT', null, order.currency)),
  );
  if (f.problems.length > 0) {
    throw new ValidationError(`the order does not fit ORDERS05: ${f.problems.map((p) => p.path).join(', ')}`, f.problems, 'idoc.order_does_not_fit');
  }
  return {
    format: 'idoc-orders05',
    fileName: `ORDERS05_${docnum}.xml`,
    contentType: 'application/xml; charset=utf-8',
    body: renderXml(el('ORDERS05', null, idoc)),
  };
}

function item(line: OrderLine, at: string, currency: string, f: FieldFit): XmlNodeSpec {
  const field = f.field.bind(f);
  return segment(
    'E1EDP01',
    field('POSEX', String(line.lineNo).padStart(6, '0'), 6, `${at}.lineNo`),
    field('MENGE', line.quantity, 15, `${at}.quantity`),
    field('MENEE', line.uom, 3, `${at}.uom`),
    field('VPREI', line.unitPrice, 15, `${at}.unitPrice`),
    el('PEINH', null, '1'),
    el('NETWR', null, toMoney(lineNet(line), currency)),
    line.taxRatePct && segment('E1EDP04', field('MSATZ', line.taxRatePct, 17, `${at}.taxRatePct`)),
    line.discountPct && segment('E1EDP05', el('ALCKZ', null, '-'), field('KPERC', line.discountPct, 8, `${at}.discountPct`)),
    segment('E1EDP20', el('WMENG', null, line.quantity), line.requestedDate && el('EDATU', null, toSapDate(line.requestedDate))),
    segment('E1EDP19', el('QUALF', null, '002'), field('IDTNR', line.sku, 35, `${at}.sku`), field('KTEXT', line.description, 70, `${at}.description`)),
    line.customerSku && segment('E1EDP19', el('QUALF', null, '001'), field('IDTNR', line.customerSku, 35, `${at}.customerSku`)),
  );
}
