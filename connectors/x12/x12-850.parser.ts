import type { FormatParser, ParseContext, ParsedOrder, ParseResult } from '../connector';
import { issuesToDetails } from '../rest-api/zod-details';
import { x12MappingSchema, type X12Mapping } from './x12.mapping';
import { map850 } from './x12-850.mapper';
import { readInterchange, type X12FunctionalGroup, type X12TransactionSet } from './x12-envelope';
import { HEADER_WINDOW, readInterchangeHeader, type X12InterchangeHeader } from './x12-interchange-header';
import { ISA_LENGTH, readIsa } from './x12-isa';
import { readSegments } from './x12-reader';
import { elementAt, segmentIssue, toDetail, type X12Issue, type X12Segment } from './x12-segments';

export type X12SetStatus = 'accepted' | 'accepted_with_errors' | 'rejected';

/** What became of one transaction set: what its AK2/AK5 (and AK3/AK4) report. */
export interface X12SetOutcome {
  /** ST01. */
  readonly id: string;
  /** ST02. */
  readonly controlNumber: string;
  /** The ST's position in the interchange: AK302 counts segments from it. */
  readonly position: number;
  readonly status: X12SetStatus;
  readonly issues: readonly X12Issue[];
}

/** What became of one functional group: what its AK1/AK9 report. */
export interface X12GroupOutcome {
  readonly functionalId: string;
  readonly controlNumber: string;
  readonly version: string;
  /** GE01 as received. */
  readonly declaredSets: string;
  /** Group-level problems (GS08, GE01, GE02): any of them rejects every set in the group. */
  readonly issues: readonly X12Issue[];
  readonly sets: readonly X12SetOutcome[];
}

/** A ParseResult plus what a 997 or TA1 needs; `groups` is empty when no functional group could be read. */
export interface X12ParseResult extends ParseResult {
  readonly groups: readonly X12GroupOutcome[];
  /**
   * The ISA as far as a TA1 needs it, read loosely, so also from an ISA that is itself broken;
   * absent when not even its sender, receiver, control number, date and time can be read, and when
   * the mapping is invalid (our configuration, not the sender's interchange, is at fault).
   */
  readonly header?: X12InterchangeHeader;
  /** When `ok` is false because of the envelope: the problem as found (the TA1's TA105 names the first). */
  readonly envelopeIssues?: readonly X12Issue[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
/** sniff looks this far for the ISA past a BOM and blank lines; parse skips any amount. */
const SNIFF_WINDOW = 1024;

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Index of the first byte after a UTF-8 BOM and any blank space, at most `limit`. */
function contentStart(body: Buffer, limit = body.length): number {
  let at = body[0] === UTF8_BOM[0] && body[1] === UTF8_BOM[1] && body[2] === UTF8_BOM[2] ? 3 : 0;
  while (at < limit && at < body.length && isBlank(body[at]!)) at += 1;
  return at;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** X12 is ASCII by standard and UTF-8 by most agreements; older senders use Latin-1, which always decodes. */
function decode(body: Buffer, start: number): string {
  try {
    return utf8.decode(body.subarray(start));
  } catch {
    return body.toString('latin1', start);
  }
}

function failed(code: string, issues: readonly X12Issue[], extra: Partial<X12ParseResult> = {}): X12ParseResult {
  return { ok: false, code, issues: issues.map(toDetail), orders: [], groups: [], envelopeIssues: issues, ...extra };
}

/** Only the ISA's own bytes are read for the header, so this is cheap even for a refused document. */
function headerOf(body: Buffer, start: number): { header?: X12InterchangeHeader } {
  const header = readInterchangeHeader(body.toString('latin1', start, start + HEADER_WINDOW));
  return header ? { header } : {};
}

/** 'ZZ:SENDER': qualifier and id, as duplicate detection and the customer fallback use them. */
function party(isa: X12Segment, qualifier: number, id: number): string {
  return `${elementAt(isa, qualifier)}:${elementAt(isa, id)}`;
}

/**
 * Reads an X12 interchange of 850 purchase orders (004010 and 005010). Never throws on bad input:
 * an unreadable interchange is `ok: false` with a code; a bad set or group rejects only itself.
 */
export async function parseX12Orders(body: Buffer, context: ParseContext): Promise<X12ParseResult> {
  const parsedMapping = x12MappingSchema.safeParse(context.mapping);
  if (!parsedMapping.success) {
    return { ok: false, code: 'mapping.invalid', issues: issuesToDetails(parsedMapping.error.issues, 'mapping'), orders: [], groups: [] };
  }
  const mapping = parsedMapping.data;
  const { limits } = mapping;
  const start = contentStart(body);
  const header = headerOf(body, start);
  if (body.length > limits.maxBytes) {
    return {
      ok: false,
      code: 'document.too_large',
      issues: [{ path: '', message: `the document is ${body.length} bytes; the limit is ${limits.maxBytes} (mapping.limits.maxBytes)`, code: 'document.too_large' }],
      orders: [],
      groups: [],
      ...header,
    };
  }

  // The ISA is ASCII and fixed-width: check it on its own bytes, so a document that is not X12 is
  // refused before the whole body is decoded.
  const fixed = readIsa(body.toString('latin1', start, start + ISA_LENGTH), 0);
  if (!fixed.ok) return failed('x12.envelope', fixed.issues, header);
  const text = decode(body, start);
  const isa = readIsa(text, 0);
  if (!isa.ok) return failed('x12.envelope', isa.issues, header);
  const interchange = {
    sender: party(isa.isa, 5, 6),
    receiver: party(isa.isa, 7, 8),
    controlNumber: elementAt(isa.isa, 13),
  };
  const segments = readSegments(text, isa.end, isa.separators, limits);
  if (!segments.ok) return failed(segments.code, segments.issues, { interchange, ...header });

  const read = readInterchange(isa.isa, segments.segments);
  if (!read.ok) return failed('x12.envelope', read.issues, { interchange, ...header });

  const issues: X12Issue[] = [];
  const orders: ParsedOrder[] = [];
  const manyGroups = read.interchange.groups.length > 1;
  const groups = read.interchange.groups.map((group) => {
    issues.push(...group.issues);
    const sets = group.sets.map((set) => {
      const ref = manyGroups ? `GS06=${group.controlNumber} ST02=${set.controlNumber}` : `ST02=${set.controlNumber}`;
      const outcome = readSet(set, group, mapping, interchange.sender);
      if (set.id === '850') orders.push({ ref, ...(outcome.draft ? { draft: outcome.draft } : {}), issues: outcome.issues.map(toDetail) });
      else issues.push(...outcome.issues);
      return outcome.summary;
    });
    return summarise(group, sets);
  });
  return { ok: true, issues: issues.map(toDetail), orders, interchange, groups, ...header };
}

function readSet(set: X12TransactionSet, group: X12FunctionalGroup, mapping: X12Mapping, sender: string) {
  const st = set.segments[0]!;
  const outcome = (status: X12SetStatus, issues: readonly X12Issue[], draft?: ReturnType<typeof map850>['draft']) => ({
    draft,
    issues,
    summary: { id: set.id, controlNumber: set.controlNumber, position: st.position, status, issues },
  });
  if (set.id !== '850') {
    return outcome('rejected', [segmentIssue('x12.set_unsupported', st, `transaction set ${set.id || '(empty)'} is not a purchase order (850); not taken`, 1)]);
  }
  if (set.issues.length > 0) return outcome('rejected', set.issues);
  if (group.issues.length > 0) {
    return outcome('rejected', [segmentIssue('x12.group_rejected', st, `not taken: its functional group (GS06 ${group.controlNumber}) is rejected`)]);
  }
  const mapped = map850(set, mapping, sender);
  if (!mapped.draft) return outcome('rejected', mapped.issues);
  return outcome(mapped.issues.length === 0 ? 'accepted' : 'accepted_with_errors', mapped.issues, mapped.draft);
}

function summarise(group: X12FunctionalGroup, sets: readonly X12SetOutcome[]): X12GroupOutcome {
  return {
    functionalId: group.functionalId,
    controlNumber: group.controlNumber,
    version: group.version,
    declaredSets: group.declaredSets,
    issues: group.issues,
    sets,
  };
}

/** Bytes that begin with ISA (after an optional BOM and blank lines) followed by a delimiter. */
export function sniffX12(body: Buffer): boolean {
  const at = contentStart(body, SNIFF_WINDOW);
  if (body.length < at + 4 || body.toString('latin1', at, at + 3) !== 'ISA') return false;
  const delimiter = body[at + 3]!;
  const alphanumeric = (delimiter >= 0x30 && delimiter <= 0x39) || (delimiter >= 0x41 && delimiter <= 0x5a) || (delimiter >= 0x61 && delimiter <= 0x7a);
  return !alphanumeric && delimiter !== 0x20;
}

/** The X12 850 format for the parser registry; `parse` resolves to an {@link X12ParseResult}. */
export const x12OrderParser: FormatParser & { parse(body: Buffer, context: ParseContext): Promise<X12ParseResult> } = {
  format: 'x12-850',
  sniff: sniffX12,
  parse: parseX12Orders,
};
