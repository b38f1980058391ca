import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@napi-rs/canvas';
import pino from 'pino';
import type { FormatParser, ParseResult } from '../../../connectors/connector';
import { createContractScanParser } from '../../../connectors/ocr/contract-scan.parser';
import { createOcrEngine, ocrEngineConfig, type OcrEngine } from '../../../connectors/ocr/ocr-engine';
import { parseReading } from '../../../connectors/ocr/ocr-reading';
import { createDisabledContractScanParser } from '../../../connectors/ocr/scan-format';
import { CORPUS_DIR } from '../../bench/ocr/contract-corpus';

/**
 * The contract-scan parser on the real OCR engine. Its PDFs have a text layer, which the engine
 * reads without tesseract, so these run in about a second; the images it refuses are refused from
 * their headers. OCR of images is test/e2e/ocr.test.ts's business.
 */

const corpus = (name: string): Buffer => readFileSync(join(CORPUS_DIR, name));
const CONTRACT = 'en-purchase-03-textlayer.pdf';

/** A4 at 300 DPI, drawn into a 72-unit PDF page: text stays text, as a PDF writer leaves it. */
const PAGE = { width: 2480, height: 3508, margin: 210, size: 42, lineHeight: 74, cellPad: 16 };

/**
 * A one-page PDF with a text layer: each entry a line of text, or a table row whose cells go in
 * columns as wide as the widest cell, as the corpus renderer draws them.
 */
function textLayerPdf(lines: readonly (string | readonly string[])[]): Buffer {
  const doc = new PDFDocument({ title: 'test contract' });
  const ctx = doc.beginPage(595.28, 841.89);
  ctx.scale(72 / 300, 72 / 300);
  ctx.font = `${PAGE.size}px "DejaVu Sans"`;
  ctx.fillStyle = '#000';
  const rows = lines.filter((l): l is readonly string[] => Array.isArray(l));
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => ctx.measureText(r[c] ?? '').width)) + 6 * PAGE.cellPad);
  lines.forEach((line, i) => {
    const y = PAGE.margin + (i + 1) * PAGE.lineHeight;
    if (typeof line === 'string') ctx.fillText(line, PAGE.margin, y);
    else line.reduce((x, cell, c) => (ctx.fillText(cell, x + PAGE.cellPad, y), x + widths[c]!), PAGE.margin);
  });
  doc.endPage();
  return doc.close();
}

/** en-purchase-03's agreement, with a total that is not the sum of its lines. */
const WRONG_TOTAL = textLayerPdf([
  'PURCHASE AGREEMENT',
  'Agreement No.: PA-2026-0901',
  'Date: July 7, 2026',
  'Buyer: Summit Data Centers Inc.',
  'Seller: Redline Power Solutions LLC',
  ['No.', 'Description', 'Model', 'Qty', 'Unit', 'Unit Price (USD)', 'Amount (USD)'],
  ['1', 'UPS system 40 kVA', 'RP-UPS40', '3', 'EA', '18,400.00', '55,200.00'],
  ['2', 'Battery cabinet', 'RP-BC40', '3', 'EA', '6,250.00', '18,750.00'],
  ['Total', '', '', '', '', '', 'USD 80,000.00'],
  '2. Delivery date: August 28, 2026',
  '3. Delivery place: Summit DC2, 510 Technology Parkway, Austin, TX',
  '4. Payment terms: Net 45 days from date of invoice',
]);

const DELIVERY_NOTE = textLayerPdf(['DELIVERY NOTE', 'Delivery note No.: DN-2026-4471', 'Consignee: Summit DC2, Austin, TX', ['Item', 'Qty'], ['Battery cabinet', '3']]);

describe('the contract-scan parser', () => {
  describe('when the hub sniffs a file', () => {
    const parser = createDisabledContractScanParser();

    it.each(['zh-purchase-01-clean.png', 'en-purchase-02-skew-jpeg.jpg', 'en-supply-06-multipage.tif', CONTRACT])('claims %s by its bytes', (name) => {
      expect(parser.sniff(corpus(name))).toBe(true);
    });

    it.each([
      ['a CSV sheet named like an image', Buffer.from('型号,数量\nPUMP-200,2\n'), 'scan.png'],
      ['an X12 interchange', Buffer.from('ISA*00*          *00*'), 'po.edi'],
      ['an XML order', Buffer.from('<?xml version="1.0"?><Order/>'), 'po.xml'],
      ['a mail', Buffer.from('From: a@b.cn\r\nSubject: x\r\n\r\nhi'), 'mail.eml'],
      ['an empty file', Buffer.alloc(0), 'empty.pdf'],
    ])('does not claim %s', (_what, body, name) => {
      expect(parser.sniff(body, name)).toBe(false);
    });
  });

  describe('when OCR is off', () => {
    it('quarantines every scan as ocr.disabled, naming the file, so it can be replayed once OCR is on', async () => {
      const result = await createDisabledContractScanParser().parse(corpus(CONTRACT), { mapping: {}, fileName: CONTRACT });
      expect(result).toMatchObject({ ok: false, code: 'ocr.disabled', orders: [], issues: [{ path: CONTRACT, code: 'ocr.disabled' }] });
    });
  });

  describe('with the OCR engine', () => {
    let engine: OcrEngine;
    let dataDir: string;
    let parser: FormatParser;

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'order-hub-scan-parser-'));
      engine = createOcrEngine(ocrEngineConfig.parse({ workers: 1, dataDir }), pino({ level: 'silent' }));
      parser = createContractScanParser(engine, { minConfidence: 0.93, defaultCurrency: 'CNY' });
    });

    afterAll(async () => {
      await engine?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    describe('when the document is a contract', () => {
      let result: ParseResult;
      const progress: [number, number][] = [];

      beforeAll(async () => {
        result = await parser.parse(corpus(CONTRACT), { mapping: {}, fileName: CONTRACT, contentType: 'application/pdf', onProgress: (done, total) => progress.push([done, total]) });
      }, 60_000);

      it('gives one order, read with full confidence from the text layer, and reports each page done', () => {
        expect(result).toMatchObject({ ok: true, issues: [], orders: [{ ref: 'contract', issues: [], doubts: [], confidence: 1 }] });
        expect(result.orders[0]!.draft).toMatchObject({ poNumber: 'PA-2026-0777', customer: { name: 'Summit Data Centers Inc.' }, currency: 'USD', requestedDeliveryDate: '2026-08-28' });
        expect(result.orders[0]!.draft!.lines).toHaveLength(3);
        expect(progress).toEqual([[1, 1]]);
      });

      it('hands back what it saw for reviewers: the page image and each field with its page and box', () => {
        expect(result.reading).toMatchObject({ format: 'ocr-result', fileName: `${CONTRACT}.ocr.json`, contentType: 'application/json' });
        const reading = parseReading(result.reading!.body);
        expect(reading.pages).toHaveLength(1);
        const png = Buffer.from(reading.pages[0]!.png!, 'base64');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([reading.pages[0]!.width, reading.pages[0]!.height]);
        const po = reading.fields.find((f) => f.path === 'poNumber');
        expect(po).toMatchObject({ value: 'PA-2026-0777', page: 0 });
        expect(po!.bbox!.x1).toBeGreaterThan(po!.bbox!.x0);
      });
    });

    describe('when the contract contradicts itself', () => {
      it('still gives the order, with each doubt as an ocr warning naming the field and the page', async () => {
        const result = await parser.parse(WRONG_TOTAL, { mapping: {}, fileName: 'wrong-total.pdf' });
        expect(result.ok).toBe(true);
        const [order] = result.orders;
        expect(order!.draft).toMatchObject({ poNumber: 'PA-2026-0901', claimedTotals: { gross: '80000.00' } });
        expect(order!.doubts).toContainEqual({ rule: 'ocr', code: 'ocr.totals_mismatch', path: 'claimedTotals.gross', message: expect.stringMatching(/\(page 1\)$/) });
        expect(parseReading(result.reading!.body).doubts).toContainEqual(expect.objectContaining({ path: 'claimedTotals.gross', code: 'ocr.totals_mismatch', page: 0 }));
      }, 60_000);
    });

    describe('when the document cannot or must not be read', () => {
      it.each([
        ['a PNG cut short', 'corrupt.png', 'ocr.corrupt'],
        ['a PNG declaring 50000 × 50000 pixels', 'bomb-50000x50000.png', 'ocr.too_many_pixels'],
      ])('refuses %s with the engine\'s code, naming the file and the page', async (_what, name, code) => {
        const result = await parser.parse(corpus(name), { mapping: {}, fileName: name });
        expect(result).toMatchObject({ ok: false, code, orders: [], issues: [{ path: name, code, message: expect.stringMatching(/^page 1 /) }, { path: 'pages[0]' }] });
      });

      it('refuses an empty file as ocr.corrupt, naming the file', async () => {
        const result = await parser.parse(Buffer.alloc(0), { mapping: {}, fileName: 'empty.png' });
        expect(result).toMatchObject({ ok: false, code: 'ocr.corrupt', issues: [{ path: 'empty.png', code: 'ocr.corrupt' }] });
      });

      it('refuses a document that is no contract as ocr.not_a_contract, saying why', async () => {
        const result = await parser.parse(DELIVERY_NOTE, { mapping: {}, fileName: 'note.pdf' });
        expect(result).toMatchObject({ ok: false, code: 'ocr.not_a_contract', orders: [], issues: [{ path: 'note.pdf', code: 'ocr.not_a_contract' }] });
        expect(result.issues[0]!.message).toMatch(/^not a contract: ./);
      }, 60_000);
    });
  });
});
