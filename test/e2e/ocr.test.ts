import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { hubConfigSchema, type HubConfigInput } from '../../config/hub.schema';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { startHub } from '../../pipelines/hub';
import { CORPUS_DIR, expectedFields, sameValue, type Expected } from '../bench/ocr/contract-corpus';
import { file, HUB, mixed, SARAH, text } from '../fixtures/email/fixture-mails';
import { writeMail } from '../fixtures/email/mime-writer';
import { startTestDovecot, type TestDovecot } from '../support/dovecot';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { emailHubConfig } from './email-hub';

/**
 * Scanned contracts through the whole hub (issue #5): uploaded at POST /api/v1/documents, dropped
 * in a watched folder and attached to a forwarded mail, read by the real OCR engine in intake,
 * checked, and shown to a reviewer page by page. Real Redis, SQLite and Dovecot. Five pages go
 * through tesseract (two workers); the text-layer PDF is read without it.
 */

const MULTI_PAGE = 'en-supply-06-multipage.tif';
const DOUBTFUL = 'en-purchase-05-review-line.png';
const TEXT_LAYER = 'en-purchase-03-textlayer.pdf';
const UNREADABLE = { 'corrupt.png': 'ocr.corrupt', 'bomb-50000x50000.png': 'ocr.too_many_pixels', 'blank-page.png': 'ocr.blank', 'not-contract-delivery-note.png': 'ocr.not_a_contract' } as const;
/**
 * The day each contract was signed, as its page says. "Today" is set to it before the contract
 * comes in, so its delivery date is checked as it was then, not against the day the test runs.
 */
const SIGNED: Readonly<Record<string, string>> = { [MULTI_PAGE]: '2026-10-02', [DOUBTFUL]: '2026-05-12', [TEXT_LAYER]: '2026-07-07' };
/** The corpus has no page larger than this; the cap is set low so that refusing a larger upload is cheap to show. */
const UPLOAD_CAP = 4 * 1024 * 1024;
/** OCR takes seconds a page on two cores, and the first page also starts the workers. */
const OCR_TIMEOUT_MS = 120_000;

interface DocumentAnswer {
  documentId: string;
  status: 'received' | 'processing' | 'processed' | 'quarantined';
  orderIds: string[];
  progress?: { pagesDone: number; pagesTotal: number };
  reason?: string;
  details?: { path: string; message: string }[];
}

interface SourceAnswer {
  pages: { index: number; width: number; height: number; source: string; image?: string }[];
  fields: { path: string; value: string; confidence: number; page?: number; bbox?: { x0: number; y0: number; x1: number; y1: number } }[];
  doubts: { path: string; code: string; page?: number; bbox?: { x0: number; y0: number; x1: number; y1: number } }[];
}

const corpus = (name: string): Buffer => readFileSync(join(CORPUS_DIR, name));
const oracle = (name: string): Expected => JSON.parse(readFileSync(join(CORPUS_DIR, `${name.replace(/\.\w+$/, '')}.expected.json`), 'utf8')) as Expected;
const CONTENT_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.tif': 'image/tiff', '.pdf': 'application/pdf' };
const contentType = (name: string): string => CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';

let redis: TestRedis;
let work: string;
let today = '2026-10-02';

/**
 * Stock and list prices for every line of the contracts that should be confirmed, so the checks
 * pass them; a misread model number is then an unknown SKU, which this hub sends to review.
 */
function writeReferenceData(dir: string): { inventory: string; prices: string } {
  const lines = [MULTI_PAGE, DOUBTFUL, TEXT_LAYER].flatMap((name) => {
    const expected = oracle(name);
    return (expected.fields?.lines ?? []).map((line) => ({ sku: line.sku!, unitPrice: line.unitPrice!, currency: expected.fields!.currency! }));
  });
  const inventory = join(dir, 'inventory.csv');
  const prices = join(dir, 'prices.csv');
  writeFileSync(inventory, ['sku,location,onHand', ...lines.map((l) => `${l.sku},main,100000`)].join('\n'));
  writeFileSync(prices, ['sku,currency,unitPrice', ...lines.map((l) => `${l.sku},${l.currency},${l.unitPrice}`)].join('\n'));
  return { inventory, prices };
}

function ocrHubConfig(dataDir: string): Partial<HubConfigInput> {
  return {
    referenceData: writeReferenceData(dataDir),
    rules: { stock: { unknownSku: 'warning' } },
    ocr: { enabled: true, workers: 2, dataDir: join(dataDir, 'ocr'), maxInputBytes: UPLOAD_CAP },
  };
}

/** Starts a hub whose clock reads `today` at 09:00 in Shanghai. */
function startOcrHub(config: Partial<HubConfigInput>): Promise<TestHub> {
  return startTestHub(redis.url, config, { now: () => new Date(`${today}T09:00:00+08:00`) });
}

async function upload(t: TestHub, bytes: Buffer, fileName: string, type = contentType(fileName)): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), fileName);
  return t.api('/api/v1/documents', { method: 'POST', body: form, role: 'intake' });
}

/**
 * A GET, sent again once when the connection it went out on was reset. Client and hub share this
 * process, and OCR holds its event loop for a few hundred ms at a time, so a keep-alive connection
 * the hub closes as idle can be picked for the next request before the client has seen it close;
 * a GET may be retried (RFC 9110 §9.2.2).
 */
async function get(t: TestHub, path: string, role: 'viewer' | 'sales' | 'admin' = 'viewer'): Promise<Response> {
  try {
    return await t.api(path, { role });
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return t.api(path, { role });
  }
}

async function documentState(t: TestHub, id: string): Promise<DocumentAnswer> {
  const res = await get(t, `/api/v1/documents/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DocumentAnswer;
}

/** Polls the document until intake decided it, keeping every answer seen on the way. */
async function settle(t: TestHub, id: string): Promise<{ final: DocumentAnswer; seen: DocumentAnswer[] }> {
  const seen: DocumentAnswer[] = [];
  const final = await eventually(
    async () => {
      const answer = await documentState(t, id);
      seen.push(answer);
      return answer.status === 'processed' || answer.status === 'quarantined' ? answer : undefined;
    },
    `document ${id} to be read`,
    OCR_TIMEOUT_MS,
  );
  return { final, seen };
}

async function order(t: TestHub, id: string): Promise<CanonicalOrder> {
  return (await (await get(t, `/api/v1/orders/${id}`, 'admin')).json()) as CanonicalOrder;
}

/** The order's values against the contract's oracle, for the fields an order is made of. */
function expectFieldsOf(made: CanonicalOrder, name: string): void {
  const want = expectedFields(oracle(name));
  const got = new Map<string, string | undefined>([
    ['poNumber', made.poNumber],
    ['customer.name', made.customer.name],
    ['currency', made.currency],
    ['requestedDeliveryDate', made.requestedDeliveryDate],
    ['paymentTerms', made.paymentTerms],
    ['claimedTotals.gross', made.claimedTotals?.gross],
    ...made.lines.flatMap((line, i) => [
      [`lines[${i}].sku`, line.sku],
      [`lines[${i}].quantity`, line.quantity],
      [`lines[${i}].unitPrice`, line.unitPrice],
    ] as [string, string][]),
  ]);
  const wrong = [...got].filter(([path, value]) => want.has(path) && !(value !== undefined && sameValue(path, want.get(path)!, value)));
  expect(wrong.map(([path, value]) => `${path}: ${value ?? 'missing'}, page says ${want.get(path)}`)).toEqual([]);
  expect(made.lines).toHaveLength(oracle(name).fields?.lines?.length ?? 0);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

beforeAll(async () => {
  redis = await startTestRedis();
  work = mkdtempSync(join(tmpdir(), 'order-hub-ocr-'));
});

afterAll(async () => {
  await redis?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('scanned contracts uploaded, dropped in a folder', () => {
  let t: TestHub;
  const scans = () => join(work, 'scans');

  beforeAll(async () => {
    mkdirSync(join(scans(), 'inbox'), { recursive: true });
    t = await startOcrHub({ ...ocrHubConfig(work), connectors: [{ id: 'scans', kind: 'folder', path: scans(), settle: 'rename', pollIntervalMs: 100 }] });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  describe('when a two-page TIFF contract is uploaded', () => {
    let answer: { documentId: string; orderId: string; status: string };
    let read: { final: DocumentAnswer; seen: DocumentAnswer[] };

    beforeAll(async () => {
      today = SIGNED[MULTI_PAGE]!;
      const res = await upload(t, corpus(MULTI_PAGE), MULTI_PAGE);
      expect(res.status).toBe(202);
      answer = (await res.json()) as typeof answer;
      read = await settle(t, answer.documentId);
    }, OCR_TIMEOUT_MS);

    it('answers 202 at once with the document id and the order id it will make, then makes that order', () => {
      expect(answer.status).toBe('received');
      expect(read.final).toMatchObject({ status: 'processed', orderIds: [answer.orderId] });
    });

    it('reports the pages read while OCR runs, out of the two the TIFF holds', () => {
      const reported = read.seen.filter((a) => a.progress).map((a) => a.progress!);
      expect(read.seen.filter((a) => a.status === 'processing' && a.progress).map((a) => a.progress!.pagesTotal)).toContain(2);
      expect(reported.every((p) => p.pagesTotal === 2 && p.pagesDone <= 2)).toBe(true);
      expect(reported.map((p) => p.pagesDone)).toEqual([...reported.map((p) => p.pagesDone)].sort((a, b) => a - b));
      expect(read.final.progress).toEqual({ pagesDone: 2, pagesTotal: 2 });
    });

    it('reads the values the pages say, and raises each doubt of the reading as an ocr warning: confirmed only without any', async () => {
      const made = await order(t, answer.orderId);
      const source = (await (await get(t, `/api/v1/orders/${answer.orderId}/source`, 'sales')).json()) as SourceAnswer;
      expect(made.source).toMatchObject({ channel: 'upload', rawMessageId: answer.documentId });
      expect(made.source.confidence).toBeGreaterThan(0);
      expectFieldsOf(made, MULTI_PAGE);
      const ocr = made.checks!.issues.filter((i) => i.rule === 'ocr');
      expect(ocr.map((i) => `${i.code} ${i.path}`).sort()).toEqual(source.doubts.map((d) => `${d.code} ${d.path}`).sort());
      expect(ocr.every((i) => i.severity === 'warning')).toBe(true);
      expect(made.status).toBe(made.checks!.issues.length === 0 ? 'confirmed' : 'needs_review');
    });

    it('shows a reviewer each page as recognised, with every extracted field boxed on its page', async () => {
      const source = (await (await get(t, `/api/v1/orders/${answer.orderId}/source`, 'sales')).json()) as SourceAnswer;
      expect(source.pages.map((p) => p.index)).toEqual([0, 1]);
      for (const page of source.pages) {
        const res = await get(t, page.image!, 'sales');
        expect(res.headers.get('content-type')).toBe('image/png');
        expect(pngSize(Buffer.from(await res.arrayBuffer()))).toEqual({ width: page.width, height: page.height });
      }
      expect(source.fields.find((f) => f.path === 'poNumber')).toMatchObject({ value: oracle(MULTI_PAGE).fields!.poNumber, page: 0 });
      for (const box of [...source.fields, ...source.doubts].filter((f) => f.bbox)) {
        const page = source.pages[box.page!]!;
        expect([box.path, box.bbox!.x0 >= 0 && box.bbox!.x1 <= page.width && box.bbox!.y0 >= 0 && box.bbox!.y1 <= page.height]).toEqual([box.path, true]);
      }
    });
  });

  describe('when a contract whose line amount does not add up is uploaded', () => {
    let made: CanonicalOrder;
    let orderId: string;

    beforeAll(async () => {
      today = SIGNED[DOUBTFUL]!;
      const res = await upload(t, corpus(DOUBTFUL), DOUBTFUL);
      const answer = (await res.json()) as { documentId: string; orderId: string };
      orderId = answer.orderId;
      const { final } = await settle(t, answer.documentId);
      expect(final.status).toBe('processed');
      made = await order(t, orderId);
    }, OCR_TIMEOUT_MS);

    it('waits for review, naming the doubtful line as an ocr warning, and never confirms on its own', () => {
      expect(oracle(DOUBTFUL).expectReview).toBe(true);
      expect(made.status).toBe('needs_review');
      const ocr = made.checks!.issues.filter((i) => i.rule === 'ocr');
      expect(ocr).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'ocr.line_amount_mismatch', path: 'lines[1].amount' }));
      expect(made.review?.requiredRoles).toContain('sales');
    });

    it('shows the reviewer where on the page each doubt was read', async () => {
      const source = (await (await get(t, `/api/v1/orders/${orderId}/source`, 'sales')).json()) as SourceAnswer;
      const doubt = source.doubts.find((d) => d.path === 'lines[1].amount');
      expect(doubt).toMatchObject({ code: 'ocr.line_amount_mismatch', page: 0 });
      expect(doubt!.bbox!.x1).toBeGreaterThan(doubt!.bbox!.x0);
      expect(doubt!.bbox!.y1).toBeLessThanOrEqual(source.pages[0]!.height);
    });
  });

  describe('when files OCR cannot or must not read are uploaded', () => {
    const outcomes: Record<string, { accepted: number; final: DocumentAnswer }> = {};

    beforeAll(async () => {
      await Promise.all(
        Object.keys(UNREADABLE).map(async (name) => {
          const res = await upload(t, corpus(name), name);
          const { documentId } = (await res.json()) as { documentId: string };
          outcomes[name] = { accepted: res.status, final: (await settle(t, documentId)).final };
        }),
      );
    }, OCR_TIMEOUT_MS);

    it.each(Object.entries(UNREADABLE))('answers 202 for %s, then quarantines it as %s with a reason', (name, code) => {
      expect(outcomes[name]).toMatchObject({ accepted: 202, final: { status: 'quarantined', reason: code, orderIds: [] } });
      expect(outcomes[name]!.final.details?.[0]?.message).toEqual(expect.any(String));
    });

    it('keeps each file byte for byte, and a replay takes it through intake again', async () => {
      for (const name of Object.keys(UNREADABLE)) {
        const raw = (await (await get(t, `/api/v1/raw/${outcomes[name]!.final.documentId}`)).json()) as { body: string; bodyEncoding: string; format: string; meta: { fileName: string } };
        expect({ name, format: raw.format, fileName: raw.meta.fileName, same: Buffer.from(raw.body, raw.bodyEncoding === 'base64' ? 'base64' : 'utf8').equals(corpus(name)) }).toEqual({ name, format: 'contract-scan', fileName: name, same: true });
      }
      const corrupt = outcomes['corrupt.png']!.final.documentId;
      expect((await t.api(`/api/v1/raw/${corrupt}/replay`, { method: 'POST', role: 'operator' })).status).toBe(202);
      const again = await settle(t, corrupt);
      expect(again.final).toMatchObject({ status: 'quarantined', reason: 'ocr.corrupt' });
      const raw = (await (await get(t, `/api/v1/raw/${corrupt}`)).json()) as RawMessage;
      expect(raw.outcomes.map((o) => o.outcome)).toEqual(['quarantined', 'replayed', 'quarantined']);
    }, OCR_TIMEOUT_MS);
  });

  describe('when an upload is not what the endpoint takes', () => {
    it('refuses a file over the size cap with 413 and keeps nothing', async () => {
      const before = (await t.hub.store.raw.list({ limit: 500 })).items.length;
      const res = await upload(t, Buffer.alloc(UPLOAD_CAP + 1, 0x20), 'huge.png', 'image/png');
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.too_large');
      expect((await t.hub.store.raw.list({ limit: 500 })).items).toHaveLength(before);
    });

    it('asks for multipart/form-data with the file in "file"', async () => {
      const raw = await t.api('/api/v1/documents', { method: 'POST', body: corpus('corrupt.png'), headers: { 'content-type': 'image/png' }, role: 'intake' });
      expect(raw.status).toBe(400);
      expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('request.not_multipart');
      const form = new FormData();
      form.append('note', 'no file here');
      const empty = await t.api('/api/v1/documents', { method: 'POST', body: form, role: 'intake' });
      expect(empty.status).toBe(422);
    });

    it('lets only intake and admin keys upload', async () => {
      const form = new FormData();
      form.append('file', new Blob([corpus('corrupt.png')]), 'x.png');
      expect((await t.api('/api/v1/documents', { method: 'POST', body: form, role: 'sales' })).status).toBe(403);
    });

    it('answers 404 for an order that was not read from a scan', async () => {
      const rest = await t.api('/api/v1/orders', { json: { customer: { name: 'Typed In Ltd' }, currency: 'USD', lines: [{ lineNo: 1, sku: 'RP-BC40', quantity: '1', unitPrice: '6250.00' }] }, role: 'intake' });
      const { orderId } = (await rest.json()) as { orderId: string };
      await eventually(async () => ((await get(t, `/api/v1/orders/${orderId}`)).status === 200 ? true : undefined), 'the typed-in order');
      const res = await get(t, `/api/v1/orders/${orderId}/source`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('order_source.not_found');
    });
  });

  describe('when a contract PDF is dropped in a watched folder', () => {
    it('keeps it as a contract-scan raw message and makes its order from the PDF text layer', async () => {
      today = SIGNED[TEXT_LAYER]!;
      writeFileSync(join(scans(), 'inbox', TEXT_LAYER), corpus(TEXT_LAYER));
      const raw = await eventually(
        async () => (await t.hub.store.raw.list({ connectorId: 'scans' })).items.find((m) => m.format === 'contract-scan' && m.status !== 'received'),
        'the dropped PDF to be read',
        OCR_TIMEOUT_MS,
      );
      expect(raw).toMatchObject({ format: 'contract-scan', channel: 'file', status: 'processed', meta: { fileName: TEXT_LAYER } });
      expect(await documentState(t, raw.id)).toMatchObject({ status: 'processed', orderIds: raw.orderIds });
      const made = await order(t, raw.orderIds[0]!);
      expect(oracle(TEXT_LAYER).expectReview).toBe(false);
      expect(made).toMatchObject({ status: 'confirmed', source: { channel: 'file', confidence: 1 } });
      expectFieldsOf(made, TEXT_LAYER);
    }, OCR_TIMEOUT_MS);
  });
});

describe('when the OCR language data is not installed', () => {
  const ocrWithout = (dir: string, enabled?: boolean) => ({ ...(enabled === undefined ? {} : { enabled }), languageDataPath: join(dir, 'tessdata'), dataDir: join(dir, 'ocr') });

  it('does not start when ocr.enabled is true, and says which file is missing and what to do', async () => {
    const dir = mkdtempSync(join(work, 'no-language-data-'));
    const config = hubConfigSchema.parse({ store: { kind: 'sqlite', path: join(dir, 'hub.db') }, redis: { url: redis.url }, http: { host: '127.0.0.1', port: 0 }, ocr: ocrWithout(dir, true) });
    const starting = startHub({ config, role: 'all', log: pino({ level: 'silent' }), queuePrefix: `test-${randomUUID()}` });
    await expect(starting).rejects.toMatchObject({ code: 'ocr.language_data_missing', message: expect.stringMatching(/chi_sim\.traineddata\.gz.*ocr\.enabled: false/) });
  });

  it('starts with OCR off when ocr.enabled is unset, and keeps scans quarantined as ocr.disabled to replay later', async () => {
    const t = await startOcrHub({ ocr: ocrWithout(mkdtempSync(join(work, 'no-language-data-'))) });
    try {
      const res = await upload(t, corpus(TEXT_LAYER), TEXT_LAYER);
      expect(res.status).toBe(202);
      const { final } = await settle(t, ((await res.json()) as { documentId: string }).documentId);
      expect(final).toMatchObject({ status: 'quarantined', reason: 'ocr.disabled' });
    } finally {
      await t.stop();
    }
  });
});

describe('a scanned contract attached to a forwarded mail', () => {
  let dovecot: TestDovecot;
  let t: TestHub;
  let mailbox: string;
  const messageId = '<fwd-pa-2026-0777@ourco.cn>';

  beforeAll(async () => {
    dovecot = await startTestDovecot();
    mailbox = dovecot.newUser();
    const dir = join(work, 'mail');
    mkdirSync(dir, { recursive: true });
    const base = emailHubConfig({ dovecot, user: mailbox, stock: writeReferenceData(dir).inventory });
    today = SIGNED[TEXT_LAYER]!;
    t = await startOcrHub({ ...base, ...ocrHubConfig(dir) });
    const body = `Please enter this one.\n\n---------- Forwarded message ---------\nFrom: Linda Park <linda.park@summit-dc.example>\nDate: Tue, Jul 7, 2026 at 4:10 PM\nSubject: Signed agreement PA-2026-0777\nTo: Sarah Chen <sarah.chen@ourco.cn>\n\n\nSigned agreement attached.\n`;
    await dovecot.append(mailbox, writeMail({ from: SARAH, to: HUB, subject: 'Fwd: Signed agreement PA-2026-0777', date: 'Tue, 07 Jul 2026 16:20:00 +0800', messageId: messageId.slice(1, -1), body: mixed('----=_contract', text(body), file(TEXT_LAYER, 'application/pdf', corpus(TEXT_LAYER))) }));
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await dovecot?.stop();
  });

  it('hands the PDF off as a raw message of its own, reads it in intake, and gives the order to the salesperson who forwarded it', async () => {
    const [mail, scan] = await eventually(async () => {
      const raw = (await t.hub.store.raw.list({ connectorId: 'sales-mail' })).items;
      const [mail, scan] = [raw.find((m) => m.format === 'email'), raw.find((m) => m.format === 'contract-scan')];
      return mail && scan && mail.status !== 'received' && scan.status !== 'received' ? [mail, scan] : undefined;
    }, 'the mail and its scan to be read', OCR_TIMEOUT_MS);
    expect(mail).toMatchObject({ status: 'processed', orderIds: [], externalId: messageId });
    expect(scan).toMatchObject({
      status: 'processed',
      channel: 'email',
      externalId: `${messageId}#1`,
      meta: { fileName: TEXT_LAYER, partOf: mail.id, owner: SARAH, mail: { messageId, from: SARAH.email } },
    });
    expect(scan.body.equals(corpus(TEXT_LAYER))).toBe(true);
    const made = await order(t, scan.orderIds[0]!);
    expect(made).toMatchObject({ status: 'confirmed', owner: SARAH, source: { channel: 'email', rawMessageId: scan.id } });
    expectFieldsOf(made, TEXT_LAYER);
    expect((await dovecot.list(mailbox, 'Processed')).map((m) => m.messageId)).toEqual([messageId]);
  }, OCR_TIMEOUT_MS);
});
