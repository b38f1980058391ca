import type { ErrorDetail } from '../../core/errors/hub-error';

/**
 * ISO 9735 syntax error codes (data element 0085) that the hub reports in a CONTRL. Only the ones
 * it can detect are listed; see the service code list for 0085.
 */
export const SYNTAX_ERROR = {
  /** Syntax identifier or version not supported (UNB01). */
  syntaxNotSupported: '2',
  invalidValue: '12',
  missing: '13',
  valueNotSupported: '14',
  notSupportedInPosition: '15',
  tooManyConstituents: '16',
  unspecified: '18',
  /** Service characters in UNA that cannot be used as such. */
  invalidServiceCharacter: '20',
  invalidCharacter: '21',
  /** The same interchange (sender, recipient, control reference) was received before. */
  duplicateDetected: '26',
  /** Trailer reference (UNT02, UNE02, UNZ02) differs from its header's. */
  referencesDoNotMatch: '28',
  /** Trailer count (UNT01, UNE01, UNZ01) differs from what was received. */
  countDoesNotMatch: '29',
  groupsAndMessagesMixed: '30',
  lowerLevelEmpty: '32',
} as const;
export type SyntaxErrorCode = (typeof SYNTAX_ERROR)[keyof typeof SYNTAX_ERROR];

/** Where in the interchange a problem sits: enough for a person and for CONTRL's UCS/UCD. */
export interface EdifactLocation {
  /** Position of the segment in the interchange, UNB = 1 (UNA is advice, not a segment: 0). */
  readonly segment: number;
  readonly tag: string;
  /** Data element position after the tag, 1-based (`UNT01` is element 1). */
  readonly element?: number;
  /** Component position inside a composite element, 1-based. */
  readonly component?: number;
}

/**
 * An `ErrorDetail` that also says where it sits and which 0085 code a CONTRL reports for it, so
 * acknowledgements are built from the parse result alone, without reading the input again.
 */
export interface EdifactIssue extends ErrorDetail {
  readonly location?: EdifactLocation;
  readonly syntaxError: SyntaxErrorCode;
}

/** `segment 31 (UNT) UNT01`, `segment 7 (QTY) QTY01-2`: the path named in every issue. */
function locationPath(location: EdifactLocation): string {
  const { segment, tag, element, component } = location;
  if (tag === 'UNA') return `service string advice (UNA) character ${element ?? 1}`;
  if (element === undefined) return `segment ${segment} (${tag})`;
  const name = `${tag}${String(element).padStart(2, '0')}${component === undefined ? '' : `-${component}`}`;
  return `segment ${segment} (${tag}) ${name}`;
}

export function issueAt(location: EdifactLocation, code: string, syntaxError: SyntaxErrorCode, message: string): EdifactIssue {
  return { path: locationPath(location), code, message, location, syntaxError };
}

/** A problem with the document as a whole (size, encoding) that no segment can be blamed for. */
export function documentIssue(path: string, code: string, syntaxError: SyntaxErrorCode, message: string): EdifactIssue {
  return { path, code, message, syntaxError };
}

/** Input shown inside messages is cut, so an issue about a 5 MB "segment" stays readable. */
export function shown(text: string, max = 24): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
