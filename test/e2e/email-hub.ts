import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfigInput } from '../../config/hub.schema';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { HubStore, RawMessage, RawMessageInput } from '../../core/store/store.port';
import type { TestDovecot } from '../support/dovecot';
import { eventually } from '../support/hub-harness';
import { fixtureMapping, MIXED_SKUS, type MixedMail } from '../fixtures/email/generate';

/** The acceptance test's mailbox connector, as it appears on raw messages. */
const CONNECTOR_ID = 'sales-mail';
const PROCESSED = 'Processed';
export const QUARANTINE = 'Quarantine';
/** Raw messages of the mails themselves; the scans they hand off are kept beside them as `contract-scan`. */
const MAIL_FORMAT = 'email';
const SCAN_FORMAT = 'contract-scan';

/** Every From domain of the mixed corpus (customers writing directly, our salespeople forwarding), and the replay test's customer. */
const ALLOWED_DOMAINS = ['ourco.cn', 'acme.cn', 'hdsw.com.cn', 'shjg.com.cn', 'jianan-build.cn', 'bauhaus-west.de'];

/** Waits for a whole batch: a corpus of 200 mails is one or two reconcile passes plus intake. */
const SETTLE_TIMEOUT_MS = 90_000;

export interface EmailHubSetup {
  readonly dovecot: TestDovecot;
  readonly user: string;
  /** The stock file `writeStock` wrote. */
  readonly stock: string;
  /** @defaultValue the fixture sender templates (test/fixtures/email/mapping.yaml) */
  readonly email?: Record<string, unknown>;
}

/**
 * The hub as IT would point it at the sales mailbox: the `imap` connector on the test Dovecot
 * (cleartext on loopback only), sender templates under `mappings.email`, the example prices,
 * capacity and calendar, and stock for every corpus line. The corpus mails carry no payment terms
 * (those come from the contract), so the required-fields rule asks for the rest only. OCR is off:
 * the photographed orders are junk bytes, and reading them is test/e2e/ocr.test.ts's business;
 * here they are handed off and quarantined as `ocr.disabled`. Test tunings: short back-off, and a
 * short sweep for raw messages a killed hub never queued.
 */
export function emailHubConfig({ dovecot, user, stock, email = fixtureMapping() }: EmailHubSetup): Partial<HubConfigInput> {
  return {
    connectors: [
      {
        id: CONNECTOR_ID,
        kind: 'imap',
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        starttls: false,
        user,
        password: dovecot.password,
        processedFolder: PROCESSED,
        quarantineFolder: QUARANTINE,
        allowedSenderDomains: ALLOWED_DOMAINS,
        mappings: { email },
        commandTimeoutMs: 5_000,
        reconnectInitialMs: 50,
        reconnectMaxMs: 500,
      },
    ],
    referenceData: {
      inventory: stock,
      prices: 'config/examples/data/prices.csv',
      capacity: 'config/examples/data/capacity.csv',
      calendar: 'config/examples/data/calendar.csv',
    },
    rules: { required: { fields: ['customer.name', 'lines[].sku', 'lines[].quantity', 'requestedDeliveryDate'] } },
    pipeline: { sweepAfterMs: 1_000 },
    ocr: { enabled: false },
  };
}

/**
 * Stock for every corpus line, as an inventory file in `dir`: loaded before the connector starts,
 * so no order, even of a mail waiting in the mailbox at start, meets a shortage.
 */
export function writeStock(dir: string): string {
  const path = join(dir, 'inventory.csv');
  writeFileSync(path, ['sku,location,onHand', ...MIXED_SKUS.map(({ sku }) => `${sku},main,100000`)].join('\n'));
  return path;
}

/** The mails kept raw. */
export async function rawMessages(store: HubStore): Promise<RawMessage[]> {
  return (await everyRaw(store)).filter((m) => m.format === MAIL_FORMAT);
}

async function everyRaw(store: HubStore): Promise<RawMessage[]> {
  const all: RawMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.raw.list({ connectorId: CONNECTOR_ID, limit: 500, ...(cursor && { cursor }) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function orders(store: HubStore): Promise<CanonicalOrder[]> {
  const all: CanonicalOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.orders.list({ limit: 500, ...(cursor && { cursor }) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Until `count` mails are kept raw and intake has decided each one, and each scan they handed off. */
export async function settled(store: HubStore, count: number): Promise<RawMessage[]> {
  return eventually(
    async () => {
      const raw = await everyRaw(store);
      const mails = raw.filter((m) => m.format === MAIL_FORMAT);
      return mails.length >= count && raw.every((m) => m.status !== 'received') ? mails : undefined;
    },
    `${count} mails to be kept and taken through intake`,
    SETTLE_TIMEOUT_MS,
  );
}

export interface Tally {
  readonly mails: number;
  readonly orders: number;
  readonly quarantined: Readonly<Record<string, number>>;
  readonly orderStatuses: Readonly<Record<string, number>>;
  /** Why orders wait for review: each warning's code, once per order. */
  readonly reviewWarnings: Readonly<Record<string, number>>;
  /** Scans handed off by the mails, each kept as a raw message of its own. */
  readonly handOffs: number;
}

/**
 * The acceptance check, per mail by its Message-ID: one raw message; processed into exactly the
 * expected number of orders, or quarantined with exactly the expected reason; every order made
 * once and named on its raw message; each photographed order handed off once as its own raw
 * message `<Message-ID>#<n>` (quarantined `ocr.disabled`, OCR being off); the mail in Processed or
 * Quarantine accordingly, INBOX empty.
 */
export async function expectExactOutcome(store: HubStore, dovecot: TestDovecot, user: string, mails: readonly MixedMail[]): Promise<Tally> {
  const raw = await rawMessages(store);
  const messageId = (eml: Buffer) => /^Message-ID: (<[^>]+>)/im.exec(eml.subarray(0, 4096).toString('latin1'))![1]!;
  const expected = new Map(mails.map((m) => [messageId(m.eml), m.expect]));
  expect(raw.map((m) => m.externalId).sort()).toEqual([...expected.keys()].sort());

  const outcome = (m: RawMessage) => ({ orders: m.orderIds.length, ...(m.status === 'quarantined' && { quarantine: m.reason }), status: m.status });
  const want = ({ handOffs: _handOffs, ...e }: MixedMail['expect']) => ({ ...e, status: e.quarantine ? 'quarantined' : 'processed' });
  expect(Object.fromEntries(raw.map((m) => [m.externalId, outcome(m)]))).toEqual(Object.fromEntries([...expected].map(([id, e]) => [id, want(e)])));

  const made = await orders(store);
  const named = raw.flatMap((m) => m.orderIds);
  expect(made.map((o) => o.id).sort()).toEqual([...named].sort());
  expect(new Set(named).size).toBe(named.length);
  const rawById = new Map(raw.map((m) => [m.id, m]));
  for (const order of made) expect(rawById.get(order.source.rawMessageId)?.orderIds).toContain(order.id);

  const scans = (await everyRaw(store)).filter((m) => m.format === SCAN_FORMAT);
  const wantScans = [...expected].flatMap(([id, e]) => Array.from({ length: e.handOffs ?? 0 }, (_, i) => `${id}#${i + 1}`));
  expect(scans.map((m) => m.externalId).sort()).toEqual(wantScans.sort());
  const mailIds = new Map(raw.map((m) => [m.externalId, m.id]));
  for (const scan of scans) {
    expect(scan).toMatchObject({ status: 'quarantined', reason: 'ocr.disabled', channel: 'email', meta: { partOf: mailIds.get(scan.externalId!.replace(/#\d+$/, '')) } });
  }

  const byFolder = async (folder: string) => (await dovecot.list(user, folder)).map((m) => m.messageId).sort();
  expect(await byFolder('INBOX')).toEqual([]);
  expect(await byFolder(PROCESSED)).toEqual([...expected].filter(([, e]) => !e.quarantine).map(([id]) => id).sort());
  expect(await byFolder(QUARANTINE)).toEqual([...expected].filter(([, e]) => e.quarantine).map(([id]) => id).sort());

  return {
    mails: raw.length,
    orders: made.length,
    quarantined: count(raw.flatMap((m) => (m.reason ? [m.reason] : []))),
    orderStatuses: count(made.map((o) => o.status)),
    reviewWarnings: count(made.flatMap((o) => [...new Set(o.checks?.issues.map((issue) => issue.code))])),
    handOffs: scans.length,
  };
}

function count(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * Runs `act` once the `n`th mail has been stored raw, before the connector hears back: the
 * instant after the durable write and before the ledger entry and the move, where a crash or a
 * dropped connection does the most harm. With `die`, that write and every later one (mails and
 * the scans intake hands off alike) then fail, as for a process killed there: the message is
 * stored but neither recorded, moved nor queued.
 */
export function atRawWrite(store: HubStore, n: number, act: () => Promise<unknown>, options: { die?: boolean } = {}): void {
  const raw = store.raw as { put: (input: RawMessageInput) => ReturnType<HubStore['raw']['put']> };
  const put = raw.put.bind(store.raw);
  let writes = 0;
  let dead = false;
  raw.put = async (input) => {
    if (dead) throw new Error('the hub was killed');
    const stored = await put(input);
    if (input.format !== MAIL_FORMAT || ++writes !== n) return stored;
    if (!options.die) {
      await act();
      return stored;
    }
    dead = true;
    void act();
    throw new Error(`the hub was killed after raw write ${n}`);
  };
}
