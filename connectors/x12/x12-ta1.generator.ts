import { ValidationError } from '../../core/errors/validation.error';
import type { OutboundDocument } from '../connector';
import type { X12ParseResult } from './x12-850.parser';
import type { X12InterchangeHeader } from './x12-interchange-header';
import type { X12Issue, X12IssueCode } from './x12-segments';
import { outboundDocument, writeControlInterchange, type SegmentData, type X12OutboundOptions } from './x12-writer';

/**
 * TA104 (I17): A the header and trailer were received without errors; E accepted with errors
 * noted; R rejected because of errors.
 */
export type Ta1Status = 'A' | 'E' | 'R';

/**
 * TA105 (I18), the notes the hub writes: 000 no error; 001 IEA02 does not match ISA13; 004 bad
 * segment terminator; 005–008 bad sender/receiver qualifier or id; 010–020 a bad value in ISA01–ISA15
 * (014 date, 015 time, 017 version, 018 control number …); 021 IEA01 wrong; 022 invalid control
 * structure; 023 premature end of file; 024 invalid interchange content; 025 duplicate control
 * number; 026 bad element separator; 027 bad component separator.
 */
export type Ta1Note = string;

/** One TA1 segment: what it answers (the received ISA13, ISA09, ISA10) and how. */
export interface X12Ta1 {
  /** TA101: the received ISA13, nine digits. */
  readonly controlNumber: string;
  /** TA102: the received ISA09, YYMMDD. */
  readonly date: string;
  /** TA103: the received ISA10, HHMM. */
  readonly time: string;
  readonly status: Ta1Status;
  /** TA105: three digits. */
  readonly note: Ta1Note;
}

/** TA105 for an issue that makes the interchange unreadable (the envelope codes of x12-segments). */
const ISSUE_NOTES: Partial<Record<X12IssueCode, Ta1Note>> = {
  'x12.interchange_control_number': '001',
  'x12.segment_too_long': '004',
  'x12.interchange_count': '021',
  'x12.structure': '022',
  'x12.truncated': '023',
};

/** TA105 for an ISA element `readIsa` refuses (wrong width, not a number): ISA01 → 010 … ISA16 → 027. */
const ISA_ELEMENT_NOTES: Readonly<Record<number, Ta1Note>> = {
  1: '010',
  2: '011',
  3: '012',
  4: '013',
  5: '005',
  6: '006',
  7: '007',
  8: '008',
  9: '014',
  10: '015',
  11: '016',
  12: '017',
  13: '018',
  14: '019',
  15: '020',
  16: '027',
};

/** TA105 for a delimiter the ISA declares wrongly; X12 has no note for the repetition separator. */
const DELIMITER_NOTES: Readonly<Record<NonNullable<X12Issue['delimiter']>, Ta1Note>> = {
  element: '026',
  component: '027',
  segment: '004',
  repetition: '024',
};

/** Invalid interchange content: what is left when no more precise note fits (a limit of ours, say). */
const CONTENT_NOTE = '024';

function noteFor(issue: X12Issue | undefined): Ta1Note {
  if (!issue) return CONTENT_NOTE;
  if (issue.code === 'x12.separators') return issue.delimiter ? DELIMITER_NOTES[issue.delimiter] : CONTENT_NOTE;
  // An ISA refused as a whole (shorter than 106 characters) ends before it should.
  if (issue.code === 'x12.isa') return issue.element === undefined ? '023' : (ISA_ELEMENT_NOTES[issue.element] ?? CONTENT_NOTE);
  return ISSUE_NOTES[issue.code] ?? CONTENT_NOTE;
}

/** Refusals by our limits (`mapping.limits`), not by the standard: the content as a whole is refused. */
const LIMIT_CODES: ReadonlySet<string> = new Set(['document.too_large', 'document.too_many_segments']);

/** The TA1 rejecting an interchange that could not be read (`ok: false`), noting the first problem found. */
export function rejectionOf(result: X12ParseResult, header: X12InterchangeHeader): X12Ta1 {
  const note = result.code !== undefined && LIMIT_CODES.has(result.code) ? CONTENT_NOTE : noteFor(result.envelopeIssues?.[0]);
  return { controlNumber: header.controlNumber, date: header.date, time: header.time, status: 'R', note };
}

/** The TA1 accepting an interchange whose envelope was read without a problem (ISA14 asked for one). */
export function acceptanceOf(header: X12InterchangeHeader): X12Ta1 {
  return { controlNumber: header.controlNumber, date: header.date, time: header.time, status: 'A', note: '000' };
}

/** The TA1 segment, checked: every element of it is fixed-width and mandatory. */
export function ta1Segment(ta1: X12Ta1): SegmentData {
  const wrong = [
    ['controlNumber', ta1.controlNumber, /^\d{9}$/, 'nine digits (TA101)'],
    ['date', ta1.date, /^\d{6}$/, 'YYMMDD (TA102)'],
    ['time', ta1.time, /^\d{4}$/, 'HHMM (TA103)'],
    ['status', ta1.status, /^[AER]$/, 'A, E or R (TA104)'],
    ['note', ta1.note, /^\d{3}$/, 'three digits (TA105)'],
  ] as const;
  const details = wrong.filter(([, value, pattern]) => !pattern.test(value)).map(([path, , , message]) => ({ path, message: `must be ${message}` }));
  if (details.length > 0) throw new ValidationError('the TA1 cannot be written', details);
  return ['TA1', ta1.controlNumber, ta1.date, ta1.time, ta1.status, ta1.note];
}

/**
 * A TA1 interchange acknowledgment in an interchange of its own (ISA, TA1, IEA*0), numbered from
 * `options.controlNumbers` (only an ISA13 is drawn): the answer to an interchange no 997 can be
 * written for, because its envelope could not be read.
 *
 * @throws ValidationError when `ta1` is malformed or a party cannot be written, before any number is drawn.
 */
export async function generateTa1(ta1: X12Ta1, options: X12OutboundOptions): Promise<OutboundDocument> {
  const written = await writeControlInterchange([ta1Segment(ta1)], options);
  return { ...outboundDocument('TA1', written), format: 'x12-ta1' };
}
