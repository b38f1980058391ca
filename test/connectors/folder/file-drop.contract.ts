import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PermanentPartnerError } from '../../../core/errors/partner.error';
import { openSqliteStore, type SqliteHubStore } from '../../../core/store/sqlite/sqlite-store';
import type { RawMessage, RawMessageInput } from '../../../core/store/store.port';
import type { FileDropConnector, FileDropDeps, FormatSniffer } from '../../../connectors/folder/file-drop';
import type { RawSink } from '../../../connectors/folder/raw-sink';
import { spreadsheetOrderParser } from '../../../connectors/spreadsheet/spreadsheet-order.parser';

/** Config fields a test may set on top of the drop's root and id. */
export type DropOverrides = Partial<{ settle: 'two-polls' | 'rename'; maxFileBytes: number }>;

export interface FileDropTarget {
  /** A connector whose root is `root`, a local directory (served over SFTP by the test sshd for that kind). */
  create(id: string, root: string, overrides: DropOverrides, deps: FileDropDeps): FileDropConnector;
  stop(): Promise<void>;
}

/** Stands in for the X12 parser another module provides: only `format` and `sniff` matter to a file drop. */
export const x12Sniffer: FormatSniffer = { format: 'x12-850', sniff: (body) => body.subarray(0, 3).toString('latin1') === 'ISA' };

const CSV = Buffer.from('PO,Customer,SKU,Qty,Price\nPO-1,Acme,PANEL-A,10,120.00\n');
const X12 = Buffer.from('ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260302*0800*U*00401*000000001*0*P*>~');

/** Fails the next writes as told: before the store is touched, or after it stored (a crash before the move). */
export class FaultySink implements RawSink {
  readonly faults: ('before-store' | 'after-store')[] = [];
  onWrite?: (input: RawMessageInput) => void;
  constructor(private readonly store: SqliteHubStore) {}
  async write(input: RawMessageInput): Promise<{ message: RawMessage; created: boolean }> {
    this.onWrite?.(input);
    const fault = this.faults.shift();
    if (fault === 'before-store') throw new Error('store unavailable (injected)');
    const stored = await this.store.raw.put(input);
    if (fault === 'after-store') throw new Error('process died after the raw write (injected)');
    return stored;
  }
}

/**
 * What every file drop (local folder, SFTP) must do, against the real SQLite store: take each
 * file exactly once, move it only after the raw write, never store the same content twice, leave
 * unfinished files alone, quarantine what it cannot take, and write outbound documents atomically.
 */
export function defineFileDropContract(name: string, open: () => Promise<FileDropTarget>): void {
  describe(`${name} file drop contract`, () => {
    let target: FileDropTarget;
    let store: SqliteHubStore;
    let storeDir: string;
    let base: string;
    let id: string;
    let root: string;
    let sink: FaultySink;
    const started: FileDropConnector[] = [];
    const signal = new AbortController().signal;

    const connector = (overrides: DropOverrides = {}): FileDropConnector => {
      const created = target.create(id, root, overrides, { log: pino({ level: 'silent' }), raw: sink, parsers: [x12Sniffer, spreadsheetOrderParser] });
      started.push(created);
      return created;
    };
    const drop = (fileName: string, body: Buffer): void => writeFileSync(join(root, 'inbox', fileName), body);
    const names = (folder: string): string[] => (existsSync(join(root, folder)) ? readdirSync(join(root, folder)).sort() : []);
    const stored = async (): Promise<readonly RawMessage[]> => (await store.raw.list({ connectorId: id })).items;
    const zero = { kept: 0, failed: 0, duplicates: 0, waiting: 0, retry: 0 };

    beforeAll(async () => {
      target = await open();
      storeDir = mkdtempSync(join(tmpdir(), 'order-hub-drop-store-'));
      store = await openSqliteStore({ path: join(storeDir, 'hub.db') });
      base = mkdtempSync(join(tmpdir(), 'order-hub-drop-'));
    });
    afterAll(async () => {
      await store.close();
      await target.stop();
      rmSync(storeDir, { recursive: true, force: true });
      rmSync(base, { recursive: true, force: true });
    });
    beforeEach(() => {
      id = `drop-${randomUUID().slice(0, 8)}`;
      root = join(base, id);
      mkdirSync(join(root, 'inbox'), { recursive: true });
      sink = new FaultySink(store);
    });
    afterEach(async () => {
      await Promise.all(started.splice(0).map((c) => c.stop()));
    });

    describe('when a file is dropped', () => {
      it('keeps it raw once, moving it to done/ only after the raw write resolved', async () => {
        const drop_ = connector();
        drop('order.csv', CSV);
        const seenDuringWrite: boolean[] = [];
        sink.onWrite = () => seenDuringWrite.push(existsSync(join(root, 'inbox', 'order.csv')) && names('done').length === 0);

        expect(await drop_.poll(signal)).toEqual({ ...zero, waiting: 1 });
        expect(await drop_.poll(signal)).toEqual({ ...zero, kept: 1 });
        expect(await drop_.poll(signal)).toEqual(zero);

        expect(seenDuringWrite).toEqual([true]);
        expect(names('inbox')).toEqual([]);
        expect(names('done')).toEqual([expect.stringMatching(/^\d{8}T\d{9}Z_order\.csv$/)]);
        const sha256 = createHash('sha256').update(CSV).digest('hex');
        const [message] = await stored();
        expect(await stored()).toHaveLength(1);
        expect(message?.body.equals(CSV)).toBe(true);
        expect(message).toMatchObject({ format: 'spreadsheet-order', channel: 'file', contentType: 'text/csv', externalId: sha256, idempotencyKey: sha256, status: 'received' });
        expect(message?.meta).toMatchObject({ fileName: 'order.csv', size: CSV.length });
        expect(readFileSync(join(root, 'done', names('done')[0]!)).equals(CSV)).toBe(true);
      });

      it('names the format with the first parser that recognises it', async () => {
        const drop_ = connector({ settle: 'rename' });
        drop('850.edi', X12);
        expect(await drop_.poll(signal)).toEqual({ ...zero, kept: 1 });
        expect((await stored())[0]?.format).toBe('x12-850');
      });
    });

    describe('when the raw write fails', () => {
      it('leaves the file in the inbox and takes it on the next poll', async () => {
        const drop_ = connector({ settle: 'rename' });
        drop('order.csv', CSV);
        sink.faults.push('before-store');
        expect(await drop_.poll(signal)).toEqual({ ...zero, retry: 1 });
        expect(names('inbox')).toEqual(['order.csv']);
        expect(await stored()).toHaveLength(0);

        expect(await drop_.poll(signal)).toEqual({ ...zero, kept: 1 });
        expect(names('inbox')).toEqual([]);
        expect(await stored()).toHaveLength(1);
      });
    });

    describe('when the connector dies between the raw write and the move', () => {
      it('a restarted connector moves the file without storing it twice', async () => {
        const first = connector({ settle: 'rename' });
        drop('order.csv', CSV);
        sink.faults.push('after-store');
        expect(await first.poll(signal)).toEqual({ ...zero, retry: 1 });
        expect(names('inbox')).toEqual(['order.csv']);
        await first.stop();

        const restarted = connector();
        expect(await restarted.poll(signal)).toEqual({ ...zero, waiting: 1 });
        expect(await restarted.poll(signal)).toEqual({ ...zero, duplicates: 1 });
        expect(names('inbox')).toEqual([]);
        expect(names('done')).toHaveLength(1);
        expect(await stored()).toHaveLength(1);
      });
    });

    describe('when the same content arrives again under another name', () => {
      it('reports it as a duplicate and stores nothing new', async () => {
        const drop_ = connector({ settle: 'rename' });
        drop('monday.csv', CSV);
        expect(await drop_.poll(signal)).toEqual({ ...zero, kept: 1 });
        drop('tuesday.csv', CSV);
        expect(await drop_.poll(signal)).toEqual({ ...zero, duplicates: 1 });
        expect(await stored()).toHaveLength(1);
        expect(names('done')).toHaveLength(2);
      });
    });

    describe('when a file is still being written', () => {
      it('does not take a growing file until its size and mtime hold still across two polls', async () => {
        const drop_ = connector();
        drop('order.csv', CSV.subarray(0, 20));
        expect(await drop_.poll(signal)).toEqual({ ...zero, waiting: 1 });
        appendFileSync(join(root, 'inbox', 'order.csv'), CSV.subarray(20));
        expect(await drop_.poll(signal)).toEqual({ ...zero, waiting: 1 });
        expect(await drop_.poll(signal)).toEqual({ ...zero, kept: 1 });
        expect((await stored())[0]?.body.equals(CSV)).toBe(true);
      });

      it('never takes a .part or hidden upload, and takes it once renamed', async () => {
        const drop_ = connector({ settle: 'rename' });
        drop('order.csv.part', CSV);
        drop('.order.csv', CSV);
        expect(await drop_.poll(signal)).toEqual({ ...zero, waiting: 2 });
        expect(await drop_.poll(signal)).toEqual({ ...zero, waiting: 2 });
        renameSync(join(root, 'inbox', 'order.csv.part'), join(root, 'inbox', 'order.csv'));
        expect(await drop_.poll(signal)).toEqual({ ...zero, kept: 1, waiting: 1 });
        expect(await stored()).toHaveLength(1);
      });
    });

    describe('when a file cannot be taken as a document', () => {
      it('moves an oversize file to failed/ unread and keeps a quarantined record of it', async () => {
        const drop_ = connector({ settle: 'rename', maxFileBytes: 1024 });
        drop('huge.csv', Buffer.alloc(4096, 'x'));
        expect(await drop_.poll(signal)).toEqual({ ...zero, failed: 1 });
        expect(names('failed')).toEqual([expect.stringMatching(/_huge\.csv$/)]);
        const [message] = await stored();
        expect(message).toMatchObject({ status: 'quarantined', reason: 'document.too_large', size: 0, meta: expect.objectContaining({ fileName: 'huge.csv', size: 4096 }) });
      });

      it('keeps a file of no known format raw, quarantined as format.unknown, and moves it to failed/', async () => {
        const drop_ = connector({ settle: 'rename' });
        const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]);
        drop('scan.png', body);
        expect(await drop_.poll(signal)).toEqual({ ...zero, failed: 1 });
        expect(names('failed')).toEqual([expect.stringMatching(/_scan\.png$/)]);
        const [message] = await stored();
        expect(message).toMatchObject({ status: 'quarantined', reason: 'format.unknown', format: 'unknown' });
        expect(message?.body.equals(body)).toBe(true);
      });
    });

    describe('when an outbound document is written', () => {
      const doc = (body: Buffer) => ({ format: 'x12-997', fileName: '997-000000001.edi', contentType: 'application/edi-x12', body });

      it('appears under its name only complete, with no temporary file left behind', async () => {
        const drop_ = connector();
        const body = Buffer.alloc(4 * 1024 * 1024, 'a');
        const final = join(root, 'outbox', doc(body).fileName);
        const sizesSeen: number[] = [];
        let done = false;
        const watching = (async () => {
          while (!done) {
            if (existsSync(final)) sizesSeen.push(statSync(final).size);
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        const written = await drop_.writeOutbound(doc(body));
        done = true;
        await watching;
        expect(written).toEqual({ path: expect.stringMatching(/997-000000001\.edi$/), written: true });
        expect(sizesSeen.filter((size) => size !== body.length)).toEqual([]);
        expect(names('outbox')).toEqual(['997-000000001.edi']);
        expect(readFileSync(final).equals(body)).toBe(true);
      });

      it('treats the same document written again as done, and refuses a different one of the same name', async () => {
        const drop_ = connector();
        await drop_.writeOutbound(doc(Buffer.from('first')));
        await expect(drop_.writeOutbound(doc(Buffer.from('first')))).resolves.toMatchObject({ written: false });
        await expect(drop_.writeOutbound(doc(Buffer.from('second')))).rejects.toBeInstanceOf(PermanentPartnerError);
        expect(readFileSync(join(root, 'outbox', '997-000000001.edi'), 'utf8')).toBe('first');
        expect(names('outbox')).toEqual(['997-000000001.edi']);
      });
    });
  });
}
