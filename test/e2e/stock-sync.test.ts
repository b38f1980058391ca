import { startWmsSandbox, type WmsSandbox } from '../sandboxes/wms.sandbox';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

const API_KEY = 'wms-sync-key';
let redis: TestRedis;
let wms: WmsSandbox;
let t: TestHub;

beforeAll(async () => {
  redis = await startTestRedis();
  wms = await startWmsSandbox({ apiKey: API_KEY, stock: [{ sku: 'PUMP-200', location: 'main', onHand: '40' }] });
  t = await startTestHub(redis.url, {
    connectors: [{ id: 'wms', kind: 'wms-rest', baseUrl: wms.url, apiKey: API_KEY, stockSyncIntervalMs: 100 }],
  } as never);
});

afterAll(async () => {
  await t?.stop();
  await wms?.close();
  await redis?.stop();
});

const onHand = async (sku: string) =>
  ((await (await t.api(`/api/v1/inventory?sku=${sku}`)).json()) as { items: { onHand: string; reserved: string }[] }).items[0];

describe('when a WMS has a stock sync schedule', () => {
  it("keeps the hub's on-hand figures in step with the WMS", async () => {
    await eventually(async () => ((await onHand('PUMP-200'))?.onHand === '40' ? true : undefined), 'the first sync');
    wms.setStock([
      { sku: 'PUMP-200', location: 'main', onHand: '37' },
      { sku: 'VALVE-DN50', location: 'main', onHand: '120.5' },
    ]);
    await eventually(async () => ((await onHand('VALVE-DN50'))?.onHand === '120.5' ? true : undefined), 'the next sync');
    expect((await onHand('PUMP-200'))!.onHand).toBe('37');
  });
});
