import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncStock, wmsRest, type WmsRestConnector } from '../../../connectors/wms-rest/wms-rest.connector';
import { PermanentPartnerError, TransientPartnerError } from '../../../core/errors/partner.error';
import { ValidationError } from '../../../core/errors/validation.error';
import { openSqliteStore, type SqliteHubStore } from '../../../core/store/sqlite/sqlite-store';
import { startWmsSandbox, type WmsSandbox } from '../../sandboxes/wms.sandbox';
import { deliveryRequest, noAbort } from '../../support/delivery-request';
import { makeOrder } from '../../support/order-factory';

const API_KEY = 'wms-test-key';
const dir = mkdtempSync(join(tmpdir(), 'order-hub-wms-'));
let wms: WmsSandbox;
let store: SqliteHubStore | undefined;

beforeEach(async () => {
  wms = await startWmsSandbox({ apiKey: API_KEY });
});

afterEach(async () => {
  await wms.close();
  await store?.close();
  store = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function connector(overrides: Record<string, unknown> = {}): WmsRestConnector {
  return wmsRest.create(wmsRest.config.parse({ id: 'wms', kind: 'wms-rest', baseUrl: wms.url, apiKey: API_KEY, timeoutMs: 500, ...overrides }));
}

function deliver(target: WmsRestConnector, order = makeOrder({ status: 'confirmed' }), event: 'order.confirmed' | 'order.shipped' = 'order.confirmed') {
  return target.target!.deliver(deliveryRequest(order, event, 'wms'), noAbort());
}

describe('wms-rest outbound delivery', () => {
  it('creates one delivery keyed by the idempotency key, our order id as external reference', async () => {
    const order = makeOrder({ status: 'confirmed', poNumber: 'PO-77' });
    const outcome = await deliver(connector(), order);
    expect(outcome).toMatchObject({ status: 201, partnerRef: 'OBD-000001' });
    const [request] = wms.requests;
    expect(request).toMatchObject({ verified: true, idempotencyKey: `${order.id}:order.confirmed:wms`, reference: order.id, committed: true });
    expect(JSON.parse(request!.body)).toMatchObject({ poNumber: 'PO-77', lines: [{ sku: 'PANEL-A', quantity: '10', uom: 'EA' }, { sku: 'BRACKET-B', quantity: '2.5' }] });
  });

  it('gets the first delivery back when the same key is sent again, and the WMS acts once', async () => {
    const order = makeOrder({ status: 'confirmed' });
    const first = await deliver(connector(), order);
    const second = await deliver(connector(), order);
    expect(second.partnerRef).toBe(first.partnerRef);
    expect(wms.duplicateReferences()).toEqual([]);
  });

  it('refuses events other than order.confirmed as permanent, without calling the WMS', async () => {
    await expect(deliver(connector(), makeOrder(), 'order.shipped')).rejects.toBeInstanceOf(PermanentPartnerError);
    expect(wms.requests).toHaveLength(0);
  });

  describe('when the WMS misbehaves', () => {
    it('classifies 5xx as transient', async () => {
      wms.faults.set([{ status: 503 }]);
      await expect(deliver(connector())).rejects.toBeInstanceOf(TransientPartnerError);
    });

    it('classifies 429 as transient and carries Retry-After in ms', async () => {
      wms.faults.set([{ status: 429, retryAfterSeconds: 7 }]);
      await expect(deliver(connector())).rejects.toMatchObject({ code: 'partner.transient', retryAfterMs: 7000 });
    });

    it('classifies a 422 and a wrong API key as permanent', async () => {
      wms.faults.set([{ status: 422 }]);
      await expect(deliver(connector())).rejects.toBeInstanceOf(PermanentPartnerError);
      await expect(deliver(connector({ apiKey: 'wrong' }))).rejects.toMatchObject({ code: 'partner.permanent', response: { status: 401 } });
    });

    it('fails an answer without a delivery number permanently, keeping the body', async () => {
      wms.faults.set([{ status: 200, body: '{"ok":true}' }]);
      await expect(deliver(connector())).rejects.toMatchObject({ code: 'partner.permanent', response: { status: 200, body: '{"ok":true}' } });
    });

    it('times out a slow WMS as transient', async () => {
      wms.faults.set([{ delayMs: 2000 }]);
      await expect(deliver(connector({ timeoutMs: 100 }))).rejects.toBeInstanceOf(TransientPartnerError);
    });

    it('after commit-then-timeout, the retry gets the committed delivery and nothing is doubled', async () => {
      const order = makeOrder({ status: 'confirmed' });
      wms.faults.set([{ commitThenTimeout: true }]);
      await expect(deliver(connector({ timeoutMs: 200 }), order)).rejects.toBeInstanceOf(TransientPartnerError);
      const retry = await deliver(connector(), order);
      expect(retry).toMatchObject({ status: 200, partnerRef: 'OBD-000001' });
      expect(wms.deliveries.size).toBe(1);
      expect(wms.duplicateReferences()).toEqual([]);
    });
  });
});

describe('wms-rest stock sync into the SQLite store', () => {
  const rows = [
    { sku: 'PANEL-A', location: 'SH-01', onHand: '120' },
    { sku: 'PANEL-A', location: 'SH-02', onHand: '5.5' },
    { sku: 'BRACKET-B', location: 'SH-01', onHand: 40 },
    { sku: 'VALVE-DN50', location: 'SH-01', onHand: '0' },
    { sku: 'PUMP-200', location: 'SH-02', onHand: '3' },
  ];

  async function openStore(): Promise<SqliteHubStore> {
    store = await openSqliteStore({ path: join(dir, `stock-${Date.now()}-${Math.random()}.db`) });
    return store;
  }

  it('reads every page by cursor and writes absolute on-hand per location', async () => {
    wms.setStock(rows);
    const inventory = (await openStore()).inventory;
    expect(await syncStock(connector({ stockPageSize: 2 }), inventory)).toBe(5);
    expect(wms.requests.map((r) => r.query.cursor ?? 'first')).toEqual(['first', '2', '4']);
    const [panel] = await inventory.positions(['PANEL-A']);
    expect(panel).toMatchObject({ sku: 'PANEL-A', onHand: '125.5' });
    expect((await inventory.positions(['BRACKET-B']))[0]?.onHand).toBe('40');
  });

  it('is idempotent: a second sync of the same stock leaves the same positions', async () => {
    wms.setStock(rows);
    const inventory = (await openStore()).inventory;
    await syncStock(connector({ stockPageSize: 2 }), inventory);
    const once = await inventory.list();
    await syncStock(connector({ stockPageSize: 3 }), inventory);
    expect(await inventory.list()).toEqual(once);
  });

  it('rejects a fractional JSON number naming the row, and writes nothing', async () => {
    wms.setStock([rows[0]!, { sku: 'BOLT', location: 'SH-01', onHand: 2.5 }]);
    const inventory = (await openStore()).inventory;
    const failure = syncStock(connector(), inventory);
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toMatchObject({ details: [expect.objectContaining({ path: 'stock.pages[0].items[1].onHand' })] });
    expect(await inventory.list()).toEqual([]);
  });

  it('writes nothing when a later page fails, and says it may be retried', async () => {
    wms.setStock(rows);
    wms.faults.set((request) => (request.query.cursor === '2' ? { status: 502 } : undefined));
    const inventory = (await openStore()).inventory;
    await expect(syncStock(connector({ stockPageSize: 2 }), inventory)).rejects.toBeInstanceOf(TransientPartnerError);
    expect(await inventory.list()).toEqual([]);
  });

  it('sends the warehouse filter and the API key', async () => {
    wms.setStock(rows);
    await connector({ warehouse: 'SH-02' }).fetchStock(noAbort());
    expect(wms.requests[0]).toMatchObject({ verified: true, query: { warehouse: 'SH-02', limit: '200' } });
  });
});
