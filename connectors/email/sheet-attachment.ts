import type { ErrorDetail } from '../../core/errors/hub-error';
import type { FormatParser, ParsedOrder } from '../connector';
import { readCsvTable } from '../spreadsheet/csv-table';
import { resolveColumns } from '../spreadsheet/sheet-columns';
import { sheetOrders } from '../spreadsheet/sheet-orders';
import { columnLetter, type SheetTable, type TableResult } from '../spreadsheet/sheet-table';
import { spreadsheetMappingSchema, type SpreadsheetMapping } from '../spreadsheet/spreadsheet.mapping';
import { isCompoundFile, readXlsxTable } from '../spreadsheet/xlsx-table';
import type { EmailTemplate } from './email.mapping';
import { dateFormats } from './email-values';
import { matchColumns, type ColumnIndexes, type OrderColumn } from './order-columns';

/**
 * An attached order sheet, read with the customer's template. A template that names the SKU,
 * quantity and price columns and the header row is a complete spreadsheet mapping: the sheet goes
 * to the spreadsheet parser as it is. Otherwise the header row must be found first (the top row
 * whose headers name a SKU and a quantity, columns matched like a body table's); the sheet is then
 * read once with the spreadsheet connector's own reader, column resolver and row mapper, the steps
 * its parser runs, because reading an .xlsx twice would double the dearest step of the whole mail.
 */

/** Order sheets put a title, a date or the customer's block above the header, rarely more than this. */
const HEADER_SEARCH_ROWS = 10;
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/** What the mail knows that the sheet usually does not say. */
export interface SheetOrderFacts {
  readonly customerName: string;
  readonly currency: string;
}

/** A document's orders and its input-level issues (rows that belong to no order …), or why none can be taken. */
export type DocumentRead = { readonly ok: true; readonly orders: readonly ParsedOrder[]; readonly issues: readonly ErrorDetail[] } | { readonly ok: false; readonly code: string; readonly issues: readonly ErrorDetail[] };

export async function readSheetAttachment(body: Buffer, parser: FormatParser, template: EmailTemplate, facts: SheetOrderFacts): Promise<DocumentRead> {
  const base = {
    ...(template.sheet ? { sheet: template.sheet } : {}),
    order: { customerName: { value: facts.customerName }, currency: { value: facts.currency } },
    dateFormats: dateFormats(template),
    decimalComma: template.decimalComma,
  };
  const { sku, quantity, unitPrice, poNumber, ...rest } = template.columns;
  if (sku && quantity && unitPrice && template.headerRow !== undefined) {
    const mapping = { ...base, headerRow: template.headerRow, lines: { sku, quantity, unitPrice, ...rest }, order: { ...base.order, ...(poNumber ? { poNumber } : {}) } };
    const result = await parser.parse(body, { mapping });
    if (!result.ok) return { ok: false, code: result.code ?? 'spreadsheet.unreadable', issues: result.issues };
    return taken(result.orders, result.issues, template.headerRow);
  }
  const probe = readerMapping(template);
  if (body.length > probe.limits.maxBytes) return failure('document.too_large', '', `${body.length} bytes is over the ${probe.limits.maxBytes}-byte limit`);
  const read: TableResult = body.subarray(0, 4).equals(ZIP_MAGIC) || isCompoundFile(body) ? await readXlsxTable(body, probe) : readCsvTable(body, probe);
  if (!read.ok) return { ok: false, code: read.code, issues: read.issues };
  const header = findHeader(read.table, template);
  if (!header) return failure('spreadsheet.column_missing', `rows 1-${HEADER_SEARCH_ROWS}`, 'no header row naming a SKU (型号, 物料编码 …) and a quantity (数量, Qty …) column');
  if (header.columns.unitPrice === undefined) return failure('spreadsheet.column_missing', `row ${header.row}`, 'no unit price column (单价, Unit Price …)');
  const letters = Object.fromEntries((Object.entries(header.columns) as [OrderColumn, number][]).map(([column, index]) => [column, { letter: columnLetter(index) }]));
  const { poNumber: poColumn, ...lines } = letters;
  // Built from validated parts (the template, letters of found columns), so it needs no second validation.
  const mapping: SpreadsheetMapping = { ...probe, headerRow: header.row, lines: lines as SpreadsheetMapping['lines'], order: { ...base.order, ...(poColumn ? { poNumber: poColumn } : {}) } };
  const columns = resolveColumns(read.table, mapping);
  if (!columns.ok) return { ok: false, code: 'spreadsheet.column_missing', issues: columns.issues };
  const { orders, issues } = sheetOrders(read.table, mapping, columns.columns);
  return taken(orders, issues, header.row);
}

/** A sheet that yields no order at all is reported as such, with its row issues, rather than passed over. */
function taken(orders: readonly ParsedOrder[], issues: readonly ErrorDetail[], headerRow: number): DocumentRead {
  return orders.length > 0 ? { ok: true, orders, issues } : failure('spreadsheet.empty', `row ${headerRow + 1}`, 'no order rows below the header', issues);
}

const readers = new WeakMap<EmailTemplate, SpreadsheetMapping>();

/**
 * The spreadsheet mapping a template gives before the header is found: the readers use only its
 * sheet name, encoding, delimiter and limits, so the columns and order fields are placeholders.
 * Templates live as long as the config, so it is made once per template.
 */
function readerMapping(template: EmailTemplate): SpreadsheetMapping {
  let mapping = readers.get(template);
  if (!mapping) {
    const placeholder = { value: '-' };
    mapping = spreadsheetMappingSchema.parse({
      ...(template.sheet ? { sheet: template.sheet } : {}),
      lines: { sku: 'SKU', quantity: 'SKU', unitPrice: 'SKU' },
      order: { customerName: placeholder, currency: placeholder },
      dateFormats: dateFormats(template),
      decimalComma: template.decimalComma,
    });
    readers.set(template, mapping);
  }
  return mapping;
}

function findHeader(table: SheetTable, template: EmailTemplate): { row: number; columns: ColumnIndexes } | undefined {
  const rows = template.headerRow === undefined ? table.rows.slice(0, HEADER_SEARCH_ROWS) : table.rows.filter((row) => row.number === template.headerRow);
  for (const row of rows) {
    // Array.from, not map: an .xlsx row's cells are sparse where cells are empty.
    const columns = matchColumns(Array.from(row.cells, (cell) => cell?.text ?? ''), template);
    if (columns) return { row: row.number, columns };
  }
  return undefined;
}

function failure(code: string, path: string, message: string, more: readonly ErrorDetail[] = []): DocumentRead {
  return { ok: false, code, issues: [{ path, message, code }, ...more] };
}
