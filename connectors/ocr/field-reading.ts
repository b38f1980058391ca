import type { BoundingBox } from './ocr-document';
import { type TextSpan, union } from './ocr-layout';

/**
 * One value read from the page, with how sure we are of it.
 *
 * Confidence starts from the LOWEST tesseract word confidence among the words the value is made of,
 * not their mean: a contract value is right only if every character is, and one badly read digit in
 * a ten-character figure is diluted to nothing by a mean (nine words at 95 and one at 40 average
 * 89.5, comfortably "sure"). It is then lowered for every repair the reader had to make (a letter O
 * read as 0, 什 read as 拾, a separator guessed), and lowered more when the value does not have the
 * form such a value has (a company name without a company suffix).
 */

export type DoubtCode = 'ocr.low_confidence' | 'ocr.missing' | 'ocr.totals_mismatch' | 'ocr.amount_in_words_mismatch' | 'ocr.line_amount_mismatch' | 'ocr.unreadable_value';

export interface Reading {
  readonly path: string;
  readonly value: string;
  /** 0–1, after repairs and format checks. */
  readonly confidence: number;
  readonly page?: number;
  readonly bbox?: BoundingBox;
  /** Repairs and format problems, in words, for the doubt message. */
  readonly notes: readonly string[];
}

/** Something the extractor could not read, or a check that failed. */
export interface Problem {
  readonly path: string;
  readonly code: DoubtCode;
  readonly message: string;
  readonly page?: number;
  readonly bbox?: BoundingBox;
}

/**
 * Confidence kept per repair. One repair takes even a clean read (0.96) below the default threshold
 * (0.93), so a repaired value is looked at by a person unless a cross-check confirms it.
 */
export const REPAIR_FACTOR = 0.8;
/**
 * Confidence of a value that other readings confirm — a figure in an arithmetic cross-check
 * (contract-checks.ts), a currency named twice — whatever OCR said of its words: to be wrong, a
 * second misread would have to match the first exactly.
 */
export const VERIFIED = 0.99;
/** Confidence kept when a value does not look like what it should be. */
export const FORMAT_FACTOR = 0.6;

export interface ReadingOptions {
  readonly notes?: readonly string[];
  /** Why the value does not have its expected form; undefined when it does. */
  readonly formatProblem?: string;
}

export function reading(path: string, value: string, spans: readonly TextSpan[], options: ReadingOptions = {}): Reading {
  const notes = [...(options.notes ?? [])];
  let confidence = Math.min(...spans.map((s) => s.confidence)) * REPAIR_FACTOR ** notes.length;
  if (options.formatProblem !== undefined) {
    notes.push(options.formatProblem);
    confidence *= FORMAT_FACTOR;
  }
  const first = spans[0];
  const samePage = spans.filter((s) => s.page === first?.page);
  return {
    path,
    value,
    confidence: Math.round(confidence * 1000) / 1000,
    ...(first ? { page: first.page, bbox: union(samePage.map((s) => s.bbox)) } : {}),
    notes,
  };
}

/**
 * Why a code (contract number, model) looks misread: a letter OCR confuses with a digit standing
 * between digits ("2O26", "1S80"), or such a digit between letters ("H1T"); X between digits is
 * what OCR makes of the multiplication sign ("600X600" for 600×600). Real codes switch between
 * letters and digits at their segment boundaries, not one character in the middle.
 */
export function ambiguousCode(code: string): string | undefined {
  const suspicious = /(?<=\d)[OoIlSBZDQG](?=\d)|(?<=\d ?)[Xx](?= ?\d)|(?<=[A-Za-z])[015826](?=[A-Za-z])/.exec(code);
  return suspicious ? `"${suspicious[0]}" in "${code}" could be misread (letter among digits or digit among letters)` : undefined;
}

export function problem(path: string, code: DoubtCode, message: string, span?: TextSpan): Problem {
  return { path, code, message, ...(span ? { page: span.page, bbox: span.bbox } : {}) };
}
