import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { ParseResult } from '../../../connectors/connector';
import { spreadsheetOrderParser as parser } from '../../../connectors/spreadsheet/spreadsheet-order.parser';
import { xlsxFixtures, xlsxWithRows } from './xlsx-fixtures';

const DIR = join(__dirname, '../../fixtures/spreadsheet');
const fixture = (name: string): Buffer => readFileSync(join(DIR, name));
const json = (name: string): Record<string, unknown> => JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>;
const plain = (result: ParseResult): unknown => JSON.parse(JSON.stringify(result));

const BAD_ROWS_MAPPING = json('bad-rows.mapping.json');

describe('spreadsheet-order parser', () => {
  describe('when a fixture sheet is parsed with its mapping', () => {
    const csv = readdirSync(DIR).filter((name) => name.endsWith('.csv')).map((name) => name.replace(/\.csv$/, ''));
    it.each(csv)('%s.csv gives %s.expected.json', async (name) => {
      const result = await parser.parse(fixture(`${name}.csv`), { mapping: json(`${name}.mapping.json`) });
      expect(plain(result)).toEqual(json(`${name}.expected.json`));
    });
    it.each(Object.keys(xlsxFixtures))('%s.xlsx gives %s.expected.json', async (name) => {
      const result = await parser.parse(await xlsxFixtures[name]!(), { mapping: json(`${name}.mapping.json`) });
      expect(plain(result)).toEqual(json(`${name}.expected.json`));
    });
  });

  describe('when the same sheet comes in UTF-8 with a BOM and in GB18030 (the superset of GBK) without one', () => {
    it('reads the same orders from both', async () => {
      const utf8 = fixture('zh-utf8-bom.csv');
      const gbk = iconv.encode(utf8.subarray(3).toString('utf8'), 'gb18030');
      const mapping = json('zh-utf8-bom.mapping.json');
      expect(plain(await parser.parse(gbk, { mapping }))).toEqual(plain(await parser.parse(utf8, { mapping })));
    });
  });

  describe('when rows are bad', () => {
    it('names each by row and column and rejects only the order they belong to', async () => {
      const result = await parser.parse(fixture('bad-rows.csv'), { mapping: BAD_ROWS_MAPPING });
      expect(result.ok).toBe(true);
      const [good, bad] = result.orders;
      expect(good).toMatchObject({ ref: 'poNumber=PO-1', issues: [] });
      expect(good?.draft?.lines).toHaveLength(2);
      expect(bad?.draft).toBeUndefined();
      expect(bad?.issues).toContainEqual({ path: 'row 7, column "Qty"', message: '"abc" is not a number', code: 'spreadsheet.cell_invalid' });
      expect(result.issues).toEqual([expect.objectContaining({ path: 'row 6, column "PO"', code: 'spreadsheet.row_without_order' })]);
    });
  });

  describe('when the workbook cannot be read', () => {
    it.each([
      ['password-protected (an OLE compound file)', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)])],
      ['a corrupt ZIP', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('not really a zip at all')])],
    ])('%s is refused as spreadsheet.unreadable', async (_what, body) => {
      const result = await parser.parse(body, { mapping: BAD_ROWS_MAPPING });
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.unreadable', orders: [] });
      expect(result.issues[0]?.message).toBeTruthy();
    });
  });

  describe('when a file is over a cap', () => {
    const mapping = { lines: { sku: 'SKU', quantity: 'SKU', unitPrice: 'SKU' }, order: { customerName: { value: 'X' }, currency: { value: 'CNY' } } };
    it('refuses a file over maxBytes', async () => {
      const result = await parser.parse(fixture('bad-rows.csv'), { mapping: { ...BAD_ROWS_MAPPING, limits: { maxBytes: 100 } } });
      expect(result).toMatchObject({ ok: false, code: 'document.too_large' });
    });
    it('refuses a CSV and a workbook with more rows than maxRows, and takes one at the cap', async () => {
      const limits = { maxRows: 5 };
      const csv = (rows: number): Buffer => Buffer.from(['SKU', ...Array.from({ length: rows }, (_, i) => `S${i}`)].join('\n'));
      expect((await parser.parse(csv(6), { mapping: { ...mapping, limits } })).code).toBe('document.too_large');
      expect((await parser.parse(await xlsxWithRows(6), { mapping: { ...mapping, limits } })).code).toBe('document.too_large');
      expect((await parser.parse(await xlsxWithRows(5), { mapping: { ...mapping, limits } })).code).toBeUndefined();
    });
    it('refuses a workbook whose ZIP directory declares more than maxUncompressedBytes', async () => {
      const result = await parser.parse(await xlsxWithRows(5), { mapping: { ...mapping, limits: { maxUncompressedBytes: 1000 } } });
      expect(result).toMatchObject({ ok: false, code: 'document.too_large' });
    });
  });

  describe('when the mapping does not fit the sheet', () => {
    it('names every missing column and the headers found', async () => {
      const mapping = { ...BAD_ROWS_MAPPING, lines: { sku: 'Artikel', quantity: 'Qty', unitPrice: 'Preis' } };
      const result = await parser.parse(fixture('bad-rows.csv'), { mapping });
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.column_missing' });
      expect(result.issues.map((issue) => issue.message)).toEqual([
        'no column "Artikel" in the header row; found "PO", "Customer", "SKU", "Qty", "Price", "Due"',
        'no column "Preis" in the header row; found "PO", "Customer", "SKU", "Qty", "Price", "Due"',
      ]);
    });
    it('refuses a named worksheet that is not in the workbook', async () => {
      const result = await parser.parse(await xlsxFixtures['two-orders']!(), { mapping: { ...json('two-orders.mapping.json'), sheet: 'Orders' } });
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.sheet_missing' });
      expect(result.issues[0]?.message).toBe('no worksheet named "Orders"; found "说明", "Bestellungen"');
    });
    it('refuses an invalid mapping, naming its fields', async () => {
      const result = await parser.parse(fixture('bad-rows.csv'), { mapping: { lines: { sku: { letter: '7' } }, order: {} } });
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.mapping_invalid' });
      expect(result.issues.map((issue) => issue.path)).toEqual(
        expect.arrayContaining(['mapping.lines.sku.letter', 'mapping.lines.quantity', 'mapping.order.customerName', 'mapping.order.currency']),
      );
    });
    it('says so when there are no data rows below the header', async () => {
      const result = await parser.parse(Buffer.from('PO,Customer,SKU,Qty,Price,Due\n,,,,,\n'), { mapping: BAD_ROWS_MAPPING });
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.empty' });
    });
  });

  describe('sniff', () => {
    const xlsx = Buffer.from('PK\x03\x04rest', 'latin1');
    it.each([
      ['an .xlsx ZIP', true, xlsx, 'orders.XLSX'],
      ['a password-protected .xlsx', true, Buffer.from('d0cf11e0a1b11ae1', 'hex'), 'orders.xlsx'],
      ['a ZIP named .docx', false, xlsx, 'letter.docx'],
      ['a file named .csv', true, Buffer.from('anything'), 'export.csv'],
      ['unnamed text with a header row', true, Buffer.from('SKU;Qty;Price\r\nA-1;2;3.50\r\n'), undefined],
      ['GBK text with a header row', true, iconv.encode('物料编码,数量,单价\n A,1,2\n', 'gbk'), 'upload.txt'],
      ['an X12 interchange', false, Buffer.from('ISA*00*          *00*          *ZZ*SENDER~'), undefined],
      ['an XML document', false, Buffer.from('<?xml version="1.0"?>\n<cXML a="1,2"/>\n'), 'order.xml'],
      ['one line of prose', false, Buffer.from('Hello, world\n'), undefined],
      ['binary data', false, Buffer.from([0, 1, 2, 44, 10, 44, 10]), undefined],
    ] as const)('%s → %s', (_what, expected, body, name) => {
      expect(parser.sniff(body, name)).toBe(expected);
    });
  });
});
