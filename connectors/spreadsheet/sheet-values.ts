import type { SheetCell } from './sheet-table';

/**
 * Turns cell text into the canonical order's decimal strings and ISO dates. Only `text` cells get
 * locale rules; numbers and dates from an .xlsx are locale-free already. Input is NFKC-normalised
 * first, because Chinese sheets often hold full-width digits and punctuation (１２，５０).
 */

/** Spaces people and programs put between digit groups: space, no-break space, thin and narrow no-break space. */
const GROUP_SPACES = /[\s\u00a0\u2009\u202f]/g;
/** Thousands separators are removed only where they sit every three digits, so "1,5" is never read as 15. */
const POINT_DECIMAL = /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
const COMMA_DECIMAL = /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;

/** The number as a plain decimal string ("1234.50"), or undefined when the text is not one. */
export function decimalText(cell: SheetCell, decimalComma: boolean): string | undefined {
  if (cell.kind === 'number') return cell.text;
  const text = cell.text.normalize('NFKC').replace(GROUP_SPACES, '').replace(/^\+/, '');
  if (decimalComma) return COMMA_DECIMAL.test(text) ? text.replace(/\./g, '').replace(',', '.') : undefined;
  return POINT_DECIMAL.test(text) ? text.replace(/,/g, '') : undefined;
}

/** A positive whole number (line numbers), or undefined. */
export function integerText(cell: SheetCell): number | undefined {
  const text = cell.text.normalize('NFKC').trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

interface CompiledFormat {
  readonly pattern: RegExp;
  readonly fields: readonly ('YYYY' | 'YY' | 'MM' | 'M' | 'DD' | 'D')[];
}

const TOKENS = /YYYY|YY|MM|M|DD|D/g;
const TOKEN_PATTERNS = { YYYY: '(\\d{4})', YY: '(\\d{2})', MM: '(\\d{2})', M: '(\\d{1,2})', DD: '(\\d{2})', D: '(\\d{1,2})' } as const;
/** Two-digit years are this century's: order sheets are about deliveries in the next months. */
const CENTURY = 2000;
const compiled = new Map<string, CompiledFormat>();

/** The date as YYYY-MM-DD, read with the first of `formats` that matches and names a real day. */
export function dateText(cell: SheetCell, formats: readonly string[]): string | undefined {
  if (cell.kind === 'date') return cell.text.slice(0, 10);
  const text = cell.text.normalize('NFKC').trim();
  for (const format of formats) {
    const date = matchFormat(text, compile(format));
    if (date !== undefined) return date;
  }
  return undefined;
}

/** An ISO day (YYYY-MM-DD) written in `format`, with the same tokens {@link dateText} reads. */
export function formatDate(isoDate: string, format: string): string {
  const [year, month, day] = isoDate.split('-') as [string, string, string];
  const parts = { YYYY: year, YY: year.slice(2), MM: month, M: String(Number(month)), DD: day, D: String(Number(day)) };
  return format.replace(TOKENS, (token) => parts[token as keyof typeof parts]);
}

function compile(format: string): CompiledFormat {
  const known = compiled.get(format);
  if (known) return known;
  const fields: CompiledFormat['fields'][number][] = [];
  let source = '';
  let at = 0;
  for (const match of format.matchAll(TOKENS)) {
    source += escapeRegExp(format.slice(at, match.index)) + TOKEN_PATTERNS[match[0] as keyof typeof TOKEN_PATTERNS];
    fields.push(match[0] as CompiledFormat['fields'][number]);
    at = match.index + match[0].length;
  }
  const result = { pattern: new RegExp(`^${source}${escapeRegExp(format.slice(at))}$`), fields };
  compiled.set(format, result);
  return result;
}

function matchFormat(text: string, format: CompiledFormat): string | undefined {
  const match = format.pattern.exec(text);
  if (!match) return undefined;
  let year = 0;
  let month = 0;
  let day = 0;
  format.fields.forEach((field, i) => {
    const value = Number(match[i + 1]);
    if (field === 'YYYY') year = value;
    else if (field === 'YY') year = CENTURY + value;
    else if (field === 'MM' || field === 'M') month = value;
    else day = value;
  });
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February over into March; a day that rolled over was not a real day.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
