import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { rawDocumentArchive } from '../../../connectors/documents/document-archive';
import { folderConfig } from '../../../connectors/folder/folder.config';
import { folderConnector } from '../../../connectors/folder/folder.connector';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { openSqliteStore, type SqliteHubStore } from '../../../core/store/sqlite/sqlite-store';
import { deliveryRequest, noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';

let store: SqliteHubStore;
let base: string;
let root: string;
let n = 0;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'order-hub-doc-target-'));
  store = await openSqliteStore({ path: join(base, 'hub.db') });
});
afterAll(async () => {
  await store.close();
  rmSync(base, { recursive: true, force: true });
});
beforeEach(() => {
  root = join(base, `drop-${++n}`);
  mkdirSync(join(root, 'inbox'), { recursive: true });
});

function connector(overrides: Record<string, unknown> = {}) {
  const config = folderConfig.parse({
    id: `acme-${n}`,
    kind: 'folder',
    path: root,
    partner: { ourId: 'ZZ:ORDERHUB', theirId: `ZZ:ACME${n}` },
    documents: { format: 'x12', on: { 'order.confirmed': '855', 'order.shipped': '856' } },
    ...overrides,
  });
  return folderConnector.create(config, { log: pino({ level: 'silent' }), raw: { write: (input) => store.raw.put(input) }, parsers: [], sequences: store.sequences, archive: rawDocumentArchive(store.raw) });
}
const outbox = () => readdirSync(join(root, 'outbox')).sort();
const outbound = async (connectorId: string) => (await store.raw.list({ connectorId })).items.filter((m) => m.channel === 'outbound');

describe('a file drop as a delivery target', () => {
  it('writes the 855 under a name derived from the delivery id, and keeps it as an outbound raw message', async () => {
    const drop = connector();
    const order = makeOrder({ status: 'confirmed' });
    const request = deliveryRequest(order, 'order.confirmed', drop.id);
    const outcome = await drop.target!.deliver(request, noAbort());
    expect(outbox()).toEqual([`855-${request.delivery.id}.x12`]);
    const [kept] = await outbound(drop.id);
    expect(kept).toMatchObject({ status: 'processed', format: 'x12-855', orderIds: [order.id], idempotencyKey: request.delivery.idempotencyKey, meta: { deliveryId: request.delivery.id } });
    expect(readFileSync(join(root, 'outbox', outbox()[0]!)).equals(kept!.body)).toBe(true);
    expect(outcome.responseBody).toContain(kept!.id);
  });

  describe('when a delivery is attempted again after its answer was lost', () => {
    it('writes no second file and draws no new control numbers', async () => {
      const drop = connector();
      const request = deliveryRequest(makeOrder({ status: 'confirmed' }), 'order.confirmed', drop.id);
      await drop.target!.deliver(request, noAbort());
      const first = readFileSync(join(root, 'outbox', outbox()[0]!));
      const again = await drop.target!.deliver(request, noAbort());
      expect(again.responseBody).toMatch(/^already written:/);
      expect(outbox()).toHaveLength(1);
      expect(readFileSync(join(root, 'outbox', outbox()[0]!)).equals(first)).toBe(true);
      expect(await outbound(drop.id)).toHaveLength(1);
      expect(await store.sequences.next(`x12:isa:ZZ:ORDERHUB:ZZ:ACME${n}`)).toBe(2);
    });
  });

  describe('when the outbox cannot be written', () => {
    it('fails the attempt for a retry, which writes the document kept by the first attempt', async () => {
      const drop = connector();
      writeFileSync(join(root, 'outbox'), 'not a folder');
      const request = deliveryRequest(makeOrder({ status: 'confirmed' }), 'order.confirmed', drop.id);
      await expect(drop.target!.deliver(request, noAbort())).rejects.toBeInstanceOf(TransientPartnerError);
      const [kept] = await outbound(drop.id);
      rmSync(join(root, 'outbox'));
      await drop.target!.deliver(request, noAbort());
      expect(readFileSync(join(root, 'outbox', `855-${request.delivery.id}.x12`)).equals(kept!.body)).toBe(true);
      expect(await outbound(drop.id)).toHaveLength(1);
    });
  });

  describe('when the order lacks what the document needs', () => {
    it('dead-letters the 856 of an order without a shipment, keeping and writing nothing', async () => {
      const drop = connector();
      const request = deliveryRequest(makeOrder({ status: 'shipped' }), 'order.shipped', drop.id);
      await expect(drop.target!.deliver(request, noAbort())).rejects.toThrow(PermanentPartnerError);
      await expect(drop.target!.deliver(request, noAbort())).rejects.toThrow(/has no shipment/);
      expect(await outbound(drop.id)).toEqual([]);
    });
  });

  it('dead-letters an event it has no document for', async () => {
    const drop = connector();
    await expect(drop.target!.deliver(deliveryRequest(makeOrder(), 'order.invoiced', drop.id), noAbort())).rejects.toBeInstanceOf(PermanentPartnerError);
  });

  it('is no target without documents, and a config with documents but no partner is refused', () => {
    expect(connector({ documents: undefined }).target).toBeUndefined();
    const refused = folderConfig.safeParse({ id: 'x', kind: 'folder', path: root, documents: { format: 'x12', on: { 'order.confirmed': '855' } } });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('.'))).toEqual(['partner.theirId']);
    const wrongType = folderConfig.safeParse({ id: 'x', kind: 'folder', path: root, partner: { ourId: 'ZZ:A', theirId: 'ZZ:B' }, documents: { format: 'x12', on: { 'order.confirmed': '997' }, settings: { version: '3040' } } });
    expect(wrongType.success ? [] : wrongType.error.issues.map((i) => i.path.join('.'))).toEqual(['documents.on.order.confirmed', 'documents.settings.version']);
  });
});
