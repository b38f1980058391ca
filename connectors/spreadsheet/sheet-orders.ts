import type { z } from 'zod';
import type { ErrorDetail } from '../../core/errors/hub-error';
import { orderDraftSchema } from '../../core/order/order.schema';
import type { ParsedOrder } from '../connector';
import { cellAt, cellPath, isBlankRow, isFixed, type Column, type Columns, type LineField, type OrderField } from './sheet-columns';
import type { SheetCell, SheetRow, SheetTable } from './sheet-table';
import { dateText, decimalText, integerText } from './sheet-values';
import type { SpreadsheetMapping } from './spreadsheet.mapping';

const DECIMAL_FIELDS: ReadonlySet<LineField> = new Set(['quantity', 'unitPrice', 'taxRatePct']);
/** Which order-draft key each order-level mapping field fills; customer fields nest under `customer`. */
const DRAFT_KEY: Readonly<Record<OrderField, string>> = {
  poNumber: 'poNumber',
  customerName: 'customer.name',
  customerId: 'customer.id',
  currency: 'currency',
  deliveryDate: 'requestedDeliveryDate',
  paymentTerms: 'paymentTerms',
};

/**
 * Groups the data rows into orders (one per PO number, in order of first appearance; the whole
 * sheet when no PO column is mapped) and builds one draft per group. A problem in any row of an
 * order rejects that order alone, named by row and column; rows without a PO are input-level issues.
 */
export function sheetOrders(table: SheetTable, mapping: SpreadsheetMapping, columns: Columns): { orders: ParsedOrder[]; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const groups = new Map<string, SheetRow[]>();
  const poColumn = columns.order.poNumber;
  for (const row of table.rows) {
    if (row.number <= mapping.headerRow || isBlankRow(row)) continue;
    const po = poColumn === undefined ? '' : cellAt(row, poColumn)?.text.trim();
    if (po === undefined) {
      issues.push({ path: cellPath(row.number, poColumn!), message: 'no PO number, so the row belongs to no order', code: 'spreadsheet.row_without_order' });
      continue;
    }
    groups.set(po, [...(groups.get(po) ?? []), row]);
  }
  const orders = [...groups.entries()].map(([po, rows]) => buildOrder(po, rows, mapping, columns));
  return { orders, issues };
}

function buildOrder(po: string, rows: readonly SheetRow[], mapping: SpreadsheetMapping, columns: Columns): ParsedOrder {
  const issues: ErrorDetail[] = [];
  const reported = new Set<string>();
  const report = (path: string, message: string): void => {
    if (reported.has(path)) return;
    reported.add(path);
    issues.push({ path, message, code: 'spreadsheet.cell_invalid' });
  };
  const firstRow = rows[0]!.number;
  const lastRow = rows[rows.length - 1]!.number;

  const draft: Record<string, unknown> = { customer: {} };
  const orderPaths = new Map<string, string>();
  for (const [field, source] of Object.entries(mapping.order) as [OrderField, SpreadsheetMapping['order'][OrderField]][]) {
    if (source === undefined) continue;
    const found = isFixed(source)
      ? { cell: { text: source.value, kind: 'text' as const }, path: `mapping order.${field}` }
      : repeatedValue(rows, columns.order[field]!, report);
    orderPaths.set(DRAFT_KEY[field], found.path);
    if (found.cell === undefined) continue;
    const value = orderValue(field, found.cell, mapping);
    if (value === undefined) report(found.path, `"${found.cell.text}" is not a date (${mapping.dateFormats.join(', ')})`);
    else setPath(draft, DRAFT_KEY[field], value);
  }

  draft.lines = rows.map((row, i) => {
    const line: Record<string, unknown> = columns.line.lineNo === undefined ? { lineNo: i + 1 } : {};
    for (const [field, column] of Object.entries(columns.line) as [LineField, Column][]) {
      const cell = cellAt(row, column);
      if (cell === undefined) continue;
      const value = lineValue(field, cell, mapping);
      if (value === undefined) report(cellPath(row.number, column), `"${cell.text}" is not ${field === 'requestedDate' ? `a date (${mapping.dateFormats.join(', ')})` : field === 'lineNo' ? 'a line number' : 'a number'}`);
      else line[field] = value;
    }
    return line;
  });

  const result = orderDraftSchema.safeParse(draft, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issuePath(issue, rows, columns, orderPaths);
      report(path, issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message);
    }
  }
  const ref = po === '' ? `rows ${firstRow}-${lastRow}` : `poNumber=${po}`;
  return issues.length === 0 && result.success ? { ref, draft: result.data, issues } : { ref, issues };
}

/**
 * An order-level column repeats on every row of the order; it is read from the first row that has
 * it, and a later row that says something else is an error rather than silently overruled.
 */
function repeatedValue(rows: readonly SheetRow[], column: Column, report: (path: string, message: string) => void): { cell?: SheetCell; path: string } {
  let first: { cell: SheetCell; row: number } | undefined;
  for (const row of rows) {
    const cell = cellAt(row, column);
    if (cell === undefined) continue;
    if (first === undefined) first = { cell, row: row.number };
    else if (cell.text.trim() !== first.cell.text.trim()) {
      report(cellPath(row.number, column), `"${cell.text.trim()}" differs from row ${first.row} ("${first.cell.text.trim()}") of the same order`);
    }
  }
  return first === undefined ? { path: cellPath(rows[0]!.number, column) } : { cell: first.cell, path: cellPath(first.row, column) };
}

function orderValue(field: OrderField, cell: SheetCell, mapping: SpreadsheetMapping): string | undefined {
  if (field === 'deliveryDate') return dateText(cell, mapping.dateFormats);
  const text = cell.text.trim();
  return field === 'currency' ? text.toUpperCase() : text;
}

function lineValue(field: LineField, cell: SheetCell, mapping: SpreadsheetMapping): string | number | undefined {
  if (DECIMAL_FIELDS.has(field)) return decimalText(cell, mapping.decimalComma);
  if (field === 'lineNo') return integerText(cell);
  if (field === 'requestedDate') return dateText(cell, mapping.dateFormats);
  return cell.text.trim();
}

/** Where a schema problem sits in the sheet: the cell of a line field, or the source of an order field. */
function issuePath(issue: z.core.$ZodIssue, rows: readonly SheetRow[], columns: Columns, orderPaths: ReadonlyMap<string, string>): string {
  const [head, index, field] = issue.path;
  if (head === 'lines' && typeof index === 'number') {
    const row = rows[index]!.number;
    const column = columns.line[field as LineField];
    return column === undefined ? `row ${row}` : cellPath(row, column);
  }
  const key = issue.path.join('.');
  return orderPaths.get(key) ?? (key || 'order');
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const [head, tail] = dotted.split('.') as [string, string | undefined];
  if (tail === undefined) target[head] = value;
  else (target[head] as Record<string, unknown>)[tail] = value;
}
