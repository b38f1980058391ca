import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ORDERS_CURSOR } from '../../connectors/shop/shop-poll';
import { OrderCommands } from '../../core/lifecycle/order-commands';
import { dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';

/**
 * The acceptance every shop platform must pass through the whole hub (issue #7, "done when"): the
 * platform's sandbox on loopback, the hub polling it every second on real Redis and SQLite. An
 * order arriving twice (webhook and poll, or overlapping polls) is one hub order stored once per
 * version; lost webhooks and a stopped hub are made good by the poll; a refused poll keeps its
 * cursor; shipping posts the tracking number back once; stock is pushed; cancellations are
 * followed; bad input is kept and named. Each platform's test file supplies a ShopTestAdapter and
 * adds only what is its own, as test/contract/store.contract.ts does for the store adapters.
 */

/** A poll that fires every second with no jitter, so the tests wait seconds, not minutes; `overlapMs` is each platform's. */
export function fastPoll(overlapMs: number, extra: Record<string, unknown> = {}) {
  return { schedule: '*/1 * * * * *', overlapMs, jitterMs: 0, initialLookbackMs: 3_600_000, ...extra };
}

/** A platform order as the test placed it; `externalId` is the id the hub keeps in `source.externalId`. */
export interface PlacedOrder {
  readonly externalId: string;
}

/** What a webhook delivery was answered. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: string;
}

/** A platform that pushes orders by signed webhook besides being polled. */
export interface ShopWebhooks<P extends PlacedOrder> {
  /** Sends the webhook(s) the platform sends for a new order; each must be answered 200. */
  deliver(hubUrl: string, placed: P): Promise<readonly WebhookAnswer[]>;
  /** Sends one new-order webhook, tampered after signing, or again under the delivery id `replayOf` names. */
  send(hubUrl: string, placed: P, options?: { readonly tamper?: boolean; readonly replayOf?: unknown }): Promise<WebhookAnswer & { readonly deliveryId: unknown }>;
  /** Text only the body of `placed`'s webhook holds, to find the raw message kept. */
  bodyMark(placed: P): string;
  /** Sends the webhook the platform sends when it cancels an order; none when it relies on the poll. */
  deliverCancelled?(hubUrl: string, placed: P): Promise<WebhookAnswer>;
  /** A new order sent by webhook without the field that versions it, and that field's path. */
  sendUnversioned?(hubUrl: string): Promise<WebhookAnswer & { readonly bodyMark: string; readonly field: string }>;
}

export interface ShopTestAdapter<P extends PlacedOrder = PlacedOrder> {
  /** As people call it: 'Shopify', 'Taobao'. */
  readonly platform: string;
  readonly connectorId: string;
  /** Starts the platform sandbox(es); the hub is started after. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Connectors, routes, rules and pipeline settings of the hub under test. */
  hubConfig(): Record<string, unknown>;
  /** Stock on hand and list prices the hub holds, as decimal strings by SKU. */
  readonly referenceData: { readonly onHand: Readonly<Record<string, string>>; readonly prices: Readonly<Record<string, string>> };
  /** Places an order every hub check passes (each one distinct enough not to be a duplicate). */
  placeOrder(): P;
  /** Places an order for a SKU the hub does not stock, on line 1. */
  placeOrderWithUnknownSku(): P;
  /** Places an order the platform should never send, and names the field at fault. */
  placeMalformedOrder(): { readonly placed: P; readonly field: string };
  /** Places an order in another currency than its shop's, on the connector `connectorId`. */
  placeOrderInOtherCurrency(): { readonly placed: P; readonly connectorId: string };
  /** Changes the order on the platform (a new version of it). */
  changeOrder(placed: P): void;
  /** Cancels (closes) the order on the platform. */
  cancelOrder(placed: P): void;
  /** Makes the platform refuse the next `n` polls (429 or its call limit). */
  refuseNextPolls(n: number): void;
  /** Polls the platform has refused so far. */
  refusedPolls(): number;
  /** Resolves once `n` more complete polls have run, each able to list `placed` as it is now. */
  polls(n: number, placed?: P): Promise<void>;
  /** The arrival-twice order: what the platform's listings (beyond `polls`) must show, and what the hub order must say. */
  expectOverlap?(placed: P): void;
  expectTaken(order: CanonicalOrder, placed: P): void;
  readonly webhooks?: ShopWebhooks<P>;
  /** Stock pushed to the platform for a SKU, as a decimal string; absent when the test does not sync stock. */
  readonly stock?: { readonly sku: string; pushed(): string | undefined };
  readonly shipping: {
    /** Makes the hub ship `order` (a carrier's tracking event). */
    ship(t: TestHub, order: CanonicalOrder, placed: P): Promise<void>;
    /** The platform shows the order shipped. */
    done(placed: P): boolean;
    /** What the platform recorded for the order's shipping, and what it must be. */
    recorded(placed: P): unknown;
    expected(placed: P, order: CanonicalOrder): unknown;
    /** The reference the hub keeps of the send-back (a string or a matcher), when the platform answers one. */
    partnerRef?(placed: P): unknown;
  };
}

/** Resolves once `condition` holds; fails naming `what` after eventually's timeout. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  await eventually(async () => (condition() ? true : undefined), what);
}

/** A carrier's "picked up" event for `order`, as the carrier connectors apply it. */
export async function pickedUp(t: TestHub, order: CanonicalOrder, carrier: string, trackingNumber: string): Promise<void> {
  await new OrderCommands(t.hub.store).applyPartnerEvent('carrier', { kind: 'tracking', eventId: `trk-${order.source.externalId ?? order.id}`, orderId: order.id, occurredAt: new Date().toISOString(), carrier, trackingNumber, status: 'picked_up' });
}

export interface ShopAcceptance {
  /** The hub under test (replaced by the restart scenario). */
  hub(): TestHub;
  redisUrl(): string;
  ordersOf(externalId: string, connectorId?: string): Promise<CanonicalOrder[]>;
  orderOf(externalId: string, predicate?: (o: CanonicalOrder) => boolean): Promise<CanonicalOrder>;
  rawOf(externalId: string, connectorId?: string): Promise<RawMessage[]>;
}

const confirmed = (o: CanonicalOrder) => o.status === 'confirmed';

/** Starts the hub around `adapter`'s platform and defines the shared scenarios; returns handles for the platform's own tests. */
export function describeShopPlatform<P extends PlacedOrder>(adapter: ShopTestAdapter<P>): ShopAcceptance {
  const { platform, connectorId } = adapter;
  let redis: TestRedis;
  let t: TestHub;
  const replacedDataDirs: string[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    await adapter.start();
    t = await startTestHub(redis.url, adapter.hubConfig() as never);
    const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
    const { onHand, prices } = adapter.referenceData;
    await put('/api/v1/inventory', { levels: Object.entries(onHand).map(([sku, quantity]) => ({ sku, location: 'main', onHand: quantity })) });
    await put('/api/v1/prices', { prices: Object.entries(prices).map(([sku, unitPrice]) => ({ sku, currency: 'CNY', unitPrice })) });
  }, 30_000);

  afterAll(async () => {
    await t?.stop();
    for (const dir of replacedDataDirs) rmSync(dir, { recursive: true, force: true });
    await adapter.stop();
    await redis?.stop();
  });

  async function ordersOf(externalId: string, connector = connectorId): Promise<CanonicalOrder[]> {
    const { items } = await t.hub.store.orders.list({ limit: 500 });
    return items.filter((o) => o.source.connectorId === connector && o.source.externalId === externalId);
  }
  const orderOf = (externalId: string, predicate: (o: CanonicalOrder) => boolean = () => true) =>
    eventually(async () => (await ordersOf(externalId)).find(predicate), `hub order of ${platform} order ${externalId}`);
  async function rawOf(externalId: string, connector = connectorId): Promise<RawMessage[]> {
    const { items } = await t.hub.store.raw.list({ connectorId: connector, limit: 500 });
    return items.filter((m) => m.externalId === externalId);
  }
  const quarantined = (externalId: string, connector = connectorId) =>
    eventually(async () => {
      const found = await rawOf(externalId, connector);
      return found[0]?.status === 'quarantined' ? found[0] : undefined;
    }, `the quarantined ${platform} order ${externalId}`);
  const webhookRaws = async (mark: string) => (await t.hub.store.raw.list({ connectorId, limit: 500 })).items.filter((m) => m.format === 'shop-webhook' && m.body.toString('utf8').includes(mark));

  describe(`an order placed on ${platform}`, () => {
    it(adapter.webhooks ? 'arriving by webhook and again by several polls is one confirmed order, stored once' : 'listed by several overlapping polls becomes one confirmed order, stored once per version', async () => {
      const placed = adapter.placeOrder();
      if (adapter.webhooks) for (const answer of await adapter.webhooks.deliver(t.url, placed)) expect(answer.status).toBe(200);
      const order = await orderOf(placed.externalId, confirmed);
      await adapter.polls(adapter.webhooks ? 2 : 3, placed);
      adapter.expectOverlap?.(placed);
      expect(await ordersOf(placed.externalId)).toHaveLength(1);
      expect(await rawOf(placed.externalId)).toHaveLength(1);
      expect(order.source.channel).toBe(adapter.webhooks ? 'webhook' : 'poll');
      expect(order.checks?.issues).toEqual([]);
      adapter.expectTaken(order, placed);
    });

    const { stock } = adapter;
    if (stock) {
      it('pushes the stock left after the order reserved its units', async () => {
        const onHand = dec(adapter.referenceData.onHand[stock.sku]!);
        const first = await eventually(async () => {
          const pushed = stock.pushed();
          return pushed !== undefined && !dec(pushed).equals(onHand) ? pushed : undefined;
        }, 'a stock push after the reservation');
        const { items } = await t.hub.store.orders.list({ limit: 500 });
        const reserved = items.filter(confirmed).flatMap((o) => o.reservations.filter((r) => r.sku === stock.sku));
        const left = reserved.reduce((sum, r) => sum.minus(dec(r.quantity)), onHand);
        expect(dec(first).toFixed()).toBe(left.toFixed());
      });
    }

    it(`shipped in the hub posts its tracking number back to ${platform} exactly once`, async () => {
      const placed = adapter.placeOrder();
      const order = await orderOf(placed.externalId, confirmed);
      await adapter.shipping.ship(t, order, placed);
      await eventually(async () => (adapter.shipping.done(placed) ? true : undefined), `the order shipped on ${platform}`);
      // Shipping changed the order on the platform; the polls that list the new version change nothing.
      await adapter.polls(2);
      expect(adapter.shipping.recorded(placed)).toEqual(adapter.shipping.expected(placed, order));
      expect(await ordersOf(placed.externalId)).toHaveLength(1);
      expect(await rawOf(placed.externalId)).toHaveLength(2);
      const shipped = await orderOf(placed.externalId, (o) => o.status === 'shipped');
      if (adapter.shipping.partnerRef) {
        expect(shipped.partnerRefs).toEqual(expect.arrayContaining([expect.objectContaining({ target: connectorId, event: 'order.shipped', ref: adapter.shipping.partnerRef(placed) })]));
      }
    });

    it(`cancelled on ${platform} cancels the hub order`, async () => {
      const placed = adapter.placeOrder();
      await orderOf(placed.externalId, confirmed);
      adapter.cancelOrder(placed);
      if (adapter.webhooks?.deliverCancelled) expect((await adapter.webhooks.deliverCancelled(t.url, placed)).status).toBe(200);
      const cancelled = await orderOf(placed.externalId, (o) => o.status === 'cancelled');
      expect(cancelled.history.at(-1)).toMatchObject({ to: 'cancelled', actor: `connector:${connectorId}` });
    });
  });

  const { webhooks } = adapter;
  if (webhooks) {
    describe(`${platform} webhooks`, () => {
      it('when they are lost, every order created meanwhile arrives by the poll, exactly once', async () => {
        const missed = Array.from({ length: 12 }, () => adapter.placeOrder());
        for (const placed of missed) await orderOf(placed.externalId, confirmed);
        await adapter.polls(1, missed.at(-1));
        for (const placed of missed) {
          expect(await ordersOf(placed.externalId)).toHaveLength(1);
          expect((await rawOf(placed.externalId)).map((m) => m.channel)).toEqual(['poll']);
        }
      });

      it('a webhook with a bad signature is answered 401 and kept quarantined, creating nothing', async () => {
        const placed = adapter.placeOrder();
        const answer = await webhooks.send(t.url, placed, { tamper: true });
        expect(answer.status).toBe(401);
        expect(await webhookRaws(webhooks.bodyMark(placed))).toEqual([expect.objectContaining({ status: 'quarantined', reason: 'signature.invalid' })]);
      });

      it('a replayed delivery is answered as a duplicate and creates no second order', async () => {
        const placed = adapter.placeOrder();
        const first = await webhooks.send(t.url, placed);
        await orderOf(placed.externalId, confirmed);
        const replay = await webhooks.send(t.url, placed, { replayOf: first.deliveryId });
        expect(replay.status).toBe(200);
        expect(JSON.parse(replay.body)).toEqual({ received: 0, duplicate: true });
        expect(await ordersOf(placed.externalId)).toHaveLength(1);
        expect(await rawOf(placed.externalId)).toHaveLength(1);
      });

      const { sendUnversioned } = webhooks;
      if (sendUnversioned) {
        it('a webhook order without the field that versions it is answered 422 and kept quarantined naming the field', async () => {
          const answer = await sendUnversioned(t.url);
          expect(answer.status).toBe(422);
          const [kept] = await webhookRaws(answer.bodyMark);
          expect(kept?.status).toBe('quarantined');
          expect(kept?.details).toEqual([expect.objectContaining({ path: answer.field })]);
        });
      }
    });
  }

  describe('input the hub cannot take', () => {
    it('an order the platform should never send is kept quarantined, naming the field', async () => {
      const { placed, field } = adapter.placeMalformedOrder();
      const raw = await quarantined(placed.externalId);
      expect(raw.details).toEqual([expect.objectContaining({ path: field })]);
      expect(await ordersOf(placed.externalId)).toEqual([]);
    });

    it('an order in another currency than the shop\'s is quarantined as shop.currency_mismatch', async () => {
      const { placed, connectorId: shop } = adapter.placeOrderInOtherCurrency();
      const raw = await quarantined(placed.externalId, shop);
      expect(raw.reason).toBe('shop.currency_mismatch');
      expect(await ordersOf(placed.externalId, shop)).toEqual([]);
    });

    it('a SKU the hub does not stock rejects the order with stock.unknown_sku (the default rule severity)', async () => {
      const placed = adapter.placeOrderWithUnknownSku();
      const order = await orderOf(placed.externalId, (o) => o.status === 'rejected');
      expect(order.checks?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stock.unknown_sku', path: 'lines[0].sku' })]));
    });

    if (!webhooks) {
      it(`a POST to the hook URL is refused: ${platform} is polled, not pushed`, async () => {
        const res = await fetch(`${t.url}/api/v1/hooks/${connectorId}`, { method: 'POST', body: '{"id":"1"}', headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(404);
      });
    }
  });

  describe(`when ${platform} refuses polls`, () => {
    it('the poll stops without moving its cursor, and the next one takes the order', async () => {
      const start = adapter.refusedPolls();
      const refused = (n: number) => eventually(async () => (adapter.refusedPolls() >= start + n ? true : undefined), `${n} refused polls`);
      adapter.refuseNextPolls(2);
      const placed = adapter.placeOrder();
      await refused(1);
      const cursor = await t.hub.store.cursors.get(connectorId, ORDERS_CURSOR);
      await refused(2);
      expect(await t.hub.store.cursors.get(connectorId, ORDERS_CURSOR)).toBe(cursor);
      expect(await ordersOf(placed.externalId)).toEqual([]);
      await orderOf(placed.externalId, confirmed);
      expect(adapter.refusedPolls()).toBe(start + 2);
      expect(await ordersOf(placed.externalId)).toHaveLength(1);
      // Intake may finish the order before the poll that stored it has moved its cursor: wait for that poll to end.
      const moved = await eventually(async () => {
        const now = await t.hub.store.cursors.get(connectorId, ORDERS_CURSOR);
        return now && Date.parse(now) > Date.parse(cursor!) ? now : undefined;
      }, 'the cursor to move past the refused window');
      expect(Date.parse(moved)).toBeGreaterThan(Date.parse(cursor!));
    });
  });

  describe(`when the hub is down while orders come in on ${platform}`, () => {
    it('takes every order exactly once after the restart, an old order changed meanwhile stays one order, and a cancellation meanwhile is followed', async () => {
      const before = adapter.placeOrder();
      await orderOf(before.externalId, confirmed);
      const { dataDir, queuePrefix } = t;
      await t.hub.stop();
      replacedDataDirs.push(dataDir);

      // Webhooks the platform sends meanwhile find nobody listening.
      const missed = Array.from({ length: 6 }, () => adapter.placeOrder());
      adapter.changeOrder(missed[0]!);
      adapter.cancelOrder(before);
      t = await startTestHub(redis.url, { ...adapter.hubConfig(), store: { kind: 'sqlite', path: join(dataDir, 'hub.db') } } as never, { queuePrefix });

      for (const placed of missed) await orderOf(placed.externalId, confirmed);
      await orderOf(before.externalId, (o) => o.status === 'cancelled');
      // Polled-only platforms list the changed old order again in overlapping windows: two polls, as in their first scenario.
      await adapter.polls(adapter.webhooks ? 1 : 2, missed.at(-1));
      for (const placed of [before, ...missed]) expect(await ordersOf(placed.externalId)).toHaveLength(1);
    });
  });

  return { hub: () => t, redisUrl: () => redis.url, ordersOf, orderOf, rawOf };
}
