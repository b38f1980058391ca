import { designator, segmentPath, type X12Delimiter, type X12Issue, type X12Segment, type X12Separators } from './x12-segments';

/**
 * The ISA is the one fixed-width segment: 16 elements of set widths, so it is exactly 106
 * characters and every delimiter sits at a known offset. That is how a reader learns the
 * delimiters before it can split anything: element separator at 3, repetition separator at 82
 * (ISA11, from version 00402), component separator at 104 (ISA16), segment terminator at 105.
 */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
export const ISA_LENGTH = 106;

/** First ISA12 that reads ISA11 as the repetition separator rather than the standards id ('U'). */
const REPETITION_FROM_VERSION = '00402';

export type IsaRead =
  | { readonly ok: true; readonly isa: X12Segment; readonly separators: X12Separators; readonly end: number }
  | { readonly ok: false; readonly issues: readonly X12Issue[] };

function fail(message: string, element?: number): IsaRead {
  const path = segmentPath({ tag: 'ISA', position: 1 }, element);
  return { ok: false, issues: [{ code: 'x12.isa', path, message, segment: { tag: 'ISA', position: 1 }, ...(element === undefined ? {} : { element }) }] };
}

function badDelimiter(message: string, delimiter: X12Delimiter): IsaRead {
  return { ok: false, issues: [{ code: 'x12.separators', path: segmentPath({ tag: 'ISA', position: 1 }), message, segment: { tag: 'ISA', position: 1 }, delimiter }] };
}

/** Letters, digits and space occur in data (and pad the ISA), so none of them can delimit anything. */
function unusable(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return ch === ' ' || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function printable(ch: string): string {
  return JSON.stringify(ch);
}

/**
 * Why these delimiters cannot work, and which one is at fault, or undefined when they can. Of two
 * equal delimiters the one declared later is blamed: the element separator is read first, so it
 * is what the others must differ from.
 */
function separatorProblem(separators: X12Separators): { message: string; delimiter: X12Delimiter } | undefined {
  const named: [string, X12Delimiter, string | undefined][] = [
    ['element separator', 'element', separators.element],
    ['segment terminator (after ISA16)', 'segment', separators.segment],
    ['component separator (ISA16)', 'component', separators.component],
    ['repetition separator (ISA11)', 'repetition', separators.repetition],
  ];
  const declared = named.filter((entry): entry is [string, X12Delimiter, string] => entry[2] !== undefined);
  for (const [name, delimiter, ch] of declared) {
    if (unusable(ch)) return { message: `${name} ${printable(ch)} cannot be a letter, digit or space`, delimiter };
  }
  for (let i = 0; i < declared.length; i += 1) {
    for (let j = i + 1; j < declared.length; j += 1) {
      const [a, , ch] = declared[i]!;
      const [b, delimiter, other] = declared[j]!;
      if (ch === other) return { message: `the ${a} and the ${b} are both ${printable(ch)}; the delimiters must differ`, delimiter };
    }
  }
  return undefined;
}

/** Reads the ISA starting at `start`; `end` is where the next segment may begin. */
export function readIsa(text: string, start: number): IsaRead {
  if (text.length - start < ISA_LENGTH) {
    return fail(`the ISA must be exactly ${ISA_LENGTH} characters; the document has only ${text.length - start} from the ISA on (truncated)`);
  }
  if (text.slice(start, start + 3) !== 'ISA') return fail('the document does not start with an ISA segment');
  const element = text.charAt(start + 3);
  if (unusable(element)) return badDelimiter(`element separator ${printable(element)} (character 4) cannot be a letter, digit or space`, 'element');

  const elements: string[] = ['ISA'];
  let at = start + 4;
  for (let i = 0; i < ISA_WIDTHS.length; i += 1) {
    const width = ISA_WIDTHS[i]!;
    const value = text.slice(at, at + width);
    const early = value.indexOf(element);
    if (early !== -1) {
      return fail(`${designator('ISA', i + 1)} is ${early} characters long; it must be ${width} (fixed width, padded with spaces)`, i + 1);
    }
    elements.push(value);
    at += width;
    const isLast = i === ISA_WIDTHS.length - 1;
    if (!isLast && text.charAt(at) !== element) {
      return fail(
        `${designator('ISA', i + 1)} must be exactly ${width} characters followed by the element separator ${printable(element)}; the ISA must be ${ISA_LENGTH} characters`,
        i + 1,
      );
    }
    if (!isLast) at += 1;
  }

  const segment = text.charAt(at);
  const component = elements[16]!;
  const version = elements[12]!;
  const controlNumber = elements[13]!;
  if (!/^\d{5}$/.test(version)) return fail(`ISA12 ${printable(version)} is not a five-digit version number`, 12);
  if (!/^\d{9}$/.test(controlNumber)) return fail(`ISA13 ${printable(controlNumber)} is not a nine-digit control number`, 13);

  const repetitionCandidate = elements[11]!;
  const repetition = version >= REPETITION_FROM_VERSION && !unusable(repetitionCandidate) ? repetitionCandidate : undefined;
  const separators: X12Separators = { element, component, segment, ...(repetition === undefined ? {} : { repetition }) };

  const problem = separatorProblem(separators);
  if (problem) return badDelimiter(problem.message, problem.delimiter);
  return { ok: true, isa: { tag: 'ISA', elements, position: 1 }, separators, end: at + 1 };
}
