import type { ErrorDetail } from '../../core/errors/hub-error';
import { elementAt, segmentIssue, type X12Issue, type X12Segment } from './x12-segments';

interface Source {
  readonly segment: X12Segment;
  readonly element?: number;
  /** What to tell the partner beyond the schema's message (which qualifier was looked for …). */
  readonly hint?: string;
  /** The field was looked for and not found: the element named holds something else, or nothing. */
  readonly missing?: boolean;
}

/** `lines[0].quantity` → `lines[0]` → `lines` → `` */
function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/**
 * Remembers which segment and element each draft field was read from, so a schema failure on
 * `lines[2].quantity` is reported where the partner can find it: `segment 20 (PO1) PO102`.
 */
export class DraftSources {
  private readonly sources = new Map<string, Source>();

  /**
   * @param root where issues without a closer source point: the set's ST
   * @param tracing whether to record sources; off on the first pass, which nearly always succeeds
   */
  constructor(
    readonly root: X12Segment,
    private readonly tracing: boolean,
  ) {}

  /** The element's value (through `convert` when given), or undefined when empty; records its source. */
  read(path: string, segment: X12Segment, element: number, convert?: (raw: string) => string): string | undefined {
    if (this.tracing) this.sources.set(path, { segment, element });
    const raw = elementAt(segment, element);
    if (raw === '') return undefined;
    return convert ? convert(raw) : raw;
  }

  /** Records the source of a field built from a whole segment or from several elements. */
  note(path: string, segment: X12Segment, hint?: string): void {
    if (this.tracing) this.sources.set(path, { segment, ...(hint === undefined ? {} : { hint }) });
  }

  /** Records where a field should have been and why it was not found there. */
  noteMissing(path: string, segment: X12Segment, element: number, hint: string): void {
    if (this.tracing) this.sources.set(path, { segment, element, hint, missing: true });
  }

  /** A schema failure at `detail.path`, restated at the X12 location it came from. */
  locate(detail: ErrorDetail): X12Issue {
    let path = detail.path;
    let source = this.sources.get(path);
    while (!source && path !== '') {
      path = parentPath(path);
      source = this.sources.get(path);
    }
    const { segment, element, hint, missing } = source ?? { segment: this.root };
    const field = detail.path === '' ? 'order' : detail.path;
    const raw = element === undefined || missing ? '' : elementAt(segment, element);
    const message = `${field}: ${detail.message}${raw === '' ? '' : ` (got ${JSON.stringify(raw)})`}${hint ? `; ${hint}` : ''}`;
    if (element === undefined) return segmentIssue('x12.segment_missing', segment, message);
    return segmentIssue(raw === '' ? 'x12.element_missing' : 'x12.element_invalid', segment, message, element);
  }
}
