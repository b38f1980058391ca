import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { TransientPartnerError } from '../../../core/errors/partner.error';
import { SignatureError } from '../../../core/errors/signature.error';
import type { HubStore } from '../../../core/store/store.port';
import { openSqliteStore } from '../../../core/store/sqlite/sqlite-store';
import { shopConnectorFields } from '../../../connectors/shop/shop.config';
import { createShopConnector, type ShopConnector } from '../../../connectors/shop/shop.connector';
import { ORDERS_CURSOR } from '../../../connectors/shop/shop-poll';
import type { ChangedOrdersWindow, ShopPlatform, ShopStockLevel } from '../../../connectors/shop/shop-platform';
import { z } from 'zod';

/**
 * The shop machinery every platform shares, driven by a scripted platform: what it stores, when
 * it moves the cursor, what it refuses, what stock it pushes. The platforms themselves are tested
 * against their sandboxes (test/e2e/shop-*.test.ts).
 */

interface PlatformOrder {
  id: string;
  updated_at: string;
  currency: string;
  cancelled?: boolean;
}

class ScriptedPlatform implements ShopPlatform {
  readonly platform = 'scripted';
  orders: PlatformOrder[] = [];
  windows: ChangedOrdersWindow[] = [];
  pageSize = 2;
  failPage?: number;
  pushed: ShopStockLevel[][] = [];
  readonly webhooks = {
    verify: (request: { headers: Readonly<Record<string, string | undefined>> }) => {
      if (request.headers['x-signature'] !== 'good') throw new SignatureError('signature.invalid', 'bad signature');
    },
    read: (request: { headers: Readonly<Record<string, string | undefined>>; rawBody: Buffer }) => {
      const order = JSON.parse(request.rawBody.toString('utf8')) as PlatformOrder;
      return { eventId: request.headers['x-event-id']!, topic: 'orders/updated', orders: [{ platformOrderId: order.id, updatedAt: order.updated_at, body: request.rawBody }] };
    },
  };

  async fetchChanged(window: ChangedOrdersWindow) {
    this.windows.push(window);
    const page = Number(window.page ?? '0');
    if (this.failPage === page) throw new TransientPartnerError('429 from the platform', { status: 429 }, 1000);
    const matching = this.orders.filter((o) => o.updated_at >= window.since && o.updated_at < window.until).sort((a, b) => a.updated_at.localeCompare(b.updated_at));
    const slice = matching.slice(page * this.pageSize, (page + 1) * this.pageSize);
    return {
      orders: slice.map((o) => ({ platformOrderId: o.id, updatedAt: o.updated_at, body: Buffer.from(JSON.stringify(o)) })),
      ...((page + 1) * this.pageSize < matching.length ? { nextPage: String(page + 1) } : {}),
    };
  }

  mapOrder(order: unknown) {
    const o = order as PlatformOrder;
    return {
      platformOrderId: o.id,
      cancelled: o.cancelled === true,
      draft: { customer: { name: 'Web buyer' }, currency: o.currency, lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '1', unitPrice: '10.00' }] },
    };
  }

  async ship() {
    return { partnerRef: 'F-1' };
  }

  async pushStock(levels: readonly ShopStockLevel[]) {
    this.pushed.push([...levels]);
    return { updated: levels.length, unknownSkus: levels.filter((l) => l.sku.startsWith('UNSOLD')).map((l) => l.sku) };
  }
}

const config = z.object({ ...shopConnectorFields, kind: z.literal('scripted') }).parse({
  id: 'shop',
  kind: 'scripted',
  currency: 'CNY',
  poll: { overlapMs: 60_000, initialLookbackMs: 3_600_000, maxPages: 10 },
  stockSync: { intervalMs: 1000 },
});

let dir: string;
let store: HubStore;
let platform: ScriptedPlatform;
let shop: ShopConnector;
const signal = new AbortController().signal;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shop-'));
  store = await openSqliteStore({ path: join(dir, 'hub.db') });
  platform = new ScriptedPlatform();
  shop = createShopConnector(platform, config, {
    log: pino({ level: 'silent' }),
    raw: { write: (input) => store.raw.put(input) },
    ledger: store.ledger,
    cursors: store.cursors,
    inventory: store.inventory,
  });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const storedOrders = async () => (await store.raw.list({ connectorId: 'shop', limit: 100 })).items.filter((m) => m.format === 'shop-order');

describe('the catch-up poll', () => {
  it('stores every changed order across pages once, then moves the cursor to the end of the window', async () => {
    platform.orders = [1, 2, 3, 4, 5].map((n) => ({ id: `o${n}`, updated_at: minutesAgo(10 - n), currency: 'CNY' }));
    const outcome = await shop.poll(signal);
    expect(outcome).toMatchObject({ pages: 3, seen: 5, stored: 5, complete: true });
    expect((await storedOrders()).map((m) => m.externalId).sort()).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    expect(await store.cursors.get('shop', ORDERS_CURSOR)).toBe(outcome.until);
  });

  it('reads back the overlap and stores nothing twice', async () => {
    platform.orders = [{ id: 'o1', updated_at: minutesAgo(0.5), currency: 'CNY' }];
    const first = await shop.poll(signal);
    const second = await shop.poll(signal);
    expect(Date.parse(second.since)).toBe(Date.parse(first.until) - 60_000);
    expect(second).toMatchObject({ seen: 1, stored: 0 });
    expect(await storedOrders()).toHaveLength(1);
  });

  it('keeps a new version of the same order as a second raw message of the same platform order', async () => {
    platform.orders = [{ id: 'o1', updated_at: minutesAgo(5), currency: 'CNY' }];
    await shop.poll(signal);
    platform.orders = [{ id: 'o1', updated_at: minutesAgo(0.2), currency: 'CNY', cancelled: true }];
    await shop.poll(signal);
    const versions = await storedOrders();
    expect(versions.map((m) => m.externalId)).toEqual(['o1', 'o1']);
    expect(new Set(versions.map((m) => m.idempotencyKey)).size).toBe(2);
  });

  it('leaves the cursor where it was when a page fails, so the next poll reads the window again', async () => {
    platform.orders = [1, 2, 3].map((n) => ({ id: `o${n}`, updated_at: minutesAgo(10 - n), currency: 'CNY' }));
    platform.failPage = 1;
    await expect(shop.poll(signal)).rejects.toBeInstanceOf(TransientPartnerError);
    expect(await store.cursors.get('shop', ORDERS_CURSOR)).toBeUndefined();
    platform.failPage = undefined;
    const retried = await shop.poll(signal);
    expect(retried).toMatchObject({ seen: 3, stored: 1, complete: true });
    expect(await storedOrders()).toHaveLength(3);
  });
});

describe('webhooks', () => {
  const request = (order: PlatformOrder, headers: Record<string, string>) => ({
    headers: { 'content-type': 'application/json', ...headers },
    rawBody: Buffer.from(JSON.stringify(order)),
    query: {},
    receivedAt: Date.now(),
  });

  it('stores the order once for the webhook and once only when the poll sees the same version', async () => {
    const order = { id: 'o9', updated_at: minutesAgo(1), currency: 'CNY' };
    const answer = await shop.webhookIntake!.receive(request(order, { 'x-signature': 'good', 'x-event-id': 'e1' }));
    expect(answer.status).toBe(200);
    platform.orders = [order];
    expect(await shop.poll(signal)).toMatchObject({ seen: 1, stored: 0 });
    const stored = await storedOrders();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.channel).toBe('webhook');
  });

  it('answers a replayed delivery without storing anything', async () => {
    const order = { id: 'o9', updated_at: minutesAgo(1), currency: 'CNY' };
    await shop.webhookIntake!.receive(request(order, { 'x-signature': 'good', 'x-event-id': 'e1' }));
    const replay = await shop.webhookIntake!.receive(request({ ...order, updated_at: minutesAgo(0.5) }, { 'x-signature': 'good', 'x-event-id': 'e1' }));
    expect(JSON.parse(replay.body)).toEqual({ received: 0, duplicate: true });
    expect(await storedOrders()).toHaveLength(1);
  });

  it('keeps a forged delivery quarantined and takes nothing from it', async () => {
    await expect(shop.webhookIntake!.receive(request({ id: 'o9', updated_at: minutesAgo(1), currency: 'CNY' }, { 'x-signature': 'forged', 'x-event-id': 'e2' }))).rejects.toBeInstanceOf(SignatureError);
    const kept = (await store.raw.list({ connectorId: 'shop', limit: 10 })).items;
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ status: 'quarantined', format: 'shop-webhook', reason: 'signature.invalid' });
  });
});

describe('intake mapping', () => {
  it('refuses an order in another currency than the shop sells in, naming the currency', async () => {
    await expect(shop.mapper!.map({ id: 'o1', updated_at: minutesAgo(1), currency: 'USD' })).rejects.toMatchObject({ code: 'shop.currency_mismatch', details: [{ path: 'currency' }] });
  });

  it('names every version of a platform order by the same key', async () => {
    const a = await shop.mapper!.identify!({ id: 'o1', updated_at: minutesAgo(2), currency: 'CNY' });
    const b = await shop.mapper!.identify!({ id: 'o1', updated_at: minutesAgo(1), currency: 'CNY', cancelled: true });
    expect(a).toEqual({ key: 'scripted:o1', cancelled: false });
    expect(b).toEqual({ key: 'scripted:o1', cancelled: true });
  });
});

describe('stock sync out', () => {
  it('pushes only what changed since the platform was last told, in whole units, never below zero', async () => {
    await store.inventory.setStock([
      { sku: 'PUMP-200', location: 'main', onHand: '12.5' },
      { sku: 'VALVE-DN50', location: 'main', onHand: '3' },
    ]);
    expect(await shop.syncStockOut!(signal)).toMatchObject({ checked: 2, pushed: 2 });
    expect(platform.pushed[0]).toEqual(expect.arrayContaining([{ sku: 'PUMP-200', available: '12' }, { sku: 'VALVE-DN50', available: '3' }]));
    expect(await shop.syncStockOut!(signal)).toMatchObject({ pushed: 0 });
    await store.inventory.setStock([{ sku: 'VALVE-DN50', location: 'main', onHand: '1' }]);
    await shop.syncStockOut!(signal);
    expect(platform.pushed).toHaveLength(2);
    expect(platform.pushed[1]).toEqual([{ sku: 'VALVE-DN50', available: '1' }]);
  });
});
