import type { X12Issue, X12Segment, X12Separators } from './x12-segments';

export interface ReaderLimits {
  readonly maxSegments: number;
  readonly maxSegmentLength: number;
}

export type SegmentsRead =
  | { readonly ok: true; readonly segments: readonly X12Segment[] }
  | { readonly ok: false; readonly code: 'x12.envelope' | 'document.too_many_segments'; readonly issues: readonly X12Issue[] };

/** Line breaks and indentation between segments are layout, not data (pretty-printed files are common). */
function isLayout(code: number): boolean {
  return code === 10 || code === 13 || code === 32 || code === 9;
}

/** A segment ID: a capital letter then one or two capitals or digits (N1, PO1, BEG). */
function isSegmentId(tag: string): boolean {
  if (tag.length < 2 || tag.length > 3) return false;
  for (let i = 0; i < tag.length; i += 1) {
    const c = tag.charCodeAt(i);
    const letter = c >= 65 && c <= 90;
    if (!(letter || (i > 0 && c >= 48 && c <= 57))) return false;
  }
  return true;
}

function tooLong(position: number, separators: X12Separators, limit: number): SegmentsRead {
  return {
    ok: false,
    code: 'x12.envelope',
    issues: [
      {
        code: 'x12.segment_too_long',
        path: `segment ${position}`,
        message: `no segment terminator ${JSON.stringify(separators.segment)} within ${limit} characters: the terminator is wrong or the data is not X12`,
      },
    ],
  };
}

/**
 * Splits everything after the ISA into segments, one `indexOf` per segment: linear time, no regular
 * expressions, and it stops at the first sign of garbage (an overlong segment, a tag that is not a
 * segment ID) or at `maxSegments`, so hostile input is refused before it can fill memory.
 *
 * Only the IEA may lack its terminator (editors often drop the final one; an IEA cut short still
 * fails the IEA02 check); any other segment without one means truncation or a wrong terminator.
 */
export function readSegments(text: string, from: number, separators: X12Separators, limits: ReaderLimits): SegmentsRead {
  const segments: X12Segment[] = [];
  let at = from;
  let position = 1;
  for (;;) {
    while (at < text.length && isLayout(text.charCodeAt(at))) at += 1;
    if (at >= text.length) return { ok: true, segments };
    position += 1;
    if (position > limits.maxSegments) {
      return {
        ok: false,
        code: 'document.too_many_segments',
        issues: [{ code: 'x12.structure', path: `segment ${position}`, message: `more than ${limits.maxSegments} segments (mapping.limits.maxSegments)` }],
      };
    }
    const terminator = text.indexOf(separators.segment, at);
    const end = terminator === -1 ? text.length : terminator;
    if (end - at > limits.maxSegmentLength) return tooLong(position, separators, limits.maxSegmentLength);
    const elements = text.slice(at, end).split(separators.element);
    const tag = elements[0]!;
    if (!isSegmentId(tag)) {
      return {
        ok: false,
        code: 'x12.envelope',
        issues: [
          {
            code: 'x12.structure',
            path: `segment ${position}`,
            message: `${JSON.stringify(tag.slice(0, 20))} is not a segment ID: the separators declared in the ISA do not fit the data`,
          },
        ],
      };
    }
    if (terminator === -1 && tag !== 'IEA') {
      return {
        ok: false,
        code: 'x12.envelope',
        issues: [
          {
            code: 'x12.truncated',
            path: `segment ${position} (${tag})`,
            message: `the document ends inside this segment, before the segment terminator ${JSON.stringify(separators.segment)} the ISA declares: truncated, or the terminator is not the one declared`,
          },
        ],
      };
    }
    segments.push({ tag, elements, position });
    at = end + 1;
  }
}
