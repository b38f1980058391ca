import { extname } from 'node:path';
import type { FormatParser, ParseContext, ParseResult } from '../connector';
import { detectDelimiter, readCsvTable } from './csv-table';
import { resolveColumns } from './sheet-columns';
import { sheetOrders } from './sheet-orders';
import type { TableResult } from './sheet-table';
import { spreadsheetMappingSchema } from './spreadsheet.mapping';
import { isCompoundFile, readXlsxTable } from './xlsx-table';

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const CSV_EXTENSIONS = new Set(['.csv', '.tsv']);
/** Enough of the file to see a header row and the first data row. */
const SNIFF_BYTES = 4096;
/** Starts of other text formats that a header-row heuristic must not claim: XML, JSON, X12 ISA, EDIFACT UNA/UNB. */
const OTHER_TEXT_FORMATS = /^(\s*[<{[]|ISA|UNA|UNB)/;

/**
 * Order sheets as CSV (any of , ; tab; UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030)
 * or Excel .xlsx, mapped column by column through a {@link spreadsheetMappingSchema} mapping.
 * Put it last in a list of parsers: its guess for an unnamed text file is the loosest of all.
 */
export const spreadsheetOrderParser: FormatParser = {
  format: 'spreadsheet-order',

  sniff(body: Buffer, fileName?: string): boolean {
    const extension = fileName === undefined ? '' : extname(fileName).toLowerCase();
    // An encrypted .xlsx is claimed too, so it is reported as password-protected rather than as an unknown format.
    if (extension === '.xlsx') return body.subarray(0, 4).equals(ZIP_MAGIC) || isCompoundFile(body);
    if (CSV_EXTENSIONS.has(extension)) return true;
    return looksLikeHeaderedText(body.subarray(0, SNIFF_BYTES));
  },

  async parse(body: Buffer, context: ParseContext): Promise<ParseResult> {
    const parsed = spreadsheetMappingSchema.safeParse(context.mapping);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: ['mapping', ...issue.path].join('.'), message: issue.message, code: 'spreadsheet.mapping_invalid' }));
      return { ok: false, code: 'spreadsheet.mapping_invalid', issues, orders: [] };
    }
    const mapping = parsed.data;
    if (body.length > mapping.limits.maxBytes) {
      return failed({ ok: false, code: 'document.too_large', issues: [{ path: '', message: `${body.length} bytes is over the ${mapping.limits.maxBytes}-byte limit`, code: 'document.too_large' }] });
    }
    const read: TableResult = body.subarray(0, 4).equals(ZIP_MAGIC) || isCompoundFile(body) ? await readXlsxTable(body, mapping) : readCsvTable(body, mapping);
    if (!read.ok) return failed(read);
    const columns = resolveColumns(read.table, mapping);
    if (!columns.ok) return { ok: false, code: 'spreadsheet.column_missing', issues: columns.issues, orders: [] };
    const { orders, issues } = sheetOrders(read.table, mapping, columns.columns);
    if (orders.length === 0 && issues.length === 0) {
      return { ok: false, code: 'spreadsheet.empty', issues: [{ path: `row ${mapping.headerRow + 1}`, message: 'no data rows below the header', code: 'spreadsheet.empty' }], orders: [] };
    }
    return { ok: true, issues, orders };
  },
};

function failed(read: Extract<TableResult, { ok: false }>): ParseResult {
  return { ok: false, code: read.code, issues: read.issues, orders: [] };
}

/**
 * A file without a telling name is taken for a sheet when its first line splits into at least
 * two non-empty headers, one of them with a letter, and the next line splits the same way.
 */
function looksLikeHeaderedText(sample: Buffer): boolean {
  if (sample.includes(0)) return false;
  const text = sample.toString('latin1');
  if (OTHER_TEXT_FORMATS.test(text)) return false;
  const [header, next] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (header === undefined || next === undefined) return false;
  const delimiter = detectDelimiter(header, 1);
  const headers = header.split(delimiter);
  return headers.length >= 2 && headers.every((h) => h.trim() !== '') && headers.some((h) => /[A-Za-z\x80-\xff]/.test(h)) && next.split(delimiter).length === headers.length;
}
