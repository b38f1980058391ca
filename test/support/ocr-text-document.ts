import type { BoundingBox, OcrDocument, OcrLine, OcrPage, OcrWord } from '../../connectors/ocr/ocr-document';

/**
 * An OcrDocument laid out from a contract corpus `.txt` the way the corpus renderer draws it
 * (test/fixtures/contracts/README.md): the first line a title, `|` rows a gridded table with columns
 * as wide as their widest cell, a tab starting the rest of the line at mid-page, a form feed a new
 * page, long paragraphs wrapped at the page width. Words are split as tesseract splits them — every
 * Chinese character its own word, Latin text at spaces — and each table cell is its own OcrLine, as
 * tesseract reports far-apart cells, so the extractor's row and column logic is exercised without
 * images. Geometry is A4 at 300 DPI.
 */

export interface TextDocumentOptions {
  /** Confidence 0–100 for a word; 95 unless it says otherwise. */
  readonly confidence?: (word: string, rowText: string) => number;
}

const PAGE_WIDTH = 2480;
const PAGE_HEIGHT = 3508;
const MARGIN = 150;
const MID_PAGE = PAGE_WIDTH / 2;
/** Body text: 40 px glyph height, Chinese characters 40 px wide, Latin 20 px. */
const HEIGHT = 40;
const TITLE_HEIGHT = 60;
const PITCH = 64;
const CELL_PADDING = 20;
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;

interface Segment {
  readonly text: string;
  readonly x: number;
}

export function textDocument(source: string, options: TextDocumentOptions = {}): OcrDocument {
  const confidence = options.confidence ?? (() => 95);
  const pages: OcrPage[] = [];
  let lines: OcrLine[] = [];
  let y = MARGIN;
  let first = true;
  const pageTexts: string[] = [];
  const flush = (): void => {
    pages.push({ index: pages.length, width: PAGE_WIDTH, height: PAGE_HEIGHT, source: 'ocr', text: pageTexts.join('\n'), lines });
    lines = [];
    pageTexts.length = 0;
    y = MARGIN;
  };
  const sourceLines = source.replace(/\n$/, '').split('\n');
  for (let i = 0; i < sourceLines.length; i += 1) {
    const text = sourceLines[i]!;
    if (text === '\f') {
      flush();
      continue;
    }
    if (text.trim() === '') {
      y += PITCH;
      continue;
    }
    if (text.includes('|')) {
      const table: string[] = [];
      while (i < sourceLines.length && sourceLines[i]!.includes('|')) table.push(sourceLines[i++]!);
      i -= 1;
      for (const cells of tableLayout(table)) {
        lines.push(...cells.filter((c) => c.text.trim() !== '').map((c) => line(c, y, HEIGHT, confidence, table.join(' '))));
        pageTexts.push(cells.map((c) => c.text).join(' '));
        y += PITCH;
      }
      continue;
    }
    const height = first ? TITLE_HEIGHT : HEIGHT;
    const segments: Segment[] = text.includes('\t') ? [{ text: text.split('\t')[0]!, x: MARGIN }, { text: text.split('\t').slice(1).join(' '), x: MID_PAGE }] : [{ text, x: first ? (PAGE_WIDTH - width(text, height)) / 2 : MARGIN }];
    for (const wrapped of wrap(segments, height)) {
      lines.push(...wrapped.filter((s) => s.text.trim() !== '').map((s) => line(s, y, height, confidence, text)));
      pageTexts.push(wrapped.map((s) => s.text).join(' '));
      y += first ? TITLE_HEIGHT * 1.6 : PITCH;
    }
    first = false;
  }
  flush();
  return { pages };
}

/**
 * Each table row's cells in their columns, as the renderer draws them: columns as wide as their
 * widest cell with the slack shared out, figures right-aligned below the header, the rest left-aligned.
 */
function tableLayout(rows: readonly string[]): Segment[][] {
  const cells = rows.map((row) => row.split('|'));
  const columns = Math.max(...cells.map((c) => c.length));
  const natural = Array.from({ length: columns }, (_, col) => Math.max(...cells.map((c) => width(c[col] ?? '', HEIGHT))) + 2 * CELL_PADDING);
  const slack = Math.max(0, PAGE_WIDTH - 2 * MARGIN - natural.reduce((a, b) => a + b, 0)) / columns;
  const widths = natural.map((w) => w + slack);
  const lefts = widths.map((_, col) => MARGIN + widths.slice(0, col).reduce((a, b) => a + b, 0));
  return cells.map((row, r) =>
    row.map((text, col) => ({ text, x: /^[\d,.]+$/.test(text) && r > 0 ? lefts[col]! + widths[col]! - CELL_PADDING - width(text, HEIGHT) : lefts[col]! + CELL_PADDING })),
  );
}

/** Paragraph segments broken where they would pass the right margin: Latin at spaces, Chinese anywhere. */
function wrap(segments: readonly Segment[], height: number): Segment[][] {
  if (segments.length > 1) return [[...segments]];
  const { text, x } = segments[0]!;
  const out: Segment[][] = [];
  let current = '';
  for (const unit of text.match(/[A-Za-z0-9.,:;()'&%$/\-]+ ?|\s|./gu) ?? []) {
    if (x + width(current + unit, height) > PAGE_WIDTH - MARGIN && current !== '') {
      out.push([{ text: current.trimEnd(), x }]);
      current = '';
    }
    current += unit;
  }
  if (current.trim() !== '') out.push([{ text: current.trimEnd(), x }]);
  return out;
}

function width(text: string, height: number): number {
  return [...text].reduce((sum, ch) => sum + (CJK.test(ch) ? height : height / 2), 0);
}

function line(segment: Segment, y: number, height: number, confidence: NonNullable<TextDocumentOptions['confidence']>, rowText: string): OcrLine {
  const words: OcrWord[] = [];
  let x = segment.x;
  for (const piece of segment.text.match(/\s+|[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]|[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/gu) ?? []) {
    const w = width(piece, height);
    if (piece.trim() !== '') words.push({ text: piece, confidence: confidence(piece, rowText), bbox: inset({ x0: x, y0: y, x1: x + w, y1: y + height }, CJK.test(piece) ? 3 : 1) });
    x += w;
  }
  const bbox: BoundingBox = { x0: words[0]!.bbox.x0, y0: y, x1: words[words.length - 1]!.bbox.x1, y1: y + height };
  const mean = words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
  return { text: words.map((w) => w.text).join(' '), confidence: mean, bbox, words };
}

function inset(box: BoundingBox, by: number): BoundingBox {
  return { x0: box.x0 + by, y0: box.y0, x1: box.x1 - by, y1: box.y1 };
}
