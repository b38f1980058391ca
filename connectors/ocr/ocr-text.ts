/**
 * How words become a line's text, the same for tesseract's words and a PDF's text runs. Tesseract
 * reports every Chinese character as its own word and the PDF text layer splits runs at font
 * changes; a reader (and the extractor's label matching) wants `合同编号：HT-2026-0012`, not
 * `合 同 编 号 : HT-2026-0012`. So a space is kept only where a Latin letter or digit meets
 * another, or where the words are visibly apart.
 */

/** Han ideographs, CJK punctuation and full-width forms: no spaces between them in Chinese text. */
const CJK = /[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;
/**
 * Kangxi radicals and CJK radicals supplement: a PDF font's Unicode table often maps a Han glyph
 * to the radical of the same shape (金 → ⾦ U+2FA6, 青 → ⻘ U+2ED8). Kangxi radicals fold by NFKC;
 * the supplement has no decomposition, so its simplified-Chinese shapes are listed here from
 * Unicode's EquivalentUnifiedIdeograph.txt.
 */
const RADICALS = /[\u2e80-\u2fdf]/gu;
const SUPPLEMENT = new Map(
  [...'⺌小⺖忄⺗心⺠民⺤爫⺦丬⺨犭⺪疋⺮竹⺳网⺹耂⺼肉⺾艹⻄西⻆角⻈讠⻉贝⻋车⻑長⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻬齐⻮齿⻰龙⻳龟']
    .map((c, i, all) => (i % 2 === 0 ? [c, all[i + 1]!] : undefined))
    .filter((pair): pair is [string, string] => pair !== undefined),
);

export function isCjk(char: string): boolean {
  return CJK.test(char);
}

/** Maps radicals a PDF's font tables produce (⾦ U+2FA6) to the ideograph they look like (金 U+91D1). */
export function foldRadicals(text: string): string {
  return text.replace(RADICALS, (r) => SUPPLEMENT.get(r) ?? r.normalize('NFKC'));
}

export interface PlacedWord {
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
}

/**
 * A gap wider than this share of the line's height is a visible space even next to Chinese text
 * (table cells, label and value set apart). Narrower gaps are how Chinese characters and
 * punctuation such as 、 sit in running text.
 */
const VISIBLE_GAP = 0.8;

/** `lineHeight` in the same pixels as the words' x positions. */
export function joinWords(words: readonly PlacedWord[], lineHeight: number): string {
  let text = '';
  let previous: PlacedWord | undefined;
  for (const word of words) {
    if (word.text === '') continue;
    if (previous) {
      const gap = word.x0 - previous.x1;
      const cjkJoint = isCjk(previous.text.at(-1)!) || isCjk(word.text[0]!);
      if (!cjkJoint || gap > VISIBLE_GAP * lineHeight) text += ' ';
    }
    text += word.text;
    previous = word;
  }
  return text;
}
