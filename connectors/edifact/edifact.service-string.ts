import { issueAt, SYNTAX_ERROR, type EdifactIssue } from './edifact.issue';

/** The six characters an interchange is written with (ISO 9735-1 §7, UNA service string advice). */
export interface ServiceCharacters {
  readonly component: string;
  readonly element: string;
  /** '.' or ','; amounts are normalised to '.' whichever the sender declares. */
  readonly decimal: string;
  /** Absent where the syntax level has none (level B) or UNA declares a space. */
  readonly release: string | undefined;
  /** Repetition separator in syntax version 4, reserved (space) before; read as data (see README). */
  readonly repetition: string;
  readonly terminator: string;
}

/** Level A defaults, used when there is no UNA and UNB is followed by '+'. */
export const LEVEL_A: ServiceCharacters = { component: ':', element: '+', decimal: '.', release: '?', repetition: ' ', terminator: "'" };

/** UNOB without UNA: information separators IS1, IS3, IS4 (ISO 9735-1 annex A); level B has no release character. */
const LEVEL_B: ServiceCharacters = { component: '\x1F', element: '\x1D', decimal: '.', release: undefined, repetition: ' ', terminator: '\x1C' };

export type ServiceString =
  | { readonly ok: true; readonly chars: ServiceCharacters; /** index of the first segment (UNB) */ readonly start: number }
  | { readonly ok: false; readonly issue: EdifactIssue };

const UNA_LENGTH = 9;

/**
 * Reads the service characters at `at` (after any BOM and leading white space): a UNA if present,
 * otherwise the defaults of the syntax level the character after `UNB` reveals.
 */
export function readServiceString(text: string, at: number): ServiceString {
  if (text.startsWith('UNA', at)) return readUna(text, at);
  if (!text.startsWith('UNB', at)) {
    const tag = /^[A-Z][A-Z0-9]{2}$/.test(text.slice(at, at + 3)) ? text.slice(at, at + 3) : '???';
    return { ok: false, issue: issueAt({ segment: 1, tag }, 'edifact.envelope', SYNTAX_ERROR.missing, 'an interchange starts with UNA or UNB') };
  }
  const next = text[at + 3];
  if (next === LEVEL_A.element) return { ok: true, chars: LEVEL_A, start: at };
  if (next === LEVEL_B.element) return { ok: true, chars: LEVEL_B, start: at };
  return {
    ok: false,
    issue: issueAt({ segment: 1, tag: 'UNB' }, 'edifact.syntax', SYNTAX_ERROR.invalidServiceCharacter, "without UNA, UNB must be followed by '+' (level A) or IS3 (level B)"),
  };
}

function readUna(text: string, at: number): ServiceString {
  if (text.length < at + UNA_LENGTH) {
    return { ok: false, issue: unaIssue(text.length - at - 2, 'UNA is cut short: it needs six service characters') };
  }
  const una = text.slice(at + 3, at + UNA_LENGTH);
  const chars: ServiceCharacters = {
    component: una[0]!,
    element: una[1]!,
    decimal: una[2]!,
    release: una[3] === ' ' ? undefined : una[3],
    repetition: una[4]!,
    terminator: una[5]!,
  };
  const problem = checkUna(chars);
  if (problem) return { ok: false, issue: unaIssue(problem.position, problem.message) };
  return { ok: true, chars, start: skipLineBreaks(text, at + UNA_LENGTH) };
}

function checkUna(chars: ServiceCharacters): { position: number; message: string } | undefined {
  const positions: readonly [number, string | undefined][] = [
    [1, chars.component],
    [2, chars.element],
    [3, chars.decimal],
    [4, chars.release],
    [5, chars.repetition],
    [6, chars.terminator],
  ];
  for (const [position, c] of positions) {
    if (c === undefined || (c === ' ' && position === 5)) continue;
    // Non-ASCII separators would shift character offsets between the byte head and the decoded text.
    if (/[A-Za-z0-9]/.test(c) || c.charCodeAt(0) > 0x7f || (c === ' ' && position !== 4)) {
      return { position, message: `${JSON.stringify(c)} cannot be a service character` };
    }
  }
  if (chars.decimal !== '.' && chars.decimal !== ',') return { position: 3, message: `decimal mark must be '.' or ',', not ${JSON.stringify(chars.decimal)}` };
  const separators = [chars.component, chars.element, chars.release, chars.terminator, chars.repetition === ' ' ? undefined : chars.repetition].filter(
    (c): c is string => c !== undefined,
  );
  if (new Set(separators).size !== separators.length) return { position: 1, message: 'service characters must differ from each other' };
  return undefined;
}

function unaIssue(position: number, message: string): EdifactIssue {
  return issueAt({ segment: 0, tag: 'UNA', element: Math.max(1, Math.min(position, 6)) }, 'edifact.syntax', SYNTAX_ERROR.invalidServiceCharacter, message);
}

/** Line breaks after UNA are layout, as between segments. */
function skipLineBreaks(text: string, at: number): number {
  let i = at;
  while (text[i] === '\r' || text[i] === '\n') i++;
  return i;
}
