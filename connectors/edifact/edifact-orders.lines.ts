import { dec } from '../../core/order/money';
import type { OrderDraftInput } from '../../core/order/order.types';
import { value } from './edifact.envelope';
import { SYNTAX_ERROR } from './edifact.issue';
import type { EdifactMapping } from './edifact.mapping';
import type { Segment } from './edifact.tokenizer';
import { joinText, normaliseDecimal, readDate } from './edifact.values';
import { LINE_GROUPS, splitLevel } from './edifact-orders.groups';
import { at, type DraftTrail } from './edifact-orders.trail';

type LineInput = OrderDraftInput['lines'][number];

/** An item number with its type (7143) and where it was: LIN03 or one of PIA02 … PIA06. */
interface ItemNumber {
  readonly id: string;
  readonly type: string;
  readonly segment: Segment;
  readonly element: number;
}

/** Price per unit when PRI gives a basis (5284, "per 100"): kept to 10 places, the canonical limit. */
const PRICE_PLACES = 10;

/**
 * One SG25 group (LIN and what follows up to the next LIN) as a canonical line. Only the line's
 * own QTY, DTM, IMD and PIA are read; PRI, TAX and ALC come from their groups (SG28, SG33, SG39).
 */
export function readLine(group: readonly Segment[], index: number, mapping: EdifactMapping, trail: DraftTrail): Partial<LineInput> {
  const lin = group[0]!;
  const path = `lines[${index}]`;
  trail.from(path, at(lin), true);
  const { own, groups } = splitLevel(group.slice(1), LINE_GROUPS);

  const numbers = itemNumbers(lin, own);
  const sku = pick(numbers, mapping.articleNumbers.sku);
  const customerSku = pick(numbers, mapping.articleNumbers.customerSku);
  if (!sku) {
    trail.issue(`${path}.sku`, at(lin, 3, 1), SYNTAX_ERROR.missing, `${path}: no item number of type ${mapping.articleNumbers.sku.join(' or ')} in LIN03 or PIA`);
  }

  const rawNo = value(lin, 1);
  const lineNo = /^0*[1-9]\d{0,5}$/.test(rawNo) ? Number(rawNo) : index + 1;
  return {
    lineNo: trail.from(`${path}.lineNo`, at(lin, 1), lineNo),
    sku: sku ? trail.from(`${path}.sku`, at(sku.segment, sku.element, 1), sku.id) : undefined,
    customerSku: customerSku ? trail.from(`${path}.customerSku`, at(customerSku.segment, customerSku.element, 1), customerSku.id) : undefined,
    description: description(own, trail, path),
    ...quantity(lin, own, mapping, trail, path),
    ...price(lin, groups, mapping, trail, path),
    taxRatePct: taxRate(groups, trail, path),
    requestedDate: requestedDate(own, mapping, trail, path),
  };
}

function itemNumbers(lin: Segment, own: readonly Segment[]): ItemNumber[] {
  const numbers: ItemNumber[] = [];
  const add = (segment: Segment, element: number): void => {
    const id = value(segment, element, 1).trim();
    if (id !== '') numbers.push({ id, type: value(segment, element, 2), segment, element });
  };
  add(lin, 3);
  for (const pia of own.filter((s) => s.tag === 'PIA')) for (let e = 2; e <= 6; e++) add(pia, e);
  return numbers;
}

function pick(numbers: readonly ItemNumber[], types: readonly string[]): ItemNumber | undefined {
  for (const type of types) {
    const found = numbers.find((n) => n.type === type);
    if (found) return found;
  }
  return undefined;
}

/** IMD C273 components 4 and 5 (7008), every IMD of the line in order. */
function description(own: readonly Segment[], trail: DraftTrail, path: string): string | undefined {
  const imds = own.filter((s) => s.tag === 'IMD');
  const text = joinText(imds.flatMap((s) => [value(s, 3, 4), value(s, 3, 5)]));
  return text === undefined ? undefined : trail.from(`${path}.description`, at(imds[0]!, 3, 4), text);
}

function quantity(lin: Segment, own: readonly Segment[], mapping: EdifactMapping, trail: DraftTrail, path: string): Pick<LineInput, 'quantity' | 'uom'> {
  const qty = first(own, 'QTY', mapping.quantityQualifiers);
  if (!qty) {
    trail.issue(`${path}.quantity`, at(lin), SYNTAX_ERROR.missing, `${path}: no QTY with qualifier ${mapping.quantityQualifiers.join(' or ')}`);
    return { quantity: '' };
  }
  const amount = normaliseDecimal(value(qty, 1, 2));
  if (amount === undefined) trail.issue(`${path}.quantity`, at(qty, 1, 2), SYNTAX_ERROR.invalidValue, `${path}: quantity ${JSON.stringify(value(qty, 1, 2))} is not a number`);
  const uom = value(qty, 1, 3).trim();
  return {
    quantity: trail.from(`${path}.quantity`, at(qty, 1, 2), amount ?? ''),
    uom: uom === '' ? undefined : trail.from(`${path}.uom`, at(qty, 1, 3), uom),
  };
}

/**
 * PRI C509: qualifier, price, price type, type qualifier, unit price basis (5284), unit. A gross
 * price (AAB) carries the line's allowance (SG39 ALC+A with PCD+1) as discountPct; a net price
 * (AAA) already has it deducted, so an ALC beside it is not applied twice.
 */
function price(lin: Segment, groups: readonly (readonly Segment[])[], mapping: EdifactMapping, trail: DraftTrail, path: string): Pick<LineInput, 'unitPrice' | 'discountPct'> {
  const pri = first(
    groups.map((g) => g[0]!),
    'PRI',
    mapping.priceQualifiers,
  );
  if (!pri) {
    trail.issue(`${path}.unitPrice`, at(lin), SYNTAX_ERROR.missing, `${path}: no PRI with qualifier ${mapping.priceQualifiers.join(' or ')}`);
    return { unitPrice: '' };
  }
  const amount = normaliseDecimal(value(pri, 1, 2));
  if (amount === undefined) {
    trail.issue(`${path}.unitPrice`, at(pri, 1, 2), SYNTAX_ERROR.invalidValue, `${path}: price ${JSON.stringify(value(pri, 1, 2))} is not a number`);
    return { unitPrice: '' };
  }
  const rawBasis = value(pri, 1, 5);
  const basis = rawBasis === '' ? '1' : normaliseDecimal(rawBasis);
  if (basis === undefined || dec(basis).isZero()) {
    trail.issue(`${path}.unitPrice`, at(pri, 1, 5), SYNTAX_ERROR.invalidValue, `${path}: unit price basis ${JSON.stringify(rawBasis)} is not a positive number`);
    return { unitPrice: '' };
  }
  const perUnit = dec(basis).equals(1) ? amount : dec(amount).dividedBy(dec(basis)).toDecimalPlaces(PRICE_PLACES).toFixed();
  return {
    unitPrice: trail.from(`${path}.unitPrice`, at(pri, 1, 2), perUnit),
    discountPct: value(pri, 1, 1) === 'AAB' ? allowance(groups, trail, path) : undefined,
  };
}

function allowance(groups: readonly (readonly Segment[])[], trail: DraftTrail, path: string): string | undefined {
  const pcd = groups.filter((g) => g[0]!.tag === 'ALC' && value(g[0]!, 1) === 'A').flatMap((g) => g.filter((s) => s.tag === 'PCD' && value(s, 1, 1) === '1'))[0];
  if (!pcd) return undefined;
  const pct = normaliseDecimal(value(pcd, 1, 2));
  if (pct === undefined) trail.issue(`${path}.discountPct`, at(pcd, 1, 2), SYNTAX_ERROR.invalidValue, `${path}: allowance percentage ${JSON.stringify(value(pcd, 1, 2))} is not a number`);
  return pct === undefined ? undefined : trail.from(`${path}.discountPct`, at(pcd, 1, 2), pct);
}

/** TAX+7 (a tax, not a duty), C243 component 4 (5278) is the rate in percent. */
function taxRate(groups: readonly (readonly Segment[])[], trail: DraftTrail, path: string): string | undefined {
  const tax = groups.map((g) => g[0]!).find((s) => s.tag === 'TAX' && value(s, 1) === '7' && value(s, 5, 4) !== '');
  if (!tax) return undefined;
  const rate = normaliseDecimal(value(tax, 5, 4));
  if (rate === undefined) trail.issue(`${path}.taxRatePct`, at(tax, 5, 4), SYNTAX_ERROR.invalidValue, `${path}: tax rate ${JSON.stringify(value(tax, 5, 4))} is not a number`);
  return rate === undefined ? undefined : trail.from(`${path}.taxRatePct`, at(tax, 5, 4), rate);
}

function requestedDate(own: readonly Segment[], mapping: EdifactMapping, trail: DraftTrail, path: string): string | undefined {
  const dtm = first(own, 'DTM', mapping.deliveryDateQualifiers);
  return dtm ? readDtm(dtm, trail, `${path}.requestedDate`) : undefined;
}

/** DTM C507 value (component 2) in its format (component 3); an unreadable one is an issue. */
export function readDtm(dtm: Segment, trail: DraftTrail, path: string): string | undefined {
  const date = readDate(value(dtm, 1, 2), value(dtm, 1, 3));
  if (date === undefined) {
    trail.issue(path, at(dtm, 1, 2), SYNTAX_ERROR.invalidValue, `${path}: ${JSON.stringify(value(dtm, 1, 2))} in format ${JSON.stringify(value(dtm, 1, 3))} is not a date the hub reads (102, 203, 204)`);
    return undefined;
  }
  return trail.from(path, at(dtm, 1, 2), date);
}

/** The first segment with `tag` whose C-element qualifier (element 1, component 1) is listed, by the list's preference. */
export function first(segments: readonly Segment[], tag: string, qualifiers: readonly string[]): Segment | undefined {
  for (const q of qualifiers) {
    const found = segments.find((s) => s.tag === tag && value(s, 1, 1) === q);
    if (found) return found;
  }
  return undefined;
}
