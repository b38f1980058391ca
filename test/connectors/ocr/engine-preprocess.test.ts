import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePage, imagePages } from '../../../connectors/ocr/image-pages';
import { ocrEngineConfig } from '../../../connectors/ocr/ocr-engine.config';
import { foldRadicals, joinWords } from '../../../connectors/ocr/ocr-text';
import { preparePage } from '../../../connectors/ocr/preprocess';

/** Page clean-up before recognition, on corpus images (no OCR), and how words become line text. */

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'contracts');
const defaults = ocrEngineConfig.parse({});
/** A page takes under a second alone, several while OCR suites share the machine. */
const PAGE_TIMEOUT = 60_000;

async function prepare(file: string, format: 'png' | 'jpeg' | 'tiff') {
  const body = readFileSync(join(CORPUS, file));
  const [page] = await imagePages(body, format, defaults);
  return preparePage(decodePage(body, page!, defaults.maxPixelsPerPage), page!, defaults);
}

describe('page clean-up', () => {
  describe('when a page was scanned crooked', () => {
    it.each([
      ['zh-purchase-03-skew.png', 2.2],
      ['zh-sales-04-skew.png', -3.5],
      ['zh-purchase-01-clean.png', 0],
    ])('turns %s back by the angle it was rendered at (%d°)', async (file, angle) => {
      const prepared = await prepare(file, 'png');
      expect(Math.abs(prepared.skew - angle)).toBeLessThanOrEqual(0.2);
    }, PAGE_TIMEOUT);
  });

  describe('when the resolution tag says 150 DPI', () => {
    it('scales the page to 300 DPI and tags it so', async () => {
      const prepared = await prepare('zh-purchase-08-lowres.png', 'png');
      expect(prepared.width).toBe(2480);
      const meta = await sharp(prepared.png).metadata();
      expect(meta.density).toBe(300);
      expect(meta.channels).toBe(1);
    }, PAGE_TIMEOUT);
  });

  describe('when a phone photo claims 72 DPI', () => {
    it('takes the page for A4 and scales it to about 300 DPI', async () => {
      const prepared = await prepare('zh-sales-09-photo.jpg', 'jpeg');
      expect(prepared.height).toBeGreaterThan(3300);
      expect(prepared.height).toBeLessThan(3700);
    }, PAGE_TIMEOUT);
  });
});

describe('line text from words', () => {
  it('joins Chinese characters without spaces and keeps spaces between Latin words', () => {
    const words = [
      { text: '合', x0: 0, x1: 40 },
      { text: '同', x0: 46, x1: 86 },
      { text: '编号', x0: 92, x1: 172 },
      { text: ':', x0: 176, x1: 184 },
      { text: 'HT-2026-0012', x0: 200, x1: 460 },
      { text: 'Net', x0: 480, x1: 540 },
      { text: '30', x0: 552, x1: 590 },
    ];
    expect(joinWords(words, 50)).toBe('合同编号: HT-2026-0012 Net 30');
  });

  it('keeps a visible gap between Chinese cells of a table row as a space', () => {
    expect(joinWords([{ text: '离心泵', x0: 100, x1: 220 }, { text: '台', x0: 600, x1: 640 }], 50)).toBe('离心泵 台');
  });

  it('maps radicals that PDF fonts produce to the characters they stand for', () => {
    expect(foldRadicals('南宁市⻘秀区⺠族大道，⾦额')).toBe('南宁市青秀区民族大道，金额');
  });
});
