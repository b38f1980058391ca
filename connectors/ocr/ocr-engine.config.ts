import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Settings of the OCR engine (ocr-engine.ts). Defaults are what the corpus measurement in
 * docs/benchmarks.md ("OCR") supports; every cap is checked before anything is decoded.
 */

/** Languages with data shipped as npm packages (`@tesseract.js-data/<code>`). */
export const OCR_LANGUAGES = ['chi_sim', 'eng'] as const;

export const ocrPreprocessConfig = z
  .strictObject({
    deskew: z
      .boolean()
      .default(true)
      .meta({ description: 'Estimate the skew of the text lines (projection profile, ±6°) and rotate the page straight before recognition.' }),
    flattenBackground: z
      .boolean()
      .default(true)
      .meta({
        description:
          'Divide the page by a heavily blurred copy of itself, which evens out shading and shadows of photographed pages and turns a red stamp pale, before the contrast is stretched.',
      }),
    despeckle: z
      .boolean()
      .default(true)
      .meta({
        description:
          'Remove salt-and-pepper dots (dusty scanner glass, a noisy fax) with a 3 × 3 median filter, on pages that have them: more than 5 in 10,000 pixels dark with no dark neighbour. Clean scans, photos and JPEGs have almost none, and the filter costs them accuracy, so they are left alone.',
      }),
    threshold: z
      .boolean()
      .default(false)
      .meta({ description: 'Binarise the page (Otsu) before recognition. Off by default: tesseract binarises itself, and a fixed threshold loses thin strokes of blurred or low-resolution scans.' }),
  })
  .meta({ description: 'Image clean-up before recognition. Pages are always turned to grey, scaled to `targetDpi` and tagged with it.' });

export const ocrEngineConfig = z
  .strictObject({
    languages: z
      .array(z.enum(OCR_LANGUAGES))
      .min(1)
      .default(['chi_sim', 'eng'])
      .meta({ description: 'Tesseract languages recognised together, first one first.', examples: [['chi_sim', 'eng'], ['eng']] }),
    model: z
      .enum(['standard', 'best_int'])
      .default('standard')
      .meta({
        description:
          'Which trained data of the npm language packages: `standard` (tessdata 4.0.0, 20 MB for chi_sim, read noticeably better on Chinese contracts here) or `best_int` (smaller and faster, more misread characters).',
      }),
    pageSegmentation: z
      .enum(['auto', 'single_column'])
      .default('auto')
      .meta({
        description:
          'How tesseract splits a page into lines: `auto` (mode 3: blocks and columns found on their own; side-by-side signature blocks stay apart) or `single_column` (mode 4: every line read across the whole page, which keeps centred titles and reads in the order of the page, but runs side-by-side blocks together). Never mode 6, which drops the cells of gridded item tables. Measured on the corpus in docs/benchmarks.md ("OCR").',
      }),
    languageDataPath: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'Folder holding `<language>.traineddata.gz` for every language, used instead of the npm packages `@tesseract.js-data/<language>`. Nothing is ever downloaded: a missing file stops the start with ocr.language_data_missing naming the path.',
        examples: ['/opt/tessdata'],
      }),
    dataDir: z
      .string()
      .min(1)
      .default('./data/ocr')
      .meta({ description: 'Folder the engine may write to: it links the language files there, as tesseract.js reads all languages from one folder. Nothing is cached or written elsewhere.' }),
    workers: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'Pages recognised at the same time, one tesseract worker thread each (about 350 MB of memory per worker with chi_sim and eng). Unset: the number of CPUs of the machine the hub runs on.' }),
    recycleAfterPages: z
      .number()
      .int()
      .min(1)
      .default(200)
      .meta({
        description:
          'A worker is terminated and a fresh one started after this many pages: a bound on whatever heap tesseract.js keeps from image to image. Measured on the contract corpus a worker stayed flat over 120 pages while every restart left the process about 10 MB larger, so restarts are kept rare (docs/benchmarks.md, "OCR").',
      }),
    pageTimeoutMs: z
      .number()
      .int()
      .min(1)
      .default(120_000)
      .meta({
        description:
          'Longest time in ms for recognising one page (starting a worker included), and for each step of reading a PDF (opening it, a page\'s text, rendering a page); the worker or PDF reader is terminated and the document fails with ocr.timeout.',
      }),
    maxPages: z
      .number()
      .int()
      .min(1)
      .default(50)
      .meta({ description: 'Documents with more pages are refused whole (ocr.too_many_pages) before any page is read: a contract has a few pages, and a partial reading could drop its terms.' }),
    maxPixelsPerPage: z
      .number()
      .int()
      .min(1)
      .default(60_000_000)
      .meta({ description: 'Pages declaring more pixels are refused from their header (ocr.too_many_pixels) before decoding; 60 MP is an A4 page at 600 DPI with room to spare.' }),
    maxInputBytes: z
      .number()
      .int()
      .min(1)
      .default(50 * 1024 * 1024)
      .meta({ description: 'Largest document accepted, in bytes (ocr.too_large).' }),
    targetDpi: z
      .number()
      .int()
      .min(150)
      .max(600)
      .default(300)
      .meta({ description: 'Resolution pages are scaled to and tagged with before recognition; tesseract is trained on text of about 300 DPI.' }),
    preprocess: ocrPreprocessConfig.prefault({}),
  })
  .meta({ description: 'OCR of scanned documents: tesseract.js with local language data, a pool of worker threads, caps against hostile files.' });

export type OcrEngineConfig = z.output<typeof ocrEngineConfig>;
export type OcrEngineConfigInput = z.input<typeof ocrEngineConfig>;
export type OcrPreprocessConfig = z.output<typeof ocrPreprocessConfig>;

/** `workers` as configured, or one per CPU. */
export function workerCount(config: Pick<OcrEngineConfig, 'workers'>): number {
  return config.workers ?? Math.max(1, availableParallelism());
}
