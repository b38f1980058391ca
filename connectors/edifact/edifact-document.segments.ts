import { toMoney } from '../../core/order/money';
import type { CanonicalOrder, OrderDraft, OrderLine, Totals } from '../../core/order/order.types';
import { computeTotals, lineNet } from '../../core/order/totals';
import { dateTimeToEdifact, dateToEdifact, wrapText } from './edifact.values';
import type { OutSegment } from './edifact.writer';

/** What the generators read of an order: a draft suffices (ORDERS), a stored order has the rest. */
export type OutboundOrder = OrderDraft & Partial<Pick<CanonicalOrder, 'id' | 'totals' | 'status'>>;

/**
 * Text lengths of the D.96A directory, which D.01B keeps or widens, so one set serves both:
 * party names and streets an..35 (3036, 3042), free text an..70 (4440), descriptions an..35 (7008).
 */
const NAME = 35;
const FREE_TEXT = 70;
const DESCRIPTION = 35;
/** Components per composite: C080 has five names, C059 four streets, C108 five text lines, C273 two. */
const NAME_PARTS = 5;
const STREET_PARTS = 4;
const TEXT_PARTS = 5;
/** Header FTX and line IMD repeat at most 99 times in ORDERS, DESADV and INVOIC. */
const MAX_REPEATS = 99;

export function dtm(qualifier: string, at: Date): OutSegment {
  return ['DTM', [qualifier, dateTimeToEdifact(at), '203']];
}

export function dtmDate(qualifier: string, isoDate: string | undefined): OutSegment[] {
  return isoDate ? [['DTM', [qualifier, dateToEdifact(isoDate), '102']]] : [];
}

/** FTX segments of one subject (4451), as many as the text needs, five lines of 70 each. */
export function ftx(subject: string, text: string | undefined): OutSegment[] {
  if (!text) return [];
  const lines = wrapText(text, FREE_TEXT, TEXT_PARTS * MAX_REPEATS);
  const segments: OutSegment[] = [];
  for (let i = 0; i < lines.length; i += TEXT_PARTS) segments.push(['FTX', subject, undefined, undefined, lines.slice(i, i + TEXT_PARTS)]);
  return segments;
}

export function rff(qualifier: string, reference: string | undefined): OutSegment[] {
  return reference ? [['RFF', [qualifier, reference]]] : [];
}

interface PartyData {
  readonly id?: string;
  readonly name?: string;
  readonly street?: string;
  readonly city?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

/** NAD with C082 id, C080 name (wrapped), C059 street, city, C819 region, postal code, country. */
export function nad(qualifier: string, party: PartyData): OutSegment {
  return [
    'NAD',
    qualifier,
    party.id ? [party.id] : undefined,
    undefined,
    party.name ? wrapText(party.name, NAME, NAME_PARTS) : undefined,
    party.street ? wrapText(party.street, NAME, STREET_PARTS) : undefined,
    party.city,
    party.region ? [party.region] : undefined,
    party.postalCode,
    party.country,
  ];
}

/** The customer's NAD group: NAD, RFF+VA (SG3), CTA and COM (SG5), in segment-table order. */
export function customerGroup(qualifier: string, customer: OrderDraft['customer']): OutSegment[] {
  const contact = customer.contact;
  return [
    nad(qualifier, customer),
    ...rff('VA', customer.taxId),
    ...(contact?.name || contact?.email || contact?.phone ? [['CTA', 'OC', ['', contact.name]] as OutSegment] : []),
    ...(contact?.phone ? [['COM', [contact.phone, 'TE']] as OutSegment] : []),
    ...(contact?.email ? [['COM', [contact.email, 'EM']] as OutSegment] : []),
  ];
}

export function addressGroups(order: OutboundOrder): OutSegment[] {
  return [...(order.shipTo ? [nad('ST', order.shipTo)] : []), ...(order.billTo ? [nad('IV', order.billTo)] : [])];
}

export function cux(currency: string, qualifier = '9'): OutSegment {
  return ['CUX', ['2', currency, qualifier]];
}

export interface LineOptions {
  /** QTY qualifier (6063): 21 ordered, 12 despatched, 47 invoiced. */
  readonly quantityQualifier: string;
  /** LIN02 action code (1229) of an order response: 5 accepted, 7 not accepted. */
  readonly action?: string;
  /** Write PRI, ALC/PCD and TAX (not in a ship notice). */
  readonly prices: boolean;
  /** MOA+203 line amount (an invoice). */
  readonly lineAmount?: string;
}

/**
 * One SG25-style line group: LIN with the SKU as supplier's article (SA), PIA with the
 * customer's number (BP), IMDs, QTY, DTM+2, then PRI (net AAA, or gross AAB with an ALC/PCD
 * allowance when the line has a discount) and TAX+7 VAT: the reverse of what the parser reads.
 */
export function lineGroup(line: OrderLine, options: LineOptions): OutSegment[] {
  const segments: OutSegment[] = [['LIN', String(line.lineNo), options.action, [line.sku, 'SA']]];
  if (line.customerSku) segments.push(['PIA', '1', [line.customerSku, 'BP']]);
  if (line.description) {
    const parts = wrapText(line.description, DESCRIPTION, 2 * MAX_REPEATS);
    for (let i = 0; i < parts.length; i += 2) segments.push(['IMD', 'F', undefined, ['', '', '', parts[i], parts[i + 1]]]);
  }
  segments.push(['QTY', [options.quantityQualifier, line.quantity, line.uom]]);
  segments.push(...dtmDate('2', line.requestedDate));
  if (options.lineAmount !== undefined) segments.push(['MOA', ['203', options.lineAmount]]);
  if (!options.prices) return segments;
  segments.push(['PRI', [line.discountPct ? 'AAB' : 'AAA', line.unitPrice]]);
  if (line.taxRatePct) segments.push(['TAX', '7', ['VAT'], undefined, undefined, ['', '', '', line.taxRatePct]]);
  if (line.discountPct) segments.push(['ALC', 'A'], ['PCD', ['1', line.discountPct]]);
  return segments;
}

/** The order's totals as the hub computes them, when the order does not carry them yet. */
export function totalsOf(order: OutboundOrder): Totals {
  return order.totals ?? computeTotals(order);
}

/** A line's net amount rounded to its currency, for MOA+203. */
export function lineAmount(line: OrderLine, currency: string): string {
  return toMoney(lineNet(line), currency);
}

/** UNS+S then the summary MOAs. */
export function summary(amounts: readonly (readonly [qualifier: string, amount: string])[]): OutSegment[] {
  return [['UNS', 'S'], ...amounts.map(([q, a]): OutSegment => ['MOA', [q, a]])];
}

export function cnt(lines: number): OutSegment {
  return ['CNT', ['2', String(lines)]];
}
