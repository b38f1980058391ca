import { pricePerUnit, sumOfPercents, type LooseDraft, type XmlDraftSources } from '../shared/xml-draft';
import type { XmlElement } from '../shared/xml-path';
import { qualified, qualifiedPath, sapDate } from './idoc-segments';
import type { IdocMapping } from './idoc.mapping';

type LooseLine = NonNullable<LooseDraft['lines']>[number];

/**
 * E1EDP01 items → canonical lines: POSEX, MENGE, MENEE, VPREI per PEINH units; E1EDP19 object
 * identifications by qualifier (SKU, customer SKU, KTEXT as description); the first E1EDP20
 * schedule line's EDATU; E1EDP04 MSATZ as the tax rate; E1EDP05 conditions with ALCKZ "-" (a
 * deduction) and a KPERC percentage, summed, as the line discount.
 */
export function readIdocLines(idoc: XmlElement, mapping: IdocMapping, src: XmlDraftSources): LooseLine[] {
  const items = idoc.children('E1EDP01');
  if (items.length === 0) src.problem(idoc.pathTo('E1EDP01'), 'an ORDERS05 IDoc needs at least one E1EDP01 item', 'xml.required_missing', 'lines');
  return items.map((item, i) => readItem(item, `lines[${i}]`, i + 1, mapping, src));
}

function readItem(item: XmlElement, at: string, position: number, mapping: IdocMapping, src: XmlDraftSources): LooseLine {
  src.from(at, item.path, undefined);
  const sku = qualified(item, 'E1EDP19', 'QUALF', mapping.items.sku);
  const customerSku = qualified(item, 'E1EDP19', 'QUALF', mapping.items.customerSku);
  const described = [sku, customerSku, ...item.children('E1EDP19')].find((s) => s?.textOf('KTEXT') !== undefined);
  const schedule = item.child('E1EDP20');
  const discounts = item.children('E1EDP05').filter((c) => c.textOf('ALCKZ') === '-' && c.textOf('KPERC') !== undefined);
  const discountPath = discounts[0]?.pathAlong('KPERC') ?? item.pathAlong('E1EDP05', 'KPERC');
  return {
    lineNo: src.lineNo(`${at}.lineNo`, item.pathAlong('POSEX'), item.textOf('POSEX'), position, mapping.lineNumbers),
    sku: src.required(`${at}.sku`, sku?.pathAlong('IDTNR') ?? qualifiedPath(item, 'E1EDP19', 'QUALF', mapping.items.sku[0]!, 'IDTNR'), sku?.textOf('IDTNR'), `E1EDP19 QUALF ${mapping.items.sku.join('/')} IDTNR`),
    customerSku: src.from(`${at}.customerSku`, customerSku?.pathAlong('IDTNR') ?? item.path, customerSku?.textOf('IDTNR')),
    description: src.from(`${at}.description`, described?.pathAlong('KTEXT') ?? item.path, described?.textOf('KTEXT')),
    quantity: src.required(`${at}.quantity`, item.pathAlong('MENGE'), item.textOf('MENGE'), 'E1EDP01/MENGE'),
    uom: src.from(`${at}.uom`, item.pathAlong('MENEE'), item.textOf('MENEE')),
    unitPrice: src.required(`${at}.unitPrice`, item.pathAlong('VPREI'), pricePerUnit(item.textOf('VPREI'), item.textOf('PEINH')), 'E1EDP01/VPREI'),
    discountPct: src.from(`${at}.discountPct`, discountPath, sumOfPercents(discounts.flatMap((c) => c.textOf('KPERC') ?? []))),
    taxRatePct: src.from(`${at}.taxRatePct`, item.pathAlong('E1EDP04', 'MSATZ'), item.textOf('E1EDP04', 'MSATZ')),
    requestedDate: src.from(`${at}.requestedDate`, item.pathAlong('E1EDP20', 'EDATU'), sapDate(schedule?.textOf('EDATU'))),
  };
}
