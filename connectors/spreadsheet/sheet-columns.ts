import type { ErrorDetail } from '../../core/errors/hub-error';
import type { ColumnRef, OrderFieldSource, SpreadsheetMapping } from './spreadsheet.mapping';
import { columnIndex, columnLetter, type SheetRow, type SheetTable } from './sheet-table';

export type LineField = keyof SpreadsheetMapping['lines'];
export type OrderField = keyof SpreadsheetMapping['order'];

/** A mapped column: where it is, and the name it goes by in messages (its header, else its letter). */
export interface Column {
  readonly index: number;
  readonly label: string;
}

export interface Columns {
  readonly line: Readonly<Partial<Record<LineField, Column>>>;
  /** Order fields read from a column; fields with a fixed value are absent here. */
  readonly order: Readonly<Partial<Record<OrderField, Column>>>;
}

export type ColumnsResult = { readonly ok: true; readonly columns: Columns } | { readonly ok: false; readonly issues: readonly ErrorDetail[] };

/**
 * Finds every mapped column in the header row. Headers match after NFKC, trimming, collapsing
 * spaces and ignoring case, because exports differ in exactly those ways ("Qty " vs "qty",
 * full-width brackets). All missing columns are reported at once, with the headers that were found.
 */
export function resolveColumns(table: SheetTable, mapping: SpreadsheetMapping): ColumnsResult {
  const headerRow = table.rows.find((row) => row.number === mapping.headerRow);
  const headers = (headerRow?.cells ?? []).map((cell) => (cell === undefined ? '' : cell.text.trim()));
  const missing: string[] = [];
  const find = (ref: ColumnRef): Column | undefined => {
    const index = typeof ref === 'object' && 'letter' in ref ? columnIndex(ref.letter) : findHeader(headers, typeof ref === 'string' ? ref : ref.header);
    if (index === undefined) {
      missing.push(typeof ref === 'string' ? ref : 'header' in ref ? ref.header : ref.letter);
      return undefined;
    }
    return { index, label: headers[index] || columnLetter(index) };
  };
  const line: Partial<Record<LineField, Column>> = {};
  for (const [field, ref] of Object.entries(mapping.lines) as [LineField, ColumnRef | undefined][]) {
    const column = ref === undefined ? undefined : find(ref);
    if (column) line[field] = column;
  }
  const order: Partial<Record<OrderField, Column>> = {};
  for (const [field, source] of Object.entries(mapping.order) as [OrderField, OrderFieldSource | undefined][]) {
    const column = source === undefined || isFixed(source) ? undefined : find(source);
    if (column) order[field] = column;
  }
  if (missing.length === 0) return { ok: true, columns: { line, order } };
  const found = headers.filter((h) => h !== '').map((h) => `"${h}"`).join(', ') || 'no headers';
  const where = `row ${mapping.headerRow}`;
  return { ok: false, issues: missing.map((name) => ({ path: where, message: `no column "${name}" in the header row; found ${found}`, code: 'spreadsheet.column_missing' })) };
}

export function isFixed(source: OrderFieldSource): source is { value: string } {
  return typeof source === 'object' && 'value' in source;
}

/** A row's cell under a column, as text; blank cells read as undefined. */
export function cellAt(row: SheetRow, column: Column | undefined): SheetRow['cells'][number] {
  const cell = column === undefined ? undefined : row.cells[column.index];
  return cell === undefined || cell.text.trim() === '' ? undefined : cell;
}

export function isBlankRow(row: SheetRow): boolean {
  return row.cells.every((cell) => cell === undefined || cell.text.trim() === '');
}

/** How an issue names a cell: `row 7, column "Qty"`. */
export function cellPath(row: number, column: Column): string {
  return `row ${row}, column "${column.label}"`;
}

function findHeader(headers: readonly string[], name: string): number | undefined {
  const wanted = comparable(name);
  const index = headers.findIndex((header) => comparable(header) === wanted);
  return index === -1 ? undefined : index;
}

function comparable(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
