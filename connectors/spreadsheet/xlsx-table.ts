import ExcelJS from 'exceljs';
import { Dec } from '../../core/order/money';
import type { SpreadsheetMapping } from './spreadsheet.mapping';
import { tableFailure, type SheetCell, type SheetRow, type TableResult } from './sheet-table';
import { readZipDirectory } from './zip-directory';

/**
 * An encrypted (password-protected) .xlsx is not a ZIP but an OLE compound file holding the
 * encrypted package (MS-OFFCRYPTO §2.3.4.1); so is a legacy .xls. Neither can be read without
 * the password or another reader, so both are named as such instead of "corrupt".
 */
const COMPOUND_FILE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Worksheet parts that carry presentation only: skipping them saves work on large, decorated sheets. */
const IGNORED_NODES = ['dataValidations', 'conditionalFormatting', 'hyperlinks', 'drawing', 'picture', 'extLst', 'headerFooter', 'pageSetup', 'printOptions', 'rowBreaks'];

/**
 * Excel keeps a number as an IEEE double and shows at most 15 significant digits (Excel
 * specifications and limits). exceljs hands us the double; its shortest round-trip rendering,
 * rounded to 15 digits, is exactly the number that was typed (any ≤15-digit decimal survives a
 * double), and for computed cells (0.1+0.2) the value Excel displays, not 0.30000000000000004.
 */
const EXCEL_SIGNIFICANT_DIGITS = 15;

export function isCompoundFile(body: Buffer): boolean {
  return body.subarray(0, COMPOUND_FILE_MAGIC.length).equals(COMPOUND_FILE_MAGIC);
}

/** Reads the mapped worksheet of an .xlsx into cells rendered as text, never as floats. */
export async function readXlsxTable(body: Buffer, mapping: SpreadsheetMapping): Promise<TableResult> {
  const { limits } = mapping;
  if (isCompoundFile(body)) {
    return tableFailure('spreadsheet.unreadable', '', 'the workbook is password-protected (encrypted) or an old .xls file; save it as an unprotected .xlsx');
  }
  const directory = readZipDirectory(body);
  if (!directory.ok && directory.reason === 'not_a_zip') return tableFailure('spreadsheet.unreadable', '', 'the file is not a readable .xlsx (ZIP) package');
  if (!directory.ok || directory.uncompressedBytes > limits.maxUncompressedBytes) {
    return tableFailure('document.too_large', '', `the workbook unpacks to more than ${limits.maxUncompressedBytes} bytes`);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types `load` as taking an ArrayBuffer; at run time JSZip reads Node Buffers directly, without a copy.
    await workbook.xlsx.load(body as unknown as Parameters<ExcelJS.Xlsx['load']>[0], { ignoreNodes: IGNORED_NODES });
  } catch (cause) {
    return tableFailure('spreadsheet.unreadable', '', `the workbook cannot be read: ${(cause as Error).message}`);
  }
  const sheet = mapping.sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(mapping.sheet);
  if (!sheet) {
    const names = workbook.worksheets.map((s) => `"${s.name}"`).join(', ') || 'none';
    return tableFailure('spreadsheet.sheet_missing', mapping.sheet ?? '', `no worksheet ${mapping.sheet === undefined ? 'in the workbook' : `named "${mapping.sheet}"`}; found ${names}`);
  }
  if (sheet.rowCount > mapping.headerRow + limits.maxRows) {
    return tableFailure('document.too_large', `sheet "${sheet.name}"`, `more than ${limits.maxRows} rows below the header`);
  }
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: (SheetCell | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      cells[column - 1] = cellOf(cell.value);
    });
    rows.push({ number, cells });
  });
  return { ok: true, table: { sheetName: sheet.name, rows } };
}

function cellOf(value: ExcelJS.CellValue): SheetCell | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return { text: numberText(value), kind: 'number' };
  if (typeof value === 'string') return { text: value, kind: 'text' };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', kind: 'text' };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { text: dateText(value), kind: 'date' };
  if ('richText' in value) return { text: value.richText.map((run) => run.text).join(''), kind: 'text' };
  if ('error' in value) return { text: String(value.error), kind: 'text' };
  // A formula counts by its cached result; a workbook saved without results (generated, never opened) has none.
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? undefined : cellOf(value.result as ExcelJS.CellValue);
  if ('hyperlink' in value) return { text: String(value.text), kind: 'text' };
  return undefined;
}

function numberText(value: number): string {
  return new Dec(String(value)).toSignificantDigits(EXCEL_SIGNIFICANT_DIGITS).toFixed();
}

/** exceljs builds dates in UTC from the serial number, so the UTC fields are the day in the cell. */
function dateText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
