import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../core/store/sqlite/sqlite-store';
import { makeOrder } from '../support/order-factory';
import { defineStoreContract } from './store.contract';

const dir = mkdtempSync(join(tmpdir(), 'order-hub-sqlite-'));
let files = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

defineStoreContract('sqlite', () => openSqliteStore({ path: join(dir, `store-${++files}.db`) }));

describe('sqlite store', () => {
  it('keeps its data across close and reopen, in WAL mode with synchronous=FULL', async () => {
    const path = join(dir, 'nested', 'folder', 'reopen.db');
    const first = await openSqliteStore({ path });
    const order = await first.orders.create(makeOrder(), { events: [] });
    const { message } = await first.raw.put({
      connectorId: 'rest',
      channel: 'rest',
      format: 'canonical-json',
      contentType: 'application/json',
      body: Buffer.from([0xff, 0x00, 0x01]),
      receivedAt: '2026-03-02T08:00:00.000Z',
    });
    await first.close();

    const reopened = await openSqliteStore({ path });
    try {
      expect(await reopened.orders.get(order.id)).toEqual(order);
      expect((await reopened.raw.get(message.id))?.body).toEqual(Buffer.from([0xff, 0x00, 0x01]));
      expect(reopened.pragma('journal_mode')).toBe('wal');
      expect(reopened.pragma('synchronous')).toBe(2);
      expect(reopened.pragma('foreign_keys')).toBe(1);
      expect(reopened.pragma('busy_timeout')).toBe(5000);
    } finally {
      await reopened.close();
    }
  });

  it('refuses an in-memory database', async () => {
    await expect(openSqliteStore({ path: ':memory:' })).rejects.toMatchObject({ code: 'validation.failed' });
  });
});
