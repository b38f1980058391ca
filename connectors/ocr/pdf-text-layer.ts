import type { OcrLine, OcrWord } from './ocr-document';
import { foldRadicals, isCjk, joinWords } from './ocr-text';
import type { PdfTextItem, PdfTextPage } from './pdf-pages';

/**
 * A PDF page's text layer as OcrLines, in the pixel space of the page rendered at the target DPI,
 * so boxes mean the same as for a scanned page. Runs whose baselines sit within half a font height
 * form one line; lines run top to bottom, runs left to right. Words are the runs split at spaces,
 * boxes shared out by character. Confidence is 100: the text is the document's own.
 */

/** Share of the font height above the baseline (ascent) and below it (descent), for boxes. */
const ASCENT = 0.88;
const DESCENT = 0.12;
/** Runs on baselines closer than this share of the font height are one line. */
const SAME_LINE = 0.5;
/**
 * A page has a usable text layer when it has at least this many visible characters and few that
 * are unmappable (NUL or U+FFFD, from fonts without a Unicode table): below either, it is rendered
 * and recognised instead.
 */
const MIN_TEXT_CHARS = 20;
const MAX_UNMAPPED_SHARE = 0.05;

export function hasUsableTextLayer(page: PdfTextPage): boolean {
  const text = page.items.filter((i) => !i.vertical).map((i) => i.str.replace(/\s+/g, '')).join('');
  const unmapped = (text.match(/[\u0000\ufffd]/g) ?? []).length;
  return text.length >= MIN_TEXT_CHARS && unmapped <= MAX_UNMAPPED_SHARE * text.length;
}

export function textLayerLines(page: PdfTextPage): OcrLine[] {
  const items = page.items.filter((i) => !i.vertical).sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const rows: PdfTextItem[][] = [];
  for (const item of items) {
    const row = rows.at(-1);
    if (row && Math.abs(row[0]!.baseline - item.baseline) <= SAME_LINE * Math.max(row[0]!.height, item.height)) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => line(row.sort((a, b) => a.x - b.x)));
}

function line(items: readonly PdfTextItem[]): OcrLine {
  const words = items.flatMap(wordsOf);
  const text = joinWords(
    items.map((i) => ({ text: foldRadicals(i.str).trim(), x0: i.x, x1: i.x + i.width })),
    Math.max(...items.map((i) => i.height)),
  );
  return {
    text,
    confidence: 100,
    bbox: {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    },
    words,
  };
}

/** The run's words with boxes from an even share of its width per character (CJK counted double, as it is drawn). */
function wordsOf(item: PdfTextItem): OcrWord[] {
  const chars = [...foldRadicals(item.str)];
  const weights = chars.map((c) => (isCjk(c) ? 2 : 1));
  const unit = item.width / Math.max(1, weights.reduce((a, b) => a + b, 0));
  const y0 = Math.round(item.baseline - ASCENT * item.height);
  const y1 = Math.round(item.baseline + DESCENT * item.height);
  const words: OcrWord[] = [];
  let x = item.x;
  let current = '';
  let start = x;
  const flush = (): void => {
    if (current !== '') words.push({ text: current, confidence: 100, bbox: { x0: Math.round(start), y0, x1: Math.round(x), y1 } });
    current = '';
  };
  chars.forEach((c, i) => {
    if (/\s/u.test(c)) {
      flush();
      x += unit * weights[i]!;
      start = x;
      return;
    }
    if (current === '') start = x;
    current += c;
    x += unit * weights[i]!;
  });
  flush();
  return words;
}
