import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Logger } from 'pino';
import { HubError } from '../../core/errors/hub-error';

/** The part of ImapFlow the connector uses: the seam tests wrap to inject faults or hide a capability. */
export type ImapTransport = Pick<
  ImapFlow,
  'connect' | 'logout' | 'close' | 'mailboxOpen' | 'mailboxCreate' | 'search' | 'fetchAll' | 'fetchOne' | 'messageMove' | 'idle' | 'on' | 'usable'
>;

/** Makes one client per connection; a new one after every close, since an ImapFlow cannot reconnect. */
export type CreateTransport = (options: ImapFlowOptions) => ImapTransport;

export const createImapFlow: CreateTransport = (options) => new ImapFlow(options);

/** A command, or connecting, took longer than allowed; the connection was dropped. */
export class ImapTimeoutError extends HubError {
  constructor(what: string, ms: number) {
    super('imap.timeout', `IMAP ${what} took longer than ${ms} ms`, 'operational');
  }
}

/** The server could not do what was asked (no connection, search or move refused): never "nothing there". */
export class MailboxUnavailableError extends HubError {
  constructor(message: string, cause?: unknown) {
    super('imap.unavailable', message, 'operational', { cause });
  }
}

export interface MailboxSessionOptions {
  /** Connection and login settings; `disableAutoIdle` is forced on, the session decides when to IDLE. */
  readonly imap: ImapFlowOptions;
  /** Folders created, when missing, on every new connection. */
  readonly folders: readonly string[];
  /** Connecting and logging in, and each command `run` is not given its own limit for, in ms. */
  readonly commandTimeoutMs: number;
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  readonly log: Logger;
  /** @defaultValue a real ImapFlow */
  readonly createTransport?: CreateTransport;
}

/**
 * One IMAP connection, made on first use and made anew after any close, error or timed-out
 * command. Every command runs under a timeout; a timed-out command closes the connection, since
 * a reply that never came leaves the protocol state unknown. `supervise` is the push loop: it
 * keeps a connection, runs the caller's work on every (re)connect and whenever new mail is
 * announced or the keep-alive tick comes, and IDLEs in between.
 */
export class MailboxSession {
  private client: ImapTransport | undefined;
  private opening: Promise<ImapTransport> | undefined;
  private closed = false;
  /** Counts EXISTS notices that raised the message count; work compares it before and after a pass. */
  private announced = 0;
  /** Told when mail is announced or the connection goes, so an IDLE in progress can end. */
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: MailboxSessionOptions) {}

  /** How many times the server has announced new mail so far, on any connection. */
  get arrivals(): number {
    return this.announced;
  }

  /** The live connection, or a new one. Rejects when connecting fails or times out. */
  open(): Promise<ImapTransport> {
    if (this.closed) return Promise.reject(new MailboxUnavailableError('the IMAP session is closed'));
    if (this.client?.usable) return Promise.resolve(this.client);
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /**
   * Runs one command on the live connection under a timeout. On expiry, or when the connection is
   * gone after a failure, the connection is dropped so the next call connects anew.
   */
  async run<T>(what: string, command: (client: ImapTransport) => Promise<T>, timeoutMs = this.options.commandTimeoutMs): Promise<T> {
    const client = await this.open();
    try {
      return await within(command(client), timeoutMs, what);
    } catch (err) {
      if (err instanceof ImapTimeoutError || !client.usable) this.discard(client);
      throw err;
    }
  }

  /**
   * Keeps a connection and runs `work` on it until `signal` aborts: after every (re)connect, after
   * new mail is announced, and every `keepAliveMs` (the command that ends IDLE then proves the
   * connection alive, within its timeout). Any failure waits a doubling back-off, then retries on
   * the same connection if it is still usable or on a new one. `attempted` is told after each
   * run of `work` and each failure, so a caller can wait for the first.
   */
  async supervise(signal: AbortSignal, keepAliveMs: number, work: () => Promise<unknown>, attempted: () => void = () => undefined): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.open();
        await work();
        failures = 0;
        attempted();
        await this.idle(keepAliveMs, signal);
      } catch (err) {
        attempted();
        if (signal.aborted) break;
        const waitMs = Math.min(this.options.reconnect.maxMs, this.options.reconnect.initialMs * 2 ** failures);
        failures++;
        this.options.log.warn({ err, waitMs, failures }, 'IMAP pass failed; retrying after back-off');
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /**
   * Enters IDLE again if `supervise` is waiting in IDLE: a pass run beside it (the scheduler's
   * fallback poll) ended that IDLE with its first command, and without this the server would
   * announce nothing until the next keep-alive tick.
   */
  resumeIdle(): void {
    if (this.waiters.size > 0 && this.client?.usable) this.client.idle().catch(() => undefined);
  }

  /** Logs out (within the command timeout), else closes the socket. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.opening?.catch(() => undefined));
    this.client = undefined;
    if (!client) return;
    if (client.usable) await within(client.logout(), this.options.commandTimeoutMs, 'LOGOUT').catch(() => undefined);
    client.close();
  }

  /** IDLEs until new mail is announced, `maxMs` passes or `signal` aborts; rejects if the connection closes. */
  private async idle(maxMs: number, signal: AbortSignal): Promise<void> {
    const client = await this.open();
    const before = this.announced;
    await new Promise<void>((resolve, reject) => {
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const check = (): void => {
        if (this.announced !== before) finish();
        else if (this.client !== client) finish(new MailboxUnavailableError('the IMAP connection closed while idling'));
      };
      const onAbort = (): void => finish();
      const timer = setTimeout(finish, maxMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
      check();
      // Ends when the next command breaks it (sending DONE) or with the connection; either is seen through `check`.
      client.idle().catch(() => undefined);
    });
  }

  private async connect(): Promise<ImapTransport> {
    const { log } = this.options;
    const client = (this.options.createTransport ?? createImapFlow)({ ...this.options.imap, disableAutoIdle: true });
    // ImapFlow emits 'error' for socket failures; without a listener Node would crash the process.
    client.on('error', (err: Error) => log.warn({ err }, 'IMAP connection error'));
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
      log.info('IMAP connection closed');
      this.notify();
    });
    client.on('exists', (event: { count: number; prevCount: number }) => {
      if (this.client !== client || event.count <= event.prevCount) return;
      this.announced++;
      this.notify();
    });
    try {
      await within(client.connect(), this.options.commandTimeoutMs, 'connect and login');
      for (const folder of this.options.folders) await within(client.mailboxCreate(folder), this.options.commandTimeoutMs, `CREATE ${folder}`);
    } catch (err) {
      client.close();
      throw err instanceof HubError ? err : new MailboxUnavailableError(`IMAP connection failed: ${(err as Error).message}`, err);
    }
    if (this.closed) {
      client.close();
      throw new MailboxUnavailableError('the IMAP session is closed');
    }
    this.client = client;
    log.info('IMAP connected');
    return client;
  }

  private discard(client: ImapTransport): void {
    if (this.client === client) this.client = undefined;
    client.close();
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ImapTimeoutError(what, ms)), ms);
  });
  // The command may still settle after the timeout won; its late rejection is expected, not unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
