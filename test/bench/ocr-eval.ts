import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import pino from 'pino';
import { contractExtractionConfig } from '../../connectors/ocr/contract-extraction.config';
import { extractContract } from '../../connectors/ocr/contract-extractor';
import type { OcrDocument } from '../../connectors/ocr/ocr-document';
import { createOcrEngine, ocrEngineConfig } from '../../connectors/ocr/ocr-engine';
import { OcrInputError } from '../../connectors/ocr/ocr-errors';
import { corpusSamples, fieldKind, judge, type Sample, type SampleResult } from './ocr/contract-corpus';
import { accuracyReport, type SampleRun } from './ocr/accuracy-report';

/**
 * `npm run eval:ocr`: every sample of the contract corpus (test/fixtures/contracts) through the real
 * OCR engine and the contract extractor, compared field by field with its `.expected.json`. Prints
 * and writes to docs/ocr-accuracy.md, per field: samples, correct, wrong, missing, and wrong values
 * accepted without a doubt at the configured threshold; per sample: whether the order would wait for
 * review and whether the oracle says it should; and a sweep of thresholds. Exits 1 when any wrong
 * value would be accepted.
 *
 * OCR_MIN_CONFIDENCE overrides the threshold (default: contractExtractionConfig's); OCR_EVAL_ONLY
 * picks samples by name part; OCR_EVAL_CACHE names a folder where the engine's output is kept and
 * reused, so extraction rules can be tried again without re-running OCR.
 */

const DOC = 'docs/ocr-accuracy.md';

async function main(): Promise<void> {
  const defaults = contractExtractionConfig.parse({});
  const minConfidence = process.env.OCR_MIN_CONFIDENCE ? Number(process.env.OCR_MIN_CONFIDENCE) : defaults.minConfidence;
  const only = process.env.OCR_EVAL_ONLY;
  const cache = process.env.OCR_EVAL_CACHE;
  if (cache) mkdirSync(cache, { recursive: true });
  const engineConfig = ocrEngineConfig.parse({});
  const engine = createOcrEngine(engineConfig, pino({ level: 'warn' }));
  const runs: SampleRun[] = [];
  try {
    for (const sample of corpusSamples().filter((s) => !only || s.name.includes(only))) {
      if (!sample.file) {
        process.stdout.write(`${sample.name}: no image yet, skipped\n`);
        continue;
      }
      const run = await runSample(sample, engine, minConfidence, cache);
      runs.push(run);
      process.stdout.write(`${summaryLine(run)}\n`);
    }
  } finally {
    await engine.close();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const report = accuracyReport(runs, { minConfidence, machine, date: new Date().toISOString(), engine: `tesseract.js, ${engineConfig.languages.join('+')}, ${engineConfig.model} data, ${engineConfig.targetDpi} DPI` });
  process.stdout.write(`\n${report.markdown}\n`);
  writeDoc(report.markdown);
  if (report.wronglyAccepted > 0) {
    process.stderr.write(`${report.wronglyAccepted} field(s) read wrong and accepted without a doubt at minConfidence ${minConfidence}\n`);
    process.exitCode = 1;
  }
}

async function runSample(sample: Sample, engine: ReturnType<typeof createOcrEngine>, minConfidence: number, cache: string | undefined): Promise<SampleRun> {
  const ocr = await recognise(sample, engine, cache);
  const seconds = ocr.seconds;
  if ('refused' in ocr) return { sample, seconds, refused: ocr.refused };
  const { doc } = ocr;
  const extraction = extractContract(doc, { minConfidence, defaultCurrency: 'CNY' });
  // The same reading judged at other thresholds, for the sweep: extraction is cheap, OCR is not.
  const sweep = [...new Set([...SWEEP, minConfidence])].sort((a, b) => a - b).map((threshold) => ({ threshold, result: judge(sample, extractContract(doc, { minConfidence: threshold, defaultCurrency: 'CNY' })) }));
  return { sample, seconds, result: judge(sample, extraction), extraction, sweep };
}

/** Thresholds tried beside the configured one. */
const SWEEP = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95];

type Recognised = { readonly doc: OcrDocument; readonly seconds: number } | { readonly refused: string; readonly seconds: number };

/** The engine's reading of the sample (or its refusal), timed; from the cache when one is kept there. */
async function recognise(sample: Sample, engine: ReturnType<typeof createOcrEngine>, cache: string | undefined): Promise<Recognised> {
  const cached = cache ? join(cache, `${sample.name}.ocr.json`) : undefined;
  if (cached && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as Recognised;
  const started = Date.now();
  let result: Recognised;
  try {
    const doc = await engine.recognize({ body: readFileSync(sample.file!), fileName: basename(sample.file!) });
    result = { doc, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    if (!(err instanceof OcrInputError)) throw err;
    result = { refused: err.code, seconds: (Date.now() - started) / 1000 };
  }
  if (cached) writeFileSync(cached, JSON.stringify(result));
  return result;
}

function summaryLine(run: SampleRun): string {
  if (run.refused) return `${run.sample.name}: refused ${run.refused} (${run.seconds.toFixed(1)} s)${run.sample.expected.expectError === run.refused ? '' : ' UNEXPECTED'}`;
  const result = run.result as SampleResult;
  const count = (outcome: string): number => result.fields.filter((f) => f.outcome === outcome).length;
  const silent = result.fields.filter((f) => f.outcome === 'wrong' && !f.doubted).map((f) => `${fieldKind(f.path)} "${f.actual}"≠"${f.expected}"`);
  return `${run.sample.name}: ${count('correct')}/${result.fields.length} correct, ${count('wrong')} wrong, ${count('missing')} missing, review ${result.review ? 'yes' : 'no'} (expected ${run.sample.expected.expectReview ? 'yes' : 'no'}) (${run.seconds.toFixed(1)} s)${silent.length > 0 ? ` WRONGLY ACCEPTED: ${silent.join('; ')}` : ''}`;
}

/** Replaces the generated part of the doc (between the markers), keeping what people wrote around it. */
function writeDoc(generated: string): void {
  const start = '<!-- eval:ocr start (generated by npm run eval:ocr; do not edit by hand) -->';
  const end = '<!-- eval:ocr end -->';
  const block = `${start}\n${generated}\n${end}`;
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `# OCR accuracy\n\n${start}\n${end}\n`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  writeFileSync(DOC, from >= 0 && to > from ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}` : `${current.trimEnd()}\n\n${block}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
