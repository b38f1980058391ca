import { dec, toMoney } from '../../core/order/money';
import type { CanonicalOrder, OrderLine } from '../../core/order/order.types';
import { lineNet } from '../../core/order/totals';
import type { OutboundDocument } from '../connector';
import { el, leaf, renderXml, type XmlNodeSpec } from '../shared/xml-writer';
import { UBL_ORDER_NAMESPACE } from './ubl.mapping';

/**
 * A UBL 2.1 Order shaped for Peppol BIS Order 3 (customization urn:fdc:peppol.eu:poacc:trns:order:3)
 * from a canonical order, in UBL's element order, and the inverse of the UBL parser under its
 * default mapping. Peppol requires an item name, so a line without a description is named by its SKU.
 */

/** A Peppol participant identifier: the value and its ICD/EAS scheme (0088 GLN, 0192 Norwegian org. no. …). */
export interface PeppolId {
  readonly id: string;
  readonly schemeId: string;
}

export interface UblOrderOptions {
  /** When the document is issued: cbc:IssueDate and cbc:IssueTime (UTC). */
  readonly now: Date;
  /** The buyer's Peppol electronic address (cbc:EndpointID). */
  readonly buyerEndpoint: PeppolId;
  readonly seller: { readonly name: string; readonly endpoint: PeppolId };
  /** @defaultValue 'urn:fdc:peppol.eu:poacc:bis:ordering:3' */
  readonly profileId?: string;
}

const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const CUSTOMIZATION_ID = 'urn:fdc:peppol.eu:poacc:trns:order:3';

export function generateUblOrder(order: CanonicalOrder, options: UblOrderOptions): OutboundDocument {
  const amount = (name: string, value: string) => el(`cbc:${name}`, { currencyID: order.currency }, value);
  const customer = order.customer;
  const shipToAddress = address('cac:Address', order.shipTo);
  const document = el(
    'Order',
    { xmlns: UBL_ORDER_NAMESPACE, 'xmlns:cac': CAC, 'xmlns:cbc': CBC },
    el('cbc:CustomizationID', null, CUSTOMIZATION_ID),
    el('cbc:ProfileID', null, options.profileId ?? 'urn:fdc:peppol.eu:poacc:bis:ordering:3'),
    el('cbc:ID', null, order.poNumber ?? order.id),
    el('cbc:IssueDate', null, options.now.toISOString().slice(0, 10)),
    el('cbc:IssueTime', null, options.now.toISOString().slice(11, 19)),
    el('cbc:OrderTypeCode', null, '220'),
    leaf('cbc:Note', order.notes),
    el('cbc:DocumentCurrencyCode', null, order.currency),
    el(
      'cac:BuyerCustomerParty',
      null,
      el(
        'cac:Party',
        null,
        el('cbc:EndpointID', { schemeID: options.buyerEndpoint.schemeId }, options.buyerEndpoint.id),
        customer.id && el('cac:PartyIdentification', null, el('cbc:ID', null, customer.id)),
        el('cac:PartyName', null, el('cbc:Name', null, customer.name)),
        customer.taxId && el('cac:PartyTaxScheme', null, el('cbc:CompanyID', null, customer.taxId), el('cac:TaxScheme', null, el('cbc:ID', null, 'VAT'))),
        el('cac:PartyLegalEntity', null, el('cbc:RegistrationName', null, customer.name)),
        customer.contact &&
          el(
            'cac:Contact',
            null,
            leaf('cbc:Name', customer.contact.name),
            leaf('cbc:Telephone', customer.contact.phone),
            leaf('cbc:ElectronicMail', customer.contact.email),
          ),
      ),
    ),
    el(
      'cac:SellerSupplierParty',
      null,
      el(
        'cac:Party',
        null,
        el('cbc:EndpointID', { schemeID: options.seller.endpoint.schemeId }, options.seller.endpoint.id),
        el('cac:PartyName', null, el('cbc:Name', null, options.seller.name)),
        el('cac:PartyLegalEntity', null, el('cbc:RegistrationName', null, options.seller.name)),
      ),
    ),
    order.billTo &&
      el(
        'cac:AccountingCustomerParty',
        null,
        el(
          'cac:Party',
          null,
          order.billTo.name !== undefined && el('cac:PartyName', null, el('cbc:Name', null, order.billTo.name)),
          address('cac:PostalAddress', order.billTo),
        ),
      ),
    (order.shipTo || order.requestedDeliveryDate) &&
      el(
        'cac:Delivery',
        null,
        shipToAddress && el('cac:DeliveryLocation', null, shipToAddress),
        period(order.requestedDeliveryDate),
        order.shipTo?.name && el('cac:DeliveryParty', null, el('cac:PartyName', null, el('cbc:Name', null, order.shipTo.name))),
      ),
    order.incoterms && el('cac:DeliveryTerms', null, el('cbc:ID', null, order.incoterms)),
    order.paymentTerms && el('cac:PaymentTerms', null, el('cbc:Note', null, order.paymentTerms)),
    el('cac:TaxTotal', null, amount('TaxAmount', order.totals.tax)),
    el(
      'cac:AnticipatedMonetaryTotal',
      null,
      amount('LineExtensionAmount', order.totals.net),
      amount('TaxExclusiveAmount', order.totals.net),
      amount('TaxInclusiveAmount', order.totals.gross),
      amount('PayableAmount', order.totals.gross),
    ),
    order.lines.map((line) => orderLine(line, order.currency)),
  );
  return {
    format: 'ubl-order',
    fileName: `ubl-order-${(order.poNumber ?? order.id).replace(/[^A-Za-z0-9._-]/g, '_')}.xml`,
    contentType: 'application/xml; charset=utf-8',
    body: renderXml(document),
  };
}

type Address = NonNullable<CanonicalOrder['shipTo']>;

/** The street's lines become StreetName, AdditionalStreetName and AddressLine/Line, in that order. */
function address(name: string, a: Address | undefined): XmlNodeSpec | undefined {
  if (!a || !(a.street || a.city || a.postalCode || a.region || a.country)) return undefined;
  const [first, second, ...rest] = a.street?.split('\n') ?? [];
  return el(
    name,
    null,
    leaf('cbc:StreetName', first),
    leaf('cbc:AdditionalStreetName', second),
    leaf('cbc:CityName', a.city),
    leaf('cbc:PostalZone', a.postalCode),
    leaf('cbc:CountrySubentity', a.region),
    rest.map((line) => el('cac:AddressLine', null, el('cbc:Line', null, line))),
    a.country && el('cac:Country', null, el('cbc:IdentificationCode', null, a.country)),
  );
}

function period(date: string | undefined): XmlNodeSpec | undefined {
  return date ? el('cac:RequestedDeliveryPeriod', null, el('cbc:StartDate', null, date), el('cbc:EndDate', null, date)) : undefined;
}

function orderLine(line: OrderLine, currency: string): XmlNodeSpec {
  const amount = (name: string, value: string) => el(`cbc:${name}`, { currencyID: currency }, value);
  const gross = dec(line.quantity).times(dec(line.unitPrice));
  const discount =
    line.discountPct &&
    el(
      'cac:AllowanceCharge',
      null,
      el('cbc:ChargeIndicator', null, 'false'),
      el('cbc:AllowanceChargeReasonCode', null, '95'),
      el('cbc:MultiplierFactorNumeric', null, line.discountPct),
      amount('Amount', toMoney(gross.times(dec(line.discountPct)).dividedBy(100), currency)),
      amount('BaseAmount', toMoney(gross, currency)),
    );
  const tax =
    line.taxRatePct &&
    el(
      'cac:ClassifiedTaxCategory',
      null,
      el('cbc:ID', null, dec(line.taxRatePct).isZero() ? 'Z' : 'S'),
      el('cbc:Percent', null, line.taxRatePct),
      el('cac:TaxScheme', null, el('cbc:ID', null, 'VAT')),
    );
  return el(
    'cac:OrderLine',
    null,
    el(
      'cac:LineItem',
      null,
      el('cbc:ID', null, String(line.lineNo)),
      el('cbc:Quantity', { unitCode: line.uom }, line.quantity),
      amount('LineExtensionAmount', toMoney(lineNet(line), currency)),
      line.requestedDate && el('cac:Delivery', null, period(line.requestedDate)),
      discount,
      el('cac:Price', null, amount('PriceAmount', line.unitPrice)),
      el(
        'cac:Item',
        null,
        el('cbc:Name', null, line.description ?? line.sku),
        line.customerSku && el('cac:BuyersItemIdentification', null, el('cbc:ID', null, line.customerSku)),
        el('cac:SellersItemIdentification', null, el('cbc:ID', null, line.sku)),
        tax,
      ),
    ),
  );
}
