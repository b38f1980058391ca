import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@napi-rs/canvas';
import pino from 'pino';
import { createOcrEngine, ocrEngineConfig, type OcrEngine, type OcrEngineConfigInput } from '../../../connectors/ocr/ocr-engine';
import { OcrInputError, OcrLanguageDataError } from '../../../connectors/ocr/ocr-errors';

/**
 * What the engine refuses, and PDFs read from their own text layer: everything here is decided
 * from headers or the PDF's text, so no page is recognised except the blank and noise images.
 */

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'contracts');
const log = pino({ level: 'silent' });
const fixture = (name: string): Buffer => readFileSync(join(CORPUS, name));

let dataDir: string;
const engines: OcrEngine[] = [];

function engine(overrides: Omit<OcrEngineConfigInput, 'dataDir'> = {}): OcrEngine {
  const created = createOcrEngine(ocrEngineConfig.parse({ dataDir, workers: 1, ...overrides }), log);
  engines.push(created);
  return created;
}

async function refusal(promise: Promise<unknown>): Promise<OcrInputError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OcrInputError) return err;
    throw err;
  }
  throw new Error('the input was accepted');
}

/** A PDF of `pages` pages with a line of text each, written the way the corpus's text-layer PDFs are. */
function manyPagePdf(pages: number): Buffer {
  const doc = new PDFDocument({ title: 'bulk' });
  for (let i = 0; i < pages; i += 1) {
    const ctx = doc.beginPage(595, 842);
    ctx.font = '12px "DejaVu Sans"';
    ctx.fillText(`Page ${i + 1} of a delivery schedule`, 50, 100);
    doc.endPage();
  }
  return doc.close();
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ocr-engine-inputs-'));
});

afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OCR engine inputs', () => {
  describe('when the input is refused before decoding', () => {
    it('names a file that is neither PNG, JPEG, TIFF nor PDF as unsupported, with its name', async () => {
      const docx = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200)]);
      const err = await refusal(engine().recognize({ body: docx, fileName: 'contract.docx' }));
      expect(err.code).toBe('ocr.unsupported_format');
      expect(err.category).toBe('user');
      expect(err.message).toContain('contract.docx');
    });

    it('refuses a file larger than maxInputBytes', async () => {
      const err = await refusal(engine({ maxInputBytes: 1000 }).recognize({ body: fixture('zh-purchase-01-clean.png') }));
      expect(err.code).toBe('ocr.too_large');
    });

    it('refuses a PNG declaring 50000 × 50000 pixels from its header', async () => {
      const bomb = fixture('bomb-50000x50000.png');
      expect(bomb.length).toBeLessThan(1024);
      const err = await refusal(engine().recognize({ body: bomb }));
      expect(err.code).toBe('ocr.too_many_pixels');
      expect(err.details).toEqual([{ path: 'pages[0]', message: '50000 × 50000' }]);
    });

    it('refuses a 200-page PDF whole, naming the page count', async () => {
      const err = await refusal(engine({ maxPages: 50 }).recognize({ body: manyPagePdf(200), fileName: 'schedule.pdf' }));
      expect(err.code).toBe('ocr.too_many_pages');
      expect(err.message).toContain('200 pages');
      expect(engines.at(-1)!.stats().pagesRecognized).toBe(0);
    });

    it('refuses a multi-page TIFF with more pages than maxPages', async () => {
      const err = await refusal(engine({ maxPages: 1 }).recognize({ body: fixture('en-supply-06-multipage.tif') }));
      expect(err.code).toBe('ocr.too_many_pages');
      expect(err.message).toContain('2 pages');
    });
  });

  describe('when the file is damaged', () => {
    it.each([
      ['an empty file', Buffer.alloc(0)],
      ['a PNG cut off inside its image data', fixture('corrupt.png')],
      ['a PDF cut off after its first kilobyte', fixture('zh-sales-11-scanned.pdf').subarray(0, 1024)],
    ])('reports %s as corrupt', async (_, body) => {
      expect((await refusal(engine().recognize({ body }))).code).toBe('ocr.corrupt');
    });
  });

  describe('when no page holds text', () => {
    it.each([['a blank scanned page', 'blank-page.png'], ['a photo-like image without writing', 'not-contract-noise.jpg']])('reports %s as blank', async (_, file) => {
      expect((await refusal(engine().recognize({ body: fixture(file) }))).code).toBe('ocr.blank');
    }, 120_000);
  });

  describe('when a PDF has a text layer', () => {
    it('reads an English contract from its text, with boxes on the page, without recognising any image', async () => {
      const reader = engine();
      const progress: [number, number][] = [];
      const doc = await reader.recognize({ body: fixture('en-purchase-03-textlayer.pdf') }, { onProgress: (done, total) => progress.push([done, total]) });
      expect(doc.pages).toHaveLength(1);
      const [page] = doc.pages;
      expect(page!.source).toBe('text-layer');
      expect(page!.text).toContain('Agreement No.: PA-2026-0777');
      expect(page!.text).toContain('Buyer: Summit Data Centers Inc.');
      expect(page!.text).toMatch(/Total\s+USD 78,750\.00/);
      const agreement = page!.lines.find((l) => l.text.startsWith('Agreement No.'))!;
      expect(agreement.confidence).toBe(100);
      expect(agreement.words.map((w) => w.text)).toEqual(['Agreement', 'No.:', 'PA-2026-0777']);
      for (const line of page!.lines) {
        expect(line.bbox.x0).toBeGreaterThanOrEqual(0);
        expect(line.bbox.x1).toBeLessThanOrEqual(page!.width);
        expect(line.bbox.y1).toBeLessThanOrEqual(page!.height);
      }
      expect(page!.lines.map((l) => l.bbox.y0)).toEqual([...page!.lines.map((l) => l.bbox.y0)].sort((a, b) => a - b));
      expect(progress).toEqual([[1, 1]]);
      expect(reader.stats().workersStarted).toBe(0);
    });

    it('reads a Chinese contract whose font maps characters to radicals (青 as ⻘) as the characters', async () => {
      const doc = await engine().recognize({ body: fixture('zh-purchase-21-textlayer.pdf') });
      const text = doc.pages[0]!.text;
      expect(doc.pages[0]!.source).toBe('text-layer');
      expect(text).toContain('合同编号：HT-2026-0211');
      expect(text).toContain('签订地点：南宁市青秀区');
      expect(text).toContain('合计人民币（大写）：叁拾伍万捌仟捌佰元整');
      expect(text).not.toMatch(/[\u2e80-\u2fdf]/u);
    });

    it('keeps the rendered page for reviewers when asked', async () => {
      const doc = await engine().recognize({ body: fixture('en-purchase-03-textlayer.pdf') }, { keepImages: true });
      const image = doc.pages[0]!.image!;
      expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(image.readUInt32BE(16)).toBe(doc.pages[0]!.width);
    });
  });

  describe('when the language data is missing', () => {
    it('refuses to start, naming the path it looked at', () => {
      let error: unknown;
      try {
        createOcrEngine(ocrEngineConfig.parse({ dataDir, languageDataPath: join(dataDir, 'no-such-folder') }), log);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(OcrLanguageDataError);
      expect((error as OcrLanguageDataError).code).toBe('ocr.language_data_missing');
      expect((error as Error).message).toContain(join(dataDir, 'no-such-folder', 'chi_sim.traineddata.gz'));
    });
  });

  describe('when the caller aborts before the document starts', () => {
    it('rejects with the abort reason and starts no worker', async () => {
      const reader = engine();
      const controller = new AbortController();
      controller.abort(new Error('upload cancelled'));
      await expect(reader.recognize({ body: fixture('zh-purchase-01-clean.png') }, { signal: controller.signal })).rejects.toThrow('upload cancelled');
      expect(reader.stats().workersStarted).toBe(0);
    });
  });
});
