import type { Logger } from 'pino';
import sharp, { type Sharp } from 'sharp';
import { PSM } from 'tesseract.js';
import { decodePage, imagePages, type ImagePage } from './image-pages';
import { requireFormat, type OcrInputFormat } from './input-format';
import { prepareLanguageData } from './language-data';
import type { OcrDocument, OcrPage } from './ocr-document';
import { workerCount, type OcrEngineConfig } from './ocr-engine.config';
import { OcrInputError } from './ocr-errors';
import { isCjk } from './ocr-text';
import { PdfPages } from './pdf-pages';
import { hasUsableTextLayer, textLayerLines } from './pdf-text-layer';
import { preparePage, type PreparedPage } from './preprocess';
import { tesseractLines } from './tesseract-page';
import { startTesseractWorker, WorkerPool, type WorkerPoolStats } from './worker-pool';

export { ocrEngineConfig, type OcrEngineConfig, type OcrEngineConfigInput } from './ocr-engine.config';

/**
 * Reads scanned documents into an OcrDocument (ocr-document.ts): PNG, JPEG, TIFF (every page) and
 * PDF (each page's own text layer where it has a usable one, otherwise the page rendered and
 * recognised). Recognition is tesseract.js with local language data only, in a pool of worker
 * threads (worker-pool.ts). Every cap (bytes, pages, pixels per page) is checked from headers
 * before anything is decoded; what the engine refuses is an OcrInputError with a stable code.
 * No hub wiring here: the upload endpoint, intake and email call `recognize`.
 */

export interface OcrInput {
  readonly body: Buffer;
  /** For messages only; the format is told from the bytes. */
  readonly fileName?: string;
  readonly contentType?: string;
}

export interface OcrRecognizeOptions {
  /** Stops the document: pages not started are dropped, a page being recognised has its worker terminated. */
  readonly signal?: AbortSignal;
  /** After each page, in completion order. */
  readonly onProgress?: (pagesDone: number, pagesTotal: number) => void;
  /** Keep each page's image as recognised (PNG) on OcrPage.image, for reviewers. @defaultValue false */
  readonly keepImages?: boolean;
}

export interface OcrEngine {
  /** Reads PNG/JPEG/TIFF (multi-page)/PDF; throws OcrInputError for input it refuses. */
  recognize(input: OcrInput, options?: OcrRecognizeOptions): Promise<OcrDocument>;
  /** Worker counters (started, recycled, killed, pages), for metrics and tests. */
  stats(): WorkerPoolStats;
  /** Terminates the workers; pages in flight fail. */
  close(): Promise<void>;
}

/** A recognised word counts as text when tesseract is at least this sure of it; noise and blank scans yield only lower ones. */
const TEXT_CONFIDENCE = 60;
/** A page with fewer confident letters, digits or Han characters than this is blank. */
const MIN_TEXT_CHARS = 4;
const PAGE_SEG_MODES: Record<OcrEngineConfig['pageSegmentation'], PSM> = { auto: PSM.AUTO, single_column: PSM.SINGLE_COLUMN };
/** PDF user space is 72 units per inch. */
const PDF_POINTS_PER_INCH = 72;

/** Checks the language data now (throws OcrLanguageDataError naming the path); workers start with the first page. */
export function createOcrEngine(config: OcrEngineConfig, log: Logger): OcrEngine {
  const data = prepareLanguageData(config);
  const workers = workerCount(config);
  log.info({ languages: data.files, workers, recycleAfterPages: config.recycleAfterPages }, 'OCR engine ready');
  const pool = new WorkerPool({
    size: workers,
    recycleAfterPages: config.recycleAfterPages,
    log,
    startWorker: () => startTesseractWorker({ languages: config.languages, langPath: data.langPath, dpi: config.targetDpi, log, pageSegMode: PAGE_SEG_MODES[config.pageSegmentation] }),
  });
  return {
    recognize: (input, options = {}) => recognize(config, workers, pool, log, input, options),
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}

/** The pages of one document, read one at a time by index. */
interface PageSource {
  readonly count: number;
  read(index: number): Promise<OcrPage>;
  close(): Promise<void>;
}

async function recognize(config: OcrEngineConfig, workers: number, pool: WorkerPool, log: Logger, input: OcrInput, options: OcrRecognizeOptions): Promise<OcrDocument> {
  const started = Date.now();
  const { body } = input;
  if (body.length === 0) throw new OcrInputError('ocr.corrupt', 'the file is empty');
  if (body.length > config.maxInputBytes) {
    throw new OcrInputError('ocr.too_large', `the file has ${body.length} bytes; at most ${config.maxInputBytes} are read`, { details: [{ path: 'body', message: `${body.length} > ${config.maxInputBytes}` }] });
  }
  const format = requireFormat(body, input);
  options.signal?.throwIfAborted();
  const ocr = (index: number, prepared: PreparedPage): Promise<OcrPage> => recognizePage(pool, config, index, prepared, options);
  const source = format === 'pdf' ? await pdfSource(body, config, ocr, options) : await imageSource(body, format, config, ocr, options);
  try {
    let done = 0;
    // One page more than there are workers, so the next page is decoded while the others are recognised.
    const pages = await eachLimited(source.count, workers + 1, options.signal, async (index) => {
      const page = await source.read(index);
      done += 1;
      options.onProgress?.(done, source.count);
      return page;
    });
    if (!pages.some(hasText)) {
      throw new OcrInputError('ocr.blank', `no text found on ${pages.length === 1 ? 'the page' : `any of the ${pages.length} pages`}`);
    }
    log.info({ format, pages: pages.length, textLayerPages: pages.filter((p) => p.source === 'text-layer').length, ms: Date.now() - started }, 'document recognised');
    return { pages };
  } finally {
    await source.close();
  }
}

async function recognizePage(pool: WorkerPool, config: OcrEngineConfig, index: number, prepared: PreparedPage, options: OcrRecognizeOptions): Promise<OcrPage> {
  const result = await pool.recognize(prepared.png, { timeoutMs: config.pageTimeoutMs, page: index, ...(options.signal ? { signal: options.signal } : {}) });
  const lines = tesseractLines(result);
  return {
    index,
    width: prepared.width,
    height: prepared.height,
    source: 'ocr',
    text: lines.map((l) => l.text).join('\n'),
    lines,
    ...(options.keepImages ? { image: prepared.png } : {}),
  };
}

async function imageSource(
  body: Buffer,
  format: Exclude<OcrInputFormat, 'pdf'>,
  config: OcrEngineConfig,
  ocr: (index: number, prepared: PreparedPage) => Promise<OcrPage>,
  options: OcrRecognizeOptions,
): Promise<PageSource> {
  const pages = await imagePages(body, format, config);
  return {
    count: pages.length,
    read: async (index) => {
      options.signal?.throwIfAborted();
      const page = pages[index]!;
      return ocr(index, await prepare(decodePage(body, page, config.maxPixelsPerPage), page, config));
    },
    close: async () => undefined,
  };
}

async function pdfSource(
  body: Buffer,
  config: OcrEngineConfig,
  ocr: (index: number, prepared: PreparedPage) => Promise<OcrPage>,
  options: OcrRecognizeOptions,
): Promise<PageSource> {
  const { pdf, pages } = await PdfPages.open(body, { timeoutMs: config.pageTimeoutMs });
  if (pages === 0) {
    await pdf.close();
    throw new OcrInputError('ocr.corrupt', 'the PDF has no pages');
  }
  if (pages > config.maxPages) {
    await pdf.close();
    throw new OcrInputError('ocr.too_many_pages', `the PDF has ${pages} pages; at most ${config.maxPages} are read`, { details: [{ path: 'pages', message: `${pages} > ${config.maxPages}` }] });
  }
  const scale = config.targetDpi / PDF_POINTS_PER_INCH;
  return {
    count: pages,
    read: async (index) => {
      options.signal?.throwIfAborted();
      const { width, height } = await pdf.size(index, scale);
      if (width * height > config.maxPixelsPerPage) {
        throw new OcrInputError('ocr.too_many_pixels', `page ${index + 1} is ${width} × ${height} pixels at ${config.targetDpi} DPI; at most ${config.maxPixelsPerPage} are rendered`, {
          details: [{ path: `pages[${index}]`, message: `${width} × ${height}` }],
        });
      }
      const text = await pdf.text(index, scale);
      if (hasUsableTextLayer(text)) {
        const lines = textLayerLines(text);
        const image = options.keepImages ? await sharp(await pdf.render(index, scale)).grayscale().png().toBuffer() : undefined;
        return { index, width, height, source: 'text-layer', text: lines.map((l) => l.text).join('\n'), lines, ...(image ? { image } : {}) };
      }
      const png = await pdf.render(index, scale);
      return ocr(index, await prepare(sharp(png), { index, width, height, density: config.targetDpi }, config));
    },
    close: () => pdf.close(),
  };
}

/** Decoding errors (truncated data, bad compression) become ocr.corrupt naming the page. */
async function prepare(decoder: Sharp, page: ImagePage, config: OcrEngineConfig): Promise<PreparedPage> {
  try {
    return await preparePage(decoder, page, config);
  } catch (err) {
    throw new OcrInputError('ocr.corrupt', `page ${page.index + 1} cannot be decoded: ${(err as Error).message}`, { details: [{ path: `pages[${page.index}]`, message: (err as Error).message }], cause: err });
  }
}

function hasText(page: OcrPage): boolean {
  if (page.source === 'text-layer') return page.text.trim() !== '';
  let chars = 0;
  for (const line of page.lines) {
    for (const word of line.words) {
      if (word.confidence >= TEXT_CONFIDENCE) chars += [...word.text].filter((c) => /[\p{L}\p{N}]/u.test(c) || isCjk(c)).length;
    }
  }
  return chars >= MIN_TEXT_CHARS;
}

/**
 * Runs `task` for 0…count-1, at most `limit` at a time, results in index order. After the first
 * failure no new task starts, and it is thrown once the running ones have settled, so nothing of
 * the document is still working when the caller hears of it.
 */
async function eachLimited<T>(count: number, limit: number, signal: AbortSignal | undefined, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  let failure: { err: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < count && !failure && !signal?.aborted) {
      const index = next++;
      try {
        results[index] = await task(index);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  if (failure) throw failure.err;
  signal?.throwIfAborted();
  return results;
}
