import type { LooseDraft, XmlDraftSources } from '../shared/xml-draft';
import { xmlDatePart } from '../shared/xml-draft';
import type { XmlElement } from '../shared/xml-path';
import type { CxmlMapping } from './cxml.mapping';

type LooseLine = NonNullable<LooseDraft['lines']>[number];

/**
 * OrderRequest/ItemOut → canonical lines: @quantity, @lineNumber, @requestedDeliveryDate;
 * ItemID SupplierPartID (our SKU) and BuyerPartID (the customer's); ItemDetail UnitPrice/Money,
 * Description, UnitOfMeasure; ItemOut Tax/TaxDetail@percentageRate. A price with a Modification
 * (OriginalPrice and a DeductionPercent) is read as the original price with that discount.
 */
export function readCxmlLines(request: XmlElement, currency: string | undefined, mapping: CxmlMapping, src: XmlDraftSources): LooseLine[] {
  const items = request.children('ItemOut');
  if (items.length === 0) src.problem(request.pathTo('ItemOut'), 'an OrderRequest needs at least one ItemOut', 'xml.required_missing', 'lines');
  return items.map((item, i) => readItem(item, i, currency, mapping, src));
}

function readItem(item: XmlElement, i: number, currency: string | undefined, mapping: CxmlMapping, src: XmlDraftSources): LooseLine {
  const at = `lines[${i}]`;
  src.from(at, item.path, undefined);
  const detail = item.child('ItemDetail');
  if (!detail) src.problem(item.pathTo('ItemDetail'), 'ItemDetail is missing', 'xml.required_missing', `${at}.unitPrice`);
  const price = readPrice(item, detail, at, currency, src);
  return {
    lineNo: src.lineNo(`${at}.lineNo`, item.attrPath('lineNumber'), item.attr('lineNumber'), i + 1, mapping.lineNumbers),
    sku: src.required(`${at}.sku`, item.pathAlong('ItemID', 'SupplierPartID'), item.textOf('ItemID', 'SupplierPartID'), 'ItemID/SupplierPartID'),
    customerSku: src.from(`${at}.customerSku`, item.pathAlong('ItemID', 'BuyerPartID'), item.textOf('ItemID', 'BuyerPartID')),
    description: src.from(`${at}.description`, item.pathAlong('ItemDetail', 'Description'), detail?.textOf('Description')),
    quantity: src.required(`${at}.quantity`, item.attrPath('quantity'), item.attr('quantity'), 'ItemOut/@quantity'),
    uom: src.from(`${at}.uom`, item.pathAlong('ItemDetail', 'UnitOfMeasure'), detail?.textOf('UnitOfMeasure')),
    unitPrice: price.unitPrice,
    discountPct: price.discountPct,
    taxRatePct: src.from(`${at}.taxRatePct`, item.pathAlong('Tax', 'TaxDetail', '@percentageRate'), taxRate(item)),
    requestedDate: src.from(`${at}.requestedDate`, item.attrPath('requestedDeliveryDate'), xmlDatePart(item.attr('requestedDeliveryDate'))),
  };
}

function readPrice(
  item: XmlElement,
  detail: XmlElement | undefined,
  at: string,
  currency: string | undefined,
  src: XmlDraftSources,
): { unitPrice: string | undefined; discountPct: string | undefined } {
  if (!detail) return { unitPrice: undefined, discountPct: undefined };
  const money = detail.descend('UnitPrice', 'Money');
  const lineCurrency = money?.attr('currency');
  if (currency !== undefined && lineCurrency !== undefined && lineCurrency !== currency) {
    src.problem(money!.attrPath('currency'), `unit price is in ${lineCurrency} but the order is in ${currency}`, 'cxml.currency_mismatch', `${at}.unitPrice`);
  }
  const modification = detail.descend('UnitPrice', 'Modifications', 'Modification');
  const original = modification?.descend('OriginalPrice', 'Money');
  const deduction = modification?.descend('AdditionalDeduction', 'DeductionPercent');
  if (original && deduction) {
    return {
      unitPrice: src.required(`${at}.unitPrice`, original.path, original.text(), 'Modification/OriginalPrice/Money'),
      discountPct: src.from(`${at}.discountPct`, deduction.attrPath('percent'), deduction.attr('percent')),
    };
  }
  return {
    unitPrice: src.required(`${at}.unitPrice`, item.pathAlong('ItemDetail', 'UnitPrice', 'Money'), money?.text(), 'ItemDetail/UnitPrice/Money'),
    discountPct: undefined,
  };
}

/** The first TaxDetail that states a rate; cXML writes it as a percentage ("13"). */
function taxRate(item: XmlElement): string | undefined {
  for (const detail of item.child('Tax')?.children('TaxDetail') ?? []) {
    const rate = detail.attr('percentageRate');
    if (rate !== undefined) return rate;
  }
  return undefined;
}
