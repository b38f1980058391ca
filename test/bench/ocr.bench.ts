import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import sharp from 'sharp';
import { PSM } from 'tesseract.js';
import { decodePage, imagePages } from '../../connectors/ocr/image-pages';
import { prepareLanguageData } from '../../connectors/ocr/language-data';
import { ocrEngineConfig, type OcrEngineConfig, type OcrPreprocessConfig } from '../../connectors/ocr/ocr-engine.config';
import { PdfPages } from '../../connectors/ocr/pdf-pages';
import { preparePage } from '../../connectors/ocr/preprocess';
import { tesseractLines } from '../../connectors/ocr/tesseract-page';
import { startTesseractWorker, WorkerPool } from '../../connectors/ocr/worker-pool';
import { corpusSamples, type Sample } from './ocr/contract-corpus';

/**
 * `npm run bench:ocr`: pages per minute of the hub's tesseract.js pool beside native tesseract
 * (Debian tesseract-ocr 5, `-l chi_sim+eng --psm 3 --dpi 300`, one process per CPU with
 * OMP_THREAD_LIMIT=1) on the same prepared pages of the contract corpus, in one run, with peak RSS
 * and how well each read the pages (character error rate against the rendered text, and the share
 * of key strings — contract number, parties, 大写, place, models, total — found verbatim).
 * Native tesseract runs twice: with Debian's language data and with the very files tesseract.js
 * reads, so engine and data can be told apart.
 *
 *   node dist/test/bench/ocr.bench.js              throughput and accuracy
 *   node dist/test/bench/ocr.bench.js --leak       memory of one worker over 120 pages, recycled or not
 *   node dist/test/bench/ocr.bench.js --variants [--skip N]   accuracy of each pre-processing choice (docs/benchmarks.md "OCR"), from the N+1th
 */

const exec = promisify(execFile);
const NATIVE = '/usr/bin/tesseract';
const TIME = '/usr/bin/time';
const DPI = 300;
const log = pino({ level: 'warn' });

interface BenchPage {
  readonly sample: Sample;
  readonly index: number;
  readonly png: Buffer;
}

/** The corpus's contract pages as the engine hands them to tesseract (text-layer PDFs excluded: no OCR). */
async function preparedPages(samples: readonly Sample[], preprocess: OcrPreprocessConfig): Promise<BenchPage[]> {
  const out: BenchPage[] = [];
  for (const sample of samples) {
    const body = readFileSync(sample.file!);
    if (sample.file!.endsWith('.pdf')) {
      const { pdf, pages } = await PdfPages.open(body, { timeoutMs: 60_000 });
      for (let index = 0; index < pages; index += 1) {
        const png = await pdf.render(index, DPI / 72);
        const meta = await sharp(png).metadata();
        const prepared = await preparePage(sharp(png), { width: meta.width!, height: meta.height!, density: DPI }, { targetDpi: DPI, preprocess });
        out.push({ sample, index, png: prepared.png });
      }
      await pdf.close();
      continue;
    }
    const format = /\.tiff?$/.test(sample.file!) ? 'tiff' : sample.file!.endsWith('.png') ? 'png' : 'jpeg';
    for (const page of await imagePages(body, format, { maxPages: 50, maxPixelsPerPage: 60_000_000 })) {
      const prepared = await preparePage(decodePage(body, page, 60_000_000), page, { targetDpi: DPI, preprocess });
      out.push({ sample, index: page.index, png: prepared.png });
    }
  }
  return out;
}

function ocrSamples(): Sample[] {
  return corpusSamples().filter((s) => s.expected.isContract && s.file && !s.expected.noise.includes('text-layer-pdf'));
}

/** Text compared without layout: NFKC (full-width punctuation as ASCII), no whitespace, no table bars. */
function comparable(text: string): string[] {
  return [...text.normalize('NFKC').replace(/[\s|]/gu, '')];
}

function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Strings an extractor needs verbatim, as the page prints them. */
function keyStrings(sample: Sample): string[] {
  const f = sample.expected.fields ?? {};
  const printedTotal = (value: string): string => value.replace(/\B(?=(\d{3})+(?!\d))(?=\d*\.)/g, ',');
  const keys = [f.poNumber, f['customer.name'], f['seller.name'], f.amountInWords, f['shipTo.street'], f['claimedTotals.gross'] && printedTotal(f['claimedTotals.gross'])];
  for (const line of f.lines ?? []) keys.push(line.sku);
  return keys.filter((k): k is string => typeof k === 'string' && k !== '');
}

interface Score {
  readonly errors: number;
  readonly chars: number;
  readonly keysFound: number;
  readonly keys: number;
}

function score(sample: Sample, text: string): Score {
  const truth = comparable(sample.text);
  const read = comparable(text);
  const flat = read.join('');
  const keys = keyStrings(sample);
  return { errors: editDistance(read, truth), chars: truth.length, keysFound: keys.filter((k) => flat.includes(comparable(k).join(''))).length, keys: keys.length };
}

function sum(scores: readonly Score[]): Score {
  return scores.reduce((a, b) => ({ errors: a.errors + b.errors, chars: a.chars + b.chars, keysFound: a.keysFound + b.keysFound, keys: a.keys + b.keys }), { errors: 0, chars: 0, keysFound: 0, keys: 0 });
}

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`;
}

/** Sample texts joined from their pages, in page order. */
function bySample(pages: readonly BenchPage[], texts: readonly string[]): Map<Sample, string> {
  const out = new Map<Sample, string>();
  pages.forEach((p, i) => out.set(p.sample, `${out.get(p.sample) ?? ''}\n${texts[i]}`));
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

interface EngineRun {
  readonly name: string;
  readonly seconds: number;
  readonly texts: string[];
  /** Peak resident memory in MB: the whole process, or the largest single process. */
  readonly peakMb: number;
  readonly peakNote: string;
}

async function runTesseractJs(pages: readonly BenchPage[], workers: number, pageSegMode: PSM = PSM.AUTO, model: OcrEngineConfig['model'] = 'standard'): Promise<EngineRun> {
  const config = ocrEngineConfig.parse({ dataDir: join(tmpdir(), 'order-hub-ocr-bench'), model });
  const data = prepareLanguageData(config);
  const pool = new WorkerPool({
    size: workers,
    recycleAfterPages: 1_000,
    log,
    startWorker: () => startTesseractWorker({ languages: config.languages, langPath: data.langPath, dpi: DPI, log, pageSegMode }),
  });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  // Warm-up, not timed: every worker started and past its first page.
  await Promise.all(pages.slice(0, workers).map((p) => pool.recognize(p.png, { timeoutMs: 600_000, page: 0 })));
  const started = performance.now();
  const results = await Promise.all(pages.map((p, i) => pool.recognize(p.png, { timeoutMs: 600_000, page: i })));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await pool.close();
  return {
    name: `tesseract.js ${tesseractJsVersion()} (${workers} workers, ${model === 'standard' ? 'tessdata 4.0.0' : 'tessdata 4.0.0_best_int'})`,
    seconds,
    texts: results.map((r) => tesseractLines(r).map((l) => l.text).join('\n')),
    peakMb: peak / 2 ** 20,
    peakNote: `whole process, ${((peak - baseline) / 2 ** 20).toFixed(0)} MB over the ${(baseline / 2 ** 20).toFixed(0)} MB before the workers started`,
  };
}

async function runNative(pages: readonly BenchPage[], workers: number, tessdataDir?: string): Promise<EngineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-bench-'));
  try {
    const files = pages.map((p, i) => {
      const file = join(dir, `page-${i}.png`);
      writeFileSync(file, p.png);
      return file;
    });
    const args = (file: string): string[] => ['-f', '%M', NATIVE, file, 'stdout', '-l', 'chi_sim+eng', '--psm', '3', '--dpi', String(DPI), ...(tessdataDir ? ['--tessdata-dir', tessdataDir] : [])];
    const run = async (file: string): Promise<{ text: string; rssKb: number }> => {
      const { stdout, stderr } = await exec(TIME, args(file), { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 * 2 ** 20 });
      return { text: stdout, rssKb: Number(stderr.trim().split('\n').at(-1)) };
    };
    await mapLimit(files.slice(0, workers), workers, run);
    const started = performance.now();
    const results = await mapLimit(files, workers, run);
    const seconds = (performance.now() - started) / 1000;
    return {
      name: `native tesseract ${await nativeVersion()} (${workers} processes, ${tessdataDir ? 'tesseract.js data' : 'Debian data'})`,
      seconds,
      texts: results.map((r) => r.text),
      peakMb: Math.max(...results.map((r) => r.rssKb)) / 1024,
      peakNote: `per process, ${workers} at a time`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function nativeVersion(): Promise<string> {
  const { stdout, stderr } = await exec(NATIVE, ['--version']);
  return /tesseract ([\d.]+)/.exec(stdout + stderr)?.[1] ?? '?';
}

function tesseractJsVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('tesseract.js/package.json'), 'utf8')) as { version: string }).version;
}

/** The traineddata tesseract.js reads, unpacked for native tesseract. */
function unpackedTessdata(): string {
  const config = ocrEngineConfig.parse({ dataDir: join(tmpdir(), 'order-hub-ocr-bench') });
  const data = prepareLanguageData(config);
  const dir = mkdtempSync(join(tmpdir(), 'ocr-tessdata-'));
  for (const [code, file] of Object.entries(data.files)) writeFileSync(join(dir, `${code}.traineddata`), gunzipSync(readFileSync(file)));
  return dir;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? '?';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at start ${loadavg()[0]!.toFixed(1)}; ${new Date().toISOString()}`;
}

async function throughput(): Promise<void> {
  const header = machine();
  const workers = cpus().length;
  const samples = ocrSamples();
  const pages = await preparedPages(samples, ocrEngineConfig.parse({}).preprocess);
  const runs: EngineRun[] = [await runTesseractJs(pages, workers)];
  if (existsSync(NATIVE)) {
    runs.push(await runNative(pages, workers));
    const tessdata = unpackedTessdata();
    try {
      runs.push(await runNative(pages, workers, tessdata));
    } finally {
      rmSync(tessdata, { recursive: true, force: true });
    }
  }
  const lines = runs.map((r) => {
    const s = sum([...bySample(pages, r.texts)].map(([sample, text]) => score(sample, text)));
    return `| ${r.name} | ${((pages.length / r.seconds) * 60).toFixed(1)} | ${(r.seconds / pages.length).toFixed(2)} | ${r.peakMb.toFixed(0)} MB (${r.peakNote}) | ${pct(s.errors, s.chars)} | ${pct(s.keysFound, s.keys)} |`;
  });
  const missing = existsSync(NATIVE) ? '' : `\nnative tesseract not found at ${NATIVE} (Debian package tesseract-ocr, tesseract-ocr-chi-sim): only tesseract.js measured.\n`;
  process.stdout.write(
    `machine: ${header}\n${pages.length} pages from ${samples.length} corpus samples, prepared once (grey, ${DPI} DPI, default clean-up), then recognised by each engine.\n${missing}\n` +
      `| engine | pages/min | s/page | peak RSS | character error rate | key strings found |\n|---|---|---|---|---|---|\n${lines.join('\n')}\n`,
  );
}

async function variants(): Promise<void> {
  const header = machine();
  const workers = cpus().length;
  const samples = ocrSamples();
  const none = { deskew: false, flattenBackground: false, despeckle: false, threshold: false };
  const both = { ...none, deskew: true, flattenBackground: true };
  const table: [string, OcrPreprocessConfig, PSM, OcrEngineConfig['model']?][] = [
    ['grey + 300 DPI only', none, PSM.AUTO],
    ['+ deskew', { ...none, deskew: true }, PSM.AUTO],
    ['+ flatten background', { ...none, flattenBackground: true }, PSM.AUTO],
    ['+ deskew + flatten', both, PSM.AUTO],
    ['+ deskew + flatten + threshold', { ...both, threshold: true }, PSM.AUTO],
    ['+ deskew + flatten, psm 4', both, PSM.SINGLE_COLUMN],
    ['+ deskew + flatten + despeckle where speckled (default)', { ...both, despeckle: true }, PSM.AUTO],
    ['default, psm 4', { ...both, despeckle: true }, PSM.SINGLE_COLUMN],
    ['default, best_int model', { ...both, despeckle: true }, PSM.AUTO, 'best_int'],
  ];
  const noises = [...new Set(samples.flatMap((s) => (s.expected.noise.length ? s.expected.noise : ['clean'])))].sort();
  const rows: string[] = [];
  const skip = Number(process.argv[process.argv.indexOf('--skip') + 1] ?? 0) || 0;
  for (const [name, preprocess, psm, model] of table.slice(skip)) {
    const started = performance.now();
    const pages = await preparedPages(samples, preprocess);
    const prepSeconds = (performance.now() - started) / 1000;
    const run = await runTesseractJs(pages, workers, psm, model);
    const scores = [...bySample(pages, run.texts)].map(([sample, text]) => ({ sample, s: score(sample, text) }));
    const all = sum(scores.map((x) => x.s));
    const perNoise = noises.map((n) => {
      const s = sum(scores.filter((x) => (x.sample.expected.noise.length ? x.sample.expected.noise : ['clean']).includes(n)).map((x) => x.s));
      return `${pct(s.errors, s.chars)} / ${pct(s.keysFound, s.keys)}`;
    });
    rows.push(`| ${name} | ${pct(all.errors, all.chars)} | ${pct(all.keysFound, all.keys)} | ${(prepSeconds / pages.length).toFixed(2)} | ${(run.seconds / pages.length).toFixed(2)} | ${perNoise.join(' | ')} |`);
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(
    `machine: ${header}\n${samples.length} samples; per noise: character error rate / key strings found\n\n` +
      `| variant | CER | key strings | prepare s/page | recognise s/page | ${noises.join(' | ')} |\n|---|---|---|---|---|${noises.map(() => '---|').join('')}\n${rows.join('\n')}\n`,
  );
}

/**
 * Whether recycling workers pays: resident memory while one worker recognises the corpus's pages
 * again and again, never recycled and recycled every 40 pages.
 */
async function leak(): Promise<void> {
  const header = machine();
  const corpus = await preparedPages(ocrSamples(), ocrEngineConfig.parse({}).preprocess);
  const config = ocrEngineConfig.parse({ dataDir: join(tmpdir(), 'order-hub-ocr-bench') });
  const data = prepareLanguageData(config);
  const pages = 120;
  const every = 20;
  const rows: string[] = [];
  for (const recycleAfterPages of [1_000, 40]) {
    const pool = new WorkerPool({ size: 1, recycleAfterPages, log, startWorker: () => startTesseractWorker({ languages: config.languages, langPath: data.langPath, dpi: DPI, log }) });
    const rss: string[] = [];
    for (let i = 1; i <= pages; i += 1) {
      await pool.recognize(corpus[i % corpus.length]!.png, { timeoutMs: 600_000, page: i });
      if (i % every === 0) rss.push(`${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`);
    }
    await pool.close();
    rows.push(`| ${recycleAfterPages >= pages ? 'never' : `every ${recycleAfterPages} pages`} | ${rss.join(' | ')} |`);
  }
  process.stdout.write(
    `machine: ${header}\nRSS in MB after every ${every} pages (one worker, the corpus's ${corpus.length} pages over and over)\n\n` +
      `| recycled | ${Array.from({ length: pages / every }, (_, i) => `${(i + 1) * every}`).join(' | ')} |\n|---|${'---|'.repeat(pages / every)}\n${rows.join('\n')}\n`,
  );
}

const mode = process.argv.includes('--variants') ? variants : process.argv.includes('--leak') ? leak : throughput;
mode().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
