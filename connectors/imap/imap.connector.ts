import type { ImapFlowOptions } from 'imapflow';
import type { Logger } from 'pino';
import type { Connector, ConnectorDefinition } from '../connector';
import { DEAD_CONNECTION_LIMIT_MS, imapConfig, type ImapConfig } from './imap.config';
import { MailboxReconciler, type ImapDeps, type PassResult } from './mailbox-reconciler';
import { MailboxSession, type CreateTransport } from './mailbox-session';

export type { ImapDeps, PassResult } from './mailbox-reconciler';

export interface ImapConnector extends Connector {
  /**
   * Connects, takes what waits in the folder, then keeps listening: IDLE, with a reconcile pass
   * (UID SEARCH) on every reconnect, on every new-mail notice and every keepAliveMs, until
   * `signal` aborts or `stop()`. Resolves after the first pass, or its failure (logged; the
   * connector keeps retrying with back-off).
   */
  start(signal: AbortSignal): Promise<void>;
  /** One reconcile pass (more while mail keeps arriving); joins a pass already running. Rejects when the server cannot be read. */
  poll(signal: AbortSignal): Promise<PassResult>;
  /** Lets the mail in hand be finished, then logs out. Idempotent. */
  stop(): Promise<void>;
}

/** A ConnectorDefinition whose connectors take the IMAP deps (raw sink, intake ledger, format parsers). */
export interface ImapDefinition extends Omit<ConnectorDefinition<typeof imapConfig>, 'create'> {
  create(config: ImapConfig, deps: ImapDeps): ImapConnector;
}

/** Order mail in an IMAP mailbox: read by the email parser, kept raw (format 'email'), then moved to the processed or quarantine folder. */
export const imapConnector: ImapDefinition = {
  kind: 'imap',
  summary:
    'Takes order mail from an IMAP mailbox (IDLE plus UID SEARCH reconcile), reads each with the email parser and its sender templates, keeps it raw exactly once, then moves it to the processed folder, or to the quarantine folder when it holds no order the hub can read.',
  config: imapConfig,
  create: (config, deps) => createImapConnector(config, deps),
};

/** The connector, optionally over an injected transport (tests wrap the real client to fault it). */
export function createImapConnector(config: ImapConfig, deps: ImapDeps, createTransport?: CreateTransport): ImapConnector {
  const log = deps.log;
  const session = new MailboxSession({
    imap: imapOptions(config, log),
    folders: [config.processedFolder, config.quarantineFolder],
    commandTimeoutMs: config.commandTimeoutMs,
    reconnect: { initialMs: config.reconnectInitialMs, maxMs: config.reconnectMaxMs },
    log,
    ...(createTransport && { createTransport }),
  });
  const reconciler = new MailboxReconciler(config, session, deps);
  const stopping = new AbortController();
  let running: Promise<PassResult> | undefined;
  let supervisor: Promise<void> | undefined;

  /** Passes until the last one left nothing behind and no mail was announced while it ran. */
  const drain = async (signal: AbortSignal): Promise<PassResult> => {
    const total: PassResult = { kept: 0, quarantined: 0, duplicates: 0, resumed: 0, remaining: 0 };
    for (;;) {
      const announced = session.arrivals;
      const pass = await reconciler.pass(signal);
      total.kept += pass.kept;
      total.quarantined += pass.quarantined;
      total.duplicates += pass.duplicates;
      total.resumed += pass.resumed;
      total.remaining = pass.remaining;
      if (signal.aborted || (pass.remaining === 0 && session.arrivals === announced)) return total;
    }
  };

  const reconcile = (signal: AbortSignal): Promise<PassResult> => {
    running ??= drain(AbortSignal.any([signal, stopping.signal])).finally(() => {
      running = undefined;
      session.resumeIdle();
    });
    return running;
  };

  return {
    id: config.id,
    kind: 'imap',
    async start(signal) {
      if (supervisor) return;
      const both = AbortSignal.any([signal, stopping.signal]);
      let attempted!: () => void;
      const first = new Promise<void>((resolve) => (attempted = resolve));
      supervisor = session.supervise(both, config.keepAliveMs, () => reconcile(both), attempted);
      await Promise.race([first, supervisor]);
    },
    poll: reconcile,
    async stop() {
      stopping.abort();
      await supervisor;
      await running?.catch(() => undefined);
      await session.close();
    },
  };
}

function imapOptions(config: ImapConfig, log: Logger): ImapFlowOptions {
  return {
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(!config.secure && { doSTARTTLS: config.starttls }),
    auth: { user: config.user, pass: config.password },
    connectionTimeout: config.commandTimeoutMs,
    greetingTimeout: config.commandTimeoutMs,
    // A download that stalls this long is a dead connection too; keep-alive passes keep a healthy one busier than that.
    socketTimeout: DEAD_CONNECTION_LIMIT_MS,
    clientInfo: { name: 'order-hub' },
    // ImapFlow logs every command at debug and each connection at info; the session logs what matters.
    logger: log.child({ component: 'imapflow' }, { level: log.levelVal > log.levels.values.warn! ? log.level : 'warn' }),
  };
}
