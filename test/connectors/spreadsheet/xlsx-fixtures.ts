import ExcelJS from 'exceljs';

/**
 * The .xlsx fixtures, written with exceljs when the test runs: their content is readable here
 * rather than hidden in a binary. Each pairs with test/fixtures/spreadsheet/<name>.mapping.json and
 * <name>.expected.json like the CSV fixtures do.
 */
export const xlsxFixtures: Readonly<Record<string, () => Promise<Buffer>>> = {
  /** Two orders interleaved in one sheet (not the first), with numeric, date, formula and rich-text cells. */
  'two-orders': async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['Orders are on the next sheet']);
    const sheet = workbook.addWorksheet('Bestellungen');
    sheet.addRow(['订单号', '客户', '币种', '物料编码', '客户料号', '数量', '单位', '单价', '交货日期']);
    sheet.addRow(['PO-A1', '华东水务工程有限公司', 'CNY', 'PUMP-200', 'HD-P-01', 2, '台', 12160.5, new Date(Date.UTC(2027, 0, 15))]);
    // 88 × 1.1 is 96.80000000000001 as a double; Excel shows 96.8, and so must the order.
    sheet.addRow(['PO-B7', '上海建工机电有限公司', 'cny', 'PIPE-100', null, 150.5, '米', { formula: '88*1.1', result: 88 * 1.1 }, '2027/2/1']);
    sheet.addRow(['PO-A1', '华东水务工程有限公司', 'CNY', 'VALVE-DN50', { richText: [{ text: 'HD-' }, { font: { bold: true }, text: 'V-50' }] }, 20, '个', 460.5, new Date(Date.UTC(2027, 0, 15))]);
    sheet.getColumn(8).numFmt = '#,##0.00';
    sheet.getColumn(9).numFmt = 'yyyy-mm-dd';
    return Buffer.from(await workbook.xlsx.writeBuffer());
  },
  /** Decimal comma applies to text cells only: the numeric cell 2.5 must stay 2.5, not become 25. */
  'xlsx-decimal-comma': async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tabelle1');
    sheet.addRow(['Bestellnummer', 'Artikel', 'Menge', 'Preis']);
    sheet.addRow([4500012345, 'PUMP-200', 2.5, '1.234,50']);
    sheet.addRow([]);
    sheet.addRow([4500012345, 'CABLE-3x2,5', '1.250,5', 0.85]);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  },
};

/** A workbook with `rows` data rows under a one-column header, for the row cap. */
export async function xlsxWithRows(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(['SKU']);
  for (let i = 0; i < rows; i++) sheet.addRow([`SKU-${i}`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
