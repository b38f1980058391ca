import type { Page as TesseractPage } from 'tesseract.js';
import type { BoundingBox, OcrLine, OcrWord } from './ocr-document';
import { joinWords } from './ocr-text';

/**
 * Tesseract's block → paragraph → line → word tree (recognize output `{ blocks: true }`) flattened
 * to the lines of an OcrPage, top to bottom as tesseract ordered them. Words keep tesseract's text
 * and confidence; a line's text is rebuilt from its words (ocr-text.ts), its confidence is
 * tesseract's for the line.
 */
export function tesseractLines(page: TesseractPage): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: OcrWord[] = line.words
          .map((w) => ({ text: w.text.trim(), confidence: w.confidence, bbox: box(w.bbox) }))
          .filter((w) => w.text !== '');
        if (words.length === 0) continue;
        const text = joinWords(
          words.map((w) => ({ text: w.text, x0: w.bbox.x0, x1: w.bbox.x1 })),
          line.bbox.y1 - line.bbox.y0,
        );
        lines.push({ text, confidence: line.confidence, bbox: box(line.bbox), words });
      }
    }
  }
  return lines;
}

function box(b: BoundingBox): BoundingBox {
  return { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 };
}
