import type { ErrorDetail } from '../../core/errors/hub-error';

/** The four delimiters an interchange declares in its ISA. */
export interface X12Separators {
  readonly element: string;
  readonly component: string;
  /** ISA11 from version 00402 on; before that ISA11 is the standards identifier ('U') and nothing repeats. */
  readonly repetition?: string;
  readonly segment: string;
}

/** One segment as read: `elements[0]` is the tag, so `elements[3]` is TAG03. */
export interface X12Segment {
  readonly tag: string;
  readonly elements: readonly string[];
  /** 1-based position in the interchange (ISA = 1): what issue paths name. */
  readonly position: number;
}

/**
 * Stable issue codes. The 997 generator turns them into AK3/AK4/AK5/AK9 codes and the TA1
 * generator the interchange-level ones into TA105 notes, so a new code needs a row there too.
 */
export type X12IssueCode =
  | 'x12.isa'
  | 'x12.separators'
  | 'x12.structure'
  | 'x12.truncated'
  | 'x12.segment_too_long'
  | 'x12.interchange_count'
  | 'x12.interchange_control_number'
  | 'x12.group_version'
  | 'x12.group_count'
  | 'x12.group_control_number'
  | 'x12.set_unsupported'
  | 'x12.set_count'
  | 'x12.set_control_number'
  | 'x12.set_duplicate'
  | 'x12.group_rejected'
  | 'x12.segment_missing'
  | 'x12.element_missing'
  | 'x12.element_invalid'
  | 'x12.line_count'
  | 'x12.value_dropped';

/** An ErrorDetail that also says, for the 997, which segment and element it is about. */
export interface X12Issue extends ErrorDetail {
  readonly code: X12IssueCode;
  readonly segment?: { readonly tag: string; readonly position: number };
  /** Element position in the segment (PO102 → 2), when one element is at fault. */
  readonly element?: number;
  /** The offending value as received, for AK404. */
  readonly value?: string;
  /** For `x12.separators`: which delimiter the ISA declares wrongly (TA1 TA105 names it). */
  readonly delimiter?: X12Delimiter;
}

export type X12Delimiter = 'element' | 'component' | 'repetition' | 'segment';

/** The element's value with surrounding spaces removed; '' when the segment is shorter. */
export function elementAt(segment: X12Segment, index: number): string {
  return (segment.elements[index] ?? '').trim();
}

/** `PO1`, 2 → `PO102`: the X12 reference designator. */
export function designator(tag: string, index: number): string {
  return `${tag}${String(index).padStart(2, '0')}`;
}

/** `segment 14 (SE) SE01`: the path an issue names, findable in the file by counting segments. */
export function segmentPath(segment: Pick<X12Segment, 'tag' | 'position'>, index?: number): string {
  const at = `segment ${segment.position} (${segment.tag})`;
  return index === undefined ? at : `${at} ${designator(segment.tag, index)}`;
}

/** An issue about a whole segment or one of its elements. */
export function segmentIssue(code: X12IssueCode, segment: X12Segment, message: string, index?: number): X12Issue {
  const where = { tag: segment.tag, position: segment.position };
  if (index === undefined) return { code, path: segmentPath(segment), message, segment: where };
  return { code, path: segmentPath(segment, index), message, segment: where, element: index, value: elementAt(segment, index) };
}

/** The plain ErrorDetail handed to the pipeline (the 997 keeps the rest). */
export function toDetail(issue: X12Issue): ErrorDetail {
  return { path: issue.path, message: issue.message, code: issue.code };
}
