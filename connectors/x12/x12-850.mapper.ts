import { z } from 'zod';
import { orderDraftSchema } from '../../core/order/order.schema';
import type { OrderDraft } from '../../core/order/order.types';
import { issuesToDetails } from '../rest-api/zod-details';
import type { X12Mapping } from './x12.mapping';
import { byQualifier, collect850Loops, type LineLoop, type Order850Loops, type PartyLoop } from './x12-850.loops';
import { DraftSources } from './x12-draft-sources';
import type { X12TransactionSet } from './x12-envelope';
import { elementAt, segmentIssue, type X12Issue, type X12Segment } from './x12-segments';
import { x12Date, x12Decimal } from './x12-values';

export interface Mapped850 {
  /** Absent when the set cannot become an order; `issues` then say why. */
  readonly draft?: OrderDraft;
  readonly issues: readonly X12Issue[];
}

/** The draft schema's limits on free text, applied before validation so long notes never reject an order. */
const MAX_NOTES = 5000;
const MAX_DESCRIPTION = 1000;

const email = z.email();
const country = /^[A-Z]{2}$/;

/** Drops undefined fields in place; undefined when nothing is left, so optional objects stay absent. */
function defined<T extends object>(value: T): T | undefined {
  let kept = false;
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
    else kept = true;
  }
  return kept ? value : undefined;
}

/** The non-empty values of the given elements of each segment, in order. */
function texts(segments: readonly X12Segment[], elements: readonly number[]): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    for (const i of elements) {
      const value = elementAt(segment, i);
      if (value !== '') out.push(value);
    }
  }
  return out;
}

/**
 * Maps one 850 transaction set onto an order draft, driven by the partner's mapping, then validates
 * the draft with the canonical schema. Every failure names the segment and element it came from.
 * Problems that do not make the order wrong (an unusable e-mail address, a CTT count that
 * disagrees) are reported beside the draft instead of rejecting it.
 *
 * @param sender the interchange sender as 'ZZ:SENDER', the customer when no N1 loop names one
 */
export function map850(set: X12TransactionSet, mapping: X12Mapping, sender: string): Mapped850 {
  const st = set.segments[0]!;
  const loops = collect850Loops(set.segments, mapping);
  if (!loops.beg) return { issues: [segmentIssue('x12.segment_missing', st, 'no BEG segment: not a readable purchase order')] };

  const { candidate, warnings } = buildDraft(loops, loops.beg, mapping, sender, new DraftSources(st, false));
  const result = orderDraftSchema.safeParse(candidate, { reportInput: true });
  if (result.success) return { draft: result.data, issues: warnings };

  // Failures are rare, so sources are traced only now, by building the same draft again.
  const sources = new DraftSources(st, true);
  buildDraft(loops, loops.beg, mapping, sender, sources);
  const located = issuesToDetails(result.error.issues).map((d) => sources.locate(d));
  // A value can fail several checks ("four" is neither a decimal nor positive): the first says it.
  const first = located.filter((issue, i) => located.findIndex((other) => other.path === issue.path) === i);
  return { issues: [...first, ...warnings] };
}

function buildDraft(loops: Order850Loops, beg: X12Segment, mapping: X12Mapping, sender: string, sources: DraftSources) {
  const st = sources.root;
  const warnings: X12Issue[] = [];
  const lineNo = lineNumbers(loops.lines);
  const candidate = defined({
    poNumber: poNumber(loops, beg, mapping, sources, warnings),
    customer: customer(loops, mapping, sender, sources, warnings, st),
    shipTo: address(loops.parties.get(mapping.parties.shipTo), 'shipTo', sources, warnings),
    billTo: address(loops.parties.get(mapping.parties.billTo), 'billTo', sources, warnings),
    currency: loops.cur ? (sources.read('currency', loops.cur, 2) ?? mapping.defaultCurrency) : mapping.defaultCurrency,
    paymentTerms: loops.itd ? paymentTerms(loops.itd) : undefined,
    requestedDeliveryDate: date(byQualifier(loops.dates, mapping.dates.delivery), 'requestedDeliveryDate', sources),
    notes: notes(beg, loops.notes),
    lines: loops.lines.map((line, i) => orderLine(line, i, lineNo, mapping, sources)),
    claimedTotals: grossTotal(byQualifier(loops.amounts, mapping.totals.gross), sources),
  });
  sources.note('lines', st, loops.lines.length === 0 ? 'the set has no PO1 segment' : undefined);
  warnings.push(...lineCount(loops));
  return { candidate, warnings };
}

function poNumber(loops: Order850Loops, beg: X12Segment, mapping: X12Mapping, sources: DraftSources, warnings: X12Issue[]): string | undefined {
  if (loops.poRef) return sources.read('poNumber', loops.poRef, 2);
  if (mapping.poNumberRef) {
    warnings.push(segmentIssue('x12.segment_missing', beg, `no REF*${mapping.poNumberRef} (mapping.poNumberRef); BEG03 taken as the PO number`, 3));
  }
  return sources.read('poNumber', beg, 3);
}

function customer(loops: Order850Loops, mapping: X12Mapping, sender: string, sources: DraftSources, warnings: X12Issue[], st: X12Segment) {
  const party = loops.parties.get(mapping.parties.customer);
  if (!party) {
    sources.note('customer', st, `no N1*${mapping.parties.customer} loop (mapping.parties.customer)`);
    if (mapping.parties.customerFallback === 'none') return undefined;
    return defined({ id: sender, name: sender.slice(sender.indexOf(':') + 1), contact: contact(loops.per, 'customer.contact', sources, warnings) });
  }
  sources.note('customer', party.n1);
  const id = sources.read('customer.id', party.n1, 4);
  return defined({
    id,
    name: partyName(party, 'customer.name', sources) ?? id,
    contact: contact(party.per ?? loops.per, 'customer.contact', sources, warnings),
  });
}

/** N102, with any N2 additional names after it. */
function partyName(party: PartyLoop, path: string, sources: DraftSources): string | undefined {
  const name = [sources.read(path, party.n1, 2), ...texts(party.n2, [1, 2])].filter((v) => v !== undefined);
  return name.length === 0 ? undefined : name.join(', ');
}

function address(party: PartyLoop | undefined, path: string, sources: DraftSources, warnings: X12Issue[]) {
  if (!party) return undefined;
  sources.note(path, party.n1);
  const street = texts(party.n3, [1, 2]);
  if (party.n3[0]) sources.note(`${path}.street`, party.n3[0]);
  const n4 = party.n4;
  let countryCode = n4 ? sources.read(`${path}.country`, n4, 4) : undefined;
  if (n4 && countryCode !== undefined && !country.test(countryCode)) {
    warnings.push(segmentIssue('x12.value_dropped', n4, `country ${JSON.stringify(countryCode)} is not an ISO 3166 alpha-2 code; left out`, 4));
    countryCode = undefined;
  }
  return defined({
    name: partyName(party, `${path}.name`, sources),
    street: street.length === 0 ? undefined : street.join(', '),
    city: n4 ? sources.read(`${path}.city`, n4, 1) : undefined,
    region: n4 ? sources.read(`${path}.region`, n4, 2) : undefined,
    postalCode: n4 ? sources.read(`${path}.postalCode`, n4, 3) : undefined,
    country: countryCode,
  });
}

/** PER02 name and the TE (phone) and EM (e-mail) among the PER03–PER08 pairs. */
function contact(per: X12Segment | undefined, path: string, sources: DraftSources, warnings: X12Issue[]) {
  if (!per) return undefined;
  let phone: string | undefined;
  let mail: string | undefined;
  for (let i = 3; i + 1 < per.elements.length; i += 2) {
    const qualifier = elementAt(per, i);
    if (qualifier === 'TE' && phone === undefined) phone = sources.read(`${path}.phone`, per, i + 1);
    if (qualifier === 'EM' && mail === undefined) {
      mail = sources.read(`${path}.email`, per, i + 1);
      if (mail !== undefined && !email.safeParse(mail).success) {
        warnings.push(segmentIssue('x12.value_dropped', per, `${JSON.stringify(mail)} is not an e-mail address; left out`, i + 1));
        mail = undefined;
      }
    }
  }
  return defined({ name: sources.read(`${path}.name`, per, 2), phone, email: mail });
}

function date(dtm: X12Segment | undefined, path: string, sources: DraftSources): string | undefined {
  return dtm ? sources.read(path, dtm, 2, x12Date) : undefined;
}

/** ITD12's text when sent; otherwise the discount and net terms spelt out ("2% 10 days, net 30 days"). */
function paymentTerms(itd: X12Segment): string | undefined {
  const description = elementAt(itd, 12);
  if (description !== '') return description;
  const [percent, discountDays, netDays] = [elementAt(itd, 3), elementAt(itd, 5), elementAt(itd, 7)];
  const parts = [
    percent !== '' ? `${x12Decimal(percent)}%${discountDays !== '' ? ` ${discountDays} days` : ''}` : '',
    netDays !== '' ? `net ${netDays} days` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.join(', ');
}

function notes(beg: X12Segment, segments: readonly X12Segment[]): string | undefined {
  const ordered = elementAt(beg, 5);
  const lines = [...(ordered === '' ? [] : [`order date ${x12Date(ordered)}`]), ...segments.map((s) => elementAt(s, s.tag === 'NTE' ? 2 : 1)).filter((t) => t !== '')];
  return lines.length === 0 ? undefined : lines.join('\n').slice(0, MAX_NOTES);
}

/** PO101 when every line has a distinct positive number there; else 1, 2, 3 … */
function lineNumbers(lines: readonly LineLoop[]): (i: number) => number {
  const own = lines.map((l) => elementAt(l.po1, 1));
  const usable = own.every((n) => /^\d{1,9}$/.test(n) && Number(n) > 0) && new Set(own.map(Number)).size === own.length;
  return (i) => (usable ? Number(own[i]) : i + 1);
}

/** The element after the first PO106/PO107… pair whose qualifier is wanted, in the mapping's order. */
function productId(po1: X12Segment, wanted: readonly string[]): number | undefined {
  for (const q of wanted) {
    for (let i = 6; i + 1 < po1.elements.length; i += 2) {
      if (elementAt(po1, i) === q && elementAt(po1, i + 1) !== '') return i + 1;
    }
  }
  return undefined;
}

function orderLine(line: LineLoop, index: number, lineNo: (i: number) => number, mapping: X12Mapping, sources: DraftSources) {
  const { po1 } = line;
  const path = `lines[${index}]`;
  sources.note(path, po1);
  const skuAt = productId(po1, mapping.items.sku);
  if (skuAt === undefined) {
    const sent = [];
    for (let i = 6; i + 1 < po1.elements.length; i += 2) if (elementAt(po1, i) !== '') sent.push(elementAt(po1, i));
    sources.noteMissing(`${path}.sku`, po1, 7, `no product ID qualified ${mapping.items.sku.join(' or ')} (mapping.items.sku); this PO1 has ${sent.join(', ') || 'none'}`);
  }
  const customerSkuAt = productId(po1, mapping.items.customerSku);
  const description = texts(line.pids, [5]).join(' ');
  return defined({
    lineNo: lineNo(index),
    sku: skuAt === undefined ? undefined : sources.read(`${path}.sku`, po1, skuAt),
    customerSku: customerSkuAt === undefined ? undefined : sources.read(`${path}.customerSku`, po1, customerSkuAt),
    description: description === '' ? undefined : description.slice(0, MAX_DESCRIPTION),
    quantity: sources.read(`${path}.quantity`, po1, 2, x12Decimal),
    uom: sources.read(`${path}.uom`, po1, 3),
    unitPrice: sources.read(`${path}.unitPrice`, po1, 4, x12Decimal),
    requestedDate: date(byQualifier(line.dates, mapping.dates.delivery), `${path}.requestedDate`, sources),
  });
}

function grossTotal(amt: X12Segment | undefined, sources: DraftSources) {
  return amt ? defined({ gross: sources.read('claimedTotals.gross', amt, 2, x12Decimal) }) : undefined;
}

/** CTT01 is the sender's count of PO1 segments: a mismatch means its system and its file disagree. */
function lineCount(loops: Order850Loops): X12Issue[] {
  const ctt = loops.ctt;
  if (!ctt) return [];
  const declared = elementAt(ctt, 1);
  if (/^\d{1,9}$/.test(declared) && Number(declared) === loops.lines.length) return [];
  return [segmentIssue('x12.line_count', ctt, `CTT01 says ${declared || '(empty)'} line items; the set has ${loops.lines.length} PO1 segments`, 1)];
}
