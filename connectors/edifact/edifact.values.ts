import { DECIMAL_PATTERN } from '../../core/order/money';

/**
 * An EDIFACT numeric value: optional minus, digits, and at most one decimal mark with digits on
 * both sides (ISO 9735-1: no thousands separators, no exponent). '.' and ',' are both taken
 * whatever UNA declares: with no thousands separator either can only be the decimal mark, and
 * senders mix them up. The result always uses '.'.
 * The string is kept as written ("12.50" stays "12.50"): no JavaScript number ever holds it.
 */
const EDIFACT_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

export function normaliseDecimal(raw: string): string | undefined {
  const text = raw.trim();
  if (!EDIFACT_NUMBER.test(text)) return undefined;
  const normal = text.replace(',', '.');
  return DECIMAL_PATTERN.test(normal) ? normal : undefined;
}

/** DTM date/time formats (2379) the hub reads: what each looks like and where the date sits in it. */
const DATE_FORMATS: Readonly<Record<string, RegExp>> = {
  '102': /^(\d{4})(\d{2})(\d{2})$/,
  '203': /^(\d{4})(\d{2})(\d{2})\d{4}$/,
  '204': /^(\d{4})(\d{2})(\d{2})\d{6}$/,
};

/**
 * The calendar day of a DTM value, ISO `YYYY-MM-DD`; the time of day, if any, is dropped because
 * the canonical order's dates are days. Without a format code (2379 is conditional) the value is
 * read as 102, the common case. Undefined for unknown formats and impossible dates.
 */
export function readDate(value: string, format: string): string | undefined {
  const match = DATE_FORMATS[format === '' ? '102' : format]?.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(m) - 1 || day.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${m}-${d}`;
}

/** `2026-12-15` → `20261215` (format 102). */
export function dateToEdifact(isoDate: string): string {
  return isoDate.slice(0, 10).replaceAll('-', '');
}

/** A UTC instant as CCYYMMDDHHMM (format 203). */
export function dateTimeToEdifact(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * Free text spread over several components or segments (names in C080, FTX lines, IMD
 * descriptions) is joined with a space, as senders break it at word boundaries.
 */
export function joinText(parts: readonly string[]): string | undefined {
  const text = parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(' ');
  return text === '' ? undefined : text;
}

/**
 * The inverse of {@link joinText}: breaks `text` into pieces of at most `width` characters at
 * spaces (the space is dropped, the reader puts it back), so joinText(wrapText(t)) === t unless a
 * single word is longer than `width`. Text beyond `maxParts` pieces is cut: the directories fix
 * these lengths (C080 3036 an..35 × 5) and partners' validators reject longer ones.
 */
export function wrapText(text: string, width: number, maxParts: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest !== '' && parts.length < maxParts) {
    if ([...rest].length <= width) {
      parts.push(rest);
      break;
    }
    const chars = [...rest];
    const window = chars.slice(0, width + 1).join('');
    const space = window.lastIndexOf(' ');
    const cut = space > 0 ? space : chars.slice(0, width).join('').length;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return parts;
}
