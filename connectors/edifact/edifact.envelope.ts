import { SYNTAX_IDENTIFIERS } from './edifact.charset';
import { issueAt, shown, SYNTAX_ERROR, type EdifactIssue, type SyntaxErrorCode } from './edifact.issue';
import type { Segment } from './edifact.tokenizer';

/** A functional group (UNG … UNE). */
export interface EdifactGroup {
  /** UNG05, group reference number. */
  readonly ref: string;
  /** Position of UNG in the interchange. */
  readonly position: number;
  /** UNG02 and UNG03 components, as sent. */
  readonly sender: readonly string[];
  readonly recipient: readonly string[];
}

/** A message (UNH … UNT) with the segments between, trailer included. */
export interface EdifactMessage {
  /** UNH01, message reference number. */
  readonly ref: string;
  /** UNH02 components: type, version, release, agency, association code. */
  readonly identifier: readonly string[];
  /** Position of UNH in the interchange. */
  readonly position: number;
  /** UNH … UNT inclusive; without UNT when the input stopped first. */
  readonly segments: readonly Segment[];
  readonly groupRef?: string;
}

/** What the envelope says, kept on the parse result so a CONTRL can be written from it alone. */
export interface EdifactEnvelope {
  /** UNB01: syntax identifier and version. */
  readonly syntax: { readonly identifier: string; readonly version: string };
  /** UNB02 and UNB03 components: identification, code qualifier, internal id, sub-id. */
  readonly sender: readonly string[];
  readonly recipient: readonly string[];
  /** UNB05, interchange control reference. */
  readonly controlNumber: string;
  readonly groups: readonly EdifactGroup[];
  readonly messages: readonly EdifactMessage[];
}

/** A message as the parse result keeps it: identity and extent, not its segments. */
export type EdifactMessageSummary = Omit<EdifactMessage, 'segments'> & {
  /** Segments UNH … UNT inclusive as received; a CONTRL's UCS positions count from UNH = 1. */
  readonly segmentCount: number;
};

export type EdifactEnvelopeSummary = Omit<EdifactEnvelope, 'messages'> & { readonly messages: readonly EdifactMessageSummary[] };

export function summariseEnvelope(envelope: EdifactEnvelope): EdifactEnvelopeSummary {
  return { ...envelope, messages: envelope.messages.map(({ segments, ...message }) => ({ ...message, segmentCount: segments.length })) };
}

export interface EnvelopeReading {
  /** Absent when not even UNB could be read. */
  readonly envelope?: EdifactEnvelope;
  /** Every envelope problem; any one of them means nothing in the interchange is taken. */
  readonly issues: readonly EdifactIssue[];
}

/** Trailer counts (UNT01 n..10, UNE01 and UNZ01 n..6): digits only, so Number() is exact. */
const COUNT = /^\d{1,10}$/;
/** Past this many envelope problems the rest say nothing new; reading stops, bounding the result's size. */
const MAX_ISSUES = 100;
const ENVELOPE_TAGS: ReadonlySet<string> = new Set(['UNB', 'UNG', 'UNH', 'UNT', 'UNE', 'UNZ']);

/**
 * Checks the interchange structure (ISO 9735-1 §§ 6, 9): UNB … UNZ around either messages or
 * functional groups of messages, each trailer's count and reference against what came before.
 * With `complete` false (the tokenizer stopped early) only the identification is taken and no
 * missing-trailer issue is raised, since the tokenizer's issue already says why.
 */
export function readEnvelope(segments: readonly Segment[], complete = true): EnvelopeReading {
  const issues: EdifactIssue[] = [];
  const at = (segment: Segment, element: number | undefined, component: number | undefined, code: SyntaxErrorCode, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push(issueAt({ segment: segment.position, tag: segment.tag, element, component }, 'edifact.envelope', code, message));
  };
  const unb = segments[0];
  if (!unb) return { issues };
  if (unb.tag !== 'UNB') {
    at(unb, undefined, undefined, SYNTAX_ERROR.missing, `an interchange starts with UNB, not ${unb.tag}`);
    return { issues };
  }

  const syntax = { identifier: value(unb, 1, 1), version: value(unb, 1, 2) };
  const envelope = { syntax, sender: unb.elements[1] ?? [], recipient: unb.elements[2] ?? [], controlNumber: value(unb, 5, 1) };
  if (!SYNTAX_IDENTIFIERS.includes(syntax.identifier)) at(unb, 1, 1, SYNTAX_ERROR.syntaxNotSupported, `syntax identifier ${shown(syntax.identifier)} is not one of UNOA … UNOY`);
  if (!/^[1-4]$/.test(syntax.version)) at(unb, 1, 2, SYNTAX_ERROR.syntaxNotSupported, `syntax version ${shown(syntax.version)} is not 1 … 4`);
  if (value(unb, 2, 1) === '') at(unb, 2, 1, SYNTAX_ERROR.missing, 'interchange sender is missing');
  if (value(unb, 3, 1) === '') at(unb, 3, 1, SYNTAX_ERROR.missing, 'interchange recipient is missing');
  if (envelope.controlNumber === '') at(unb, 5, undefined, SYNTAX_ERROR.missing, 'interchange control reference is missing');

  const groups: EdifactGroup[] = [];
  const messages: EdifactMessage[] = [];
  let group: { ref: string; messages: number } | undefined;
  let message: { unh: Segment; segments: Segment[] } | undefined;
  let unz: Segment | undefined;

  const closeMessage = (unt: Segment | undefined): void => {
    if (!message) return;
    const { unh } = message;
    messages.push({ ref: value(unh, 1, 1), identifier: unh.elements[1] ?? [], position: unh.position, segments: message.segments, groupRef: group?.ref });
    if (group) group.messages++;
    message = undefined;
    if (!unt) return;
    const count = value(unt, 1, 1);
    const received = unt.position - unh.position + 1;
    if (!COUNT.test(count) || Number(count) !== received) at(unt, 1, undefined, SYNTAX_ERROR.countDoesNotMatch, `UNT01 says ${shown(count)} segments but the message has ${received} (UNH … UNT)`);
    if (value(unt, 2, 1) !== value(unh, 1, 1)) at(unt, 2, undefined, SYNTAX_ERROR.referencesDoNotMatch, `UNT02 ${shown(value(unt, 2, 1))} differs from UNH01 ${shown(value(unh, 1, 1))}`);
  };

  for (const segment of segments.slice(1)) {
    if (issues.length >= MAX_ISSUES) break;
    if (unz) {
      at(segment, undefined, undefined, SYNTAX_ERROR.notSupportedInPosition, `${segment.tag} after UNZ: one interchange per document`);
      break;
    }
    if (message && !ENVELOPE_TAGS.has(segment.tag)) {
      message.segments.push(segment);
      continue;
    }
    if (message && segment.tag !== 'UNT') {
      at(segment, undefined, undefined, SYNTAX_ERROR.missing, `${segment.tag} before the UNT of message ${shown(value(message.unh, 1, 1))} (segment ${message.unh.position})`);
      closeMessage(undefined);
    }
    switch (segment.tag) {
      case 'UNH':
        if (value(segment, 1, 1) === '') at(segment, 1, undefined, SYNTAX_ERROR.missing, 'message reference number is missing');
        if (groups.length > 0 && !group) at(segment, undefined, undefined, SYNTAX_ERROR.groupsAndMessagesMixed, 'a message outside a functional group in an interchange that has groups');
        message = { unh: segment, segments: [segment] };
        break;
      case 'UNT':
        if (!message) {
          at(segment, undefined, undefined, SYNTAX_ERROR.notSupportedInPosition, 'UNT without UNH');
          break;
        }
        message.segments.push(segment);
        closeMessage(segment);
        break;
      case 'UNG':
        if (group) at(segment, undefined, undefined, SYNTAX_ERROR.missing, `UNG before the UNE of group ${shown(group.ref)}`);
        if (groups.length === 0 && messages.length > 0) at(segment, undefined, undefined, SYNTAX_ERROR.groupsAndMessagesMixed, 'a functional group after messages outside any group');
        group = { ref: value(segment, 5, 1), messages: 0 };
        groups.push({ ref: group.ref, position: segment.position, sender: segment.elements[1] ?? [], recipient: segment.elements[2] ?? [] });
        break;
      case 'UNE':
        if (!group) {
          at(segment, undefined, undefined, SYNTAX_ERROR.notSupportedInPosition, 'UNE without UNG');
          break;
        }
        checkCount(segment, group.messages, 'messages in the group', at);
        if (value(segment, 2, 1) !== group.ref) at(segment, 2, undefined, SYNTAX_ERROR.referencesDoNotMatch, `UNE02 ${shown(value(segment, 2, 1))} differs from UNG05 ${shown(group.ref)}`);
        group = undefined;
        break;
      case 'UNZ':
        if (group) at(segment, undefined, undefined, SYNTAX_ERROR.missing, `UNZ before the UNE of group ${shown(group.ref)}`);
        unz = segment;
        break;
      case 'UNB':
        at(segment, undefined, undefined, SYNTAX_ERROR.notSupportedInPosition, 'a second UNB: one interchange per document');
        break;
      default:
        at(segment, undefined, undefined, SYNTAX_ERROR.notSupportedInPosition, `${segment.tag} outside a message (UNH … UNT)`);
    }
  }

  if (message) {
    const open = message.unh;
    closeMessage(undefined);
    if (complete) at(nextAfter(segments), undefined, undefined, SYNTAX_ERROR.missing, `message ${shown(value(open, 1, 1))} (segment ${open.position}) has no UNT: truncated`);
  }
  if (unz) {
    checkCount(unz, groups.length > 0 ? groups.length : messages.length, groups.length > 0 ? 'functional groups' : 'messages', at);
    if (value(unz, 2, 1) !== envelope.controlNumber) at(unz, 2, undefined, SYNTAX_ERROR.referencesDoNotMatch, `UNZ02 ${shown(value(unz, 2, 1))} differs from UNB05 ${shown(envelope.controlNumber)}`);
  } else if (complete) {
    const missing = nextAfter(segments, 'UNZ');
    if (!issues.some((i) => i.location?.segment === missing.position)) at(missing, undefined, undefined, SYNTAX_ERROR.missing, 'the interchange has no UNZ: truncated');
  }
  if (complete && messages.length === 0 && issues.length === 0) at(unz ?? unb, undefined, undefined, SYNTAX_ERROR.lowerLevelEmpty, 'the interchange holds no message');

  return { envelope: { ...envelope, groups, messages }, issues };
}

/** Component `component` of element `element` (both 1-based), '' when absent. */
export function value(segment: Segment, element: number, component = 1): string {
  return segment.elements[element - 1]?.[component - 1] ?? '';
}

function checkCount(
  segment: Segment,
  received: number,
  what: string,
  at: (segment: Segment, element: number, component: number | undefined, code: SyntaxErrorCode, message: string) => void,
): void {
  const count = value(segment, 1, 1);
  if (!COUNT.test(count) || Number(count) !== received) at(segment, 1, undefined, SYNTAX_ERROR.countDoesNotMatch, `${segment.tag}01 says ${shown(count)} but there are ${received} ${what}`);
}

/** The position a missing trailer would have had: one past the last segment read. */
function nextAfter(segments: readonly Segment[], tag = 'UNT'): Segment {
  return { tag, elements: [], position: (segments.at(-1)?.position ?? 0) + 1 };
}
