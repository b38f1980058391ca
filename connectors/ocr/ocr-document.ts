/**
 * What the OCR engine hands to the contract extractor: every page's words and lines with their
 * confidence and position. The engine (ocr-engine.ts) fills it from tesseract.js or, for a PDF with
 * a text layer, from the PDF's own text; the extractor (contract-extractor.ts) reads only this, so
 * it can be tested without images.
 */

/** Pixel box on the page image, top-left origin. */
export interface BoundingBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface OcrWord {
  readonly text: string;
  /** 0–100, as tesseract reports it; 100 for a PDF text layer. */
  readonly confidence: number;
  readonly bbox: BoundingBox;
}

export interface OcrLine {
  readonly text: string;
  /** 0–100: the line's words' mean as tesseract reports it. */
  readonly confidence: number;
  readonly bbox: BoundingBox;
  readonly words: readonly OcrWord[];
}

export interface OcrPage {
  /** 0-based. */
  readonly index: number;
  /** Size of the image the boxes refer to (after pre-processing). */
  readonly width: number;
  readonly height: number;
  /** How the text was obtained. */
  readonly source: 'ocr' | 'text-layer';
  readonly text: string;
  readonly lines: readonly OcrLine[];
  /** PNG of the page as recognised, for reviewers; absent when not kept. */
  readonly image?: Buffer;
}

export interface OcrDocument {
  readonly pages: readonly OcrPage[];
}
