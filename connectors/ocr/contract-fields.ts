import { CJK, type LayoutRow, type TextSpan, spanOf } from './ocr-layout';

/**
 * Labelled fields of a contract: `合同编号：HT-2026-0012`, `甲方（需方）：…`, `二、交货日期：…`,
 * `Article 4 - Payment terms: …`, and the same in two-cell tables (`合同编号 | DG-2026-0056`), where
 * the cell gap stands for the colon. A label counts at the start of a cell (after an optional clause
 * number: 二、 第二条 4. Article 4 -), or anywhere outside a Latin word when a colon follows it; so
 * "经甲乙双方友好协商" or "The Buyer agrees" is never read as a party.
 */

export type PartyRole = 'buyer' | 'seller';

export interface LabelledValue {
  readonly row: LayoutRow;
  /** Where the label starts and the value starts and ends in `row.text`. */
  readonly labelStart: number;
  readonly start: number;
  readonly end: number;
  /** The label as matched, e.g. "甲方（需方）". */
  readonly label: string;
}

const CLAUSE = String.raw`(?:第[一二三四五六七八九十百]+条|[一二三四五六七八九十]+\s*[、.，,]|[(（]?\d{1,2}\s*[.、)）]|Article\s*\d+\s*[-–—.:]?|Clause\s*\d+\s*[-–—.:]?)`;
/** After the label: a colon (OCR reads ：as : ; or ；) or a cell gap. */
const SEPARATOR = String.raw`[ \u3000]*(?:[:：;；][ \u3000]*|(?=\t))`;
const COLON = String.raw`[ \u3000]*[:：;；][ \u3000]*`;
/**
 * A role or remark in brackets after a party label: 甲方（需方）, 甲方（盖章）, Party A (Buyer). OCR
 * reads the full-width bracket as 〈, 《 or 〔( about as often as （, and mixes the two halves.
 */
const BRACKETS = String.raw`(?:\s*[(（〈《<\[〔【]+[^)）〉》>\]〕】\t]{0,8}[)）〉》>\]〕】])?`;

export const FIELD_LABELS = {
  poNumber: ['合同编号', '合同号', '合同编码', '采购订单号', '采购单号', '订单编号', '订单号', 'Contract No', 'Contract Number', 'Agreement No', 'Agreement Number', 'Purchase Order No', 'Purchase Order Number', 'P.O. No', 'PO No', 'PO Number', 'Order No'],
  deliveryDate: ['交货日期', '交货时间', '交货期限', '交货期', '交付日期', '交付时间', '到货日期', '到货时间', '供货期', 'Delivery date', 'Date of delivery', 'Delivery time', 'Time of delivery'],
  deliveryPlace: ['交货地点', '交货地址', '交付地点', '送货地点', '送货地址', '收货地址', '到货地点', 'Delivery place', 'Place of delivery', 'Delivery address', 'Ship to'],
  paymentTerms: ['付款方式', '结算方式', '付款条件', '支付方式', '付款条款', 'Payment terms', 'Terms of payment', 'Payment'],
  total: ['合同总金额', '合同总价', '合计金额', '总金额', '价款合计', '合计', '总计', '总价', 'Total amount', 'Grand total', 'Total'],
} as const;

const BUYER_WORDS = ['需方', '买方', '采购方', '需求方', '订货方', '购货方', '购方', '买受人', 'Buyer', 'Purchaser'];
const SELLER_WORDS = ['供方', '卖方', '供应方', '供货方', '销售方', '销方', '出卖人', 'Seller', 'Supplier', 'Vendor'];
/** 甲方 and 乙方 say which party only by custom (甲 buys in a purchase contract); a role word beside them wins. */
const WEAK_BUYER = ['甲方', 'Party A'];
const WEAK_SELLER = ['乙方', 'Party B'];

/**
 * A label as a regular expression source: OCR may drop the space between English words
 * ("Paymentterms") and put one between any two Chinese characters ("付款 方式").
 */
export function labelSource(label: string): string {
  return [...label]
    .map((ch, i) => {
      const escaped = /[.#()[\]]/.test(ch) ? `\\${ch}` : ch === ' ' ? ' *' : ch;
      const next = label[i + 1];
      return next !== undefined && ch !== ' ' && next !== ' ' && (CJK.test(ch) || CJK.test(next)) ? `${escaped} ?` : escaped;
    })
    .join('');
}

/**
 * Two patterns per label: at a cell start (after an optional clause number), where a cell gap may
 * stand for the colon; and anywhere not inside a Latin word, with a colon — OCR often puts noise
 * where the clause number was ("旭1川一 交货日期：").
 */
function labelPatterns(labels: readonly string[], brackets: boolean): readonly RegExp[] {
  const alternatives = [...labels]
    .sort((a, b) => b.length - a.length)
    .map((label) => labelSource(label) + (/[A-Za-z]$/.test(label) ? '\\.?' : ''))
    .join('|');
  const label = `(${alternatives})(${brackets ? BRACKETS : ''})`;
  return [new RegExp(`(?:^|\\t)\\s*(?:${CLAUSE}\\s*)?${label}${SEPARATOR}`, 'giu'), new RegExp(`(?<![A-Za-z])${label}${COLON}`, 'giu')];
}

const PATTERNS = {
  poNumber: labelPatterns(FIELD_LABELS.poNumber, false),
  deliveryDate: labelPatterns(FIELD_LABELS.deliveryDate, false),
  deliveryPlace: labelPatterns(FIELD_LABELS.deliveryPlace, false),
  paymentTerms: labelPatterns(FIELD_LABELS.paymentTerms, false),
  total: labelPatterns(FIELD_LABELS.total, true),
  party: labelPatterns([...BUYER_WORDS, ...SELLER_WORDS, ...WEAK_BUYER, ...WEAK_SELLER], true),
};

export type LabelledField = Exclude<keyof typeof PATTERNS, 'party'>;

/** Every place the field's label appears, top to bottom, with the value range after it. */
export function findLabelled(rows: readonly LayoutRow[], field: LabelledField | 'party'): LabelledValue[] {
  return rows.flatMap((row) => {
    const found = new Map<number, LabelledValue>();
    for (const pattern of PATTERNS[field]) {
      for (const match of row.text.matchAll(pattern)) {
        const labelStart = match.index + match[0].indexOf(match[1]!);
        if (found.has(labelStart)) continue;
        const start = match.index + match[0].length;
        // In a two-cell table the value is the next cell; otherwise it runs to the end of the cell.
        const from = row.text[start] === '\t' ? start + 1 : start;
        const cellEnd = row.text.indexOf('\t', from);
        found.set(labelStart, { row, labelStart, start: from, end: endOfValue(row.text, from, cellEnd < 0 ? row.text.length : cellEnd), label: `${match[1]!}${match[2] ?? ''}` });
      }
    }
    return [...found.values()].sort((a, b) => a.labelStart - b.labelStart);
  });
}

/** A value stops before another "label：" written in the same cell ("…有限公司　电话：…"). */
function endOfValue(text: string, start: number, end: number): number {
  const next = /[\s\u3000]+[^\s\u3000:：\d]{1,12}[:：]/u.exec(text.slice(start, end));
  return next ? start + next.index : end;
}

/** Which party a label names, or undefined for a bracket that only says where to sign (甲方（盖章）is still the buyer). */
export function partyRole(label: string): PartyRole | undefined {
  const strong = (words: readonly string[]) => words.some((w) => label.toLowerCase().includes(w.toLowerCase()));
  if (strong(BUYER_WORDS)) return 'buyer';
  if (strong(SELLER_WORDS)) return 'seller';
  if (strong(WEAK_BUYER)) return 'buyer';
  if (strong(WEAK_SELLER)) return 'seller';
  return undefined;
}

/**
 * Free text after a label, continued on the rows below while the text runs to the right margin
 * and the next row starts no new clause or label (a wrapped payment clause).
 */
export function valueWithContinuation(found: LabelledValue, rows: readonly LayoutRow[]): TextSpan[] {
  const spans = [spanOf(found.row, found.start, found.end)];
  const pageRows = rows.filter((r) => r.page === found.row.page);
  const rightMargin = Math.max(...pageRows.map((r) => r.bbox.x1));
  let row = found.row;
  let end = found.end;
  for (let i = pageRows.indexOf(row) + 1; i < pageRows.length; i += 1) {
    const next = pageRows[i]!;
    const wrapped = end === row.text.length && row.bbox.x1 >= rightMargin - 3 * row.height;
    const adjacent = next.bbox.y0 - row.bbox.y1 < row.height && Math.abs(next.bbox.x0 - found.row.bbox.x0) < 2 * row.height;
    if (!wrapped || !adjacent || startsClause(next.text)) break;
    spans.push(spanOf(next, 0, next.text.includes('\t') ? next.text.indexOf('\t') : next.text.length));
    row = next;
    end = next.text.length;
  }
  return spans;
}

const CLAUSE_START = new RegExp(`^\\s*(?:${CLAUSE}|(?:[^\\s:：] ?){1,12}[:：])`, 'iu');

function startsClause(text: string): boolean {
  return CLAUSE_START.test(text);
}

/**
 * Text as a person would type it: OCR's spaces next to Chinese characters removed (they are layout,
 * not content), runs of spaces collapsed, the space after a comma between words restored, a
 * trailing colon or semicolon dropped.
 */
export function tidy(text: string): string {
  let out = text.replace(/\s+/g, ' ').trim();
  out = out.replace(/ (?=.)/gu, (space, at: number) => (CJK.test(out[at - 1] ?? '') || CJK.test(out[at + 1] ?? '') ? '' : space));
  // OCR drops the space after a comma in Latin text ("12 Beach Road,Auckland"); no word is written that way.
  out = out.replace(/(?<=[A-Za-z]),(?=[A-Za-z])/g, ', ');
  return out.replace(/[:：;；,，]$/u, '');
}
