import { issueAt, shown, SYNTAX_ERROR, type EdifactIssue } from './edifact.issue';
import type { ServiceCharacters } from './edifact.service-string';

/** One segment as read: release characters already removed, nothing interpreted. */
export interface Segment {
  readonly tag: string;
  /** Data elements after the tag, each a list of its components (a simple element has one). */
  readonly elements: readonly (readonly string[])[];
  /** Position in the interchange, UNB = 1. */
  readonly position: number;
}

export interface TokenizeLimits {
  /** More segments than this and reading stops: a bound on memory whatever the input. */
  readonly maxSegments: number;
}

/** Segments read before any problem, so the envelope can still be identified for a CONTRL. */
export interface Tokens {
  readonly segments: readonly Segment[];
  readonly issue?: EdifactIssue;
  /** True when reading stopped at `maxSegments`. */
  readonly tooMany?: boolean;
}

/** Segment tags are three upper-case letters or digits, starting with a letter (ISO 9735-1 §8). */
const TAG = /^[A-Z][A-Z0-9]{2}$/;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

/**
 * Splits an interchange into segments in one pass over the text, with no regular expression on
 * the input (so no backtracking), slicing runs between service characters rather than building
 * strings a character at a time. Line breaks and blanks between segments are layout and skipped.
 */
export function tokenize(text: string, start: number, chars: ServiceCharacters, limits: TokenizeLimits): Tokens {
  const component = chars.component.charCodeAt(0);
  const element = chars.element.charCodeAt(0);
  const terminator = chars.terminator.charCodeAt(0);
  const release = chars.release === undefined ? -1 : chars.release.charCodeAt(0);
  const layout = (c: number): boolean => (c === CR || c === LF || c === SPACE || c === TAB) && c !== component && c !== element && c !== terminator;

  const segments: Segment[] = [];
  const n = text.length;
  let i = start;
  for (;;) {
    while (i < n && layout(text.charCodeAt(i))) i++;
    if (i >= n) return { segments };
    const position = segments.length + 1;
    if (position > limits.maxSegments) {
      return { segments, tooMany: true, issue: issueAt({ segment: position, tag: text.slice(i, i + 3) }, 'document.too_large', SYNTAX_ERROR.unspecified, `more than ${limits.maxSegments} segments`) };
    }

    const elements: string[][] = [];
    let components: string[] = [];
    let value = '';
    let run = i;
    let closed = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === release) {
        if (i + 1 >= n) break;
        value += text.slice(run, i) + text[i + 1];
        i += 2;
        run = i;
      } else if (c === component) {
        components.push(value + text.slice(run, i));
        value = '';
        run = ++i;
      } else if (c === element || c === terminator) {
        components.push(value + text.slice(run, i));
        elements.push(components);
        components = [];
        value = '';
        run = ++i;
        if (c === terminator) {
          closed = true;
          break;
        }
      } else {
        i++;
      }
    }

    const tag = elements[0]?.[0] ?? text.slice(run, Math.min(n, run + 3));
    if (!closed) {
      return { segments, issue: issueAt({ segment: position, tag: TAG.test(tag) ? tag : '???' }, 'edifact.syntax', SYNTAX_ERROR.missing, 'the input ends inside this segment (no segment terminator): truncated') };
    }
    if (!TAG.test(tag) || elements[0]!.length > 1) {
      return { segments, issue: issueAt({ segment: position, tag: '???' }, 'edifact.syntax', SYNTAX_ERROR.invalidValue, `${shown(tag)} is not a segment tag`) };
    }
    segments.push({ tag, elements: elements.slice(1), position });
  }
}
