import { dec, sum, toMoney } from '../../core/order/money';
import { parseChineseAmount } from './chinese-amount';
import type { Problem, Reading } from './field-reading';
import type { LineValues } from './item-lines';

/**
 * A contract states its money several times — each line's amount, the total in figures, the total
 * in capital numerals — and OCR reads each on its own, so disagreement is a doubt on every field
 * involved, and agreement is evidence: line amount = quantity × unit price, the sum of the lines =
 * 合计, 大写 = 合计. A value that agrees with others read independently is `verified`: for it to be
 * wrong, two misreads would have to cancel out exactly. Amounts are compared at the currency's
 * minor unit.
 */

export interface CrossCheck {
  readonly problems: readonly Problem[];
  /** Paths whose value an arithmetic identity with other readings confirms. */
  readonly verified: ReadonlySet<string>;
}

export function crossCheck(lines: readonly LineValues[], readings: readonly Reading[], currency: string): CrossCheck {
  const problems: Problem[] = [];
  const verified = new Set<string>();
  const at = (path: string): Reading | undefined => readings.find((r) => r.path === path);
  const doubt = (path: string, code: Problem['code'], message: string): void => {
    const read = at(path);
    problems.push({ path, code, message, ...(read?.page !== undefined ? { page: read.page } : {}), ...(read?.bbox ? { bbox: read.bbox } : {}) });
  };

  lines.forEach((line, i) => {
    if (line.quantity === undefined || line.unitPrice === undefined || line.amount === undefined || line.quantityComputed) return;
    const computed = toMoney(dec(line.quantity).times(line.unitPrice), currency);
    if (dec(computed).equals(line.amount)) {
      for (const field of ['amount', 'quantity', 'unitPrice']) verified.add(`lines[${i}].${field}`);
      return;
    }
    const message = `line ${line.lineNo}: ${line.quantity} × ${line.unitPrice} = ${computed}, but the amount reads ${line.amount}`;
    for (const field of ['amount', 'quantity', 'unitPrice']) doubt(`lines[${i}].${field}`, 'ocr.line_amount_mismatch', message);
  });

  const gross = at('claimedTotals.gross');
  const lineTotals = lines.map((line) => line.amount ?? (line.quantity !== undefined && line.unitPrice !== undefined ? toMoney(dec(line.quantity).times(line.unitPrice), currency) : undefined));
  if (gross && lines.length > 0 && lineTotals.every((v) => v !== undefined)) {
    const total = toMoney(sum(lineTotals.map((v) => dec(v!))), currency);
    if (dec(total).equals(gross.value)) {
      verified.add('claimedTotals.gross');
      lines.forEach((line, i) => line.amount !== undefined && verified.add(`lines[${i}].amount`));
    } else {
      const message = `the lines add up to ${total}, but the total reads ${gross.value}`;
      doubt('claimedTotals.gross', 'ocr.totals_mismatch', message);
      lines.forEach((line, i) => doubt(`lines[${i}].${line.amount !== undefined ? 'amount' : 'quantity'}`, 'ocr.totals_mismatch', message));
    }
  }

  const words = at('amountInWords');
  if (words && gross) {
    const inWords = parseChineseAmount(words.value).value;
    if (dec(inWords).equals(gross.value)) {
      verified.add('amountInWords');
      verified.add('claimedTotals.gross');
    } else {
      const message = `the amount in words ${words.value} is ${inWords}, but the total in figures reads ${gross.value}`;
      doubt('amountInWords', 'ocr.amount_in_words_mismatch', message);
      doubt('claimedTotals.gross', 'ocr.amount_in_words_mismatch', message);
    }
  }
  return { problems, verified };
}
