import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractExtractionConfig } from '../../../connectors/ocr/contract-extraction.config';
import { extractContract, type ContractExtraction } from '../../../connectors/ocr/contract-extractor';
import type { OcrDocument } from '../../../connectors/ocr/ocr-document';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { CORPUS_DIR, corpusSamples, expectedFields, judge } from '../../bench/ocr/contract-corpus';
import { textDocument, type TextDocumentOptions } from '../../support/ocr-text-document';

const OPTIONS = contractExtractionConfig.parse({});

function corpusText(name: string): string {
  return readFileSync(join(CORPUS_DIR, `${name}.txt`), 'utf8');
}

function extract(text: string, options: TextDocumentOptions = {}): ContractExtraction {
  return extractContract(textDocument(text, options), OPTIONS);
}

function field(extraction: ContractExtraction, path: string): string | undefined {
  return extraction.fields.find((f) => f.path === path)?.value;
}

function doubtsOn(extraction: ContractExtraction, path: string): string[] {
  return extraction.doubts.filter((d) => d.path === path).map((d) => d.code);
}

const contracts = corpusSamples().filter((s) => s.expected.isContract);

describe('contract extraction from OCR text', () => {
  describe('when each corpus contract is read cleanly (every word at confidence 95)', () => {
    it.each(contracts.map((s) => [s.name, s] as const))('%s gives every field of its .expected.json', (_name, sample) => {
      const extraction = extract(sample.text);
      const result = judge(sample, extraction);
      expect(extraction.isContract).toBe(true);
      expect(result.fields.filter((f) => f.outcome !== 'correct')).toEqual([]);
      expect(result.fields.length).toBe(expectedFields(sample.expected).size);
    });

    it.each(contracts.map((s) => [s.name, s] as const))('%s goes to review exactly when the oracle says it should', (_name, sample) => {
      const extraction = extract(sample.text);
      expect(extraction.doubts.length > 0).toBe(sample.expected.expectReview);
      expect(extraction.draft).toBeDefined();
    });
  });

  it('builds a draft the order schema accepts, with the seller in the notes', () => {
    const extraction = extract(corpusText('zh-purchase-01-clean'));
    expect(orderDraftSchema.parse(extraction.draft)).toMatchObject({
      poNumber: 'HT-2026-0012',
      customer: { name: '上海华东水务工程有限公司' },
      currency: 'CNY',
      requestedDeliveryDate: '2026-05-20',
      shipTo: { street: '上海市青浦区华新镇泵站工地' },
      paymentTerms: '合同签订后预付30%，货到验收合格后30日内付清余款。',
      notes: 'Seller: 江苏恒力泵业有限公司',
      claimedTotals: { gross: '39400.00' },
      lines: [
        { lineNo: 1, sku: 'IS80-65-160', description: '离心泵', quantity: '2', uom: '台', unitPrice: '12160.00' },
        { lineNo: 2, sku: 'Z41H-16C DN50', description: '闸阀', quantity: '20', uom: '个', unitPrice: '460.00' },
        { lineNo: 3, sku: 'H44H-16 DN80', description: '止回阀', quantity: '8', uom: '个', unitPrice: '735.00' },
      ],
    });
    expect(extraction.confidence).toBeGreaterThanOrEqual(0.9);
  });

  describe('when OCR is unsure of some words', () => {
    const unsure = (word: string): TextDocumentOptions => ({ confidence: (w) => (w === word ? 40 : 95) });

    it('puts a low-confidence doubt on every field containing such a word, with its page and box', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean'), unsure('泵'));
      expect(doubtsOn(extraction, 'seller.name')).toEqual(['ocr.low_confidence']);
      expect(doubtsOn(extraction, 'lines[0].description')).toEqual(['ocr.low_confidence']);
      expect(doubtsOn(extraction, 'shipTo.street')).toEqual(['ocr.low_confidence']);
      expect(doubtsOn(extraction, 'customer.name')).toEqual([]);
      const doubt = extraction.doubts.find((d) => d.path === 'lines[0].description')!;
      expect(doubt.page).toBe(0);
      expect(doubt.bbox!.x1).toBeGreaterThan(doubt.bbox!.x0);
      expect(doubt.message).toContain('0.40');
      expect(extraction.confidence).toBeLessThan(0.5);
    });

    it('takes the weakest word of a value, not the mean', () => {
      const extraction = extract(corpusText('en-purchase-01-clean'), unsure('Pump'));
      expect(extraction.fields.find((f) => f.path === 'seller.name')!.confidence).toBeCloseTo(0.4);
    });

    it('lets a figure that the cross-checks confirm stand even when its words were unsure', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean'), unsure('12,160.00'));
      expect(field(extraction, 'lines[0].unitPrice')).toBe('12160.00');
      expect(doubtsOn(extraction, 'lines[0].unitPrice')).toEqual([]);
    });
  });

  describe('when a value was misread with high confidence', () => {
    it('catches a misread quantity through quantity × unit price and the total', () => {
      const misread = corpusText('zh-purchase-01-clean').replace('|台|2|', '|台|7|');
      const extraction = extract(misread);
      expect(field(extraction, 'lines[0].quantity')).toBe('7');
      expect(doubtsOn(extraction, 'lines[0].quantity')).toContain('ocr.line_amount_mismatch');
    });

    it('doubts a model number with a letter among its digits', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean').replace('IS80-65-160', '1S80-65-160'));
      expect(doubtsOn(extraction, 'lines[0].sku')).toEqual(['ocr.low_confidence']);
    });

    it('doubts a model with X between figures, which is how OCR reads ×', () => {
      const extraction = extract(corpusText('zh-sales-07-stamp').replace('600×600 36W', '600 X 600 36W'));
      expect(doubtsOn(extraction, 'lines[0].sku')).toEqual(['ocr.low_confidence']);
    });

    it('doubts a contract number with an O among its digits', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean').replace('HT-2026-0012', 'HT-2026-0O12'));
      expect(doubtsOn(extraction, 'poNumber')).toEqual(['ocr.low_confidence']);
    });

    it('reads a total printed with O for 0', () => {
      const extraction = extract(corpusText('zh-sales-02-clean').replace('合计金额：¥93,180.00', '合计金额：¥93,18O.OO'));
      expect(field(extraction, 'claimedTotals.gross')).toBe('93180.00');
    });

    it('reads 大写 written with characters OCR confuses (什 for 仟, 参 for 叁) and checks it against the figure', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean').replace('叁万玖仟肆佰元整', '参万玖什肆佰元整'));
      expect(field(extraction, 'amountInWords')).toBe('叁万玖仟肆佰元整');
      expect(doubtsOn(extraction, 'amountInWords')).toEqual([]);
    });

    it('doubts a 大写 amount with a character that is no numeral, rather than reading the rest of it', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean').replace('叁万玖仟肆佰元整', '伟万玖仟肆佰元整'));
      expect(field(extraction, 'amountInWords')).toBeUndefined();
      expect(doubtsOn(extraction, 'amountInWords')).toEqual(['ocr.unreadable_value']);
    });

    it('names the party read two different ways in the heading and the signature block', () => {
      const text = corpusText('zh-purchase-06-jpeg').replace('甲方：深圳前海数智科技有限公司', '甲方：深圳前海数智料技有限公司');
      const extraction = extract(text);
      expect(field(extraction, 'customer.name')).toBe('深圳前海数智科技有限公司');
      expect(doubtsOn(extraction, 'customer.name')).toEqual(['ocr.low_confidence']);
    });
  });

  describe('when OCR lost or misplaced table cells', () => {
    const clean = corpusText('zh-purchase-01-clean');

    it('reads the figures of number columns whose header cells were lost, and checks them', () => {
      const extraction = extract(clean.replace('序号|产品名称|规格型号|单位|数量|单价（元）|金额（元）', '序号|产品名称|规格型号|单位|||'));
      expect(extraction.draft?.lines).toEqual([
        expect.objectContaining({ sku: 'IS80-65-160', quantity: '2', unitPrice: '12160.00' }),
        expect.objectContaining({ sku: 'Z41H-16C DN50', quantity: '20', unitPrice: '460.00' }),
        expect.objectContaining({ sku: 'H44H-16 DN80', quantity: '8', unitPrice: '735.00' }),
      ]);
      expect(extraction.doubts).toEqual([]);
    });

    it('fills in a quantity OCR did not read from amount ÷ unit price, with a doubt saying so', () => {
      const extraction = extract(clean.replace('|台|2|12,160.00|', '|台||12,160.00|'));
      expect(field(extraction, 'lines[0].quantity')).toBe('2');
      expect(extraction.doubts.find((d) => d.path === 'lines[0].quantity')).toMatchObject({ code: 'ocr.missing', message: expect.stringContaining('24320.00 ÷ 12160.00 = 2') });
    });

    it('keeps each unit on its own row when tesseract reads the unit column downwards as one line', () => {
      const doc = textDocument(clean);
      const page = doc.pages[0]!;
      const units = page.lines.filter((line) => ['台', '个'].includes(line.text) && line.bbox.y0 > 1000);
      const column = { text: units.map((l) => l.text).join(' '), confidence: 95, bbox: { x0: units[0]!.bbox.x0, y0: units[0]!.bbox.y0, x1: units[0]!.bbox.x1, y1: units[2]!.bbox.y1 }, words: units.flatMap((l) => l.words) };
      const merged: OcrDocument = { pages: [{ ...page, lines: [...page.lines.filter((l) => !units.includes(l)), column] }] };
      const extraction = extractContract(merged, OPTIONS);
      expect(extraction.draft?.lines.map((l) => l.uom)).toEqual(['台', '个', '个']);
    });

    it('doubts a unit that is no unit of measure (十克 read for 千克) and a unit missing on one line', () => {
      const extraction = extract(clean.replace('|台|2|', '|十克|2|').replace('|个|20|', '||20|'));
      expect(doubtsOn(extraction, 'lines[0].uom')).toEqual(['ocr.low_confidence']);
      expect(doubtsOn(extraction, 'lines[1].uom')).toEqual(['ocr.missing']);
    });
  });

  describe('when the figures of a contract disagree', () => {
    it('puts totals_mismatch on the total and every line amount when the lines do not add up (合计 56,300 ≠ 50,200)', () => {
      const extraction = extract(corpusText('zh-purchase-15-review-totals'));
      expect(doubtsOn(extraction, 'claimedTotals.gross')).toEqual(['ocr.totals_mismatch']);
      expect(doubtsOn(extraction, 'lines[0].amount')).toEqual(['ocr.totals_mismatch']);
      expect(doubtsOn(extraction, 'lines[1].amount')).toEqual(['ocr.totals_mismatch']);
    });

    it('puts amount_in_words_mismatch on 大写 and the total when they differ (壹拾贰万捌仟 ≠ 128,900.00)', () => {
      const extraction = extract(corpusText('zh-sales-16-review-words'));
      expect(doubtsOn(extraction, 'amountInWords')).toEqual(['ocr.amount_in_words_mismatch']);
      expect(doubtsOn(extraction, 'claimedTotals.gross')).toEqual(['ocr.amount_in_words_mismatch']);
      expect(extraction.doubts.find((d) => d.path === 'amountInWords')!.message).toContain('128000.00');
    });

    it('puts line_amount_mismatch on the amount, quantity and unit price of a line whose product is wrong (450 × 15.60 ≠ 7,125.00)', () => {
      const extraction = extract(corpusText('en-purchase-05-review-line'));
      for (const path of ['lines[1].amount', 'lines[1].quantity', 'lines[1].unitPrice']) expect(doubtsOn(extraction, path)).toEqual(['ocr.line_amount_mismatch']);
      expect(doubtsOn(extraction, 'lines[0].amount')).toEqual([]);
    });
  });

  describe('when something the order needs is not on the page', () => {
    it('doubts the missing contract number and still builds the draft', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean').replace('合同编号：HT-2026-0012\n', ''));
      expect(doubtsOn(extraction, 'poNumber')).toEqual(['ocr.missing']);
      expect(extraction.draft).toBeDefined();
      expect(extraction.confidence).toBe(0);
    });

    it('builds no draft without a buyer, and says so', () => {
      const text = corpusText('zh-purchase-01-clean').replace('甲方（需方）：上海华东水务工程有限公司\n', '').replace('甲方（盖章）：', '盖章：');
      const extraction = extract(text);
      expect(extraction.isContract).toBe(true);
      expect(doubtsOn(extraction, 'customer.name')).toEqual(['ocr.missing']);
      expect(extraction.draft).toBeUndefined();
    });

    it('assumes the configured currency with a doubt when no currency is written', () => {
      const text = corpusText('en-purchase-02-skew-jpeg').replace('EUR 77,335.00', '77,335.00');
      const extraction = extract(text);
      expect(extraction.draft?.currency).toBe('CNY');
      expect(doubtsOn(extraction, 'currency')).toEqual(['ocr.missing']);
    });

    it('doubts a delivery date that names no calendar day', () => {
      const extraction = extract(corpusText('zh-purchase-01-clean').replace('2026年5月20日前', '合同签订后30天内'));
      expect(doubtsOn(extraction, 'requestedDeliveryDate')).toEqual(['ocr.unreadable_value']);
    });
  });

  describe('when the document is not a contract', () => {
    it('recognises a delivery note (送货单: no contract words, parties or prices) and says why', () => {
      const extraction = extract(corpusText('not-contract-delivery-note'));
      expect(extraction).toMatchObject({ isContract: false, fields: [], doubts: [] });
      expect(extraction.reason).toContain('no contract words');
      expect(extraction.reason).toContain('no item table with quantities and prices');
    });

    it('recognises an empty page', () => {
      const empty: OcrDocument = { pages: [{ index: 0, width: 2480, height: 3508, source: 'ocr', text: '', lines: [] }] };
      expect(extractContract(empty, OPTIONS)).toMatchObject({ isContract: false, reason: 'no text on the page' });
    });
  });

  describe('when the page is skewed', () => {
    it('still joins each table row whose cells drift downwards across the page (2°)', () => {
      const doc = textDocument(corpusText('zh-sales-18-six-lines'));
      const tan = Math.tan((2 * Math.PI) / 180);
      const skew = <T extends { bbox: { x0: number; y0: number; x1: number; y1: number } }>(item: T): T => ({ ...item, bbox: { ...item.bbox, y0: item.bbox.y0 + item.bbox.x0 * tan, y1: item.bbox.y1 + item.bbox.x0 * tan } });
      const skewed: OcrDocument = { pages: doc.pages.map((page) => ({ ...page, lines: page.lines.map((line) => ({ ...skew(line), words: line.words.map(skew) })) })) };
      const extraction = extractContract(skewed, OPTIONS);
      expect(extraction.draft?.lines).toHaveLength(6);
      expect(field(extraction, 'lines[5].sku')).toBe('M20×80 10.9级');
      expect(field(extraction, 'lines[5].amount')).toBe('15600.00');
    });
  });
});
