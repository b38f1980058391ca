import { ValidationError } from '../../core/errors/validation.error';
import type { OutboundDocument } from '../connector';
import type { EdifactEnvelopeSummary, EdifactMessageSummary } from './edifact.envelope';
import { SYNTAX_ERROR, type EdifactIssue } from './edifact.issue';
import type { EdifactParseResult } from './edifact-orders.parser';
import { writeInterchange, type EdifactOutboundOptions, type OutSegment } from './edifact.writer';

export interface ContrlOptions extends Omit<EdifactOutboundOptions, 'version'> {
  /**
   * The interchange (sender, receiver, control number) was received before: it is rejected whole
   * with 0085 code 26 (duplicate detected) and nothing in it is taken again.
   * @defaultValue false
   */
  readonly duplicate?: boolean;
}

/** 0083 action codes: 7 this level and all lower levels acknowledged unless rejected below, 4 rejected. */
const ACKNOWLEDGED = '7';
const REJECTED = '4';
/** CONTRL of syntax version 3 (ISO 9735-4 reproduced as D:3), which version 4 receivers also read. */
const CONTRL_IDENTIFIER = ['CONTRL', 'D', '3', 'UN'] as const;
/** SG2 (UCS) repeats at most 999 times per message, UCD at most 99 times per UCS. */
const MAX_UCS = 999;
const MAX_UCD = 99;
const INTERCHANGE_TAGS: ReadonlySet<string> = new Set(['UNA', 'UNB', 'UNZ']);
const MESSAGE_TAGS: ReadonlySet<string> = new Set(['UNH', 'UNT']);

/**
 * The syntax and service report (CONTRL) for one received interchange: UCI accepting (7) or
 * rejecting (4) it with the interchange-level error, a UCF per functional group if it had any,
 * and a UCM per message, rejected ones with a UCS per failing segment (position counted from
 * UNH = 1) and a UCD per failing element. Written from the parse result alone.
 *
 * @throws ValidationError (`edifact.contrl_unaddressable`) when the input had no readable UNB:
 *   there is no sender to answer and no control reference to refer to.
 */
export async function generateContrl(result: EdifactParseResult, options: ContrlOptions): Promise<OutboundDocument> {
  const envelope = result.envelope;
  if (!envelope) {
    throw new ValidationError('no CONTRL can be addressed: the interchange header (UNB) could not be read', result.issues, 'edifact.contrl_unaddressable');
  }
  const body = options.duplicate ? [uci(envelope, REJECTED, { syntaxError: SYNTAX_ERROR.duplicateDetected })] : report(result, envelope);
  return writeInterchange('edifact-contrl', 'CONTRL', () => [{ identifier: CONTRL_IDENTIFIER, body }], options);
}

function report(result: EdifactParseResult, envelope: EdifactEnvelopeSummary): OutSegment[] {
  const byMessage = new Map<EdifactMessageSummary, EdifactIssue[]>(envelope.messages.map((m) => [m, []]));
  const interchangeIssues: EdifactIssue[] = [];
  const groupIssues = new Map<string, EdifactIssue[]>();
  for (const issue of result.issues) {
    const message = envelope.messages.find((m) => contains(m, issue));
    const group = issue.location && ['UNG', 'UNE'].includes(issue.location.tag) ? groupAt(envelope, issue.location.segment) : undefined;
    if (message) byMessage.get(message)!.push(issue);
    else if (group) groupIssues.set(group, [...(groupIssues.get(group) ?? []), issue]);
    else interchangeIssues.push(issue);
  }
  // The parser makes one order per message, in order; the ref check guards that pairing.
  result.orders.forEach((order, i) => {
    const message = envelope.messages[i];
    if (message && order.ref === `UNH=${message.ref}`) byMessage.get(message)!.push(...order.issues);
  });

  const rejected = !result.ok;
  const first = interchangeIssues.find((i) => !i.location || INTERCHANGE_TAGS.has(i.location.tag)) ?? interchangeIssues[0];
  const segments: OutSegment[] = [uci(envelope, rejected ? REJECTED : ACKNOWLEDGED, first)];
  // A rejected interchange names only what failed below it; an accepted one answers every message.
  const listed = (m: EdifactMessageSummary): boolean => !rejected || byMessage.get(m)!.length > 0;
  if (envelope.groups.length === 0) {
    for (const message of envelope.messages.filter(listed)) segments.push(...ucm(message, byMessage.get(message)!));
    return segments;
  }
  for (const group of envelope.groups) {
    const messages = envelope.messages.filter((m) => m.groupRef === group.ref);
    const issues = groupIssues.get(group.ref) ?? [];
    const failed = issues.length > 0 || messages.some((m) => byMessage.get(m)!.length > 0);
    if (rejected && !failed) continue;
    segments.push(['UCF', group.ref, group.sender, group.recipient, rejected || issues.length > 0 ? REJECTED : ACKNOWLEDGED, ...errorElements(issues[0])]);
    for (const message of messages.filter(listed)) segments.push(...ucm(message, byMessage.get(message)!));
  }
  return segments;
}

function uci(envelope: EdifactEnvelopeSummary, action: string, issue?: Pick<EdifactIssue, 'syntaxError' | 'location'>): OutSegment {
  return ['UCI', envelope.controlNumber, envelope.sender, envelope.recipient, action, ...errorElements(issue, INTERCHANGE_TAGS)];
}

/** 0085, 0135 (the service segment's tag) and S011 (element:component) of an error at this level. */
function errorElements(issue: Pick<EdifactIssue, 'syntaxError' | 'location'> | undefined, serviceTags?: ReadonlySet<string>): OutSegment[number][] {
  if (!issue) return [];
  const location = issue.location;
  const tag = location && (!serviceTags || serviceTags.has(location.tag)) ? location.tag : undefined;
  const element = tag && location?.element !== undefined ? [String(location.element), location.component === undefined ? undefined : String(location.component)] : undefined;
  return [issue.syntaxError, tag, element];
}

/** UCM for one message; when rejected, its UNH/UNT error in the UCM itself and the rest as UCS/UCD. */
function ucm(message: EdifactMessageSummary, issues: readonly EdifactIssue[]): OutSegment[] {
  if (issues.length === 0) return [['UCM', message.ref, message.identifier.slice(0, 5), ACKNOWLEDGED]];
  const trailer = issues.find((i) => i.location && MESSAGE_TAGS.has(i.location.tag));
  const segments: OutSegment[] = [['UCM', message.ref, message.identifier.slice(0, 5), REJECTED, ...errorElements(trailer, MESSAGE_TAGS)]];
  const bySegment = new Map<number, EdifactIssue[]>();
  for (const issue of issues) {
    if (issue === trailer || !issue.location) continue;
    const position = issue.location.segment - message.position + 1;
    bySegment.set(position, [...(bySegment.get(position) ?? []), issue]);
  }
  for (const [position, found] of [...bySegment].sort(([a], [b]) => a - b).slice(0, MAX_UCS)) {
    const whole = found.find((i) => i.location!.element === undefined);
    segments.push(['UCS', String(position), whole?.syntaxError]);
    for (const issue of found.filter((i) => i.location!.element !== undefined).slice(0, MAX_UCD)) {
      const { element, component } = issue.location!;
      segments.push(['UCD', issue.syntaxError, [String(element), component === undefined ? undefined : String(component)]]);
    }
  }
  return segments;
}

/** The message an issue sits in, including a trailer missing just past its last segment. */
function contains(message: EdifactMessageSummary, issue: EdifactIssue): boolean {
  const at = issue.location?.segment;
  if (at === undefined) return false;
  const last = message.position + message.segmentCount - 1;
  if (at >= message.position && at <= last) return true;
  return at === last + 1 && issue.location!.tag === 'UNT';
}

/** The group whose UNG is the last one at or before `position`. */
function groupAt(envelope: EdifactEnvelopeSummary, position: number): string | undefined {
  return envelope.groups.filter((g) => g.position <= position).at(-1)?.ref;
}
