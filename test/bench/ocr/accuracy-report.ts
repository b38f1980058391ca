import type { ContractExtraction } from '../../../connectors/ocr/contract-extractor';
import { fieldKind, type FieldResult, type Sample, type SampleResult } from './contract-corpus';

/** The tables of docs/ocr-accuracy.md, from the runs of `npm run eval:ocr`. */

export interface SampleRun {
  readonly sample: Sample;
  /** OCR time, or the time until the engine refused the input. */
  readonly seconds: number;
  /** The OcrInputError code when the engine refused the input. */
  readonly refused?: string;
  readonly result?: SampleResult;
  readonly extraction?: ContractExtraction;
  readonly sweep?: readonly { readonly threshold: number; readonly result: SampleResult }[];
}

export interface ReportContext {
  readonly minConfidence: number;
  readonly machine: string;
  readonly date: string;
  readonly engine: string;
}

const FIELD_ORDER = [
  'poNumber',
  'customer.name',
  'seller.name',
  'currency',
  'requestedDeliveryDate',
  'shipTo.street',
  'paymentTerms',
  'claimedTotals.gross',
  'amountInWords',
  'lines[].description',
  'lines[].sku',
  'lines[].quantity',
  'lines[].uom',
  'lines[].unitPrice',
  'lines[].amount',
];

export function accuracyReport(runs: readonly SampleRun[], context: ReportContext): { markdown: string; wronglyAccepted: number } {
  const judged = runs.filter((r): r is SampleRun & { result: SampleResult } => r.result !== undefined);
  const fields = judged.flatMap((r) => r.result.fields.map((f) => ({ sample: r.sample.name, ...f })));
  const wronglyAccepted = fields.filter(isWronglyAccepted).length;
  const lines: string[] = [];
  lines.push(`### ${context.date.slice(0, 10)}, ${context.machine}`, '');
  lines.push(`Engine: ${context.engine}. Threshold (minConfidence): **${context.minConfidence}**. Samples: ${runs.length}, of which ${runs.filter((r) => r.refused).length} refused by the engine.`, '');
  lines.push('#### Per field', '');
  lines.push('| field | values | samples | correct | wrong | missing | wrong, accepted without doubt | correct, doubted |', '|---|---|---|---|---|---|---|---|');
  const kinds = [...FIELD_ORDER, ...new Set(fields.map((f) => fieldKind(f.path)).filter((k) => !FIELD_ORDER.includes(k)))];
  for (const kind of kinds) {
    const of = fields.filter((f) => fieldKind(f.path) === kind);
    if (of.length === 0) continue;
    lines.push(`| ${kind} | ${of.length} | ${new Set(of.map((f) => f.sample)).size} | ${count(of, 'correct')} | ${count(of, 'wrong')} | ${count(of, 'missing')} | ${of.filter(isWronglyAccepted).length} | ${of.filter((f) => f.outcome === 'correct' && f.doubted).length} |`);
  }
  lines.push(`| **all** | ${fields.length} | ${judged.length} | ${count(fields, 'correct')} | ${count(fields, 'wrong')} | ${count(fields, 'missing')} | **${wronglyAccepted}** | ${fields.filter((f) => f.outcome === 'correct' && f.doubted).length} |`, '');

  lines.push('#### Per sample', '');
  lines.push('| sample | noise | OCR s | correct | wrong | missing | doubts | outcome | oracle | as expected |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const run of runs) lines.push(sampleRow(run));
  const asExpected = runs.filter(matchesOracle).length;
  lines.push('', `${asExpected} of ${runs.length} samples end as the oracle says.`, '');

  lines.push('#### Threshold sweep', '');
  lines.push('| minConfidence | wrong, accepted without doubt | correct fields doubted | contracts to review | review as the oracle says |', '|---|---|---|---|---|');
  const thresholds = judged[0]?.sweep?.map((s) => s.threshold) ?? [];
  for (const threshold of thresholds) {
    const at = judged.map((r) => ({ sample: r.sample, result: r.sweep!.find((s) => s.threshold === threshold)!.result }));
    const all = at.flatMap((a) => a.result.fields);
    const contracts = at.filter((a) => a.result.isContract);
    lines.push(
      `| ${threshold} | ${all.filter(isWronglyAccepted).length} | ${all.filter((f) => f.outcome === 'correct' && f.doubted).length} | ${contracts.filter((a) => a.result.review).length} of ${contracts.length} | ${at.filter((a) => a.result.review === a.sample.expected.expectReview).length} of ${at.length} |`,
    );
  }
  const silent = fields.filter(isWronglyAccepted);
  if (silent.length > 0) {
    lines.push('', '#### Wrong values accepted without a doubt', '');
    for (const f of silent) lines.push(`- ${f.sample} ${f.path}: read "${f.actual}" (confidence ${f.confidence}), page says "${f.expected}"`);
  }
  const wrong = fields.filter((f) => f.outcome === 'wrong' && f.doubted);
  if (wrong.length > 0) {
    lines.push('', '#### Wrong values caught by a doubt', '');
    for (const f of wrong) lines.push(`- ${f.sample} ${f.path}: read "${f.actual}" (confidence ${f.confidence}), page says "${f.expected}"`);
  }
  return { markdown: lines.join('\n'), wronglyAccepted };
}

function isWronglyAccepted(f: FieldResult): boolean {
  return f.outcome === 'wrong' && !f.doubted;
}

function count(fields: readonly FieldResult[], outcome: FieldResult['outcome']): number {
  return fields.filter((f) => f.outcome === outcome).length;
}

function sampleRow(run: SampleRun): string {
  const noise = run.sample.expected.noise.join(', ') || 'clean';
  const oracle = run.sample.expected.expectError ? `refused ${run.sample.expected.expectError}` : !run.sample.expected.isContract ? 'not a contract' : run.sample.expected.expectReview ? 'review' : 'no review';
  const mark = matchesOracle(run) ? 'yes' : '**no**';
  if (run.refused) return `| ${run.sample.name} | ${noise} | ${run.seconds.toFixed(1)} | – | – | – | – | refused ${run.refused} | ${oracle} | ${mark} |`;
  const result = run.result!;
  const outcome = !result.isContract ? `not a contract (${run.extraction?.reason ?? ''})` : result.review ? 'review' : 'no review';
  return `| ${run.sample.name} | ${noise} | ${run.seconds.toFixed(1)} | ${count(result.fields, 'correct')}/${result.fields.length} | ${count(result.fields, 'wrong')} | ${count(result.fields, 'missing')} | ${run.extraction?.doubts.length ?? 0} | ${outcome} | ${oracle} | ${mark} |`;
}

function matchesOracle(run: SampleRun): boolean {
  const expected = run.sample.expected;
  if (run.refused) return expected.expectError === run.refused;
  if (expected.expectError) return false;
  const result = run.result!;
  return result.isContract === expected.isContract && result.review === expected.expectReview;
}
