import type { z } from 'zod';
import { orderDraftSchema } from '../../core/order/order.schema';
import type { OrderDraftInput } from '../../core/order/order.types';
import type { ParsedOrder } from '../connector';
import { value, type EdifactMessage } from './edifact.envelope';
import { issueAt, SYNTAX_ERROR, type EdifactIssue } from './edifact.issue';
import type { EdifactMapping } from './edifact.mapping';
import type { Segment } from './edifact.tokenizer';
import { joinText, normaliseDecimal } from './edifact.values';
import { HEADER_GROUPS, splitLevel, splitSections, SUMMARY_GROUPS } from './edifact-orders.groups';
import { first, readDtm, readLine } from './edifact-orders.lines';
import { partiesOf, pickParty, readAddress, readCustomer } from './edifact-orders.parties';
import { at, DraftTrail } from './edifact-orders.trail';

/** A ParsedOrder whose issues say where they sit, for the CONTRL. */
export interface EdifactParsedOrder extends ParsedOrder {
  readonly issues: readonly EdifactIssue[];
}

/**
 * One ORDERS message (UNH … UNT, envelope already checked) as a canonical draft. Any issue
 * rejects this message alone: it then carries no draft, and its CONTRL UCM says why.
 */
export function readOrdersMessage(message: EdifactMessage, mapping: EdifactMapping): EdifactParsedOrder {
  const ref = `UNH=${message.ref}`;
  const unh = message.segments[0]!;
  const unsupported = checkIdentifier(unh, mapping);
  if (unsupported) return { ref, issues: [unsupported] };

  const trail = new DraftTrail(at(unh));
  const body = message.segments.slice(1, message.segments.at(-1)?.tag === 'UNT' ? -1 : undefined);
  const sections = splitSections(body);
  const header = splitLevel(sections.header, HEADER_GROUPS);
  const summary = splitLevel(sections.summary, SUMMARY_GROUPS);
  trail.from('lines', at(sections.uns ?? unh), true);

  // Assembled from what the message holds, possibly incomplete: the schema below decides.
  const draft: OrderDraftInput = compact({
    ...readHeader(header.own, unh, mapping, trail),
    ...readParties(header.groups, unh, mapping, trail),
    currency: readCurrency(header.groups, unh, mapping, trail),
    paymentTerms: paymentTerms(header.own, header.groups, mapping, trail),
    lines: sections.lines.map((group, i) => readLine(group, i, mapping, trail)),
    claimedTotals: readTotals(summary.own, mapping, trail),
  } as OrderDraftInput);
  checkLineCount(summary.own, sections.lines.length, trail);

  const parsed = orderDraftSchema.safeParse(draft);
  if (!parsed.success) for (const issue of schemaIssues(parsed.error, trail)) trail.issues.push(issue);
  if (trail.issues.length > 0 || !parsed.success) return { ref, issues: trail.issues };
  return { ref, draft: parsed.data, issues: [] };
}

/** UNH02: ORDERS, a directory version the mapping takes, agency UN. */
function checkIdentifier(unh: Segment, mapping: EdifactMapping): EdifactIssue | undefined {
  const type = value(unh, 2, 1);
  const version = `${value(unh, 2, 2)}:${value(unh, 2, 3)}`;
  if (type !== 'ORDERS') return issueAt(at(unh, 2, 1), 'edifact.unsupported_message', SYNTAX_ERROR.valueNotSupported, `UNH02 message type ${JSON.stringify(type)} is not ORDERS`);
  if (!mapping.versions.includes(version)) {
    return issueAt(at(unh, 2, 2), 'edifact.unsupported_message', SYNTAX_ERROR.valueNotSupported, `UNH02 ORDERS version ${version} is not one of ${mapping.versions.join(', ')}`);
  }
  if (value(unh, 2, 4) !== 'UN') return issueAt(at(unh, 2, 4), 'edifact.unsupported_message', SYNTAX_ERROR.valueNotSupported, `UNH02 controlling agency ${JSON.stringify(value(unh, 2, 4))} is not UN`);
  return undefined;
}

/** BGM (number, function), the header DTMs and FTXs (the level's own segments, before SG1). */
function readHeader(own: readonly Segment[], unh: Segment, mapping: EdifactMapping, trail: DraftTrail) {
  const bgm = own.find((s) => s.tag === 'BGM');
  if (!bgm) trail.issue('poNumber', at(unh), SYNTAX_ERROR.missing, 'the message has no BGM (beginning of message)');
  const fn = bgm ? value(bgm, 3) : '';
  if (bgm && fn !== '' && !mapping.messageFunctions.includes(fn)) {
    trail.issue('poNumber', at(bgm, 3), SYNTAX_ERROR.valueNotSupported, `BGM03 message function ${JSON.stringify(fn)} is not a new order (taken: ${mapping.messageFunctions.join(', ')})`);
  }
  const number = bgm ? value(bgm, 2, 1).trim() : '';
  const delivery = first(own, 'DTM', mapping.deliveryDateQualifiers);
  return {
    poNumber: number === '' ? undefined : trail.from('poNumber', at(bgm!, 2, 1), number),
    requestedDeliveryDate: delivery ? readDtm(delivery, trail, 'requestedDeliveryDate') : undefined,
    notes: freeText(own, mapping.text.notes, trail, 'notes'),
    specialRequirements: freeText(own, mapping.text.specialRequirements, trail, 'specialRequirements'),
  };
}

function readParties(groups: readonly (readonly Segment[])[], unh: Segment, mapping: EdifactMapping, trail: DraftTrail) {
  const parties = partiesOf(groups);
  const customer = pickParty(parties, mapping.parties.customer);
  if (!customer) trail.issue('customer', at(unh), SYNTAX_ERROR.missing, `no NAD with qualifier ${mapping.parties.customer.join(' or ')} (customer)`);
  const shipTo = pickParty(parties, mapping.parties.shipTo);
  const billTo = pickParty(parties, mapping.parties.billTo);
  return {
    customer: customer ? readCustomer(customer, trail) : undefined,
    shipTo: shipTo ? readAddress(shipTo, trail, 'shipTo') : undefined,
    billTo: billTo ? readAddress(billTo, trail, 'billTo') : undefined,
  };
}

/** CUX C504 component 2 (6345); the mapping's default when there is none. */
function readCurrency(groups: readonly (readonly Segment[])[], unh: Segment, mapping: EdifactMapping, trail: DraftTrail): string | undefined {
  const cux = groups.map((g) => g[0]!).find((s) => s.tag === 'CUX' && value(s, 1, 2) !== '');
  if (cux) return trail.from('currency', at(cux, 1, 2), value(cux, 1, 2));
  if (mapping.defaultCurrency) return trail.from('currency', at(unh), mapping.defaultCurrency);
  trail.issue('currency', at(unh), SYNTAX_ERROR.missing, 'no CUX and no defaultCurrency in the partner mapping');
  return undefined;
}

/** FTX with the mapped subject codes (4451), else the PAT's own description (C110 components 4 and 5). */
function paymentTerms(own: readonly Segment[], groups: readonly (readonly Segment[])[], mapping: EdifactMapping, trail: DraftTrail): string | undefined {
  const text = freeText(own, mapping.text.paymentTerms, trail, 'paymentTerms');
  if (text !== undefined) return text;
  const pat = groups.map((g) => g[0]!).find((s) => s.tag === 'PAT' && joinText([value(s, 2, 4), value(s, 2, 5)]) !== undefined);
  return pat ? trail.from('paymentTerms', at(pat, 2, 4), joinText([value(pat, 2, 4), value(pat, 2, 5)])) : undefined;
}

/** FTX04 (C108, up to five lines of text) of every FTX whose subject (FTX01) is listed, joined. */
function freeText(own: readonly Segment[], subjects: readonly string[], trail: DraftTrail, path: string): string | undefined {
  const ftxs = own.filter((s) => s.tag === 'FTX' && subjects.includes(value(s, 1)));
  const text = joinText(ftxs.flatMap((s) => s.elements[3] ?? []));
  return text === undefined ? undefined : trail.from(path, at(ftxs[0]!, 4, 1), text);
}

/** Summary MOA (C516 qualifier:amount) into claimedTotals, by the mapping's qualifiers. */
function readTotals(summary: readonly Segment[], mapping: EdifactMapping, trail: DraftTrail) {
  const totals: Record<string, string> = {};
  for (const key of ['net', 'tax', 'gross'] as const) {
    const moa = first(summary, 'MOA', mapping.totals[key]);
    if (!moa) continue;
    const amount = normaliseDecimal(value(moa, 1, 2));
    if (amount === undefined) trail.issue(`claimedTotals.${key}`, at(moa, 1, 2), SYNTAX_ERROR.invalidValue, `MOA amount ${JSON.stringify(value(moa, 1, 2))} is not a number`);
    else totals[key] = trail.from(`claimedTotals.${key}`, at(moa, 1, 2), amount);
  }
  return Object.keys(totals).length > 0 ? totals : undefined;
}

/** CNT+2 is the sender's count of LIN groups: a different count means lines went missing. */
function checkLineCount(summary: readonly Segment[], lines: number, trail: DraftTrail): void {
  const cnt = summary.find((s) => s.tag === 'CNT' && value(s, 1, 1) === '2');
  if (!cnt) return;
  const said = value(cnt, 1, 2);
  if (!/^\d{1,6}$/.test(said) || Number(said) !== lines) {
    trail.issue('lines', at(cnt, 1, 2), SYNTAX_ERROR.countDoesNotMatch, `CNT+2 says ${JSON.stringify(said)} lines but the message has ${lines} LIN`);
  }
}

/** The canonical schema's findings, each at the segment the field came from, unless already reported. */
function schemaIssues(error: z.ZodError, trail: DraftTrail): EdifactIssue[] {
  return error.issues
    .map((issue) => ({ issue, path: draftPath(issue.path) }))
    .filter(({ path }) => !trail.alreadyReported(path))
    .map(({ issue, path }) => issueAt(trail.locate(path), 'edifact.content', SYNTAX_ERROR.invalidValue, `${path || 'order'}: ${issue.message}`));
}

/** ['lines', 2, 'quantity'] → 'lines[2].quantity'. */
function draftPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`), '');
}

/** Drops undefined fields and empty objects at every depth, so a draft holds only what the message said. */
function compact<T>(input: T): T {
  if (Array.isArray(input)) return input.map(compact) as T;
  if (typeof input !== 'object' || input === null) return input;
  const out: Record<string, unknown> = {};
  for (const key in input) {
    const v = compact(input[key]);
    if (v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && isEmpty(v))) continue;
    out[key] = v;
  }
  return out as T;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
