import type { ErrorDetail } from '../../core/errors/hub-error';

/**
 * What the CSV and the xlsx reader both hand to the row mapper: every cell as text, with how the
 * text was obtained, so decimal-comma and date rules apply only where they mean something.
 */
export interface SheetCell {
  readonly text: string;
  /**
   * `text`: as written (CSV, or an xlsx text cell): locale rules (decimal comma, date patterns) apply.
   * `number`: an xlsx numeric cell rendered as a plain decimal: locale-free.
   * `date`: an xlsx date cell rendered as YYYY-MM-DD (or a full ISO instant when it has a time).
   */
  readonly kind: 'text' | 'number' | 'date';
}

export interface SheetRow {
  /** 1-based, as a spreadsheet program shows it (for CSV: the record number, blank lines included). */
  readonly number: number;
  /** 0-based by column (A = 0); missing trailing cells are absent. */
  readonly cells: readonly (SheetCell | undefined)[];
}

export interface SheetTable {
  /** The worksheet read, for xlsx; absent for CSV. */
  readonly sheetName?: string;
  readonly rows: readonly SheetRow[];
}

/** Whole-file failure codes; each means nothing in the file is taken. */
export type SheetFailureCode =
  | 'spreadsheet.unreadable'
  | 'spreadsheet.sheet_missing'
  | 'spreadsheet.column_missing'
  | 'spreadsheet.mapping_invalid'
  | 'spreadsheet.empty'
  | 'document.too_large';

export type TableResult =
  | { readonly ok: true; readonly table: SheetTable }
  | { readonly ok: false; readonly code: SheetFailureCode; readonly issues: readonly ErrorDetail[] };

export function tableFailure(code: SheetFailureCode, path: string, message: string): Extract<TableResult, { ok: false }> {
  return { ok: false, code, issues: [{ path, message, code }] };
}

/** Column letter of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** 0-based index of a column letter: A → 0, AA → 26. */
export function columnIndex(letter: string): number {
  return [...letter.toUpperCase()].reduce((n, char) => n * 26 + (char.charCodeAt(0) - 64), 0) - 1;
}
