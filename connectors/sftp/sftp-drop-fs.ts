import { posix } from 'node:path';
import type { Logger } from 'pino';
import SftpClient from 'ssh2-sftp-client';
import type { DropEntry, DropFs } from '../folder/drop-fs';

/** The methods of ssh2-sftp-client the drop uses: the seam tests can wrap to inject faults. */
export type SftpTransport = Pick<SftpClient, 'connect' | 'list' | 'stat' | 'get' | 'put' | 'rename' | 'delete' | 'mkdir' | 'end'>;

/** Told when the connection ends or fails outside an operation, so the next operation reconnects. */
export interface TransportEvents {
  onDown(err?: unknown): void;
}

export interface SftpDropFsOptions {
  /** Called for each new session, so a key file rotated on disk is read again. */
  readonly connect: () => SftpClient.ConnectOptions;
  /** Per operation, in ms; on expiry the session is dropped. */
  readonly operationTimeoutMs: number;
  readonly log: Logger;
  /** @defaultValue a new ssh2-sftp-client whose connection events go to `events` */
  readonly createTransport?: (events: TransportEvents) => SftpTransport;
}

export class SftpTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`SFTP ${what} took longer than ${ms} ms`);
    this.name = 'SftpTimeoutError';
  }
}

/**
 * A file drop on an SFTP server. One session is opened on first use and kept between polls; after
 * any failed or timed-out operation it is closed and the next operation connects anew, which is
 * simpler and safer than telling a dead channel from a refused request. Never-replace renames come
 * from the server: SFTP v3 RENAME fails when the target exists (OpenSSH implements it with link(2)).
 */
export function sftpDropFs(options: SftpDropFsOptions): DropFs {
  const createTransport = options.createTransport ?? sftpClientTransport(options.log);
  let session: Promise<SftpTransport> | undefined;

  const open = (): Promise<SftpTransport> => {
    if (session) return session;
    const transport = createTransport({
      onDown: (err) => {
        if (session === opened) session = undefined;
        if (err) options.log.warn({ err }, 'SFTP connection lost');
      },
    });
    const opened: Promise<SftpTransport> = transport.connect(options.connect()).then(() => transport);
    session = opened;
    opened.catch(() => {
      if (session === opened) session = undefined;
    });
    return opened;
  };

  const drop = async (): Promise<void> => {
    const current = session;
    session = undefined;
    const transport = await current?.catch(() => undefined);
    await transport?.end().catch(() => undefined);
  };

  const run = async <T>(what: string, operation: (client: SftpTransport) => Promise<T>): Promise<T> => {
    const client = await open();
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SftpTimeoutError(what, options.operationTimeoutMs)), options.operationTimeoutMs);
    });
    const work = operation(client);
    // The operation may settle after the timeout won; its late rejection is expected, not unhandled.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, expiry]);
    } catch (err) {
      await drop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    list: (dir) =>
      run(`list ${dir}`, async (client) =>
        (await client.list(dir)).filter((item) => item.type === '-').map((item) => ({ name: item.name, size: item.size, modifiedMs: item.modifyTime })),
      ),
    stat: (path) => run(`stat ${path}`, (client) => statFile(client, path)),
    read: (path) =>
      run(`get ${path}`, async (client) => {
        const body = await client.get(path);
        if (!Buffer.isBuffer(body)) throw new Error(`SFTP get ${path} did not return the content`);
        return body;
      }),
    write: (path, body) => run(`put ${path}`, async (client) => void (await client.put(body, path))),
    rename: (from, to) => run(`rename ${from}`, async (client) => void (await client.rename(from, to))),
    remove: (path) => run(`delete ${path}`, async (client) => void (await client.delete(path, true))),
    ensureDir: (dir) => run(`mkdir ${dir}`, async (client) => void (await client.mkdir(dir, true))),
    join: (...parts) => posix.join(...parts),
    close: drop,
  };
}

async function statFile(client: SftpTransport, path: string): Promise<DropEntry | undefined> {
  try {
    const facts = await client.stat(path);
    return facts.isFile ? { name: posix.basename(path), size: facts.size, modifiedMs: facts.modifyTime } : undefined;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The real transport: an ssh2-sftp-client per session. */
export function sftpClientTransport(log: Logger): (events: TransportEvents) => SftpTransport {
  return (events) =>
    // ssh2-sftp-client's default callbacks print to the console; these route the events to the session instead.
    new SftpClient('order-hub', {
      error: (err) => events.onDown(err),
      end: () => events.onDown(),
      close: () => {
        log.debug('SFTP connection closed');
        events.onDown();
      },
    });
}
