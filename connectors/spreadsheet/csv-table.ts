import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { SpreadsheetMapping } from './spreadsheet.mapping';
import { tableFailure, type SheetRow, type TableResult } from './sheet-table';

/** Candidate separators in order of preference when the header row splits equally on several. */
const DELIMITERS = [',', ';', '\t'] as const;

/** Excel's "Unicode text" export is UTF-16 with a BOM; "CSV UTF-8" has the UTF-8 BOM. */
const BOMS: readonly { readonly bytes: readonly number[]; readonly encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Reads an order sheet saved as CSV into text cells, numbered as a spreadsheet program would show the rows. */
export function readCsvTable(body: Buffer, mapping: SpreadsheetMapping): TableResult {
  const text = decode(body, mapping.encoding);
  if (text === undefined) return tableFailure('spreadsheet.unreadable', '', `the file is not valid ${mapping.encoding === 'auto' ? 'UTF-8 or GB18030' : mapping.encoding} text`);
  const delimiter = mapping.delimiter === 'auto' ? detectDelimiter(text, mapping.headerRow) : mapping.delimiter;
  // One row past the cap is read so that "exactly at the cap" and "over it" can be told apart.
  const lastRow = mapping.headerRow + mapping.limits.maxRows + 1;
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false, to: lastRow }) as string[][];
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    return tableFailure('spreadsheet.unreadable', line === undefined ? '' : `line ${line}`, (cause as Error).message);
  }
  if (records.length >= lastRow) return tableFailure('document.too_large', '', `more than ${mapping.limits.maxRows} rows below the header`);
  const rows: SheetRow[] = records.map((record, i) => ({ number: i + 1, cells: record.map((value) => ({ text: value, kind: 'text' as const })) }));
  return { ok: true, table: { rows } };
}

/**
 * Text of the file, or undefined when the bytes do not fit the encoding. `auto`: a BOM decides;
 * else strict UTF-8; else GB18030, which reads GBK and GB2312 exports of Chinese Excel/WPS.
 */
function decode(body: Buffer, encoding: string): string | undefined {
  const bom = BOMS.find(({ bytes }) => bytes.every((byte, i) => body[i] === byte));
  const chosen = encoding === 'auto' ? bom?.encoding : encoding;
  if (chosen !== undefined && !isUtf8(chosen)) return iconv.decode(body, chosen);
  const utf8 = strictUtf8(body.subarray(bom?.encoding === 'utf-8' ? 3 : 0));
  if (utf8 !== undefined || chosen !== undefined) return utf8;
  return iconv.decode(body, 'gb18030');
}

function isUtf8(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

function strictUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The separator that splits the header row into the most fields, quotes respected; `,` for a single column. */
export function detectDelimiter(text: string, headerRow: number): string {
  const header = text.split(/\r?\n/)[headerRow - 1] ?? '';
  const counts = DELIMITERS.map((delimiter) => unquotedCount(header, delimiter));
  const best = Math.max(...counts);
  return best === 0 ? ',' : DELIMITERS[counts.indexOf(best)]!;
}

function unquotedCount(line: string, delimiter: string): number {
  let quoted = false;
  let count = 0;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}
