import type { ErrorDetail } from '../../core/errors/hub-error';
import type { EmailTemplate } from './email.mapping';
import { amountValue, dateFormats, dateValue, quantityValue } from './email-values';
import type { Table } from './html-body';
import { matchColumns, type OrderColumn } from './order-columns';

/** An order line as written in the mail, before any value is read; `where` names it in messages. */
export interface RawItem {
  readonly where: string;
  readonly values: Partial<Record<OrderColumn, string>>;
}

/** Order tables put their header in the first rows; a title or a customer block may sit above it. */
const HEADER_SEARCH_ROWS = 5;
/** Rows that sum up the table rather than order something. */
const TOTAL_ROW = /^(合计|總計|总计|小计|小計|合計|total|subtotal|grand total|sum)(?![a-z])/i;

/** The order lines of a table: rows under the header row that name a SKU and a quantity. */
export function tableItems(table: Table, template: EmailTemplate, where: string): RawItem[] | undefined {
  for (let h = 0; h < Math.min(HEADER_SEARCH_ROWS, table.length); h++) {
    const columns = matchColumns(table[h]!, template);
    if (!columns) continue;
    const items: RawItem[] = [];
    table.slice(h + 1).forEach((row, i) => {
      const first = row.find((cell) => cell !== '') ?? '';
      if (TOTAL_ROW.test(first.normalize('NFKC'))) return;
      const values: Partial<Record<OrderColumn, string>> = {};
      for (const [column, index] of Object.entries(columns) as [OrderColumn, number][]) {
        const cell = row[index]?.trim();
        if (cell) values[column] = cell;
      }
      if (values.sku !== undefined || values.quantity !== undefined) items.push({ where: `${where} row ${h + i + 2}`, values });
    });
    return items.length > 0 ? items : undefined;
  }
  return undefined;
}

/**
 * Reads each raw item's values into an order-line shape (still to be validated by the order
 * schema). A value that is there but unreadable is an issue; a missing one is left to the schema.
 */
export function orderLines(items: readonly RawItem[], template: EmailTemplate): { lines: Record<string, unknown>[]; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const bad = (item: RawItem, column: OrderColumn, text: string, what: string): void => {
    issues.push({ path: `${item.where} ${column}`, message: `"${text}" is not ${what}`, code: 'email.value_invalid' });
  };
  const lines = items.map((item, i) => {
    const { values } = item;
    const line: Record<string, unknown> = { lineNo: i + 1 };
    if (values.sku !== undefined) line.sku = values.sku;
    if (values.description !== undefined) line.description = values.description;
    if (values.customerSku !== undefined) line.customerSku = values.customerSku;
    if (values.uom !== undefined) line.uom = values.uom;
    if (values.quantity !== undefined) {
      const read = quantityValue(values.quantity, template.decimalComma);
      if (!read) bad(item, 'quantity', values.quantity, 'a quantity');
      else {
        line.quantity = read.quantity;
        if (read.uom !== undefined && line.uom === undefined) line.uom = read.uom;
      }
    }
    if (values.unitPrice !== undefined) {
      const price = amountValue(values.unitPrice, template.decimalComma);
      if (price === undefined) bad(item, 'unitPrice', values.unitPrice, 'a price');
      else line.unitPrice = price;
    }
    if (values.requestedDate !== undefined) {
      const date = dateValue(values.requestedDate, dateFormats(template));
      if (date === undefined) bad(item, 'requestedDate', values.requestedDate, `a date (${dateFormats(template).join(', ')})`);
      else line.requestedDate = date;
    }
    return line;
  });
  return { lines, issues };
}
