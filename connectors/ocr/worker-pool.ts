import type { Logger } from 'pino';
import { createWorker, OEM, PSM, type Page as TesseractPage, type Worker as TesseractWorker } from 'tesseract.js';
import { OcrInputError, OcrLanguageDataError } from './ocr-errors';

/**
 * A fixed number of tesseract.js workers (each a worker thread running tesseract's WebAssembly
 * build), one page at a time each. Our own pool rather than tesseract.js's scheduler, because a
 * worker has to be replaced in two cases the scheduler does not know: after `recycleAfterPages`
 * pages (tesseract.js keeps heap per recognised image) and when a page overruns its time (the only
 * way to stop tesseract mid-page is to terminate its thread).
 * API: https://github.com/naptha/tesseract.js/blob/master/docs/api.md (createWorker, recognize,
 * setParameters, terminate).
 */

/** The part of a tesseract.js worker the pool uses: the seam tests and benchmarks can fill. */
export type Recognizer = Pick<TesseractWorker, 'recognize' | 'terminate'>;

export interface WorkerPoolOptions {
  readonly size: number;
  readonly recycleAfterPages: number;
  readonly startWorker: () => Promise<Recognizer>;
  readonly log: Logger;
}

/** Counters for operators and tests: how often workers were started, replaced and killed. */
export interface WorkerPoolStats {
  readonly workersStarted: number;
  /** Replaced after `recycleAfterPages` pages. */
  readonly workersRecycled: number;
  /** Terminated mid-page: timeout or abort. */
  readonly workersKilled: number;
  readonly pagesRecognized: number;
}

interface Slot {
  worker?: Promise<Recognizer>;
  /** Pages the current worker has recognised. */
  pages: number;
  busy: boolean;
}

export interface RecognizeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** For the timeout's message: 0-based page index. */
  readonly page: number;
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly waiting: { resolve: (slot: Slot) => void; reject: (err: unknown) => void }[] = [];
  /** Workers being terminated after a kill; close() waits for them so no thread outlives it. */
  private readonly retiring = new Set<Promise<void>>();
  private closed = false;
  private counters = { workersStarted: 0, workersRecycled: 0, workersKilled: 0, pagesRecognized: 0 };

  constructor(private readonly options: WorkerPoolOptions) {
    this.slots = Array.from({ length: options.size }, () => ({ pages: 0, busy: false }));
  }

  stats(): WorkerPoolStats {
    return { ...this.counters };
  }

  /** Recognises one prepared page image (PNG); rejects with OcrInputError('ocr.timeout') when it overruns. */
  async recognize(image: Buffer, options: RecognizeOptions): Promise<TesseractPage> {
    const slot = await this.acquire(options.signal);
    try {
      return await this.run(slot, image, options);
    } finally {
      this.release(slot);
    }
  }

  /** Terminates every worker; pages waiting for one are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('OCR engine closed'));
    await Promise.all([...this.slots.map((slot) => this.retire(slot)), ...this.retiring]);
  }

  private async run(slot: Slot, image: Buffer, options: RecognizeOptions): Promise<TesseractPage> {
    const { signal, timeoutMs } = options;
    const worker = (slot.worker ??= this.start(slot));
    let stop: ((err: unknown) => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    let killed = false;
    const kill = (err: unknown): void => {
      if (killed) return;
      killed = true;
      this.counters.workersKilled += 1;
      this.options.log.warn({ page: options.page, err }, 'OCR worker terminated mid-page');
      const retiring = this.retire(slot).finally(() => this.retiring.delete(retiring));
      this.retiring.add(retiring);
      stop?.(err);
    };
    const timer = setTimeout(
      () => kill(new OcrInputError('ocr.timeout', `page ${options.page + 1} took longer than ${timeoutMs} ms to recognise`, { details: [{ path: `pages[${options.page}]`, message: `over ${timeoutMs} ms` }] })),
      timeoutMs,
    );
    const onAbort = (): void => kill(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      // A worker killed while it was still starting must not be handed the page once it is up.
      const recognition = worker.then((w) => (killed ? stopped : w.recognize(image, {}, { text: true, blocks: true })));
      // After a kill nobody awaits it any more; its failure is reported through `stopped`.
      recognition.catch(() => undefined);
      const result = await Promise.race([recognition, stopped]).catch((err: unknown) => {
        // tesseract.js rejects a failed job with the worker's message as a bare string.
        throw err instanceof Error || killed ? err : new Error(`tesseract failed on page ${options.page + 1}: ${String(err)}`);
      });
      slot.pages += 1;
      this.counters.pagesRecognized += 1;
      if (slot.pages >= this.options.recycleAfterPages) {
        this.counters.workersRecycled += 1;
        this.options.log.debug({ pages: slot.pages }, 'OCR worker recycled');
        await this.retire(slot);
      }
      return result.data;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private start(slot: Slot): Promise<Recognizer> {
    this.counters.workersStarted += 1;
    const worker = this.options.startWorker();
    // A worker that failed to start is not kept: the next page tries again (and reports why).
    worker.catch(() => {
      if (slot.worker === worker) slot.worker = undefined;
    });
    return worker;
  }

  /** Terminates the slot's worker, if any; the next page starts a fresh one. */
  private async retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.pages = 0;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch (err) {
      this.options.log.debug({ err }, 'OCR worker was already gone');
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error('OCR engine closed'));
    const idle = this.slots.find((slot) => !slot.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    return new Promise<Slot>((resolve, reject) => {
      const waiter = {
        resolve: (slot: Slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject,
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next.resolve(slot);
    else slot.busy = false;
  }
}

export interface TesseractWorkerOptions {
  readonly languages: readonly string[];
  readonly langPath: string;
  readonly dpi: number;
  readonly log: Logger;
  /** @defaultValue PSM.AUTO */
  readonly pageSegMode?: PSM;
}

/**
 * Starts one tesseract.js worker that reads only local files: `langPath` is a folder (not a URL),
 * `cacheMethod: 'none'` neither reads nor writes a cache, and in Node the WebAssembly core is
 * `require`d from tesseract.js-core (src/worker-script/node/getCore.js), so nothing is fetched.
 */
export async function startTesseractWorker(options: TesseractWorkerOptions): Promise<Recognizer> {
  let worker: TesseractWorker;
  try {
    worker = await createWorker([...options.languages], OEM.LSTM_ONLY, {
      langPath: options.langPath,
      gzip: true,
      cacheMethod: 'none',
      // Without a handler tesseract.js throws a failed job's error from its message listener,
      // where nothing can catch it; the job's own promise still rejects.
      errorHandler: (err: unknown) => options.log.debug({ err }, 'tesseract job failed'),
    });
  } catch (err) {
    throw new OcrLanguageDataError(`tesseract could not load ${options.languages.join('+')} from ${options.langPath}`, [{ path: 'languages', message: String(err) }], err);
  }
  await worker.setParameters({
    // Mode 3 (fully automatic segmentation) keeps gridded item tables; mode 6 (one uniform block) drops cells.
    tessedit_pageseg_mode: options.pageSegMode ?? PSM.AUTO,
    // Pages arrive scaled to this resolution; without it tesseract guesses from a missing tag and reads worse.
    user_defined_dpi: String(options.dpi),
  });
  return worker;
}
