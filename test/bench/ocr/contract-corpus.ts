import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ContractExtraction } from '../../../connectors/ocr/contract-extractor';
import { dec } from '../../../core/order/money';

/**
 * The contract corpus (test/fixtures/contracts) and its oracle: which samples there are, what each
 * should yield, and how an extraction compares with it field by field. Used by `npm run eval:ocr`
 * and by the extractor's tests, so both judge the same way.
 */

export const CORPUS_DIR = join(repositoryRoot(__dirname), 'test', 'fixtures', 'contracts');

/** The folder with package.json above `from`: the same from test/ (jest) and dist/test/ (node). */
function repositoryRoot(from: string): string {
  let at = from;
  while (!existsSync(join(at, 'package.json')) || basename(at) === 'dist') {
    const up = dirname(at);
    if (up === at) throw new Error(`no package.json above ${from}`);
    at = up;
  }
  return at;
}

export interface ExpectedLine {
  readonly description?: string;
  readonly sku?: string;
  readonly quantity?: string;
  readonly uom?: string;
  readonly unitPrice?: string;
  readonly amount?: string;
}

export interface Expected {
  readonly language: 'zh' | 'en';
  readonly noise: readonly string[];
  readonly isContract: boolean;
  readonly fields?: Readonly<Record<string, string>> & { readonly lines?: readonly ExpectedLine[] };
  readonly expectReview: boolean;
  /** The OcrInputError code the engine raises before any extraction (blank pages). */
  readonly expectError?: string;
}

export interface Sample {
  readonly name: string;
  /** The image or PDF, when it has been rendered. */
  readonly file?: string;
  readonly text: string;
  readonly expected: Expected;
}

const IMAGE = /\.(png|jpe?g|tiff?|pdf)$/i;

export function corpusSamples(): Sample[] {
  const files = readdirSync(CORPUS_DIR);
  return files
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => f.slice(0, -'.expected.json'.length))
    .sort()
    .map((name) => {
      const file = files.find((f) => f.startsWith(`${name}.`) && IMAGE.test(f) && f.slice(name.length + 1).split('.').length === 1);
      return {
        name,
        ...(file ? { file: join(CORPUS_DIR, file) } : {}),
        text: readFileSync(join(CORPUS_DIR, `${name}.txt`), 'utf8'),
        expected: JSON.parse(readFileSync(join(CORPUS_DIR, `${name}.expected.json`), 'utf8')) as Expected,
      };
    });
}

/** The oracle's fields as path → value ('lines[1].unitPrice' → '460.00'). */
export function expectedFields(expected: Expected): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(expected.fields ?? {})) {
    if (key === 'lines') {
      (value as unknown as ExpectedLine[]).forEach((line, i) => {
        for (const [field, v] of Object.entries(line)) out.set(`lines[${i}].${field}`, v as string);
      });
    } else {
      out.set(key, value as string);
    }
  }
  return out;
}

/** The field name without its line index: 'lines[2].sku' → 'lines[].sku'. */
export function fieldKind(path: string): string {
  return path.replace(/\[\d+\]/, '[]');
}

const DECIMAL_FIELDS = /(?:quantity|unitPrice|amount|claimedTotals\.gross)$/;

/** Same value: whitespace collapsed, full- and half-width forms alike (NFKC), decimals as numbers. */
export function sameValue(path: string, expected: string, actual: string): boolean {
  if (DECIMAL_FIELDS.test(path)) {
    try {
      return dec(expected).equals(dec(actual));
    } catch {
      return false;
    }
  }
  const norm = (s: string): string => s.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return norm(expected) === norm(actual);
}

export type Outcome = 'correct' | 'wrong' | 'missing';

export interface FieldResult {
  readonly path: string;
  readonly expected: string;
  readonly actual?: string;
  readonly confidence?: number;
  readonly outcome: Outcome;
  /** A doubt names this path (or the whole order cannot be built). */
  readonly doubted: boolean;
}

export interface SampleResult {
  readonly name: string;
  readonly fields: readonly FieldResult[];
  /** A contract whose order would wait for review: any doubt, or no draft (quarantined for a person). A non-contract is quarantined, not reviewed. */
  readonly review: boolean;
  readonly isContract: boolean;
}

export function judge(sample: Sample, extraction: ContractExtraction): SampleResult {
  const doubted = new Set(extraction.doubts.map((d) => d.path));
  const fields = [...expectedFields(sample.expected)].map(([path, expected]): FieldResult => {
    const field = extraction.fields.find((f) => f.path === path);
    const isDoubted = doubted.has(path) || extraction.draft === undefined;
    if (!field) return { path, expected, outcome: 'missing', doubted: isDoubted };
    return { path, expected, actual: field.value, confidence: field.confidence, outcome: sameValue(path, expected, field.value) ? 'correct' : 'wrong', doubted: isDoubted };
  });
  return { name: sample.name, fields, review: extraction.isContract && (extraction.draft === undefined || extraction.doubts.length > 0), isContract: extraction.isContract };
}
