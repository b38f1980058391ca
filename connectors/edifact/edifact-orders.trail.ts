import { issueAt, type EdifactIssue, type EdifactLocation, type SyntaxErrorCode } from './edifact.issue';
import type { Segment } from './edifact.tokenizer';

/** Where in a segment: `at(seg, 4, 1)` is element 4, component 1. */
export function at(segment: Segment, element?: number, component?: number): EdifactLocation {
  return { segment: segment.position, tag: segment.tag, element, component };
}

/**
 * What reading one message leaves behind besides the draft: its issues, and where each draft field
 * came from, so a problem the canonical schema finds later (`lines[2].quantity` must be positive)
 * is still reported at the segment and element that carried it.
 */
export class DraftTrail {
  readonly issues: EdifactIssue[] = [];
  /** Kept as a list: looked up only when the schema refuses something, which is the rare case. */
  private readonly origins: [string, EdifactLocation][] = [];
  private readonly reported = new Set<string>();

  constructor(private readonly fallback: EdifactLocation) {}

  /** Notes that draft field `path` came from `location`; returns `value` for inline use. */
  from<T>(path: string, location: EdifactLocation, value: T): T {
    if (value !== undefined) this.origins.push([path, location]);
    return value;
  }

  /** A problem the reader found itself; the schema's own finding on `path` is then not repeated. */
  issue(path: string, location: EdifactLocation, syntaxError: SyntaxErrorCode, message: string, code = 'edifact.content'): void {
    this.issues.push(issueAt(location, code, syntaxError, message));
    this.reported.add(path);
  }

  /** True when `path` or a field above it already has an issue. */
  alreadyReported(path: string): boolean {
    for (let p: string | undefined = path; p !== undefined; p = parent(p)) if (this.reported.has(p)) return true;
    return false;
  }

  /** The origin of `path` or of the nearest field above it; the UNH when nothing closer is known. */
  locate(path: string): EdifactLocation {
    for (let p: string | undefined = path; p !== undefined; p = parent(p)) {
      const origin = this.origins.find(([known]) => known === p);
      if (origin) return origin[1];
    }
    return this.fallback;
  }
}

/** `lines[2].quantity` → `lines[2]` → `lines` → undefined. */
function parent(path: string): string | undefined {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : undefined;
}
