import { tidy } from './contract-fields';
import { readFigure, readQuantity } from './contract-values';
import { dec } from '../../core/order/money';
import { type Problem, type Reading, REPAIR_FACTOR, ambiguousCode, problem, reading } from './field-reading';
import type { ItemTable } from './item-table';
import type { TextSpan } from './ocr-layout';

/**
 * The item table's rows as order lines: description (名称), SKU (型号/规格/Model), quantity, unit,
 * unit price and amount, each a reading at `lines[i].<field>`. A number cell that is not a number
 * is a problem naming the cell, so the line cannot be taken as read.
 */

export interface LineValues {
  readonly lineNo: number;
  readonly description?: string;
  readonly sku?: string;
  readonly quantity?: string;
  readonly uom?: string;
  readonly unitPrice?: string;
  readonly amount?: string;
  /** The quantity was computed from amount ÷ unit price, not read; no cross-check can confirm it. */
  readonly quantityComputed?: boolean;
}

export interface ItemLines {
  readonly lines: readonly LineValues[];
  readonly readings: readonly Reading[];
  readonly problems: readonly Problem[];
}

/**
 * Units of measure contracts use (the common Chinese 量词 and the UN/ECE Recommendation 20 codes
 * people write, https://unece.org/trade/uncefact/cl-recommendations): a unit outside the list is
 * more likely misread (十克 for 千克, "a" for 台) than new, so it is doubted, not refused.
 */
const UNITS = new Set([
  ...'个 台 套 件 只 支 把 张 条 根 块 片 卷 盒 箱 包 袋 瓶 桶 罐 组 副 对 双 盏 具 面 樘 扇 座 辆 批 项 次 节 段 米 厘米 毫米 千米 公里 延米 平方米 平米 立方米 方 吨 千克 公斤 克 升 毫升 斤 台套 天 月 ㎡ ㎥'.split(' '),
  ...'ea pc pcs set sets lot roll rolls m m2 m3 m² m³ kg g t ton tons mt l pair pr box ctn carton unit units pkg pack bag drum sqm lm ft yd lb doz hr day'.split(' '),
]);

export function readLines(table: ItemTable): ItemLines {
  const readings: Reading[] = [];
  const problems: Problem[] = [];
  const lines = table.rows.map((row, index): LineValues => {
    const at = `lines[${index}]`;
    const { cells } = row;
    const values: { -readonly [K in keyof LineValues]: LineValues[K] } = { lineNo: lineNumber(cells.no, index) };
    const text = (field: 'description' | 'sku', span: TextSpan | undefined): void => {
      const value = span ? tidy(span.text) : '';
      if (!span || value === '') return;
      values[field] = value;
      const ambiguous = field === 'sku' ? ambiguousCode(value) : undefined;
      readings.push(reading(`${at}.${field}`, value, [span], ambiguous ? { formatProblem: ambiguous } : {}));
    };
    text('description', cells.description);
    text('sku', cells.sku);

    if (cells.quantity) {
      const quantity = readQuantity(cells.quantity.text);
      if (quantity && /[1-9]/.test(quantity.value)) {
        values.quantity = quantity.value;
        readings.push(reading(`${at}.quantity`, quantity.value, [cells.quantity], { notes: quantity.notes }));
        if (quantity.uom && !cells.uom) {
          values.uom = quantity.uom;
          readings.push(reading(`${at}.uom`, quantity.uom, [cells.quantity], UNITS.has(quantity.uom.toLowerCase()) ? {} : { formatProblem: 'not a known unit of measure' }));
        }
      } else {
        problems.push(problem(`${at}.quantity`, 'ocr.unreadable_value', `quantity "${cells.quantity.text}" on line ${values.lineNo} is not a number above zero`, cells.quantity));
      }
    }
    if (cells.uom) {
      const uom = tidy(cells.uom.text);
      values.uom = uom;
      readings.push(reading(`${at}.uom`, uom, [cells.uom], UNITS.has(uom.toLowerCase().replace(/\.$/, '')) ? {} : { formatProblem: 'not a known unit of measure' }));
    }
    for (const field of ['unitPrice', 'amount'] as const) {
      const span = cells[field];
      if (!span) continue;
      const figure = readFigure(span.text);
      if (figure) {
        values[field] = figure.value;
        readings.push(reading(`${at}.${field}`, figure.value, [span], { notes: figure.notes }));
      } else {
        problems.push(problem(`${at}.${field}`, 'ocr.unreadable_value', `${field === 'unitPrice' ? 'unit price' : 'amount'} "${span.text}" on line ${values.lineNo} is not a figure`, span));
      }
    }
    if (values.quantity === undefined && !cells.quantity) deriveQuantity(values, at, readings, problems);
    return values;
  });
  // A unit the table gives on some lines but not on this one was lost by OCR; the order would default it to EA.
  if (lines.some((line) => line.uom !== undefined)) {
    lines.forEach((line, i) => {
      if (line.uom === undefined) problems.push({ path: `lines[${i}].uom`, code: 'ocr.missing', message: `line ${line.lineNo} has no unit, though other lines have one` });
    });
  }
  return { lines, readings, problems };
}

/**
 * A quantity OCR did not read (a lone short figure in a wide cell is what tesseract drops most),
 * computed as amount ÷ unit price when that is a whole number or a short decimal. It is filled in so
 * the draft is complete, and always doubted: it was computed, not read.
 */
function deriveQuantity(values: { -readonly [K in keyof LineValues]: LineValues[K] }, at: string, readings: Reading[], problems: Problem[]): void {
  const price = readings.find((r) => r.path === `${at}.unitPrice`);
  const amount = readings.find((r) => r.path === `${at}.amount`);
  if (!price || !amount || dec(price.value).isZero()) return;
  const quotient = dec(amount.value).dividedBy(price.value);
  if (quotient.decimalPlaces() > 3 || quotient.lte(0)) return;
  const quantity = quotient.toFixed();
  values.quantity = quantity;
  values.quantityComputed = true;
  readings.push({ path: `${at}.quantity`, value: quantity, confidence: Math.min(price.confidence, amount.confidence) * REPAIR_FACTOR, ...(amount.page !== undefined ? { page: amount.page } : {}), ...(amount.bbox ? { bbox: amount.bbox } : {}), notes: ['computed from amount ÷ unit price'] });
  problems.push({ path: `${at}.quantity`, code: 'ocr.missing', message: `line ${values.lineNo}: no quantity read; ${amount.value} ÷ ${price.value} = ${quantity} filled in`, ...(amount.page !== undefined ? { page: amount.page } : {}), ...(amount.bbox ? { bbox: amount.bbox } : {}) });
}

/** The 序号 cell when it holds the row's number, else the row's position. */
function lineNumber(cell: TextSpan | undefined, index: number): number {
  const written = cell?.text.normalize('NFKC').trim();
  return written && /^\d{1,4}$/.test(written) && Number(written) > 0 ? Number(written) : index + 1;
}
