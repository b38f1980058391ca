import { ValidationError } from '../../core/errors/validation.error';
import { dec, toMoney } from '../../core/order/money';
import type { CanonicalOrder, OrderLine } from '../../core/order/order.types';
import { lineNet } from '../../core/order/totals';
import type { OutboundDocument } from '../connector';
import { el, leaf, renderXml, type XmlNodeSpec } from '../shared/xml-writer';

/**
 * A cXML OrderRequest from a canonical order: for forwarding orders to suppliers that take cXML,
 * and the inverse of the cXML parser under its default mapping (customer from the From
 * credential and BillTo name, Total as gross, payment terms in an Extrinsic).
 */

export interface CxmlCredential {
  readonly domain: string;
  readonly identity: string;
}

export interface CxmlOrderRequestOptions {
  /** cXML/@payloadID: unique per document and kept on retries (the receiver's duplicate key). */
  readonly payloadId: string;
  /** When the document is written: cXML/@timestamp. */
  readonly now: Date;
  /** The receiving supplier. */
  readonly to: CxmlCredential;
  /** The buying organisation. @defaultValue `{ domain: 'NetworkID', identity: order.customer.id }` */
  readonly from?: CxmlCredential;
  /** @defaultValue 'production' */
  readonly deploymentMode?: 'production' | 'test';
  /** xml:lang of names and descriptions. @defaultValue 'en' */
  readonly lang?: string;
}

/** The cXML version whose DTD the document names; the elements written exist since 1.2.050. */
const CXML_VERSION = '1.2.060';

export function generateCxmlOrderRequest(order: CanonicalOrder, options: CxmlOrderRequestOptions): OutboundDocument {
  const from = options.from ?? (order.customer.id ? { domain: 'NetworkID', identity: order.customer.id } : undefined);
  if (!from) {
    throw new ValidationError('a cXML OrderRequest names the buyer in its From credential', [
      { path: 'customer.id', message: 'is required unless options.from is given' },
    ]);
  }
  const lang = options.lang ?? 'en';
  const money = (amount: string) => el('Money', { currency: order.currency }, amount);
  const credential = (c: CxmlCredential) => el('Credential', { domain: c.domain }, el('Identity', null, c.identity));

  const header = el(
    'OrderRequestHeader',
    { orderID: order.poNumber ?? order.id, orderDate: order.createdAt, type: 'new', requestedDeliveryDate: order.requestedDeliveryDate },
    el('Total', null, money(order.totals.gross)),
    order.shipTo && el('ShipTo', null, address(order.shipTo, lang)),
    // BillTo is required by the DTD; the customer's name stands in when the order has none.
    el('BillTo', null, address(order.billTo ?? { name: order.customer.name }, lang)),
    el('Tax', null, money(order.totals.tax), el('Description', { 'xml:lang': lang }, 'tax')),
    order.customer.contact && contact(order.customer.contact, lang, order.billTo?.country ?? order.shipTo?.country),
    leaf('Comments', order.notes, { 'xml:lang': lang }),
    leaf('Extrinsic', order.paymentTerms, { name: 'PaymentTerms' }),
  );

  const document = el(
    'cXML',
    { payloadID: options.payloadId, timestamp: options.now.toISOString(), 'xml:lang': lang },
    el(
      'Header',
      null,
      el('From', null, credential(from)),
      el('To', null, credential(options.to)),
      el('Sender', null, credential(from), el('UserAgent', null, 'Order Hub')),
    ),
    el('Request', { deploymentMode: options.deploymentMode ?? 'production' }, el('OrderRequest', null, header, order.lines.map((l) => itemOut(l, order.currency, lang)))),
  );
  return {
    format: 'cxml-order',
    fileName: `cxml-order-${safeName(order.poNumber ?? order.id)}.xml`,
    contentType: 'application/xml; charset=utf-8',
    body: renderXml(document, { doctype: `<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/${CXML_VERSION}/cXML.dtd">` }),
  };
}

type Address = NonNullable<CanonicalOrder['shipTo']>;

function address(a: Address, lang: string): XmlNodeSpec {
  const streets = a.street?.split('\n') ?? [];
  const postal =
    streets.length > 0 || a.city || a.region || a.postalCode || a.country
      ? el(
          'PostalAddress',
          null,
          streets.map((s) => el('Street', null, s)),
          leaf('City', a.city),
          leaf('State', a.region),
          leaf('PostalCode', a.postalCode),
          a.country && el('Country', { isoCountryCode: a.country }, a.country),
        )
      : undefined;
  return el('Address', { isoCountryCode: a.country }, el('Name', { 'xml:lang': lang }, a.name ?? ''), postal);
}

function contact(c: NonNullable<CanonicalOrder['customer']['contact']>, lang: string, country: string | undefined): XmlNodeSpec {
  const phone = c.phone
    ? el('Phone', null, el('TelephoneNumber', null, el('CountryCode', { isoCountryCode: country ?? '' }), el('AreaOrCityCode', null), el('Number', null, c.phone)))
    : undefined;
  return el('Contact', { role: 'buyer' }, el('Name', { 'xml:lang': lang }, c.name ?? ''), leaf('Email', c.email), phone);
}

function itemOut(line: OrderLine, currency: string, lang: string): XmlNodeSpec {
  const money = (amount: string) => el('Money', { currency }, amount);
  const price = line.discountPct
    ? el(
        'UnitPrice',
        null,
        money(dec(line.unitPrice).times(dec(100).minus(dec(line.discountPct))).dividedBy(100).toFixed()),
        el(
          'Modifications',
          null,
          el(
            'Modification',
            null,
            el('OriginalPrice', null, money(line.unitPrice)),
            el('AdditionalDeduction', null, el('DeductionPercent', { percent: line.discountPct })),
          ),
        ),
      )
    : el('UnitPrice', null, money(line.unitPrice));
  const net = lineNet(line);
  const tax = line.taxRatePct ? toMoney(net.times(dec(line.taxRatePct)).dividedBy(100), currency) : undefined;
  return el(
    'ItemOut',
    { quantity: line.quantity, lineNumber: String(line.lineNo), requestedDeliveryDate: line.requestedDate },
    el('ItemID', null, el('SupplierPartID', null, line.sku), leaf('BuyerPartID', line.customerSku)),
    el(
      'ItemDetail',
      null,
      price,
      el('Description', { 'xml:lang': lang }, line.description ?? ''),
      el('UnitOfMeasure', null, line.uom),
      // The DTD requires a Classification; the hub knows none, so it names the scheme and leaves it empty.
      el('Classification', { domain: 'UNSPSC' }),
    ),
    tax &&
      el(
        'Tax',
        null,
        money(tax),
        el('Description', { 'xml:lang': lang }, 'VAT'),
        el('TaxDetail', { category: 'vat', percentageRate: line.taxRatePct }, el('TaxAmount', null, money(tax))),
      ),
  );
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
