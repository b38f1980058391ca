import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mixedEmails, type MixedMail } from '../fixtures/email/generate';
import { startTestDovecot, type TestDovecot } from '../support/dovecot';
import { eventually, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { atRawWrite, emailHubConfig, expectExactOutcome, QUARANTINE, rawMessages, settled, writeStock, type Tally } from './email-hub';

/** The corpus of issue 3's acceptance test: 200 mails, each crash case with a seed of its own. */
const SEED = 20261123;
const MAILS = 200;

let redis: TestRedis;
let dovecot: TestDovecot;
let stockDir: string;
let stock: string;
const running: TestHub[] = [];
const leftover: string[] = [];

beforeAll(async () => {
  [redis, dovecot] = await Promise.all([startTestRedis(), startTestDovecot()]);
  stockDir = mkdtempSync(join(tmpdir(), 'order-hub-email-stock-'));
  stock = writeStock(stockDir);
}, 60_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.stop()));
  for (const dir of leftover.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await dovecot?.stop();
  await redis?.stop();
  if (stockDir) rmSync(stockDir, { recursive: true, force: true });
});

async function hub(user: string, options: { email?: Record<string, unknown>; replacing?: TestHub } = {}): Promise<TestHub> {
  const config = emailHubConfig({ dovecot, user, stock, ...(options.email && { email: options.email }) });
  const previous = options.replacing;
  const t = previous
    ? await startTestHub(redis.url, { ...config, store: { kind: 'sqlite', path: join(previous.dataDir, 'hub.db') } }, { queuePrefix: previous.queuePrefix })
    : await startTestHub(redis.url, config);
  running.push(t);
  return t;
}

async function append(user: string, mails: readonly MixedMail[]): Promise<void> {
  for (const m of mails) await dovecot.append(user, m.eml);
}

/** Waits for a hub's stop, keeping its SQLite file and queued jobs for the hub started in its place. */
async function retire(t: TestHub, stopping: Promise<void>): Promise<void> {
  await stopping;
  running.splice(running.indexOf(t), 1);
  leftover.push(t.dataDir);
}

function report(name: string, tally: Tally): void {
  process.stdout.write(`${name}: ${JSON.stringify(tally)}\n`);
}

describe('email intake through the whole hub, against Dovecot', () => {
  describe('when 200 mixed mails arrive, half before the hub starts and half while it listens', () => {
    it('gives exactly the expected orders and quarantines, each once, and moves every mail out of INBOX', async () => {
      const mails = mixedEmails(MAILS, SEED);
      const user = dovecot.newUser();
      await append(user, mails.slice(0, 100));
      const t = await hub(user);
      await append(user, mails.slice(100));

      await settled(t.hub.store, mails.length);
      const tally = await expectExactOutcome(t.hub.store, dovecot, user, mails);

      expect(tally.orders).toBe(mails.filter((m) => !m.expect.quarantine && !m.expect.handOffs).length);
      expect(tally.handOffs).toBe(mails.filter((m) => m.expect.handOffs).length);
      expect(tally.handOffs).toBeGreaterThan(0);
      expect(Object.keys(tally.quarantined).sort()).toEqual(['email.malformed', 'email.no_order', 'email.unknown_charset', 'spreadsheet.unreadable']);
      expect(tally.orderStatuses.rejected).toBeUndefined();
      report('200 mixed mails', tally);
    }, 150_000);
  });

  describe('when the hub is killed mid-batch, right after a raw write, and started again on the same store and Redis', () => {
    it('still gives exactly the expected outcome: nothing lost, nothing doubled', async () => {
      const mails = mixedEmails(MAILS, SEED + 1);
      const user = dovecot.newUser();
      await append(user, mails);
      const first = await hub(user);
      let killed: Promise<void> | undefined;
      atRawWrite(first.hub.store, 80, async () => (killed = first.hub.stop()), { die: true });

      const { stopping } = await eventually(async () => (killed ? { stopping: killed } : undefined), 'the hub to be killed at the 80th raw write', 30_000);
      await retire(first, stopping);
      // 79 mails kept and moved; the 80th kept raw but neither recorded, moved nor queued for intake.
      expect(await dovecot.list(user)).toHaveLength(MAILS - 79);

      const second = await hub(user, { replacing: first });
      expect(await rawMessages(second.hub.store)).toHaveLength(80);
      await settled(second.hub.store, mails.length);
      report('killed mid-batch', await expectExactOutcome(second.hub.store, dovecot, user, mails));
    }, 120_000);
  });

  describe('when the server drops the connection mid-batch, then restarts', () => {
    it('reconnects each time and gives exactly the expected outcome', async () => {
      const mails = mixedEmails(MAILS, SEED + 2);
      const user = dovecot.newUser();
      await append(user, mails);
      const t = await hub(user);
      const dropped: string[] = [];
      atRawWrite(t.hub.store, 50, async () => {
        await dovecot.kick(user);
        dropped.push('kick');
        atRawWrite(t.hub.store, 70, async () => {
          await dovecot.restart();
          dropped.push('restart');
        });
      });

      await settled(t.hub.store, mails.length);
      expect(dropped).toEqual(['kick', 'restart']);
      report('connection dropped', await expectExactOutcome(t.hub.store, dovecot, user, mails));
    }, 120_000);
  });

  describe('when a quarantined mail is replayed after its sender template is fixed', () => {
    const dayFirst = [
      'From: Jonas Weber <j.weber@bauhaus-west.de>',
      'To: orders@ourco.cn',
      'Subject: Bestellung BW-4711',
      'Message-ID: <bw-4711@bauhaus-west.de>',
      'Date: Mon, 23 Nov 2026 09:00:00 +0100',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'PO: BW-4711',
      'Delivery date: 15/03/2027',
      'PUMP-200 x 2 @ 12800',
      '',
    ].join('\r\n');
    const template = { templates: { 'bauhaus-west.de': { dateFormat: 'DD/MM/YYYY', customerName: 'Bauhaus West GmbH' } } };

    it('sets it back to received, queues intake, and the order is made from the kept mail', async () => {
      const user = dovecot.newUser();
      await dovecot.append(user, Buffer.from(dayFirst));
      const before = await hub(user, { email: {} });
      const [quarantined] = await settled(before.hub.store, 1);
      expect(quarantined).toMatchObject({ status: 'quarantined', reason: 'document.no_orders' });
      expect((await dovecot.list(user, QUARANTINE)).map((m) => m.messageId)).toEqual(['<bw-4711@bauhaus-west.de>']);
      await retire(before, before.hub.stop());

      const after = await hub(user, { email: template, replacing: before });
      const replay = await after.api(`/api/v1/raw/${quarantined!.id}/replay`, { method: 'POST', role: 'operator' });
      expect(replay.status).toBe(202);
      expect(await replay.json()).toMatchObject({ rawMessageId: quarantined!.id, status: 'received' });

      const raw = await eventually(async () => {
        const body = (await (await after.api(`/api/v1/raw/${quarantined!.id}`, { role: 'viewer' })).json()) as { status: string; orderIds: string[]; outcomes: { outcome: string }[] };
        return body.status === 'processed' ? body : undefined;
      }, 'the replayed mail to be processed');
      expect(raw.outcomes.map((o) => o.outcome)).toEqual(['quarantined', 'replayed', 'processed']);
      expect(raw.orderIds).toHaveLength(1);
      const order = (await (await after.api(`/api/v1/orders/${raw.orderIds[0]}`)).json()) as Record<string, unknown>;
      expect(order).toMatchObject({ poNumber: 'BW-4711', requestedDeliveryDate: '2027-03-15', customer: { name: 'Bauhaus West GmbH' }, source: { rawMessageId: quarantined!.id } });
      expect(await after.api(`/api/v1/raw/${quarantined!.id}/replay`, { method: 'POST', role: 'operator' }).then((r) => r.status)).toBe(409);
    }, 60_000);
  });
});
