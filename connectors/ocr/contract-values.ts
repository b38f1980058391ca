/**
 * Reads the figures, dates and currencies printed in contracts, as OCR hands them over: full-width
 * digits and punctuation (１２，５００．００), currency marks (¥ ￥ RMB 元), thousands separators, and
 * the letters OCR puts where a digit belongs (O for 0, l or I for 1). Every such repair is listed in
 * `notes`, so the extractor can lower its confidence in a value it had to fix.
 */

export interface ReadValue {
  readonly value: string;
  /** What had to be repaired to read the value; empty when it was read as printed. */
  readonly notes: readonly string[];
}

/** Currency marks around a figure, and units written after it. */
const FIGURE_MARKS = /(?:人民币|RMB|CNY|USD|EUR|US\$|元|[¥$€£])/giu;
/** Letters OCR reads in place of digits, only replaced between or beside digits. */
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', D: '0', Q: '0', l: '1', I: '1', '|': '1', S: '5', B: '8', Z: '2' };
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const PLAIN = /^\d+(?:\.\d+)?$/;

/** A non-negative figure as a plain decimal string ("123400.00"); undefined when the text is not one. */
export function readFigure(text: string): ReadValue | undefined {
  const notes: string[] = [];
  let bare = text.normalize('NFKC').replace(FIGURE_MARKS, '').replace(/\s+/g, '').replace(/[:：]$/u, '');
  // Chinese text sometimes ends a figure with 。 or uses it for the decimal point.
  bare = bare.replace(/。/gu, '.').replace(/\.$/u, '');
  if (!/\d/.test(bare)) return undefined;
  // Lookalikes are replaced only in a token made of digits, separators and lookalikes ("1O,5OO.OO"), never in words.
  if (/^[\d.,OoDQlI|SBZ]+$/.test(bare)) {
    bare = bare.replace(/[OoDQlI|SBZ]/g, (ch) => {
      notes.push(`${ch} read as ${DIGIT_LOOKALIKES[ch]!}`);
      return DIGIT_LOOKALIKES[ch]!;
    });
  }
  if (PLAIN.test(bare)) return { value: stripLeadingZeros(bare), notes };
  if (GROUPED.test(bare)) return { value: stripLeadingZeros(bare.replace(/,/g, '')), notes };
  // "12,400,00" or "12.400.00": the last separator before two digits is the decimal point, the rest group thousands.
  const misread = /^(\d{1,3}(?:[.,]\d{3})*)[.,](\d{2})$/.exec(bare);
  if (misread && /[.,]/.test(misread[1]!) === true) {
    notes.push(`separators in "${text.trim()}" read as thousands and decimal point`);
    return { value: stripLeadingZeros(`${misread[1]!.replace(/[.,]/g, '')}.${misread[2]!}`), notes };
  }
  return undefined;
}

function stripLeadingZeros(value: string): string {
  return value.replace(/^0+(?=\d)/, '');
}

/**
 * A quantity with an optional unit after it ("10台", "150.5 m"), or before it when OCR read the
 * unit cell and the quantity cell as one ("平方米 450").
 */
export function readQuantity(text: string): (ReadValue & { readonly uom?: string }) | undefined {
  const after = /^\s*([\d０-９OolI.,，．]+)\s*([^\d\s.,]\S*)?\s*$/u.exec(text);
  const before = after ? undefined : /^\s*([^\d\s.,]\S{0,5})\s+([\d０-９OolI.,，．]+)\s*$/u.exec(text);
  const [number, uom] = after ? [after[1]!, after[2]] : before ? [before[2]!, before[1]] : [undefined, undefined];
  if (number === undefined) return undefined;
  const figure = readFigure(number);
  if (!figure) return undefined;
  return uom ? { ...figure, uom } : figure;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_WORD = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DATE_PATTERNS: readonly { readonly pattern: RegExp; readonly order: 'ymd' | 'dmy' | 'mdy' }[] = [
  { pattern: /(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})(?!\d)/u, order: 'ymd' },
  { pattern: new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_WORD}\\s*,?\\s+(\\d{4})`, 'iu'), order: 'dmy' },
  { pattern: new RegExp(`${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s*,?\\s+(\\d{4})`, 'iu'), order: 'mdy' },
];
const CHINESE_DIGITS: Readonly<Record<string, string>> = { 〇: '0', 零: '0', O: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/**
 * The first date in the text as YYYY-MM-DD: 2026年12月15日, 2026-12-15, 2026/12/15, 2026.12.15,
 * 15 Dec 2026, December 15, 2026, 二〇二六年十二月十五日. Day-first and month-first all-digit forms
 * (15/12/2026) are not read: 05/06/2026 has two meanings. Undefined when no real day is written.
 */
export function readDate(text: string): ReadValue | undefined {
  const notes: string[] = [];
  let normal = text.normalize('NFKC');
  const repaired = normal.replace(/(?<=\d)[Oo](?=[\d年月日\-/.])|(?<=[年月\-/.]\s*)[Oo](?=\d)/gu, '0');
  if (repaired !== normal) notes.push('O read as 0');
  normal = chineseNumeralDate(repaired) ?? repaired;
  for (const { pattern, order } of DATE_PATTERNS) {
    const match = pattern.exec(normal);
    if (!match) continue;
    const [a, b, c] = [match[1]!, match[2]!, match[3]!];
    const [year, month, day] =
      order === 'ymd' ? [Number(a), Number(b), Number(c)] : order === 'dmy' ? [Number(c), monthNumber(b), Number(a)] : [Number(c), monthNumber(a), Number(b)];
    const iso = isoDay(year, month, day);
    if (iso !== undefined) return { value: iso, notes };
  }
  return undefined;
}

function monthNumber(word: string): number {
  return MONTHS[word.toLowerCase().replace('.', '').slice(0, word.toLowerCase().startsWith('sept') ? 4 : 3)] ?? 0;
}

/** 二〇二六年十二月十五日 → 2026年12月15日; undefined when the text has no such date. */
function chineseNumeralDate(text: string): string | undefined {
  const match = /([〇零O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/u.exec(text);
  if (!match) return undefined;
  const year = [...match[1]!].map((ch) => CHINESE_DIGITS[ch]).join('');
  return `${year}年${tensNumber(match[2]!)}月${tensNumber(match[3]!)}日`;
}

/** 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31. */
function tensNumber(text: string): number {
  const at = text.indexOf('十');
  if (at < 0) return Number(CHINESE_DIGITS[text] ?? 0);
  const tens = at === 0 ? 1 : Number(CHINESE_DIGITS[text[0]!] ?? 0);
  const ones = at === text.length - 1 ? 0 : Number(CHINESE_DIGITS[text[at + 1]!] ?? 0);
  return tens * 10 + ones;
}

function isoDay(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

const CURRENCIES: readonly [RegExp, string][] = [
  [/美元|美金|US\$|USD|U\.S\. dollars?/iu, 'USD'],
  [/欧元|EUR|€/iu, 'EUR'],
  [/港币|港元|HKD|HK\$/iu, 'HKD'],
  [/日元|JPY/iu, 'JPY'],
  [/英镑|GBP|£/iu, 'GBP'],
  [/人民币|RMB|CNY|[¥￥]|元/iu, 'CNY'],
  [/\$/u, 'USD'],
];

/** The currency a text names ("人民币", "RMB", "¥", "USD", "US$"); undefined when it names none. */
export function readCurrency(text: string): string | undefined {
  const bare = text.replace(/\s+/g, '');
  return CURRENCIES.find(([pattern]) => pattern.test(bare))?.[1];
}
