import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pino from 'pino';
import { contractExtractionConfig } from '../../../connectors/ocr/contract-extraction.config';
import { extractContract } from '../../../connectors/ocr/contract-extractor';
import { createOcrEngine, ocrEngineConfig, type OcrEngine } from '../../../connectors/ocr/ocr-engine';
import { corpusSamples, judge, type Sample } from '../../bench/ocr/contract-corpus';

/**
 * The extractor on the real engine's output for three corpus documents — a PDF with a text layer, a
 * clean Chinese scan in a serif font, a skewed low-quality English JPEG — at the configured
 * threshold. The whole corpus is `npm run eval:ocr`; this keeps the two parts honest in CI at the
 * cost of about 20 s of recognition.
 */

const OCR_TIMEOUT = 120_000;
const options = contractExtractionConfig.parse({});
const sample = (name: string): Sample => corpusSamples().find((s) => s.name === name)!;

let dataDir: string;
let engine: OcrEngine;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ocr-extract-'));
  engine = createOcrEngine(ocrEngineConfig.parse({ dataDir, workers: 1 }), pino({ level: 'silent' }));
});

afterAll(async () => {
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function read(name: string): Promise<{ sample: Sample; result: ReturnType<typeof judge> }> {
  const s = sample(name);
  const doc = await engine.recognize({ body: readFileSync(s.file!), fileName: basename(s.file!) });
  return { sample: s, result: judge(s, extractContract(doc, options)) };
}

describe('contract extraction on the OCR engine output', () => {
  it(
    'reads every field of a PDF text layer exactly and sends it on without review',
    async () => {
      const { result } = await read('en-purchase-03-textlayer');
      expect(result.fields.filter((f) => f.outcome !== 'correct')).toEqual([]);
      expect(result.review).toBe(false);
    },
    OCR_TIMEOUT,
  );

  it.each(['zh-purchase-12-serif', 'en-purchase-02-skew-jpeg'])(
    'accepts no wrong value of %s without a doubt, and reads it as a contract with its lines',
    async (name) => {
      const { sample: s, result } = await read(name);
      expect(result.isContract).toBe(true);
      expect(result.fields.filter((f) => f.outcome === 'wrong' && !f.doubted)).toEqual([]);
      const lines = s.expected.fields?.lines?.length ?? 0;
      expect(result.fields.filter((f) => /^lines\[\d+\]\.quantity$/.test(f.path) && f.outcome === 'correct')).toHaveLength(lines);
    },
    OCR_TIMEOUT,
  );
});
