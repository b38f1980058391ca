import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OcrInputError } from './ocr-errors';

/**
 * A PDF read by pdfjs-dist (legacy build, the one meant for Node) in a worker thread of its own:
 * page count, each page's text layer with positions (`getTextContent`, item transforms composed
 * with the viewport's), and pages rendered to PNG through @napi-rs/canvas, which pdfjs 5 uses in
 * Node. https://github.com/mozilla/pdf.js/tree/master/examples/node (getinfo.mjs, pdf2png).
 *
 * Why a thread: pdfjs-dist is ES modules only. The hub is CommonJS, and under jest (swc to
 * CommonJS, modules run in a vm context) neither `import()` nor `new Function('s', 'return
 * import(s)')` may load ESM ("dynamic import callback was invoked without
 * --experimental-vm-modules"); a worker thread has Node's own loader in both. The thread also
 * bounds what a hostile PDF can do: its heap is capped, and a page that takes too long is stopped
 * by terminating the thread. The thread's code is a string because the runtime image ships only
 * compiled `dist/`, and a `.js` file beside the sources would not be compiled into it.
 */

/** One run of text on a page, in pixels of the page rendered at the requested scale. */
export interface PdfTextItem {
  readonly str: string;
  readonly x: number;
  /** Baseline, from the top of the page. */
  readonly baseline: number;
  /** Font size in pixels. */
  readonly height: number;
  readonly width: number;
  /** Rotated text (not left to right on a line); kept out of lines. */
  readonly vertical: boolean;
}

export interface PdfTextPage {
  readonly width: number;
  readonly height: number;
  readonly items: readonly PdfTextItem[];
}

/** pdfjs objects stay in the thread; its heap is capped so a hostile file fails alone. */
const THREAD_HEAP_MB = 512;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let doc;
const pdfjs = import(workerData.pdfjsUrl);
async function handle(cmd, args) {
  const lib = await pdfjs;
  if (cmd === 'open') {
    doc = await lib.getDocument({
      data: new Uint8Array(args.data), isEvalSupported: false, disableFontFace: true, useSystemFonts: false,
      verbosity: 0, cMapUrl: workerData.cMapUrl, cMapPacked: true, standardFontDataUrl: workerData.standardFontDataUrl,
      wasmUrl: workerData.wasmUrl,
    }).promise;
    return { pages: doc.numPages };
  }
  const page = await doc.getPage(args.index + 1);
  const viewport = page.getViewport({ scale: args.scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  if (cmd === 'size') return { width, height };
  if (cmd === 'text') {
    const content = await page.getTextContent();
    const items = [];
    for (const item of content.items) {
      if (typeof item.str !== 'string' || item.str.trim() === '') continue;
      const tx = lib.Util.transform(viewport.transform, item.transform);
      items.push({ str: item.str, x: tx[4], baseline: tx[5], height: Math.hypot(tx[2], tx[3]), width: item.width * args.scale,
        vertical: Math.abs(tx[1]) > 1e-3 * Math.abs(tx[0]) || tx[0] <= 0 });
    }
    page.cleanup();
    return { width, height, items };
  }
  if (cmd === 'render') {
    const { canvas, context } = doc.canvasFactory.create(width, height);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    await page.render({ canvas, canvasContext: context, viewport }).promise;
    const png = canvas.toBuffer('image/png');
    page.cleanup();
    return { png };
  }
  throw new Error('unknown command ' + cmd);
}
parentPort.on('message', ({ id, cmd, args }) => {
  handle(cmd, args).then(
    (result) => parentPort.postMessage({ id, ok: true, result }),
    (err) => parentPort.postMessage({ id, ok: false, name: err && err.name, message: String((err && err.message) || err) }),
  );
});
`;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly name?: string;
  readonly message?: string;
}

export interface PdfOpenOptions {
  /** Longest wait for one request (open, a page's text, a render) in ms; the thread is terminated after it. */
  readonly timeoutMs: number;
}

export class PdfPages {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private failure: unknown;

  private constructor(
    private readonly worker: Worker,
    private readonly options: PdfOpenOptions,
  ) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.result);
      else waiter?.reject(pdfError(reply.name, reply.message ?? 'unknown error'));
    });
    worker.on('error', (err) => this.fail(new OcrInputError('ocr.corrupt', `the PDF reader stopped: ${err.message}`, { cause: err })));
    worker.on('exit', () => this.fail(new OcrInputError('ocr.corrupt', 'the PDF reader stopped')));
  }

  /** Opens the document; `pages` is known from its page tree before any page is read. */
  static async open(body: Buffer, options: PdfOpenOptions): Promise<{ pdf: PdfPages; pages: number }> {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: pdfjsLocations(), resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
    const pdf = new PdfPages(worker, options);
    try {
      const data = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
      const { pages } = (await pdf.request('open', { data }, 'opening the PDF')) as { pages: number };
      return { pdf, pages };
    } catch (err) {
      await pdf.close();
      throw err;
    }
  }

  /** Page size in pixels at `scale` (pixels per PDF point), from the page dictionary only. */
  size(index: number, scale: number): Promise<{ width: number; height: number }> {
    return this.request('size', { index, scale }, `reading page ${index + 1}`) as Promise<{ width: number; height: number }>;
  }

  text(index: number, scale: number): Promise<PdfTextPage> {
    return this.request('text', { index, scale }, `reading the text of page ${index + 1}`) as Promise<PdfTextPage>;
  }

  async render(index: number, scale: number): Promise<Buffer> {
    const { png } = (await this.request('render', { index, scale }, `rendering page ${index + 1}`)) as { png: Uint8Array };
    return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  }

  async close(): Promise<void> {
    this.failure ??= new Error('PDF closed');
    await this.worker.terminate();
  }

  private request(cmd: string, args: unknown, doing: string): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new OcrInputError('ocr.timeout', `${doing} took longer than ${this.options.timeoutMs} ms`));
        void this.worker.terminate();
      }, this.options.timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.worker.postMessage({ id, cmd, args });
    });
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
  }
}

/** pdfjs's own names for a file it cannot read (src/shared/util.js). */
function pdfError(name: string | undefined, message: string): OcrInputError {
  if (name === 'PasswordException') return new OcrInputError('ocr.unsupported_format', `the PDF is encrypted with a password: ${message}`);
  return new OcrInputError('ocr.corrupt', `the PDF cannot be read: ${message}`);
}

/** The module and its data folders, as local paths: nothing is fetched. */
function pdfjsLocations(): { pdfjsUrl: string; cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } {
  const entry = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
  const root = join(dirname(entry), '..', '..');
  return {
    pdfjsUrl: pathToFileURL(entry).href,
    cMapUrl: join(root, 'cmaps') + '/',
    standardFontDataUrl: join(root, 'standard_fonts') + '/',
    wasmUrl: join(root, 'wasm') + '/',
  };
}
