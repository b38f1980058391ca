import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { prepareLanguageData } from '../../../connectors/ocr/language-data';
import { createOcrEngine, ocrEngineConfig, type OcrEngine } from '../../../connectors/ocr/ocr-engine';
import { OcrInputError } from '../../../connectors/ocr/ocr-errors';
import { startTesseractWorker, WorkerPool } from '../../../connectors/ocr/worker-pool';

/**
 * Real tesseract.js on a handful of corpus pages (each costs seconds, so few): what comes out of
 * a clean Chinese contract, a two-page TIFF, a scanned PDF; worker recycling and the page timeout.
 */

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'contracts');
const log = pino({ level: 'silent' });
const fixture = (name: string): Buffer => readFileSync(join(CORPUS, name));
/** Recognition of a full page takes seconds; on a busy 2-core machine, tens. */
const OCR_TIMEOUT = 180_000;

let dataDir: string;
let engine: OcrEngine;

/** The header of the clean contract (title to the seller's address): a small image that recognises quickly. */
async function headerCrop(): Promise<Buffer> {
  return sharp(fixture('zh-purchase-01-clean.png')).extract({ left: 0, top: 150, width: 2480, height: 560 }).png().toBuffer();
}

/** Text without the spaces tesseract may put between Latin and Chinese. */
const squeezed = (text: string): string => text.replace(/\s+/g, '');

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ocr-engine-'));
  engine = createOcrEngine(ocrEngineConfig.parse({ dataDir, workers: 2 }), log);
});

afterAll(async () => {
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OCR engine on corpus pages', () => {
  it(
    'reads the contract number, the Chinese buyer, the total and its 大写 from a clean scan, with word boxes and confidences',
    async () => {
      const progress: [number, number][] = [];
      const doc = await engine.recognize({ body: fixture('zh-purchase-01-clean.png'), fileName: 'zh-purchase-01-clean.png' }, { keepImages: true, onProgress: (d, t) => progress.push([d, t]) });
      expect(doc.pages).toHaveLength(1);
      const page = doc.pages[0]!;
      expect(page.source).toBe('ocr');
      const text = squeezed(page.text);
      expect(text).toContain('HT-2026-0012');
      expect(text).toContain('上海华东水务工程有限公司');
      expect(text).toContain('39,400.00');
      expect(text).toContain('叁万玖仟肆佰元整');
      const poLine = page.lines.find((l) => l.text.includes('HT-2026-0012'))!;
      expect(poLine.confidence).toBeGreaterThan(50);
      const po = poLine.words.find((w) => w.text.includes('HT-2026-0012'))!;
      expect(po.bbox.x0).toBeGreaterThanOrEqual(poLine.bbox.x0);
      expect(po.bbox.x1).toBeLessThanOrEqual(page.width);
      expect(progress).toEqual([[1, 1]]);
      expect((await sharp(page.image!).metadata()).width).toBe(page.width);
    },
    OCR_TIMEOUT,
  );

  it(
    'reads every page of a multi-page TIFF in order and reports progress per page',
    async () => {
      const progress: [number, number][] = [];
      const doc = await engine.recognize({ body: fixture('en-supply-06-multipage.tif') }, { onProgress: (d, t) => progress.push([d, t]) });
      expect(doc.pages.map((p) => p.index)).toEqual([0, 1]);
      expect(doc.pages[0]!.text).toContain('SC-24-01305');
      expect(doc.pages[0]!.text).toContain('Harbourside Hospitals Trust');
      expect(doc.pages[1]!.text).toContain('Letter of credit at sight');
      expect(progress).toEqual([
        [1, 2],
        [2, 2],
      ]);
    },
    OCR_TIMEOUT,
  );

  it(
    'renders a scanned PDF page and recognises it',
    async () => {
      const doc = await engine.recognize({ body: fixture('zh-sales-11-scanned.pdf') });
      expect(doc.pages).toHaveLength(1);
      expect(doc.pages[0]!.source).toBe('ocr');
      expect(squeezed(doc.pages[0]!.text)).toContain('XS-2026-0911');
      expect(squeezed(doc.pages[0]!.text)).toContain('湖南湘江新区建设发展有限公司');
    },
    OCR_TIMEOUT,
  );
});

describe('OCR worker pool', () => {
  it(
    'replaces a worker after recycleAfterPages pages and keeps reading',
    async () => {
      const recycling = createOcrEngine(ocrEngineConfig.parse({ dataDir, workers: 1, recycleAfterPages: 2 }), log);
      try {
        const crop = await headerCrop();
        const texts: string[] = [];
        for (let i = 0; i < 3; i += 1) texts.push((await recycling.recognize({ body: crop })).pages[0]!.text);
        expect(recycling.stats()).toEqual({ workersStarted: 2, workersRecycled: 1, workersKilled: 0, pagesRecognized: 3 });
        for (const text of texts) expect(text).toContain('HT-2026-0012');
      } finally {
        await recycling.close();
      }
    },
    OCR_TIMEOUT,
  );

  it(
    'fails a page that overruns its time with ocr.timeout, terminates its worker, and the next page is read by a fresh one',
    async () => {
      const data = prepareLanguageData(ocrEngineConfig.parse({ dataDir }));
      const pool = new WorkerPool({
        size: 1,
        recycleAfterPages: 100,
        log,
        startWorker: () => startTesseractWorker({ languages: ['chi_sim', 'eng'], langPath: data.langPath, dpi: 300, log }),
      });
      try {
        const crop = await headerCrop();
        const overrun = await pool.recognize(crop, { timeoutMs: 1, page: 0 }).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(overrun).toBeInstanceOf(OcrInputError);
        expect((overrun as OcrInputError).code).toBe('ocr.timeout');
        const page = await pool.recognize(crop, { timeoutMs: OCR_TIMEOUT, page: 1 });
        expect(page.text.replace(/\s+/g, '')).toContain('HT-2026-0012');
        expect(pool.stats()).toMatchObject({ workersStarted: 2, workersKilled: 1, pagesRecognized: 1 });
      } finally {
        await pool.close();
      }
    },
    OCR_TIMEOUT,
  );

  it(
    'gives the engine caller ocr.timeout naming the page',
    async () => {
      const hasty = createOcrEngine(ocrEngineConfig.parse({ dataDir, workers: 1, pageTimeoutMs: 1 }), log);
      try {
        const err = await hasty.recognize({ body: await headerCrop() }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(OcrInputError);
        expect((err as OcrInputError).code).toBe('ocr.timeout');
        expect((err as OcrInputError).details).toEqual([{ path: 'pages[0]', message: 'over 1 ms' }]);
      } finally {
        await hasty.close();
      }
    },
    OCR_TIMEOUT,
  );
});
