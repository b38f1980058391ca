import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapFlowOptions } from 'imapflow';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { imapConfig, type ImapConfig } from '../../../connectors/imap/imap.config';
import { createImapConnector, type ImapConnector } from '../../../connectors/imap/imap.connector';
import type { CreateTransport, ImapTransport } from '../../../connectors/imap/mailbox-session';
import type { FormatParser } from '../../../connectors/connector';
import type { RawSink } from '../../../connectors/folder/raw-sink';
import { formatParsers } from '../../../connectors/registry';
import { openSqliteStore, type SqliteHubStore } from '../../../core/store/sqlite/sqlite-store';
import type { RawMessage, RawMessageInput } from '../../../core/store/store.port';
import { startTestDovecot, type TestDovecot } from '../../support/dovecot';

export const PROCESSED = 'Processed';
export const QUARANTINE = 'Quarantine';

/** The real store behind the sink the hub passes (`store.raw.put`), failing the writes a test names. */
export class FaultySink implements RawSink {
  writes = 0;
  /** 1-based numbers of the writes that fail: before the store is touched, or after it stored (a crash before the ledger and the move). */
  readonly failBefore = new Set<number>();
  readonly failAfter = new Set<number>();
  constructor(private readonly store: SqliteHubStore) {}
  async write(input: RawMessageInput): Promise<{ message: RawMessage; created: boolean }> {
    const n = ++this.writes;
    if (this.failBefore.has(n)) throw new Error(`store unavailable (injected on write ${n})`);
    const stored = await this.store.raw.put(input);
    if (this.failAfter.has(n)) throw new Error(`process died after raw write ${n} (injected)`);
    return stored;
  }
}

/**
 * A plain RFC 822 mail with CRLF line ends: an order line the email parser reads unless `body`
 * says otherwise; `padding` bytes of body make it as large as a test needs.
 */
export function mail(fields: { subject: string; from?: string; padding?: number; messageId?: string; body?: string }): Buffer {
  const body = `${fields.body ?? 'Please deliver:\r\nPUMP-200 x 10 @ 12800'}\r\n${'x'.repeat(fields.padding ?? 0)}\r\n`;
  return Buffer.from(
    [
      `From: Buyer <${fields.from ?? 'buyer@example.cn'}>`,
      'To: orders@hub.example',
      `Subject: ${fields.subject}`,
      `Message-ID: ${fields.messageId ?? `<${randomUUID()}@example.cn>`}`,
      'Date: Mon, 23 Nov 2026 10:00:00 +0800',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
    ].join('\r\n'),
  );
}

/** Polls `probe` until it is true; fails naming `what` after `timeoutMs`. Asserts outcomes, never elapsed time. */
export async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Real ImapFlow clients, each patched by `patch` after it is made; `made` collects them in order. */
export function patchedTransport(patch: (client: ImapFlow) => void = () => undefined): CreateTransport & { made: ImapFlow[] } {
  const made: ImapFlow[] = [];
  const create = (options: ImapFlowOptions): ImapTransport => {
    const client = new ImapFlow(options);
    made.push(client);
    patch(client);
    return client;
  };
  return Object.assign(create, { made });
}

export interface ConnectorOptions {
  readonly overrides?: Partial<ImapConfig>;
  readonly sink?: RawSink;
  readonly transport?: CreateTransport;
  readonly id?: string;
  /** @defaultValue the hub's format parsers (connectors/registry.ts) */
  readonly parsers?: readonly FormatParser[];
}

export interface ImapHarness {
  readonly dovecot: TestDovecot;
  readonly store: SqliteHubStore;
  readonly signal: AbortSignal;
  config(user: string, overrides?: Partial<ImapConfig>): ImapConfig;
  /** A connector for `user`'s mailbox, stopped after the test. */
  connector(user: string, options?: ConnectorOptions): ImapConnector;
  /** Raw messages one connector kept, oldest first. */
  raw(connectorId: string): Promise<RawMessage[]>;
}

/**
 * Per test file: one real Dovecot and one real SQLite store. Per test: a fresh mailbox user and
 * connector id, so tests share neither mail nor raw messages. Tuned for tests: short back-off.
 */
export function useImapHarness(): ImapHarness {
  let dovecot: TestDovecot;
  let store: SqliteHubStore;
  let storeDir: string;
  const started: ImapConnector[] = [];
  const signal = new AbortController().signal;

  beforeAll(async () => {
    dovecot = await startTestDovecot();
    storeDir = mkdtempSync(join(tmpdir(), 'order-hub-imap-store-'));
    store = await openSqliteStore({ path: join(storeDir, 'hub.db') });
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((connector) => connector.stop()));
  });
  afterAll(async () => {
    await store?.close();
    await dovecot?.stop();
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  });

  const config = (user: string, overrides: Partial<ImapConfig> = {}): ImapConfig =>
    imapConfig.parse({
      id: `imap-${user}`,
      kind: 'imap',
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      starttls: false,
      user,
      password: dovecot.password,
      processedFolder: PROCESSED,
      quarantineFolder: QUARANTINE,
      commandTimeoutMs: 5_000,
      reconnectInitialMs: 50,
      reconnectMaxMs: 500,
      ...overrides,
    });

  return {
    get dovecot() {
      return dovecot;
    },
    get store() {
      return store;
    },
    signal,
    config,
    connector(user, options = {}) {
      const settings = config(user, { ...options.overrides, ...(options.id && { id: options.id }) });
      const deps = { log: pino({ level: 'silent' }), raw: options.sink ?? { write: (input: RawMessageInput) => store.raw.put(input) }, ledger: store.ledger, parsers: options.parsers ?? formatParsers };
      const connector = createImapConnector(settings, deps, options.transport);
      started.push(connector);
      return connector;
    },
    async raw(connectorId) {
      const page = await store.raw.list({ connectorId, limit: 500 });
      return [...page.items].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    },
  };
}
