import { orderDraftSchema } from '../../core/order/order.schema';
import type { OrderDraftInput } from '../../core/order/order.types';
import { crossCheck } from './contract-checks';
import { readTerms, type ContractTerms } from './contract-terms';
import { type DoubtCode, type Problem, type Reading, VERIFIED, reading } from './field-reading';
import { readLines, type ItemLines } from './item-lines';
import { findItemTable } from './item-table';
import type { BoundingBox, OcrDocument } from './ocr-document';
import { readCurrency } from './contract-values';
import { type LayoutRow, type TextSpan, layoutRows } from './ocr-layout';

/**
 * Reads a recognised contract (OcrDocument) into the hub's order draft, and says which values it is
 * not sure of. Pure: no I/O, so it runs the same on the engine's output and on test documents.
 *
 * The aim is that no wrong value is ever accepted silently. Every field carries a confidence
 * (field-reading.ts); a field below `minConfidence`, a field the order needs but the page does not
 * give, a value that cannot be read, and every field involved in a failed cross-check
 * (contract-checks.ts) becomes a doubt naming the field path with the page and box it came from.
 * A document with a doubt goes to review.
 *
 * Mapping: contract number → poNumber; buyer (甲方/需方/买方/Buyer/Purchaser) → customer.name; seller
 * (乙方/供方/卖方/Seller/Supplier) → field `seller.name` and the draft's notes; item table → lines;
 * 合计/Total → claimedTotals.gross; 大写 → field `amountInWords`; delivery date, delivery place
 * (shipTo.street) and payment terms as labelled.
 */

export interface ExtractedField {
  /** Canonical draft path ('poNumber', 'customer.name', 'lines[0].quantity', 'claimedTotals.gross'), plus 'seller.name', 'amountInWords', 'lines[i].amount'. */
  readonly path: string;
  readonly value: string;
  /** 0–1. */
  readonly confidence: number;
  readonly page?: number;
  readonly bbox?: BoundingBox;
}

export interface ExtractionDoubt {
  readonly path: string;
  readonly code: DoubtCode;
  readonly message: string;
  readonly page?: number;
  readonly bbox?: BoundingBox;
}

export interface ContractExtraction {
  readonly isContract: boolean;
  /** Why the document is not a contract. */
  readonly reason?: string;
  /** Present when the values read make a valid order draft; its doubts still apply. */
  readonly draft?: OrderDraftInput;
  readonly fields: readonly ExtractedField[];
  readonly doubts: readonly ExtractionDoubt[];
  /** 0–1: the lowest confidence of the fields the draft is made of; 0 when a required one is missing. */
  readonly confidence: number;
}

export interface ExtractionOptions {
  /** 0–1; fields below become doubts (contractExtractionConfig.minConfidence). */
  readonly minConfidence: number;
  /** ISO 4217, used when the page names no currency. */
  readonly defaultCurrency: string;
}

/** Words only contracts and orders carry; a delivery note or an invoice has none. */
const CONTRACT_WORDS = /合\s*同|协\s*议|契\s*约|订\s*购\s*单|采\s*购\s*单|contract|agreement|purchase\s+order/iu;
/** Paths the order cannot go without. */
const REQUIRED = ['poNumber', 'customer.name'] as const;
const LINE_REQUIRED = ['sku', 'quantity', 'unitPrice'] as const;

export function extractContract(doc: OcrDocument, options: ExtractionOptions): ContractExtraction {
  const rows = layoutRows(doc);
  const terms = readTerms(rows);
  const table = findItemTable(rows);
  const priced = table?.rows.some((row) => row.cells.unitPrice !== undefined || row.cells.amount !== undefined) ?? false;
  const notContract = notAContract(rows, terms, priced);
  if (notContract) return { isContract: false, reason: notContract, fields: [], doubts: [], confidence: 0 };

  const items: ItemLines = table ? readLines(table) : { lines: [], readings: [], problems: [] };
  const currency = readCurrencyField(terms, table?.currencyHint, options.defaultCurrency);
  const asRead = [...terms.readings, ...items.readings, ...(currency.reading ? [currency.reading] : [])];
  const checks = crossCheck(items.lines, asRead, currency.code);
  const readings = asRead.map((r) => (checks.verified.has(r.path) && r.confidence < VERIFIED ? { ...r, confidence: VERIFIED, notes: [...r.notes, 'confirmed by the other figures'] } : r));
  const found = [...terms.problems, ...items.problems, ...currency.problems];
  const problems: Problem[] = [...found, ...missing(readings, items, found), ...checks.problems];
  for (const read of readings) {
    if (read.confidence < options.minConfidence) {
      const why = read.notes.length > 0 ? `; ${read.notes.join('; ')}` : '';
      problems.push({ path: read.path, code: 'ocr.low_confidence', message: `"${read.value}" read with confidence ${read.confidence.toFixed(2)}${why}`, ...place(read) });
    }
  }
  const draft = buildDraft(readings, items, currency.code);
  const valid = orderDraftSchema.safeParse(draft);
  if (!valid.success) {
    for (const issue of valid.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      if (!problems.some((p) => p.path === path)) problems.push({ path, code: 'ocr.unreadable_value', message: `the value read does not fit the order: ${issue.message}` });
    }
  }
  const fields = readings.map(({ path, value, confidence, page, bbox }) => ({ path, value, confidence, ...(page !== undefined ? { page } : {}), ...(bbox ? { bbox } : {}) }));
  return { isContract: true, ...(valid.success ? { draft } : {}), fields, doubts: dedupe(problems), confidence: overallConfidence(readings, problems) };
}

/** The reason a document is not a contract, or undefined: it must show two of contract words, parties and a priced item table. */
function notAContract(rows: readonly LayoutRow[], terms: ContractTerms, hasTable: boolean): string | undefined {
  const signals = { words: rows.some((row) => CONTRACT_WORDS.test(row.text)), parties: terms.hasParties, table: hasTable };
  if (Object.values(signals).filter(Boolean).length >= 2) return undefined;
  const lacking = [
    signals.words ? undefined : 'no contract words (合同, 协议, Contract, Agreement)',
    signals.parties ? undefined : 'no parties (甲方/乙方, 需方/供方, 买方/卖方, Buyer/Seller)',
    signals.table ? undefined : 'no item table with quantities and prices',
  ].filter((s): s is string => s !== undefined);
  return rows.length === 0 ? 'no text on the page' : lacking.join('; ');
}

/**
 * The currency from the marks beside the total, then a currency in the table header, then the one
 * before the 大写 amount. Marks that disagree are a doubt; none at all falls back to the default
 * with a doubt, since a guessed currency is not a read one.
 */
function readCurrencyField(terms: ContractTerms, headerHint: TextSpan | undefined, fallback: string): { code: string; reading?: Reading; problems: Problem[] } {
  const marks = [...terms.currencyMarks];
  const headerCode = headerHint ? readCurrency(headerHint.text) : undefined;
  if (headerHint && headerCode) {
    const besideTotal = terms.currencyMarks.filter((m) => m.besideTotal).length;
    marks.splice(besideTotal, 0, { code: headerCode, span: headerHint, besideTotal: false });
  }
  const first = marks[0];
  if (!first) return { code: fallback, problems: [{ path: 'currency', code: 'ocr.missing', message: `no currency on the page (¥, 人民币, 元, USD …); ${fallback} assumed` }] };
  const problems: Problem[] = marks
    .filter((m) => m.code !== first.code)
    .map((m) => ({ path: 'currency', code: 'ocr.low_confidence', message: `the page names ${first.code} ("${first.span.text}") and ${m.code} ("${m.span.text}")`, page: m.span.page, bbox: m.span.bbox }));
  const read = reading('currency', first.code, [first.span]);
  // Two marks naming the same currency (元 in the header, 人民币 before the 大写) confirm each other.
  const confirmed = problems.length === 0 && marks.length >= 2 && read.confidence < VERIFIED;
  return { code: first.code, reading: confirmed ? { ...read, confidence: VERIFIED, notes: [...read.notes, `named ${marks.length} times`] } : read, problems };
}

/** A doubt for every value the order needs that the page did not give. */
function missing(readings: readonly Reading[], items: ItemLines, found: readonly Problem[]): Problem[] {
  // A value found but unreadable already has its doubt.
  const has = (path: string): boolean => readings.some((r) => r.path === path) || found.some((p) => p.path === path);
  const problems: Problem[] = REQUIRED.filter((path) => !has(path)).map((path) => ({ path, code: 'ocr.missing', message: `no ${path === 'poNumber' ? 'contract number (合同编号, Contract No.)' : 'buyer (甲方/需方/买方, Buyer)'} found` }));
  if (items.lines.length === 0) problems.push({ path: 'lines', code: 'ocr.missing', message: 'no item table with quantities and prices found' });
  items.lines.forEach((line, i) => {
    for (const field of LINE_REQUIRED) {
      if (!has(`lines[${i}].${field}`)) problems.push({ path: `lines[${i}].${field}`, code: 'ocr.missing', message: `line ${line.lineNo} has no ${field === 'sku' ? 'model (型号/规格, Model)' : field === 'quantity' ? 'quantity' : 'unit price'}` });
    }
  });
  return problems;
}

function buildDraft(readings: readonly Reading[], items: ItemLines, currency: string): OrderDraftInput {
  const value = (path: string): string | undefined => readings.find((r) => r.path === path)?.value;
  const seller = value('seller.name');
  const gross = value('claimedTotals.gross');
  const street = value('shipTo.street');
  const optional = {
    poNumber: value('poNumber'),
    paymentTerms: value('paymentTerms'),
    requestedDeliveryDate: value('requestedDeliveryDate'),
    shipTo: street === undefined ? undefined : { street },
    notes: seller === undefined ? undefined : `Seller: ${seller}`,
    claimedTotals: gross === undefined ? undefined : { gross },
  };
  return {
    customer: { name: value('customer.name') ?? '' },
    currency,
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<OrderDraftInput>),
    lines: items.lines.map((line) => ({
      lineNo: line.lineNo,
      sku: line.sku ?? '',
      quantity: line.quantity ?? '',
      unitPrice: line.unitPrice ?? '',
      ...(line.description !== undefined ? { description: line.description } : {}),
      ...(line.uom !== undefined ? { uom: line.uom } : {}),
    })),
  };
}

function place(read: { readonly page?: number; readonly bbox?: BoundingBox }): { page?: number; bbox?: BoundingBox } {
  return { ...(read.page !== undefined ? { page: read.page } : {}), ...(read.bbox ? { bbox: read.bbox } : {}) };
}

/** One doubt per path and code; the first says it. */
function dedupe(problems: readonly Problem[]): ExtractionDoubt[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path} ${p.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The weakest field the draft is made of; 0 when the order lacks something it needs. */
function overallConfidence(readings: readonly Reading[], problems: readonly Problem[]): number {
  if (readings.length === 0 || problems.some((p) => p.code === 'ocr.missing' && p.path !== 'currency')) return 0;
  return Math.min(...readings.map((r) => r.confidence));
}
