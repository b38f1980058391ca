import { z } from 'zod';
import type { OutboundDocument } from '../connector';

/**
 * What OCR saw in a scanned contract, kept beside its raw message for reviewers (format
 * `ocr-result`, JSON): each page's size and image, every extracted field and every doubt with the
 * page and box it was read from. GET /api/v1/orders/:id/source serves it, so a reviewer sees the
 * order's values next to the places on the page they came from.
 */

export const OCR_READING_FORMAT = 'ocr-result';

const box = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() });

const readingSchema = z.object({
  /** 0–1 over the whole contract. */
  confidence: z.number(),
  pages: z.array(
    z.object({
      /** 0-based, as the fields' `page`. */
      index: z.number().int().nonnegative(),
      width: z.number(),
      height: z.number(),
      source: z.enum(['ocr', 'text-layer']),
      /** Base64 PNG; absent when the engine kept no image. */
      png: z.string().optional(),
    }),
  ),
  fields: z.array(z.object({ path: z.string(), value: z.string(), confidence: z.number(), page: z.number().optional(), bbox: box.optional() })),
  doubts: z.array(z.object({ path: z.string(), code: z.string(), message: z.string(), page: z.number().optional(), bbox: box.optional() })),
});

export type OcrReading = z.output<typeof readingSchema>;

export interface ReadingPage {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly source: 'ocr' | 'text-layer';
  readonly image?: Buffer;
}

/** The reading as the document the hub keeps; named after the input, so it is recognisable in the raw listing. */
export function readingDocument(reading: Omit<OcrReading, 'pages'> & { pages: readonly ReadingPage[] }, inputName: string): OutboundDocument {
  const pages = reading.pages.map(({ image, ...page }) => ({ ...page, ...(image ? { png: image.toString('base64') } : {}) }));
  const body: OcrReading = { confidence: reading.confidence, pages, fields: [...reading.fields], doubts: [...reading.doubts] };
  return { format: OCR_READING_FORMAT, fileName: `${inputName}.ocr.json`, contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) };
}

/** @throws ZodError when the bytes are not a reading this version wrote */
export function parseReading(body: Buffer): OcrReading {
  return readingSchema.parse(JSON.parse(body.toString('utf8')));
}
