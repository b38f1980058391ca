import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { ErrorDetail } from '../../core/errors/hub-error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder, OrderLine } from '../../core/order/order.types';
import type { OutboundDocument } from '../connector';
import { isFixed, type LineField, type OrderField } from './sheet-columns';
import { columnIndex } from './sheet-table';
import { formatDate } from './sheet-values';
import { spreadsheetMappingSchema, type ColumnRef, type SpreadsheetMapping } from './spreadsheet.mapping';

/** A mapping as a partner's configuration holds it, defaults not yet applied. */
export type SpreadsheetMappingInput = z.input<typeof spreadsheetMappingSchema>;

/** Excel takes a BOM-less CSV for the ANSI code page and garbles Chinese; with the BOM it reads UTF-8. */
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/**
 * Fields holding any separator the parser's `delimiter: auto` considers are quoted too, so a `;` in a
 * header cannot make it pick the wrong one; quotes and line breaks need quoting in any CSV (RFC 4180).
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;
/** Excel's "Text" number format: the cell stays text when edited, so "007" is not turned into 7. */
const TEXT_FORMAT = '@';

type Row = (string | undefined)[];

const ORDER_VALUES: { readonly [F in OrderField]: (order: CanonicalOrder, mapping: SpreadsheetMapping) => string | undefined } = {
  // The order id stands in for a missing PO, as in the other generators, so each order keeps its own rows.
  poNumber: (order) => order.poNumber ?? order.id,
  customerName: (order) => order.customer.name,
  customerId: (order) => order.customer.id,
  currency: (order) => order.currency,
  deliveryDate: (order, mapping) => order.requestedDeliveryDate && sheetDate(order.requestedDeliveryDate, mapping),
  paymentTerms: (order) => order.paymentTerms,
};

const LINE_VALUES: { readonly [F in LineField]: (line: OrderLine, mapping: SpreadsheetMapping) => string | undefined } = {
  sku: (line) => line.sku,
  quantity: (line, mapping) => sheetDecimal(line.quantity, mapping),
  unitPrice: (line, mapping) => sheetDecimal(line.unitPrice, mapping),
  uom: (line) => line.uom,
  description: (line) => line.description,
  customerSku: (line) => line.customerSku,
  lineNo: (line) => String(line.lineNo),
  requestedDate: (line, mapping) => line.requestedDate && sheetDate(line.requestedDate, mapping),
  taxRatePct: (line, mapping) => line.taxRatePct && sheetDecimal(line.taxRatePct, mapping),
};

/**
 * An order sheet as CSV (UTF-8 with BOM, CRLF rows) laid out as `mapping` says: the inverse of
 * the spreadsheet-order parser under the same mapping. One row per order line, order-level columns
 * repeated on each row of the order.
 */
export function generateOrderSheetCsv(orders: readonly CanonicalOrder[], mappingInput: SpreadsheetMappingInput): OutboundDocument {
  const { mapping, rows } = layOut(orders, mappingInput);
  const delimiter = mapping.delimiter === 'auto' ? ',' : mapping.delimiter;
  const text = rows.map((row) => Array.from(row, (value) => csvField(value ?? '')).join(delimiter) + '\r\n').join('');
  return {
    format: 'spreadsheet-order',
    fileName: `${baseName(orders)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]),
  };
}

/** The same sheet as an .xlsx whose every cell is text, so values stay exactly as written ("007", "12.50"). */
export async function generateOrderSheetXlsx(orders: readonly CanonicalOrder[], mappingInput: SpreadsheetMappingInput): Promise<OutboundDocument> {
  const { mapping, rows } = layOut(orders, mappingInput);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(mapping.sheet ?? 'Orders');
  rows.forEach((row, r) =>
    row.forEach((value, c) => {
      if (value === undefined) return;
      const cell = sheet.getCell(r + 1, c + 1);
      cell.numFmt = TEXT_FORMAT;
      cell.value = value;
    }),
  );
  return {
    format: 'spreadsheet-order',
    fileName: `${baseName(orders)}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
  };
}

/**
 * The sheet's rows from row 1: blank rows down to the header row, the header, then the lines.
 * Columns mapped by letter sit at that letter (headed by their field name); columns mapped by
 * header fill the other places from A on, in mapping order.
 */
function layOut(orders: readonly CanonicalOrder[], mappingInput: SpreadsheetMappingInput): { mapping: SpreadsheetMapping; rows: Row[] } {
  const parsed = spreadsheetMappingSchema.safeParse(mappingInput);
  if (!parsed.success) {
    throw new ValidationError('the order-sheet mapping is invalid', parsed.error.issues.map((issue) => ({ path: ['mapping', ...issue.path].join('.'), message: issue.message })));
  }
  const mapping = parsed.data;
  refuseLosses(orders, mapping);

  const columns: { ref: ColumnRef; name: string; value: (order: CanonicalOrder, line: OrderLine) => string | undefined }[] = [];
  for (const [field, source] of Object.entries(mapping.order) as [OrderField, SpreadsheetMapping['order'][OrderField]][]) {
    if (source !== undefined && !isFixed(source)) columns.push({ ref: source, name: field, value: (order) => ORDER_VALUES[field](order, mapping) });
  }
  for (const [field, ref] of Object.entries(mapping.lines) as [LineField, ColumnRef | undefined][]) {
    if (ref !== undefined) columns.push({ ref, name: field, value: (_order, line) => LINE_VALUES[field](line, mapping) });
  }

  const byLetter = new Set(columns.flatMap(({ ref }) => (typeof ref === 'object' && 'letter' in ref ? [columnIndex(ref.letter)] : [])));
  let free = 0;
  const placed = columns.map((column) => {
    const { ref } = column;
    if (typeof ref === 'object' && 'letter' in ref) return { ...column, index: columnIndex(ref.letter), header: column.name };
    while (byLetter.has(free)) free++;
    return { ...column, index: free++, header: typeof ref === 'string' ? ref : ref.header };
  });

  const row = (cell: (column: (typeof placed)[number]) => string | undefined): Row => {
    const cells: Row = [];
    for (const column of placed) cells[column.index] = cell(column);
    return cells;
  };
  return {
    mapping,
    rows: [
      ...Array.from({ length: mapping.headerRow - 1 }, (): Row => []),
      row((column) => column.header),
      ...orders.flatMap((order) => order.lines.map((line) => row((column) => column.value(order, line)))),
    ],
  };
}

/** Orders the sheet could not give back: merged into one (no PO column) or overruled by a fixed mapping value. */
function refuseLosses(orders: readonly CanonicalOrder[], mapping: SpreadsheetMapping): void {
  const details: ErrorDetail[] = [];
  if (orders.length === 0) details.push({ path: 'orders', message: 'an order sheet needs at least one order' });
  if (mapping.order.poNumber === undefined && orders.length > 1) {
    details.push({ path: 'mapping.order.poNumber', message: `${orders.length} orders would be read back as one: the mapping has no PO column` });
  }
  for (const [field, source] of Object.entries(mapping.order) as [OrderField, SpreadsheetMapping['order'][OrderField]][]) {
    if (source === undefined || !isFixed(source)) continue;
    orders.forEach((order, i) => {
      const value = ORDER_VALUES[field](order, mapping);
      // The parser upper-cases a currency, a fixed one included.
      const fixed = field === 'currency' ? source.value.toUpperCase() : source.value;
      if (value !== fixed) details.push({ path: `orders[${i}]`, message: `${field} is "${value ?? ''}" but the mapping fixes it as "${source.value}"` });
    });
  }
  if (details.length > 0) throw new ValidationError('the orders do not fit the order-sheet mapping', details);
}

/** Canonical decimals are plain ("1234.50"), so the decimal mark is the only thing a locale changes. */
function sheetDecimal(value: string, mapping: SpreadsheetMapping): string {
  return mapping.decimalComma ? value.replace('.', ',') : value;
}

/** The first date format is the one the parser tries first, so no later pattern can misread the day. */
function sheetDate(isoDate: string, mapping: SpreadsheetMapping): string {
  return formatDate(isoDate, mapping.dateFormats[0]!);
}

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function baseName(orders: readonly CanonicalOrder[]): string {
  const refs = [orders[0]!, orders[orders.length - 1]!].map((order) => (order.poNumber ?? order.id).replace(/[^A-Za-z0-9._-]/g, '_'));
  return `order-sheet-${orders.length === 1 ? refs[0] : refs.join('-')}`;
}
