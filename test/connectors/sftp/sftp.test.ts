import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FileDropConnector } from '../../../connectors/folder/file-drop';
import { sftpConfig } from '../../../connectors/sftp/sftp.config';
import { createSftpConnector, sftpConnector } from '../../../connectors/sftp/sftp.connector';
import { sftpClientTransport, type SftpTransport, type TransportEvents } from '../../../connectors/sftp/sftp-drop-fs';
import { openSqliteStore, type SqliteHubStore } from '../../../core/store/sqlite/sqlite-store';
import { startTestSshd, type TestSshd } from '../../support/sshd';
import { defineFileDropContract, FaultySink, x12Sniffer, type DropOverrides } from '../folder/file-drop.contract';

let sshd: TestSshd;
beforeAll(async () => {
  sshd = await startTestSshd();
});
afterAll(async () => {
  await sshd.stop();
});

const config = (id: string, root: string, overrides: DropOverrides & { hostKeySha256?: string } = {}) =>
  sftpConfig.parse({
    id,
    kind: 'sftp',
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey.toString('utf8'),
    hostKeySha256: sshd.hostKeySha256,
    root,
    readyTimeoutMs: 5_000,
    operationTimeoutMs: 5_000,
    ...overrides,
  });

defineFileDropContract('SFTP (OpenSSH on loopback)', async () => ({
  create: (id, root, overrides, deps) => sftpConnector.create(config(id, root, overrides), deps),
  stop: async () => undefined,
}));

/** The real client with some methods replaced, to fault one step of the protocol. */
function faulty(overrides: (real: SftpTransport) => Partial<SftpTransport>, made: SftpTransport[] = []): (events: TransportEvents) => SftpTransport {
  return (events) => {
    const real = sftpClientTransport(pino({ level: 'silent' }))(events);
    made.push(real);
    const replaced = overrides(real);
    return new Proxy(real, {
      get: (target, key: keyof SftpTransport) => {
        const value = replaced[key] ?? target[key];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
}

describe('sftp connector', () => {
  let store: SqliteHubStore;
  let storeDir: string;
  let root: string;
  let id: string;
  let sink: FaultySink;
  const started: FileDropConnector[] = [];
  const signal = new AbortController().signal;
  const zero = { kept: 0, failed: 0, duplicates: 0, waiting: 0, retry: 0 };
  const deps = () => ({ log: pino({ level: 'silent' }), raw: sink, parsers: [x12Sniffer] });
  const connect = (overrides: Parameters<typeof config>[2], createTransport?: Parameters<typeof createSftpConnector>[2]): FileDropConnector => {
    const connector = createSftpConnector(config(id, root, { settle: 'rename', ...overrides }), deps(), createTransport);
    started.push(connector);
    return connector;
  };
  const inbox = (): string[] => readdirSync(join(root, 'inbox'));
  const edi = Buffer.from('ISA*00*          *00*          *ZZ*SENDER~');

  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'order-hub-sftp-store-'));
    store = await openSqliteStore({ path: join(storeDir, 'hub.db') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(storeDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    id = `sftp-${randomUUID().slice(0, 8)}`;
    root = join(sshd.filesDir, id);
    mkdirSync(join(root, 'inbox'), { recursive: true });
    writeFileSync(join(root, 'inbox', '850.edi'), edi);
    sink = new FaultySink(store);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.stop()));
  });

  describe('when the server presents a host key other than the pinned one', () => {
    it('refuses the connection and touches nothing', async () => {
      const connector = connect({ hostKeySha256: `SHA256:${'A'.repeat(43)}` });
      await expect(connector.poll(signal)).rejects.toThrow(/verification failed/i);
      expect(inbox()).toEqual(['850.edi']);
      expect(existsSync(join(root, 'done'))).toBe(false);
      expect((await store.raw.list({ connectorId: id })).items).toHaveLength(0);
    });
  });

  describe('when the move on the server fails after the raw write', () => {
    it('leaves the file, reconnects, and moves it next poll without a second raw message', async () => {
      let failures = 1;
      const made: SftpTransport[] = [];
      const connector = connect({}, faulty((real) => ({
        rename: (from, to) => (failures-- > 0 ? Promise.reject(new Error('rename refused (injected)')) : real.rename(from, to)),
      }), made));
      expect(await connector.poll(signal)).toEqual({ ...zero, retry: 1 });
      expect(inbox()).toEqual(['850.edi']);
      expect(await connector.poll(signal)).toEqual({ ...zero, duplicates: 1 });
      expect(inbox()).toEqual([]);
      expect(made).toHaveLength(2);
      expect((await store.raw.list({ connectorId: id })).items).toHaveLength(1);
    });
  });

  describe('when the connection was closed under the connector', () => {
    it('fails that poll loudly, then reconnects on the next', async () => {
      const made: SftpTransport[] = [];
      const connector = connect({}, faulty(() => ({}), made));
      writeFileSync(join(root, 'inbox', 'first.edi'), Buffer.concat([edi, Buffer.from('1')]));
      expect(await connector.poll(signal)).toMatchObject({ kept: 2 });
      await made[0]!.end();
      writeFileSync(join(root, 'inbox', 'second.edi'), Buffer.concat([edi, Buffer.from('2')]));
      await expect(connector.poll(signal)).rejects.toThrow(/connection/i);
      expect(await connector.poll(signal)).toEqual({ ...zero, kept: 1 });
      expect(made).toHaveLength(2);
    });
  });

  describe('when an outbound document is written', () => {
    it('uploads it under a hidden .part name, then renames it into place', async () => {
      const puts: string[] = [];
      const connector = connect({}, faulty((real) => ({
        put: (body, path) => {
          puts.push(String(path));
          return real.put(body, path);
        },
      })));
      await connector.writeOutbound({ format: 'x12-997', fileName: '997.edi', contentType: 'application/edi-x12', body: Buffer.from('ack') });
      expect(puts).toEqual([expect.stringMatching(/\/outbox\/\.997\.edi\.[0-9a-f-]{36}\.part$/)]);
      expect(readdirSync(join(root, 'outbox'))).toEqual(['997.edi']);
    });
  });
});
