import ExcelJS from 'exceljs';
import type { OutboundDocument } from '../../../connectors/connector';
import { generateOrderSheetCsv, generateOrderSheetXlsx, type SpreadsheetMappingInput } from '../../../connectors/spreadsheet/order-sheet.generator';
import { spreadsheetOrderParser as parser } from '../../../connectors/spreadsheet/spreadsheet-order.parser';
import { ValidationError } from '../../../core/errors/validation.error';
import type { CanonicalOrder } from '../../../core/order/order.types';
import { makeOrder } from '../../support/order-factory';

/** Chinese headers, a date pattern with literal text, and a column placed by letter between header-mapped ones. */
const MAPPING: SpreadsheetMappingInput = {
  sheet: '订单',
  lines: { sku: '物料编码', quantity: '数量', unitPrice: '单价', uom: { letter: 'C' }, description: '描述' },
  order: { poNumber: '订单号', customerName: '客户', currency: { header: '币种' }, deliveryDate: '要求到货日期', paymentTerms: '付款条件' },
  dateFormats: ['YYYY年M月D日', 'YYYY-MM-DD'],
};

const DECIMAL_COMMA_MAPPING: SpreadsheetMappingInput = {
  lines: { sku: 'Artikel', quantity: 'Menge', unitPrice: 'Preis', uom: 'Einheit', description: 'Bezeichnung' },
  order: { poNumber: 'Bestellnummer', customerName: 'Kunde', currency: { value: 'EUR' }, deliveryDate: 'Liefertermin', paymentTerms: 'Zahlungsbedingungen' },
  dateFormats: ['DD.MM.YYYY'],
  decimalComma: true,
  delimiter: ';',
};

function orders(currency = 'CNY'): CanonicalOrder[] {
  return [
    makeOrder({
      poNumber: 'PO-2027-001',
      customer: { name: '华东水务工程有限公司' },
      currency,
      requestedDeliveryDate: '2027-01-05',
      paymentTerms: '月结30天, 货到验收后付款',
      lines: [
        { lineNo: 1, sku: '007', quantity: '0.333', uom: '吨', unitPrice: '12.50', description: 'Pipe 3", PN16\nflanged; 法兰' },
        { lineNo: 2, sku: 'VALVE-DN50', quantity: '1234.5', uom: '个', unitPrice: '460.5' },
      ],
    }),
    makeOrder({
      poNumber: 'PO-2027-002',
      customer: { name: '上海建工机电有限公司' },
      currency,
      requestedDeliveryDate: '2027-12-31',
      lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '2', uom: '台', unitPrice: '12160.00', description: '"quoted" pump' }],
    }),
  ];
}

/** What an order sheet carries of a canonical order under these mappings. */
function carried(order: CanonicalOrder) {
  return {
    poNumber: order.poNumber,
    customer: { name: order.customer.name },
    currency: order.currency,
    ...(order.requestedDeliveryDate === undefined ? {} : { requestedDeliveryDate: order.requestedDeliveryDate }),
    ...(order.paymentTerms === undefined ? {} : { paymentTerms: order.paymentTerms }),
    lines: order.lines.map(({ lineNo, sku, quantity, unitPrice, uom, description }) => ({ lineNo, sku, quantity, unitPrice, uom, ...(description === undefined ? {} : { description }) })),
  };
}

async function readBack(document: OutboundDocument, mapping: SpreadsheetMappingInput) {
  const result = await parser.parse(document.body, { mapping });
  expect(result.issues).toEqual([]);
  expect(result.orders.flatMap((order) => order.issues)).toEqual([]);
  return result.orders.map((order) => order.draft);
}

describe('order sheet round trip', () => {
  describe('as CSV', () => {
    it('reads back the same orders with the same mapping', async () => {
      const sent = orders();
      expect(await readBack(generateOrderSheetCsv(sent, MAPPING), MAPPING)).toEqual(sent.map(carried));
    });

    it('is UTF-8 with a BOM, one CRLF row per line, quoting commas, quotes and line breaks', () => {
      const document = generateOrderSheetCsv(orders(), MAPPING);
      expect([document.format, document.contentType, document.fileName]).toEqual(['spreadsheet-order', 'text/csv; charset=utf-8', 'order-sheet-PO-2027-001-PO-2027-002.csv']);
      expect([...document.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = document.body.subarray(3).toString('utf8');
      expect(text.split('\r\n')).toEqual([
        '订单号,客户,uom,币种,要求到货日期,付款条件,物料编码,数量,单价,描述',
        'PO-2027-001,华东水务工程有限公司,吨,CNY,2027年1月5日,"月结30天, 货到验收后付款",007,0.333,12.50,"Pipe 3"", PN16\nflanged; 法兰"',
        'PO-2027-001,华东水务工程有限公司,个,CNY,2027年1月5日,"月结30天, 货到验收后付款",VALVE-DN50,1234.5,460.5,',
        'PO-2027-002,上海建工机电有限公司,台,CNY,2027年12月31日,,PUMP-200,2,12160.00,"""quoted"" pump"',
        '',
      ]);
    });

    it('reads back the same orders under a decimal-comma mapping with ; and a fixed currency', async () => {
      const sent = orders('EUR');
      const document = generateOrderSheetCsv(sent, DECIMAL_COMMA_MAPPING);
      expect(document.body.toString('utf8')).toContain('PO-2027-002;上海建工机电有限公司;31.12.2027;;PUMP-200;2;"12160,00";');
      expect(await readBack(document, DECIMAL_COMMA_MAPPING)).toEqual(sent.map(carried));
    });
  });

  describe('as XLSX', () => {
    it('reads back the same orders with the same mapping', async () => {
      const sent = orders();
      expect(await readBack(await generateOrderSheetXlsx(sent, MAPPING), MAPPING)).toEqual(sent.map(carried));
    });

    it('writes every cell as text in the mapped worksheet', async () => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await generateOrderSheetXlsx(orders(), MAPPING)).body as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
      const row = workbook.getWorksheet('订单')!.getRow(2);
      expect([7, 8, 9].map((column) => row.getCell(column).value)).toEqual(['007', '0.333', '12.50']);
      expect([7, 8, 9].map((column) => row.getCell(column).numFmt)).toEqual(['@', '@', '@']);
    });
  });

  describe('when the orders do not fit the mapping', () => {
    it('refuses what the sheet would give back differently', () => {
      const noPo = { ...DECIMAL_COMMA_MAPPING, order: { customerName: 'Kunde', currency: { value: 'EUR' } } };
      const messages = (details: readonly { message: string }[]) => details.map((detail) => detail.message);
      let thrown: unknown;
      try {
        generateOrderSheetCsv(orders('CNY'), noPo);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect(messages((thrown as ValidationError).details)).toEqual([
        '2 orders would be read back as one: the mapping has no PO column',
        'currency is "CNY" but the mapping fixes it as "EUR"',
        'currency is "CNY" but the mapping fixes it as "EUR"',
      ]);
    });
  });
});
