import type { BoundingBox, OcrDocument, OcrLine, OcrPage } from './ocr-document';

/**
 * Turns the engine's words into visual rows the extractor can read like text while keeping, for
 * every character, the word it came from (its confidence and box).
 *
 * Tesseract's own lines are not rows: it splits a table row into one line per cell group (and now
 * and then reads a table column downwards as one line), and it reports Chinese as one "word" per
 * character or short run with a space between each
 * (https://github.com/tesseract-ocr/tesseract/issues/991, https://github.com/naptha/tesseract.js/issues/748).
 * So lines are first cut where their words stop standing side by side, then lines standing side by
 * side are merged into one row (compared with their nearest neighbour in the row, so a slightly
 * skewed table row still joins up), and the row's text is rebuilt from the
 * word boxes: no space between touching Chinese characters, a space between words, and a tab where
 * the gap is wide enough to be a cell or column boundary.
 */

export interface LayoutToken {
  readonly text: string;
  /** 0–1. */
  readonly confidence: number;
  readonly bbox: BoundingBox;
}

export interface LayoutRow {
  /** 0-based page index. */
  readonly page: number;
  /** Left to right. */
  readonly tokens: readonly LayoutToken[];
  readonly bbox: BoundingBox;
  /**
   * The unit for every gap decision: the median word height of the page. Not the row's own: in a
   * Latin row most words are digits and short letters, and tesseract gives the first character of
   * a Chinese word a box as tall and wide as the whole word, so a row's heights say little.
   */
  readonly height: number;
  /** The tokens joined: '' between touching Chinese characters, ' ' between words, '\t' at a cell gap. */
  readonly text: string;
  /** For each UTF-16 unit of `text`, the index of its token; -1 for an inserted separator. */
  readonly owner: readonly number[];
}

/** A piece of a row's text with what OCR says about it. */
export interface TextSpan {
  readonly text: string;
  /** 0–1: the lowest confidence of the words it is made of. */
  readonly confidence: number;
  readonly page: number;
  readonly bbox: BoundingBox;
}

/** A gap wider than this many row heights separates cells (table columns, the two halves of a signature block). */
const CELL_GAP = 1.5;
/** Chinese characters closer than this many row heights belong to the same run of text. */
const CJK_TOUCH = 0.5;
/** Lines whose vertical overlap is at least this share of the smaller height stand on the same row. */
const SAME_ROW_OVERLAP = 0.5;
/** Tokens that are only ruling lines of a table or a signature line; tesseract reads a cell's rule as | or a lone [ or ]. */
const RULING = /^(?:[|丨│｜¦_\-—–=]+|[[\]])$/u;
/** Han, CJK punctuation and full-width forms: script that is written without spaces. */
export const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/** Every page's rows, top to bottom. */
export function layoutRows(doc: OcrDocument): LayoutRow[] {
  return doc.pages.flatMap((page) => pageRows(page));
}

function pageRows(page: OcrPage): LayoutRow[] {
  const lines = page.lines
    .flatMap((line) => levelRuns(lineTokens(line)))
    .map((tokens) => ({ tokens, bbox: union(tokens.map((t) => t.bbox)) }))
    .sort((a, b) => centerY(a.bbox) - centerY(b.bbox));
  const height = median(lines.flatMap((line) => line.tokens.map((t) => t.bbox.y1 - t.bbox.y0)));
  const rows: { tokens: LayoutToken[]; boxes: BoundingBox[] }[] = [];
  for (const line of lines) {
    const row = rows.find((r) => sameRow(r.boxes, line.bbox));
    if (row) {
      row.tokens.push(...line.tokens);
      row.boxes.push(line.bbox);
    } else {
      rows.push({ tokens: [...line.tokens], boxes: [line.bbox] });
    }
  }
  return rows
    .map((row) => buildRow(page.index, row.tokens.sort((a, b) => a.bbox.x0 - b.bbox.x0), height))
    .sort((a, b) => centerY(a.bbox) - centerY(b.bbox));
}

function lineTokens(line: OcrLine): LayoutToken[] {
  const words = line.words.length > 0 ? line.words : [line];
  return words
    .map((w) => ({ text: w.text.trim(), confidence: w.confidence / 100, bbox: w.bbox }))
    .filter((t) => t.text !== '' && !RULING.test(t.text));
}

/**
 * A line cut where its words stop standing side by side: tesseract now and then reads a table
 * column downwards as one "line" (the unit column: 米, 米, 个), whose words belong to three rows.
 */
function levelRuns(tokens: readonly LayoutToken[]): LayoutToken[][] {
  const runs: LayoutToken[][] = [];
  for (const token of tokens) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && verticalOverlap(last.bbox, token.bbox) >= SAME_ROW_OVERLAP) run.push(token);
    else runs.push([token]);
  }
  return runs;
}

/** Vertical overlap of two boxes as a share of the lower one's height. */
function verticalOverlap(a: BoundingBox, b: BoundingBox): number {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlap / Math.max(1, Math.min(a.y1 - a.y0, b.y1 - b.y0));
}

/** Level with the row's horizontally nearest line (tesseract may put one word of a row in a line of its own, even in the middle of another). */
function sameRow(boxes: readonly BoundingBox[], box: BoundingBox): boolean {
  const nearest = boxes.reduce((best, b) => (horizontalDistance(b, box) < horizontalDistance(best, box) ? b : best));
  return verticalOverlap(nearest, box) >= SAME_ROW_OVERLAP;
}

function horizontalDistance(a: BoundingBox, b: BoundingBox): number {
  return Math.max(0, Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1));
}

function buildRow(page: number, tokens: LayoutToken[], height: number): LayoutRow {
  let text = '';
  const owner: number[] = [];
  tokens.forEach((token, i) => {
    if (i > 0) {
      const separator = separatorBetween(tokens[i - 1]!, token, height);
      text += separator;
      for (let k = 0; k < separator.length; k += 1) owner.push(-1);
    }
    text += token.text;
    for (let k = 0; k < token.text.length; k += 1) owner.push(i);
  });
  return { page, tokens, bbox: union(tokens.map((t) => t.bbox)), height, text, owner };
}

function separatorBetween(left: LayoutToken, right: LayoutToken, height: number): string {
  const gap = right.bbox.x0 - left.bbox.x1;
  if (gap >= CELL_GAP * height) return '\t';
  const cjkJoin = CJK.test(left.text.slice(-1)) || CJK.test(right.text.slice(0, 1));
  return cjkJoin && gap < CJK_TOUCH * height ? '' : ' ';
}

/** The part [start, end) of the row's text with the confidence and box of the words under it. */
export function spanOf(row: LayoutRow, start: number, end: number): TextSpan {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(row.text[from]!)) from += 1;
  while (to > from && /\s/.test(row.text[to - 1]!)) to -= 1;
  const boxes: BoundingBox[] = [];
  let confidence = 1;
  const used = new Set<number>();
  for (let at = from; at < to; at += 1) {
    const index = row.owner[at]!;
    if (index >= 0) used.add(index);
  }
  for (const index of used) {
    const token = row.tokens[index]!;
    confidence = Math.min(confidence, token.confidence);
    boxes.push(partOfToken(row, index, from, to));
  }
  return { text: row.text.slice(from, to), confidence: used.size === 0 ? 0 : confidence, page: row.page, bbox: boxes.length > 0 ? union(boxes) : row.bbox };
}

/** The share of a token's box under [from, to), by character position: OCR gives no per-character boxes. */
function partOfToken(row: LayoutRow, index: number, from: number, to: number): BoundingBox {
  const token = row.tokens[index]!;
  const first = row.owner.indexOf(index);
  const length = token.text.length;
  const a = Math.max(0, from - first);
  const b = Math.min(length, to - first);
  if (a === 0 && b === length) return token.bbox;
  const width = token.bbox.x1 - token.bbox.x0;
  return { x0: Math.round(token.bbox.x0 + (width * a) / length), y0: token.bbox.y0, x1: Math.round(token.bbox.x0 + (width * b) / length), y1: token.bbox.y1 };
}

export function union(boxes: readonly BoundingBox[]): BoundingBox {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

function centerY(box: BoundingBox): number {
  return (box.y0 + box.y1) / 2;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
