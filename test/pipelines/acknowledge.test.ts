import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Connector, OutboundDocument } from '../../connectors/connector';
import { rawDocumentArchive } from '../../connectors/documents/document-archive';
import { folderConfig } from '../../connectors/folder/folder.config';
import { TransientPartnerError } from '../../core/errors/partner.error';
import { openSqliteStore, type SqliteHubStore } from '../../core/store/sqlite/sqlite-store';
import type { RawMessage } from '../../core/store/store.port';
import { parseX12Orders } from '../../connectors/x12/x12-850.parser';
import { createAcknowledger } from '../../pipelines/acknowledge';

let store: SqliteHubStore;
let dir: string;
const interchange = readFileSync(join(__dirname, '../fixtures/x12/850-5010-two-orders.edi'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'order-hub-ack-'));
  store = await openSqliteStore({ path: join(dir, 'hub.db') });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A received X12 raw message of `connectorId`, and its parse result. */
async function received(connectorId: string) {
  const { message } = await store.raw.put({ connectorId, channel: 'file', format: 'x12-850', contentType: 'text/plain', body: interchange, receivedAt: new Date().toISOString() });
  return { raw: message, document: { result: await parseX12Orders(interchange, { mapping: {} }), duplicate: false } };
}

function acknowledger(connectorId: string, ourId: string, writeOutbound: (doc: OutboundDocument) => Promise<unknown>) {
  const config = folderConfig.parse({ id: connectorId, kind: 'folder', path: dir, partner: { ourId } });
  const connector = { id: connectorId, kind: 'folder', writeOutbound } as Connector;
  return createAcknowledger({ connectors: [connector], configs: [config], sequences: store.sequences, archive: rawDocumentArchive(store.raw), log: pino({ level: 'silent' }) });
}
const kept = async (connectorId: string, raw: RawMessage) => (await store.raw.list({ connectorId })).items.filter((m) => m.meta?.answers === raw.id);

describe('acknowledging a parsed document', () => {
  it('rejects when the outbox cannot be written, so intake retries, and the retry sends the 997 kept the first time', async () => {
    const writes: OutboundDocument[] = [];
    let fail = true;
    const acknowledge = acknowledger('drop-a', 'ZZ:ORDERHUB', async (doc) => {
      if (fail) throw new TransientPartnerError('outbox unreachable');
      writes.push(doc);
    });
    const { raw, document } = await received('drop-a');
    await expect(acknowledge(raw, document, [])).rejects.toBeInstanceOf(TransientPartnerError);
    fail = false;
    await acknowledge(raw, document, []);
    const [ack] = await kept('drop-a', raw);
    expect(writes.map((w) => w.fileName)).toEqual([`997-000000001-${raw.id}.x12`]);
    expect(writes[0]!.body.equals(ack!.body)).toBe(true);
  });

  it('does not hold intake up when our id cannot be written in the format: nothing is kept, nothing sent', async () => {
    const writes: OutboundDocument[] = [];
    const acknowledge = acknowledger('drop-b', 'ORDERHUB', async (doc) => void writes.push(doc));
    const { raw, document } = await received('drop-b');
    await expect(acknowledge(raw, document, [])).resolves.toBeUndefined();
    expect(writes).toEqual([]);
    expect(await kept('drop-b', raw)).toEqual([]);
  });
});
