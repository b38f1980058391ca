import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, StockShortageError, VersionConflictError } from '../../core/errors/conflict.error';
import { NotFoundError } from '../../core/errors/not-found.error';
import type { OrderEvent, OrderEventName } from '../../core/lifecycle/order-events';
import { dec } from '../../core/order/money';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { Delivery, HubStore, OrderQuery, Page, RawMessageInput } from '../../core/store/store.port';
import { makeOrder } from '../support/order-factory';

/**
 * The one behaviour every HubStore adapter must show. Each test gets a fresh, empty store from
 * `open` and closes it afterwards; `close` is therefore also expected to be idempotent.
 * Decimal strings are compared as decimals ("10.50" and "10.5" are the same quantity).
 */
export function defineStoreContract(name: string, open: () => Promise<HubStore>): void {
  describe(`${name} store contract`, () => {
    let store: HubStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('raw messages', () => {
      it('keeps the body byte for byte, with its sha256 and size', async () => {
        // Invalid UTF-8, a NUL and GBK-encoded 中文: a text round-trip would mangle each of them.
        const body = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x80]), Buffer.from('d6d0cec4', 'hex')]);
        const input = rawInput({ id: 'raw-1', body, externalId: '<m1@mail>', plannedOrderId: 'ord-9', meta: { from: 'a@b.cn', n: 2 } });
        const { message, created } = await store.raw.put(input);
        const read = await store.raw.get('raw-1');
        expect(created).toBe(true);
        expect(read?.body.equals(body)).toBe(true);
        expect(read).toEqual(message);
        expect(read).toMatchObject({
          id: 'raw-1',
          contentHash: createHash('sha256').update(body).digest('hex'),
          size: body.length,
          status: 'received',
          externalId: '<m1@mail>',
          plannedOrderId: 'ord-9',
          meta: { from: 'a@b.cn', n: 2 },
          orderIds: [],
          outcomes: [],
          details: [],
        });
      });

      it('gives a message without an id one of its own', async () => {
        const { message } = await store.raw.put(rawInput());
        expect(message.id).toEqual(expect.any(String));
        expect((await store.raw.get(message.id))?.id).toBe(message.id);
        expect(await store.raw.get('no-such-message')).toBeUndefined();
      });

      it('returns the earlier message for an idempotency key the connector already used', async () => {
        const first = await store.raw.put(rawInput({ connectorId: 'api', idempotencyKey: 'k-1', body: Buffer.from('first') }));
        const again = await store.raw.put(rawInput({ connectorId: 'api', idempotencyKey: 'k-1', body: Buffer.from('second') }));
        const otherConnector = await store.raw.put(rawInput({ connectorId: 'shop', idempotencyKey: 'k-1' }));
        expect(again.created).toBe(false);
        expect(again.message.id).toBe(first.message.id);
        expect(again.message.body.toString()).toBe('first');
        expect(otherConnector.created).toBe(true);
      });

      it('keeps every one of many concurrent writes, and only one per idempotency key', async () => {
        const distinct = await Promise.all(Array.from({ length: 200 }, () => store.raw.put(rawInput())));
        const sameKey = await Promise.all(Array.from({ length: 5 }, () => store.raw.put(rawInput({ idempotencyKey: 'same' }))));
        expect(new Set(distinct.map((r) => r.message.id)).size).toBe(200);
        expect(sameKey.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(sameKey.map((r) => r.message.id)).size).toBe(1);
      });

      it('stores input the receiver flagged as unreadable as quarantined, with its reason', async () => {
        const details = [{ path: 'body', message: 'not JSON' }];
        const { message } = await store.raw.put(rawInput({ quarantine: { reason: 'unreadable', details } }));
        expect(await store.raw.get(message.id)).toMatchObject({
          status: 'quarantined',
          reason: 'unreadable',
          details,
          outcomes: [{ outcome: 'quarantined', reason: 'unreadable', details }],
        });
      });

      it('stores a document the hub wrote itself as processed, naming its orders, so the sweeper never picks it up', async () => {
        const { message } = await store.raw.put(rawInput({ channel: 'outbound', processed: { orderIds: ['ord-1'] } }));
        expect(await store.raw.get(message.id)).toMatchObject({ status: 'processed', orderIds: ['ord-1'], outcomes: [{ outcome: 'processed', orderIds: ['ord-1'] }] });
        expect((await store.raw.list({ status: 'received' })).items.map((m) => m.id)).not.toContain(message.id);
      });

      it('records quarantine, replay and processing as outcome lines, in order', async () => {
        const { message } = await store.raw.put(rawInput());
        const details = [{ path: 'lines[0].sku', message: 'missing' }];
        await store.raw.quarantine(message.id, 'invalid order', details, '2026-03-02T09:00:00.000Z');
        expect(await store.raw.get(message.id)).toMatchObject({ status: 'quarantined', reason: 'invalid order', details });
        await store.raw.markForReplay(message.id, '2026-03-02T10:00:00.000Z');
        expect((await store.raw.get(message.id))?.status).toBe('received');
        await store.raw.markProcessed(message.id, ['ord-1', 'ord-2'], '2026-03-02T11:00:00.000Z');
        const done = await store.raw.get(message.id);
        expect(done).toMatchObject({ status: 'processed', orderIds: ['ord-1', 'ord-2'] });
        expect(done?.outcomes).toEqual([
          { at: '2026-03-02T09:00:00.000Z', outcome: 'quarantined', reason: 'invalid order', details },
          { at: '2026-03-02T10:00:00.000Z', outcome: 'replayed' },
          { at: '2026-03-02T11:00:00.000Z', outcome: 'processed', orderIds: ['ord-1', 'ord-2'] },
        ]);
      });

      it('refuses outcomes for an unknown message with NotFoundError', async () => {
        await expect(store.raw.markProcessed('nope', [], AT)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.raw.quarantine('nope', 'x', [], AT)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.raw.markForReplay('nope', AT)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('lists oldest first, filtered by status, connector and receivedBefore, page by page', async () => {
        for (let i = 0; i < 5; i++) {
          await store.raw.put(rawInput({ id: `r${i}`, connectorId: i < 4 ? 'mail' : 'api', receivedAt: minute(i) }));
        }
        await store.raw.quarantine('r2', 'bad', [], AT);
        const mail = await collect((cursor) => store.raw.list({ connectorId: 'mail', limit: 2, cursor }));
        expect(mail.map((m) => m.id)).toEqual(['r0', 'r1', 'r2', 'r3']);
        expect((await store.raw.list({ status: 'quarantined' })).items.map((m) => m.id)).toEqual(['r2']);
        expect((await store.raw.list({ receivedBefore: minute(2) })).items.map((m) => m.id)).toEqual(['r0', 'r1']);
      });
    });

    describe('orders', () => {
      it('creates an order at version 1 and reads back exactly what it returned', async () => {
        const order = makeOrder({ version: 7 });
        const created = await store.orders.create(order, { events: [] });
        expect(created).toEqual({ ...order, version: 1 });
        expect(await store.orders.get(order.id)).toEqual(created);
        expect(await store.orders.get('no-such-order')).toBeUndefined();
      });

      it('saves a change at expectedVersion + 1', async () => {
        const created = await store.orders.create(makeOrder(), { events: [] });
        const saved = await store.orders.save({ ...created, status: 'checked' }, 1, { events: [] });
        expect(saved).toMatchObject({ version: 2, status: 'checked' });
        expect(await store.orders.get(created.id)).toEqual(saved);
      });

      it('refuses a stale save with VersionConflictError and writes nothing, not even its events', async () => {
        const created = await store.orders.create(makeOrder(), { events: [] });
        await store.orders.save({ ...created, status: 'checked' }, 1, { events: [event(created, 'order.checked')] });
        const stale = store.orders.save({ ...created, status: 'rejected' }, 1, { events: [event(created, 'order.rejected')] });
        await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.orders.get(created.id)).toMatchObject({ version: 2, status: 'checked' });
        expect((await store.outbox.unpublished(10)).map((e) => e.name)).toEqual(['order.checked']);
      });

      it('refuses a second order with the same id, and a save of an order never created', async () => {
        const order = makeOrder();
        await store.orders.create(order, { events: [] });
        await expect(store.orders.create(order, { events: [] })).rejects.toMatchObject({ code: 'order.exists' });
        await expect(store.orders.create(order, { events: [] })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.orders.save(makeOrder(), 1, { events: [] })).rejects.toBeInstanceOf(NotFoundError);
      });

      it('writes events with the order and hands them out oldest first until published', async () => {
        const order = makeOrder();
        const createdEvent = event(order, 'order.created');
        const created = await store.orders.create(order, { events: [createdEvent] });
        const checked = event(order, 'order.checked');
        await store.orders.save({ ...created, status: 'checked' }, 1, { events: [checked] });
        const pending = await store.outbox.unpublished(10);
        expect(pending).toEqual([
          { ...createdEvent, orderVersion: 1 },
          { ...checked, orderVersion: 2 },
        ]);
        expect(await store.outbox.unpublished(1)).toHaveLength(1);
        await store.outbox.markPublished([createdEvent.id], AT);
        expect((await store.outbox.unpublished(10)).map((e) => e.id)).toEqual([checked.id]);
      });
    });

    describe('stock and capacity', () => {
      beforeEach(async () => {
        await store.inventory.setStock([
          { sku: 'PANEL-A', location: 'WH1', onHand: '10' },
          { sku: 'PANEL-A', location: 'WH2', onHand: '5.5' },
        ]);
      });

      it('reserves stock in the same write as the order', async () => {
        await store.orders.create(makeOrder(), { events: [], stock: [{ sku: 'PANEL-A', location: 'WH1', quantity: '4.25' }] });
        const [position] = await store.inventory.positions(['PANEL-A']);
        expect(decimals(position)).toMatchObject({ sku: 'PANEL-A', onHand: '15.5', reserved: '4.25', available: '11.25' });
        expect(decimals(position?.locations)).toEqual([
          { location: 'WH1', onHand: '10', reserved: '4.25' },
          { location: 'WH2', onHand: '5.5', reserved: '0' },
        ]);
      });

      it('refuses a shortage with StockShortageError naming each sku@location, and writes nothing', async () => {
        const created = await store.orders.create(makeOrder(), { events: [], stock: [{ sku: 'PANEL-A', location: 'WH1', quantity: '4' }] });
        const short = store.orders.save({ ...created, status: 'confirmed' }, 1, {
          events: [event(created, 'order.confirmed')],
          stock: [
            { sku: 'PANEL-A', location: 'WH2', quantity: '1' },
            { sku: 'PANEL-A', location: 'WH1', quantity: '6.01' },
            { sku: 'GHOST', location: 'WH1', quantity: '1' },
          ],
          capacity: [{ date: '2026-04-01', units: '10' }],
        });
        const err = await short.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StockShortageError);
        expect((err as StockShortageError).details.map((d) => d.path)).toEqual(['PANEL-A@WH1', 'GHOST@WH1']);
        expect(await store.orders.get(created.id)).toEqual(created);
        expect(await store.outbox.unpublished(10)).toEqual([]);
        const [position] = await store.inventory.positions(['PANEL-A', 'GHOST']);
        expect(decimals(position?.locations)).toEqual([
          { location: 'WH1', onHand: '10', reserved: '4' },
          { location: 'WH2', onHand: '5.5', reserved: '0' },
        ]);
        expect(decimals(await store.capacity.days(['2026-04-01']))).toEqual([{ date: '2026-04-01', booked: '0' }]);
      });

      it('releases stock with a negative change, never below zero reserved', async () => {
        const created = await store.orders.create(makeOrder(), { events: [], stock: [{ sku: 'PANEL-A', location: 'WH1', quantity: '6' }] });
        await store.orders.save(created, 1, { events: [], stock: [{ sku: 'PANEL-A', location: 'WH1', quantity: '-2.5' }] });
        expect(decimals(await store.inventory.positions(['PANEL-A']))[0]).toMatchObject({ reserved: '3.5', available: '12' });
        await store.orders.save(created, 2, { events: [], stock: [{ sku: 'PANEL-A', location: 'WH1', quantity: '-100' }] });
        expect(decimals(await store.inventory.positions(['PANEL-A']))[0]).toMatchObject({ reserved: '0', available: '15.5' });
      });

      it('keeps reservations when on-hand is reloaded, and leaves unknown SKUs out of positions', async () => {
        await store.orders.create(makeOrder(), { events: [], stock: [{ sku: 'PANEL-A', location: 'WH1', quantity: '3' }] });
        await store.inventory.setStock([{ sku: 'PANEL-A', location: 'WH1', onHand: '20' }, { sku: 'BOLT', location: 'WH1', onHand: '1' }]);
        const positions = decimals(await store.inventory.positions(['PANEL-A', 'UNKNOWN']));
        expect(positions.map((p) => p.sku)).toEqual(['PANEL-A']);
        expect(positions[0]).toMatchObject({ onHand: '25.5', reserved: '3', available: '22.5' });
        expect((await store.inventory.list()).map((p) => p.sku)).toEqual(['BOLT', 'PANEL-A']);
      });

      it('books capacity per day, tracking but not enforcing the limit', async () => {
        await store.capacity.setCapacity([{ date: '2026-04-01', units: '100' }]);
        const created = await store.orders.create(makeOrder(), { events: [], capacity: [{ date: '2026-04-01', units: '80' }] });
        await store.orders.save(created, 1, {
          events: [],
          capacity: [
            { date: '2026-04-01', units: '30.5' },
            { date: '2026-04-02', units: '7' },
          ],
        });
        await store.capacity.setCapacity([{ date: '2026-04-01', units: '120' }]);
        expect(decimals(await store.capacity.days(['2026-04-02', '2026-04-01', '2026-04-03']))).toEqual([
          { date: '2026-04-01', capacity: '120', booked: '110.5' },
          { date: '2026-04-02', booked: '7' },
          { date: '2026-04-03', booked: '0' },
        ]);
      });
    });

    describe('order queries', () => {
      it('filters by status, by customer id or exact name, and by from/to on createdAt', async () => {
        const a = await create(makeOrder({ status: 'confirmed', createdAt: day(1) }));
        const b = await create(makeOrder({ customer: { name: 'Beta Steel' }, createdAt: day(2) }));
        const c = await create(makeOrder({ status: 'confirmed', customer: { id: 'C-9', name: 'Gamma' }, createdAt: day(3) }));
        const ids = async (query: OrderQuery) => (await store.orders.list(query)).items.map((o) => o.id);
        expect(await ids({})).toEqual([c.id, b.id, a.id]);
        expect(await ids({ status: 'confirmed' })).toEqual([c.id, a.id]);
        expect(await ids({ customer: 'C-9' })).toEqual([c.id]);
        expect(await ids({ customer: 'Beta Steel' })).toEqual([b.id]);
        expect(await ids({ customer: 'beta steel' })).toEqual([]);
        expect(await ids({ from: day(2) })).toEqual([c.id, b.id]);
        expect(await ids({ to: day(2) })).toEqual([a.id]);
        expect(await ids({ from: '2026-01-02', to: '2026-01-03' })).toEqual([b.id]);
      });

      it('pages newest first across three pages with nothing repeated or missed', async () => {
        const made: CanonicalOrder[] = [];
        // Two orders share each instant so the id breaks ties inside a page boundary.
        for (let i = 0; i < 7; i++) made.push(await create(makeOrder({ createdAt: day(1 + Math.floor(i / 2)) })));
        const pages: Page<CanonicalOrder>[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.orders.list({ limit: 3, cursor });
          pages.push(page);
          cursor = page.nextCursor;
        } while (cursor);
        expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
        const listed = pages.flatMap((p) => p.items.map((o) => o.id));
        const expected = [...made].sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1));
        expect(listed).toEqual(expected.map((o) => o.id));
      });

      it('finds live duplicates of the same customer by PO number or by content', async () => {
        const hash = 'same-content';
        const original = await create(makeOrder({ poNumber: 'PO-7' }));
        const sameContent = await create(makeOrder({ poNumber: 'PO-8', contentHash: hash }));
        await create(makeOrder({ poNumber: 'PO-7', status: 'cancelled' }));
        await create(makeOrder({ poNumber: 'PO-7', status: 'rejected', contentHash: hash }));
        await create(makeOrder({ poNumber: 'PO-7', customer: { id: 'OTHER', name: 'Other' }, contentHash: hash }));
        const key = 'id:CUST-1';
        const byPo = await store.orders.findDuplicates({ customerKey: key, poNumber: 'PO-7', contentHash: 'x', excludeOrderId: 'new' });
        expect(byPo).toEqual([{ id: original.id, status: 'received', poNumber: 'PO-7', contentHash: original.contentHash, createdAt: original.createdAt }]);
        const byContent = await store.orders.findDuplicates({ customerKey: key, contentHash: hash, excludeOrderId: 'new' });
        expect(byContent.map((o) => o.id)).toEqual([sameContent.id]);
        expect(await store.orders.findDuplicates({ customerKey: key, poNumber: 'PO-7', contentHash: 'x', excludeOrderId: original.id })).toEqual([]);
      });

      it('counts orders by status', async () => {
        expect(await store.orders.countByStatus()).toEqual({});
        await create(makeOrder());
        await create(makeOrder());
        await create(makeOrder({ status: 'confirmed' }));
        expect(await store.orders.countByStatus()).toEqual({ received: 2, confirmed: 1 });
      });
    });

    describe('deliveries', () => {
      it('ensures a delivery once: a second ensure returns the stored one', async () => {
        const first = await store.deliveries.ensure(delivery('d1'));
        const again = await store.deliveries.ensure({ ...delivery('d1'), target: 'changed' });
        expect(first).toEqual({ created: true, delivery: expect.objectContaining({ id: 'd1', status: 'pending', attempts: [], updatedAt: AT }) });
        expect(again).toEqual({ created: false, delivery: first.delivery });
        expect(await store.deliveries.get('d1')).toEqual(first.delivery);
      });

      it('appends each attempt, keeping the last error and the delivery time', async () => {
        await store.deliveries.ensure(delivery('d1'));
        const failed = { at: minute(1), ok: false, durationMs: 30, status: 503, error: 'HTTP 503' };
        const ok = { at: minute(2), ok: true, durationMs: 12, status: 200 };
        expect(await store.deliveries.recordAttempt('d1', failed, 'retrying')).toMatchObject({ status: 'retrying', lastError: 'HTTP 503', attempts: [failed] });
        const delivered = await store.deliveries.recordAttempt('d1', ok, 'delivered', 'ERP-42');
        expect(delivered).toMatchObject({ status: 'delivered', deliveredAt: minute(2), partnerRef: 'ERP-42', updatedAt: minute(2), attempts: [failed, ok] });
        expect(await store.deliveries.get('d1')).toEqual(delivered);
      });

      it('sets only a dead delivery back to pending', async () => {
        await store.deliveries.ensure(delivery('d1'));
        await expect(store.deliveries.markPending('d1', minute(1))).rejects.toMatchObject({ code: 'delivery.not_dead' });
        await store.deliveries.recordAttempt('d1', { at: minute(1), ok: false, durationMs: 5, status: 400, error: 'bad' }, 'dead');
        const revived = await store.deliveries.markPending('d1', minute(2));
        expect(revived).toMatchObject({ status: 'pending', updatedAt: minute(2) });
        expect(revived.attempts).toHaveLength(1);
        await expect(store.deliveries.markPending('nope', AT)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deliveries.recordAttempt('nope', { at: AT, ok: true, durationMs: 1 }, 'delivered')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('lists newest first, by status, target and order, page by page', async () => {
        for (let i = 0; i < 5; i++) {
          await store.deliveries.ensure({ ...delivery(`d${i}`), createdAt: minute(i), target: i % 2 ? 'erp' : 'wms', orderId: i < 2 ? 'o1' : 'o2' });
        }
        await store.deliveries.recordAttempt('d3', { at: minute(9), ok: false, durationMs: 1, error: 'x' }, 'dead');
        const all = await collect((cursor) => store.deliveries.list({ limit: 2, cursor }));
        expect(all.map((d) => d.id)).toEqual(['d4', 'd3', 'd2', 'd1', 'd0']);
        expect((await store.deliveries.list({ status: 'dead' })).items.map((d) => d.id)).toEqual(['d3']);
        expect((await store.deliveries.list({ status: 'pending', target: 'erp' })).items.map((d) => d.id)).toEqual(['d1']);
        expect((await store.deliveries.list({ orderId: 'o1' })).items.map((d) => d.id)).toEqual(['d1', 'd0']);
      });
    });

    describe('reference data and cursors', () => {
      it('keeps one cursor per connector and key, overwriting on set', async () => {
        expect(await store.cursors.get('imap-1', 'uid')).toBeUndefined();
        await store.cursors.set('imap-1', 'uid', '41');
        await store.cursors.set('imap-1', 'uid', '42');
        await store.cursors.set('imap-2', 'uid', '7');
        expect(await store.cursors.get('imap-1', 'uid')).toBe('42');
        expect(await store.cursors.get('imap-2', 'uid')).toBe('7');
      });

      it('keeps list and customer-specific prices per currency, replacing same-key entries', async () => {
        await store.prices.setPrices([
          { sku: 'PANEL-A', currency: 'CNY', unitPrice: '120.00' },
          { sku: 'PANEL-A', currency: 'CNY', unitPrice: '110.00', customerKey: 'id:CUST-1' },
          { sku: 'PANEL-A', currency: 'USD', unitPrice: '17.00' },
          { sku: 'BOLT', currency: 'CNY', unitPrice: '0.35' },
        ]);
        await store.prices.setPrices([{ sku: 'PANEL-A', currency: 'CNY', unitPrice: '125.50' }]);
        const prices = decimals(await store.prices.prices(['PANEL-A', 'OTHER'], 'CNY'));
        expect(prices).toHaveLength(2);
        expect(prices).toEqual(
          expect.arrayContaining([
            { sku: 'PANEL-A', currency: 'CNY', unitPrice: '125.5' },
            { sku: 'PANEL-A', currency: 'CNY', unitPrice: '110', customerKey: 'id:CUST-1' },
          ]),
        );
      });

      it('returns calendar exceptions from `from` to `to`, both included, in date order', async () => {
        await store.calendar.setDays([
          { date: '2026-10-01', working: false, note: '国庆节' },
          { date: '2026-09-27', working: true, note: '调休' },
          { date: '2026-10-08', working: false },
          { date: '2026-10-09', working: false },
        ]);
        await store.calendar.setDays([{ date: '2026-10-09', working: true }]);
        expect(await store.calendar.days('2026-09-27', '2026-10-09')).toEqual([
          { date: '2026-09-27', working: true, note: '调休' },
          { date: '2026-10-01', working: false, note: '国庆节' },
          { date: '2026-10-08', working: false },
          { date: '2026-10-09', working: true },
        ]);
        expect(await store.calendar.days('2026-10-02', '2026-10-07')).toEqual([]);
      });
    });

    describe('intake ledger and sequences', () => {
      it('records a source identity once per connector and answers the first entry on a repeat', async () => {
        const first = await store.ledger.record({ connectorId: 'imap-1', key: 'INBOX:17:4711', at: AT, rawMessageId: 'raw-1', data: { messageId: '<a@b>' } });
        expect(first.created).toBe(true);
        const again = await store.ledger.record({ connectorId: 'imap-1', key: 'INBOX:17:4711', at: minute(5), rawMessageId: 'raw-2' });
        expect(again).toEqual({ created: false, entry: { connectorId: 'imap-1', key: 'INBOX:17:4711', at: AT, rawMessageId: 'raw-1', data: { messageId: '<a@b>' } } });
        expect((await store.ledger.record({ connectorId: 'imap-2', key: 'INBOX:17:4711', at: AT })).created).toBe(true);
        expect(await store.ledger.get('imap-1', 'nope')).toBeUndefined();
      });

      it('hands out control numbers from 1, per scope, never twice even when asked at once', async () => {
        expect(await store.sequences.next('x12:isa:ACME')).toBe(1);
        expect(await store.sequences.next('x12:isa:ACME')).toBe(2);
        expect(await store.sequences.next('edifact:unb')).toBe(1);
        const burst = await Promise.all(Array.from({ length: 50 }, () => store.sequences.next('x12:isa:ACME')));
        expect(new Set(burst).size).toBe(50);
        expect(Math.min(...burst)).toBe(3);
        expect(Math.max(...burst)).toBe(52);
      });
    });

    it('answers ping, and closes more than once without error', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    function create(order: CanonicalOrder): Promise<CanonicalOrder> {
      return store.orders.create(order, { events: [] });
    }
  });
}

const AT = '2026-03-02T08:00:00.000Z';

function minute(n: number): string {
  return new Date(Date.parse(AT) + n * 60_000).toISOString();
}

function day(n: number): string {
  return `2026-01-0${n}T00:00:00.000Z`;
}

function rawInput(overrides: Partial<RawMessageInput> = {}): RawMessageInput {
  return {
    connectorId: 'rest',
    channel: 'rest',
    format: 'canonical-json',
    contentType: 'application/json',
    body: Buffer.from('{"po":"1"}'),
    receivedAt: AT,
    ...overrides,
  };
}

function event(order: CanonicalOrder, name: OrderEventName): OrderEvent {
  return { id: `evt-${randomUUID()}`, name, orderId: order.id, orderVersion: 0, at: AT, data: { by: 'contract' } };
}

function delivery(id: string): Omit<Delivery, 'status' | 'attempts' | 'updatedAt'> {
  return { id, idempotencyKey: `o1:order.confirmed:${id}`, orderId: 'o1', eventId: 'e1', event: 'order.confirmed', target: 'erp', createdAt: AT };
}

/** Follows nextCursor to the end; fails the test instead of looping if a store never stops. */
async function collect<T>(list: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await list(cursor);
    all.push(...page.items);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
  throw new Error('list never returned a last page');
}

/** Normalises every decimal-looking string in a value, so "10.50" and "10.5" compare equal. */
function decimals<T>(value: T): T {
  if (typeof value === 'string') return (/^-?\d+(\.\d+)?$/.test(value) ? dec(value).toFixed() : value) as T;
  if (Array.isArray(value)) return value.map(decimals) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decimals(v)])) as T;
  }
  return value;
}
