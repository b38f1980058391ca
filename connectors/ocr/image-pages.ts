import sharp, { type Metadata, type Sharp } from 'sharp';
import type { OcrInputFormat } from './input-format';
import { OcrInputError } from './ocr-errors';

/**
 * The pages of a PNG, JPEG or TIFF, checked against the caps from their headers alone: sharp's
 * `metadata()` reads the header without decoding pixels, so a 50000 × 50000 PNG of a few bytes is
 * refused before anything is allocated; `limitInputPixels` on the decoder is the second guard.
 * A multi-page TIFF is read page by page with `{ page }`; `metadata().pages` counts them
 * (https://sharp.pixelplumbing.com/api-constructor, https://sharp.pixelplumbing.com/api-input#metadata).
 */

export interface ImagePage {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** DPI from the file's resolution tag, when it has one. */
  readonly density?: number;
}

export interface ImageCaps {
  readonly maxPages: number;
  readonly maxPixelsPerPage: number;
}

export async function imagePages(body: Buffer, format: Exclude<OcrInputFormat, 'pdf'>, caps: ImageCaps): Promise<ImagePage[]> {
  const first = await header(body, 0);
  const count = format === 'tiff' ? (first.pages ?? 1) : 1;
  if (count > caps.maxPages) {
    throw new OcrInputError('ocr.too_many_pages', `the TIFF has ${count} pages; at most ${caps.maxPages} are read`, { details: [{ path: 'pages', message: `${count} > ${caps.maxPages}` }] });
  }
  const pages: ImagePage[] = [];
  for (let index = 0; index < count; index += 1) {
    const meta = index === 0 ? first : await header(body, index);
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (width * height > caps.maxPixelsPerPage) {
      throw new OcrInputError('ocr.too_many_pixels', `page ${index + 1} declares ${width} × ${height} pixels; at most ${caps.maxPixelsPerPage} are decoded`, {
        details: [{ path: `pages[${index}]`, message: `${width} × ${height}` }],
      });
    }
    if (width === 0 || height === 0) throw new OcrInputError('ocr.corrupt', `page ${index + 1} has no size in its header`, { details: [{ path: `pages[${index}]`, message: 'no size' }] });
    pages.push({ index, width, height, ...(meta.density ? { density: meta.density } : {}) });
  }
  return pages;
}

/** A decoder for one page, with the pixel cap and EXIF orientation applied; errors surface when it runs. */
export function decodePage(body: Buffer, page: ImagePage, maxPixelsPerPage: number): Sharp {
  return sharp(body, { page: page.index, limitInputPixels: maxPixelsPerPage, failOn: 'error' }).autoOrient();
}

async function header(body: Buffer, page: number): Promise<Metadata> {
  try {
    return await sharp(body, { page, limitInputPixels: false }).metadata();
  } catch (err) {
    throw new OcrInputError('ocr.corrupt', `the image header cannot be read${page > 0 ? ` (page ${page + 1})` : ''}: ${(err as Error).message}`, { cause: err });
  }
}
