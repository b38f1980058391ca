import { AMOUNT_CHARACTERS, ChineseAmountError, parseChineseAmount } from './chinese-amount';
import { findLabelled, partyRole, tidy, valueWithContinuation, type LabelledField, type LabelledValue } from './contract-fields';
import { readCurrency, readDate, readFigure } from './contract-values';
import { type Problem, type Reading, ambiguousCode, problem, reading } from './field-reading';
import { type LayoutRow, type TextSpan, spanOf } from './ocr-layout';

/**
 * The contract's terms outside the item table: number, parties, delivery date and place, payment
 * terms, the total in figures and in Chinese capital numerals, and the currency marks found around
 * them. Each is read from its label (contract-fields.ts); a label whose value cannot be read is a
 * problem naming the field, never a silently dropped value.
 */

export interface CurrencyMark {
  readonly code: string;
  readonly span: TextSpan;
  /** Beside the total in figures, the strongest evidence of the contract's currency. */
  readonly besideTotal: boolean;
}

export interface ContractTerms {
  readonly readings: readonly Reading[];
  readonly problems: readonly Problem[];
  /** Currency marks beside the total and before the 大写 amount, in that order. */
  readonly currencyMarks: readonly CurrencyMark[];
  /** True when a buyer or seller label with a value was found. */
  readonly hasParties: boolean;
}

/** A contract or PO number: letters, digits and - _ / . #, with at least one digit. */
const PO_NUMBER = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-_/.#]{2,}$/;
/** How Chinese organisations' names end; a name read without one is probably cut or misread. */
const ORGANISATION_END = /(?:公司|集团|厂|院|中心|局|所|部|站|店|社|行|会|校|大学|银行|医院|事务所)$/u;
/** Figures inside a value: digits with separators, and the letters OCR confuses with digits. */
const FIGURE_IN_TEXT = /[\d０-９](?:[\d０-９,，.．。OoDlI]| (?=[\d０-９]))*/u;
/** Characters of an amount in capital numerals, including the ones OCR confuses with them. */
const NUMERAL_CLASS = `[${AMOUNT_CHARACTERS.replace(/[Oo]/g, '')}]`;
const NUMERAL_RUN = new RegExp(`${NUMERAL_CLASS}(?: ?${NUMERAL_CLASS})+`, 'gu');
/** Where the numerals start after the currency word: the first digit (or 拾, or a character read for one). */
const FIRST_NUMERAL = /[零壹贰叁肆伍陆柒捌玖拾貳參叄陸什参〇○]/u;

export function readTerms(rows: readonly LayoutRow[]): ContractTerms {
  const readings: Reading[] = [];
  const problems: Problem[] = [];
  const currencyMarks: CurrencyMark[] = [];
  const add = (result: Reading | Problem | undefined): void => {
    if (result === undefined) return;
    if ('code' in result) problems.push(result);
    else readings.push(result);
  };

  add(firstOf(findLabelled(rows, 'poNumber'), (found) => readPoNumber(found)));
  const parties = readParties(rows);
  readings.push(...parties.readings);
  problems.push(...parties.problems);
  add(firstOf(findLabelled(rows, 'deliveryDate'), (found) => readDeliveryDate(found)));
  add(freeText(rows, 'deliveryPlace', 'shipTo.street'));
  add(freeText(rows, 'paymentTerms', 'paymentTerms'));
  const total = readTotal(rows);
  if (total) {
    readings.push(total.reading);
    currencyMarks.push(...total.marks);
  }
  const words = readAmountInWords(rows);
  if (words) {
    add(words.result);
    currencyMarks.push(...words.marks);
  }
  return { readings, problems, currencyMarks, hasParties: parties.readings.length > 0 };
}

/** The first occurrence that gives a reading; else the first problem; undefined when the label is absent. */
function firstOf(found: readonly LabelledValue[], read: (found: LabelledValue) => Reading | Problem | undefined): Reading | Problem | undefined {
  let firstProblem: Problem | undefined;
  for (const candidate of found) {
    const result = read(candidate);
    if (result && !('code' in result)) return result;
    firstProblem ??= result;
  }
  return firstProblem;
}

function readPoNumber(found: LabelledValue): Reading | Problem | undefined {
  const span = spanOf(found.row, found.start, found.end);
  if (span.text === '') return undefined;
  // OCR sometimes splits a number at a hyphen; contract numbers carry no spaces.
  const value = span.text.normalize('NFKC').replace(/\s+/g, '');
  if (!PO_NUMBER.test(value)) return problem('poNumber', 'ocr.unreadable_value', `"${span.text}" after ${found.label} is not a contract number`, span);
  const ambiguous = ambiguousCode(value);
  return reading('poNumber', value, [span], { notes: value === span.text ? [] : ['spaces removed'], ...(ambiguous ? { formatProblem: ambiguous } : {}) });
}

function readParties(rows: readonly LayoutRow[]): { readings: Reading[]; problems: Problem[] } {
  const readings: Reading[] = [];
  const problems: Problem[] = [];
  for (const found of findLabelled(rows, 'party')) {
    const role = partyRole(found.label);
    const span = spanOf(found.row, found.start, found.end);
    const name = tidy(span.text);
    if (!role || !looksLikeName(name)) continue;
    const path = role === 'buyer' ? 'customer.name' : 'seller.name';
    const earlier = readings.find((r) => r.path === path);
    if (!earlier) {
      const cjk = /[\u4e00-\u9fff]/u.test(name);
      readings.push(reading(path, name, [span], cjk && !ORGANISATION_END.test(name) ? { formatProblem: 'does not end like an organisation name (公司, 厂, 院 …)' } : {}));
    } else if (earlier.value !== name) {
      // The same party written twice (heading and signature block) and read two ways: at least one reading is wrong.
      problems.push(problem(path, 'ocr.low_confidence', `${found.label} read as "${earlier.value}" and as "${name}"`, span));
    }
  }
  return { readings, problems };
}

/** A party value, not an empty signature line or another label ("Purchaser | Supplier"). */
function looksLikeName(name: string): boolean {
  if (name.length < 2 || /^[(（].*[)）]$/u.test(name)) return false;
  return partyRole(name) === undefined || name.length > 12;
}

function readDeliveryDate(found: LabelledValue): Reading | Problem | undefined {
  const span = spanOf(found.row, found.start, found.end);
  if (span.text === '') return undefined;
  const date = readDate(span.text);
  if (!date) return problem('requestedDeliveryDate', 'ocr.unreadable_value', `no calendar date in "${span.text}" after ${found.label}`, span);
  return reading('requestedDeliveryDate', date.value, [span], { notes: date.notes });
}

function freeText(rows: readonly LayoutRow[], field: LabelledField, path: string): Reading | undefined {
  for (const found of findLabelled(rows, field)) {
    const spans = valueWithContinuation(found, rows);
    const value = tidy(spans.map((s) => s.text).join(' '));
    if (value !== '') return reading(path, value, spans);
  }
  return undefined;
}

/** The first total label followed by a figure: "合计 | 39,400.00", "总计：人民币 61,400.00 元", "Total amount: EUR 77,335.00". */
function readTotal(rows: readonly LayoutRow[]): { reading: Reading; marks: CurrencyMark[] } | undefined {
  for (const found of findLabelled(rows, 'total')) {
    const text = found.row.text.slice(found.start, found.end);
    const match = FIGURE_IN_TEXT.exec(text);
    if (!match) continue;
    const figureText = match[0].replace(/[ ,，.．。]+$/u, '');
    const at = found.start + match.index;
    const figure = readFigure(figureText);
    if (!figure) continue;
    const span = spanOf(found.row, at, at + figureText.length);
    const marks: CurrencyMark[] = [];
    const before = spanOf(found.row, found.start, at);
    const after = spanOf(found.row, at + figureText.length, found.end);
    for (const side of [before, after]) {
      const code = readCurrency(side.text);
      if (code) marks.push({ code, span: side, besideTotal: true });
    }
    return { reading: reading('claimedTotals.gross', figure.value, [span], { notes: figure.notes }), marks };
  }
  return undefined;
}

/**
 * The 大写 amount: everything after "大写" (and the currency word after it) up to the closing
 * bracket, cell gap or end of the row — so a numeral OCR misread into another character makes the
 * value unreadable instead of silently shortening it. Without a 大写 label, the first run of
 * capital numerals with a digit and 元.
 */
function readAmountInWords(rows: readonly LayoutRow[]): { result: Reading | Problem; marks: CurrencyMark[] } | undefined {
  const found = labelledAmount(rows) ?? unlabelledAmount(rows);
  if (!found) return undefined;
  const { row, start, end } = found;
  const span = spanOf(row, start, end);
  const marks: CurrencyMark[] = [];
  // The currency is written before the numerals, on either side of 大写: 合计人民币（大写）：…, 大写：美元….
  const prefix = spanOf(row, 0, start);
  const code = readCurrency(prefix.text.slice(-12));
  if (code) marks.push({ code, span: prefix, besideTotal: false });
  if (span.text === '') return { result: problem('amountInWords', 'ocr.unreadable_value', 'nothing after 大写', prefix), marks };
  try {
    const amount = parseChineseAmount(span.text);
    // By the rules an amount in capital numerals is RMB unless another currency is named before it.
    if (!code && /[元圆圓]/u.test(amount.text)) marks.push({ code: 'CNY', span, besideTotal: false });
    return { result: reading('amountInWords', amount.text, [span], { notes: amount.notes }), marks };
  } catch (err) {
    if (!(err instanceof ChineseAmountError)) throw err;
    return { result: problem('amountInWords', 'ocr.unreadable_value', err.message, span), marks };
  }
}

const AMOUNT_LABEL = /大\s*[写寫](?:\s*金\s*额)?[\s)）〕\]〉》:：]*(?:(?:人\s*民\s*币|美\s*元|港\s*币|港\s*元|欧\s*元|日\s*元|RMB|USD|CNY)[\s:：]*)?/u;

function labelledAmount(rows: readonly LayoutRow[]): { row: LayoutRow; start: number; end: number } | undefined {
  for (const row of rows) {
    const label = AMOUNT_LABEL.exec(row.text);
    if (!label) continue;
    const start = label.index + label[0].length;
    const stop = row.text.slice(start).search(/[\t)）〕\]〉》]/u);
    let end = stop < 0 ? row.text.length : start + stop;
    while (end > start && /[\s。.，,;；]/u.test(row.text[end - 1]!)) end -= 1;
    return { row, start, end };
  }
  return undefined;
}

function unlabelledAmount(rows: readonly LayoutRow[]): { row: LayoutRow; start: number; end: number } | undefined {
  for (const row of rows) {
    for (const match of row.text.matchAll(NUMERAL_RUN)) {
      if (!/[壹贰叁肆伍陆柒捌玖].*[元圆]/u.test(match[0])) continue;
      const first = match[0].search(FIRST_NUMERAL);
      return { row, start: match.index + first, end: match.index + match[0].length };
    }
  }
  return undefined;
}
