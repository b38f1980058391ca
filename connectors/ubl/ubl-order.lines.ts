import { pricePerUnit, sumOfPercents, xmlDatePart, type LooseDraft, type XmlDraftSources } from '../shared/xml-draft';
import type { XmlElement } from '../shared/xml-path';
import type { UblMapping } from './ubl.mapping';

type LooseLine = NonNullable<LooseDraft['lines']>[number];

/**
 * OrderLine/LineItem → canonical lines: ID, Quantity (@unitCode as the unit), Price/PriceAmount
 * per BaseQuantity, Item identifications and texts per the mapping, ClassifiedTaxCategory/Percent,
 * the line's RequestedDeliveryPeriod, and percentage allowances (ChargeIndicator false with a
 * MultiplierFactorNumeric) as the line discount. Line charges have no canonical field; the totals
 * check reports the difference they make.
 */
export function readUblLines(order: XmlElement, currency: string | undefined, mapping: UblMapping, src: XmlDraftSources): LooseLine[] {
  const lines = order.children('OrderLine');
  if (lines.length === 0) src.problem(order.pathTo('OrderLine'), 'an Order needs at least one OrderLine', 'xml.required_missing', 'lines');
  return lines.map((line, i) => {
    const at = `lines[${i}]`;
    const item = line.child('LineItem');
    src.from(at, item?.path ?? line.path, undefined);
    if (!item) {
      src.problem(line.pathTo('LineItem'), 'cac:LineItem is missing', 'xml.required_missing', at);
      return {};
    }
    return readLineItem(item, at, i + 1, currency, mapping, src);
  });
}

function readLineItem(item: XmlElement, at: string, position: number, currency: string | undefined, mapping: UblMapping, src: XmlDraftSources): LooseLine {
  const quantity = item.child('Quantity');
  const price = item.descend('Price', 'PriceAmount');
  const priceCurrency = price?.attr('currencyID');
  if (price && currency !== undefined && priceCurrency !== undefined && priceCurrency !== currency) {
    src.problem(price.attrPath('currencyID'), `price is in ${priceCurrency} but the order is in ${currency}`, 'ubl.currency_mismatch', `${at}.unitPrice`);
  }
  const delivery = item.child('Delivery');
  const sku = identification(item, mapping.items.sku);
  const customerSku = identification(item, mapping.items.customerSku);
  const text = mapping.items.description.map((n) => ({ value: item.textOf('Item', n), path: item.pathAlong('Item', n) })).find((t) => t.value !== undefined);
  return {
    lineNo: src.lineNo(`${at}.lineNo`, item.pathAlong('ID'), item.textOf('ID'), position, mapping.lineNumbers),
    sku: src.required(`${at}.sku`, sku.path, sku.value, `cac:Item/cac:${mapping.items.sku[0]}/cbc:ID`),
    customerSku: src.from(`${at}.customerSku`, customerSku.path, customerSku.value),
    description: src.from(`${at}.description`, text?.path ?? item.pathAlong('Item', 'Name'), text?.value),
    quantity: src.required(`${at}.quantity`, item.pathAlong('Quantity'), quantity?.text(), 'cbc:Quantity'),
    uom: src.from(`${at}.uom`, item.pathAlong('Quantity', '@unitCode'), quantity?.attr('unitCode')),
    unitPrice: src.required(`${at}.unitPrice`, item.pathAlong('Price', 'PriceAmount'), pricePerUnit(price?.text(), item.textOf('Price', 'BaseQuantity')), 'cac:Price/cbc:PriceAmount'),
    discountPct: src.from(`${at}.discountPct`, item.pathAlong('AllowanceCharge', 'MultiplierFactorNumeric'), discountPercent(item)),
    taxRatePct: src.from(`${at}.taxRatePct`, item.pathAlong('Item', 'ClassifiedTaxCategory', 'Percent'), item.textOf('Item', 'ClassifiedTaxCategory', 'Percent')),
    requestedDate: delivery && requestedDate(delivery, `${at}.requestedDate`, mapping, src),
  };
}

/** The first configured Item identification present (its cbc:ID), or where the first should be. */
function identification(item: XmlElement, sources: readonly string[]): { value: string | undefined; path: string } {
  for (const source of sources) {
    const value = item.textOf('Item', source, 'ID');
    if (value !== undefined) return { value, path: item.pathAlong('Item', source, 'ID') };
  }
  return { value: undefined, path: item.pathAlong('Item', sources[0]!, 'ID') };
}

/** The line's percentage allowances, summed: each is a percentage of the line's gross amount. */
function discountPercent(item: XmlElement): string | undefined {
  return sumOfPercents(
    item
      .children('AllowanceCharge')
      .filter((a) => a.textOf('ChargeIndicator') === 'false')
      .flatMap((a) => a.textOf('MultiplierFactorNumeric') ?? []),
  );
}

/** RequestedDeliveryPeriod start or end date (per mapping), the other one when only that is given. */
export function requestedDate(delivery: XmlElement, at: string, mapping: UblMapping, src: XmlDraftSources): string | undefined {
  const period = delivery.child('RequestedDeliveryPeriod');
  if (!period) return undefined;
  const [first, second] = mapping.requestedDate === 'start' ? ['StartDate', 'EndDate'] : ['EndDate', 'StartDate'];
  const chosen = period.child(first!)?.text() !== undefined ? first! : second!;
  return src.from(at, period.pathAlong(chosen), xmlDatePart(period.textOf(chosen)));
}
