import { HubError } from '../../core/errors/hub-error';
import type { OutboundDocument } from '../connector';
import type { X12GroupOutcome, X12ParseResult, X12SetOutcome } from './x12-850.parser';
import type { X12IssueCode } from './x12-segments';
import { ta1Segment, type X12Ta1 } from './x12-ta1.generator';
import { outboundDocument, text, writeInterchange, type SegmentData, type X12OutboundOptions } from './x12-writer';

/** AK5 AK502: why a set was rejected or noted. */
const SET_CODES: Partial<Record<X12IssueCode, string>> = {
  'x12.set_unsupported': '1',
  'x12.set_control_number': '3',
  'x12.set_count': '4',
  'x12.set_duplicate': '23',
};

/** AK9 AK905: why a group was rejected. */
const GROUP_CODES: Partial<Record<X12IssueCode, string>> = {
  'x12.group_version': '2',
  'x12.group_control_number': '4',
  'x12.group_count': '5',
};

/** AK3 AK304: what is wrong with a segment (8 = one of its elements, then named by AK4). */
const SEGMENT_CODES: Partial<Record<X12IssueCode, string>> = {
  'x12.segment_missing': '3',
  'x12.element_missing': '8',
  'x12.element_invalid': '8',
  'x12.value_dropped': '8',
  'x12.line_count': '8',
};

/** AK4 AK403: 1 mandatory element missing, 6 invalid character (the value does not parse). */
const ELEMENT_CODES: Partial<Record<X12IssueCode, string>> = {
  'x12.element_missing': '1',
  'x12.element_invalid': '6',
  'x12.value_dropped': '6',
  'x12.line_count': '6',
};

/** AK5/AK9 allow five codes after the status. */
const MAX_CODES = 5;
/** AK404 holds at most 99 characters of the bad value. */
const MAX_BAD_VALUE = 99;

const STATUS: Record<X12SetOutcome['status'], string> = { accepted: 'A', accepted_with_errors: 'E', rejected: 'R' };

function codes(issues: X12SetOutcome['issues'], table: Partial<Record<X12IssueCode, string>>): string[] {
  return [...new Set(issues.map((i) => table[i.code]).filter((c): c is string => c !== undefined))].slice(0, MAX_CODES);
}

function setAck(set: X12SetOutcome): SegmentData[] {
  const segments: SegmentData[] = [['AK2', set.id, set.controlNumber]];
  let segmentErrors = false;
  for (const issue of set.issues) {
    const code = SEGMENT_CODES[issue.code];
    if (!code || !issue.segment) continue;
    segmentErrors = true;
    segments.push(['AK3', issue.segment.tag, String(issue.segment.position - set.position + 1), undefined, code]);
    const elementCode = ELEMENT_CODES[issue.code];
    if (issue.element !== undefined && elementCode) segments.push(['AK4', String(issue.element), undefined, elementCode, text(issue.value, MAX_BAD_VALUE)]);
  }
  const setCodes = codes(set.issues, SET_CODES);
  if (segmentErrors && setCodes.length < MAX_CODES) setCodes.push('5');
  segments.push(['AK5', STATUS[set.status], ...(set.status === 'accepted' ? [] : setCodes)]);
  return segments;
}

function groupStatus(group: X12GroupOutcome, accepted: number): string {
  if (group.issues.length > 0) return 'R';
  if (group.sets.length > 0 && accepted === 0) return 'R';
  if (accepted < group.sets.length) return 'P';
  return group.sets.some((s) => s.status === 'accepted_with_errors') ? 'E' : 'A';
}

function groupAck(group: X12GroupOutcome, withVersion: boolean): SegmentData[] {
  const accepted = group.sets.filter((s) => s.status !== 'rejected').length;
  const declared = /^\d{1,6}$/.test(group.declaredSets) ? String(Number(group.declaredSets)) : String(group.sets.length);
  return [
    ['AK1', group.functionalId, group.controlNumber, ...(withVersion ? [group.version] : [])],
    ...group.sets.flatMap(setAck),
    ['AK9', groupStatus(group, accepted), declared, String(group.sets.length), String(accepted), ...codes(group.issues, GROUP_CODES)],
  ];
}

/**
 * A 997 functional acknowledgment for a parsed interchange: one 997 set per received functional
 * group (AK1, then AK2 … AK5 per transaction set with AK3/AK4 for each issue that names a segment
 * or element, then AK9 with the counts), all in one interchange with one GS*FA group.
 *
 * @param ta1 a TA1 answering the same interchange's envelope (its sender set ISA14 to 1), written
 *   between the ISA and the GS*FA group, so one document carries both answers.
 * @throws HubError `x12.nothing_to_acknowledge` when the interchange itself was unreadable
 *   (`ok: false`) or held no group: X12 answers those with a TA1 alone (`generateTa1`).
 */
export async function generate997(result: X12ParseResult, options: X12OutboundOptions, ta1?: X12Ta1): Promise<OutboundDocument> {
  if (!result.ok || result.groups.length === 0) {
    throw new HubError('x12.nothing_to_acknowledge', 'no functional group to acknowledge: an unreadable interchange is answered with a TA1', 'user', {
      details: result.issues,
    });
  }
  const withVersion = (options.version ?? '005010') === '005010';
  const sets = result.groups.map((group) => ({ id: '997', segments: groupAck(group, withVersion) }));
  return outboundDocument('997', await writeInterchange('FA', sets, options, ta1 ? [ta1Segment(ta1)] : []));
}
