import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { folderConfig } from '../../../connectors/folder/folder.config';
import { folderConnector } from '../../../connectors/folder/folder.connector';
import { defineFileDropContract } from './file-drop.contract';

defineFileDropContract('local folder', async () => ({
  create: (id, root, overrides, deps) => folderConnector.create(folderConfig.parse({ id, kind: 'folder', path: root, ...overrides }), deps),
  stop: async () => undefined,
}));

describe('folder connector', () => {
  describe('when the inbox does not exist', () => {
    it('fails the poll instead of reporting an empty inbox', async () => {
      const root = mkdtempSync(join(tmpdir(), 'order-hub-folder-'));
      try {
        const connector = folderConnector.create(folderConfig.parse({ id: 'missing', kind: 'folder', path: root, inbox: 'no-such-inbox' }), {
          log: pino({ level: 'silent' }),
          raw: { write: () => Promise.reject(new Error('never called')) },
          parsers: [],
        });
        await expect(connector.poll(new AbortController().signal)).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
