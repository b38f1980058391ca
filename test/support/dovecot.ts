import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { freePort } from './free-port';

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
/** Installed by dovecot-imapd; dovecot-core alone starts but cannot serve IMAP. */
const IMAP_BINARY = '/usr/lib/dovecot/imap';
const INSTALL_HINT = 'run "apt-get install dovecot-imapd" (or "bash scripts/ensure-system-deps.sh --test")';
/** Dovecot greets "ready" once its auth process answers; on a loaded 2-core CI machine that can take seconds. */
const START_TIMEOUT_MS = 20_000;
/** Stopping waits this long for the master and its children before SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;
/** Debian's nobody/nogroup: mail processes may not run as root, so a root test run stores mail as nobody. */
const NOBODY = 65_534;
const PASSWORD = 'test-password';

export interface MailSummary {
  readonly uid: number;
  readonly messageId?: string;
  readonly subject?: string;
}

export interface TestDovecot {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every user's password (static passdb). */
  readonly password: string;
  /** A user name never used before on this server: logging in as it gives an empty INBOX. */
  newUser(): string;
  /** IMAP APPEND of `rfc822` to `mailbox`, as `user`. */
  append(user: string, rfc822: Buffer, mailbox?: string): Promise<{ uid: number; uidValidity: bigint }>;
  /** The mails in `mailbox`, oldest first. Rejects when the folder does not exist. */
  list(user: string, mailbox?: string): Promise<MailSummary[]>;
  createMailbox(user: string, mailbox: string): Promise<void>;
  deleteMailbox(user: string, mailbox: string): Promise<void>;
  /** Disconnects every IMAP session of `user` (doveadm kick), as a server dropping the connection does. */
  kick(user: string): Promise<void>;
  /**
   * Stops (SIGSTOP) `user`'s IMAP processes: their connections stay open but nothing answers, as
   * with a peer gone without a FIN. Returns how many were frozen and a function that lets them run again.
   */
  freeze(user: string): { frozen: number; thaw: () => void };
  /** Stops the server, then starts it again on the same port with the same mail store. */
  restart(): Promise<void>;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/**
 * A real Dovecot (Debian's dovecot-imapd) on a free loopback port: IMAP only, no TLS, plaintext
 * login allowed, one static password for any user name, and a throw-away maildir store. Its
 * config, sockets, state and log live in one temporary folder that `stop()` deletes. Runs as the
 * current user; under root the login and mail processes take Dovecot's usual unprivileged users.
 * One per test file; each test logs in as `newUser()`.
 */
export async function startTestDovecot(): Promise<TestDovecot> {
  for (const binary of [DOVECOT, IMAP_BINARY]) {
    if (!existsSync(binary)) throw new Error(`${binary} not found: ${INSTALL_HINT}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'order-hub-dovecot-'));
  const port = await freePort();
  const config = join(dir, 'dovecot.conf');
  const logFile = join(dir, 'dovecot.log');
  const instance = `dovecot-${instanceName(port)}`;
  writeFileSync(config, dovecotConf(dir, port, logFile));

  let master: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    master = await launch(config, port, logFile);
  };
  const halt = async (): Promise<void> => {
    const child = master;
    master = undefined;
    if (child) await terminate(child);
  };
  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const session = async <T>(user: string, work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: PASSWORD }, logger: false, disableAutoIdle: true });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  return {
    host: '127.0.0.1',
    port,
    password: PASSWORD,
    newUser: () => `u${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    append: (user, rfc822, mailbox = 'INBOX') =>
      session(user, async (client) => {
        const appended = await client.append(mailbox, rfc822);
        if (!appended || appended.uid === undefined || appended.uidValidity === undefined) throw new Error(`APPEND to ${mailbox} failed`);
        return { uid: appended.uid, uidValidity: appended.uidValidity };
      }),
    list: (user, mailbox = 'INBOX') =>
      session(user, async (client) => {
        const status = await client.status(mailbox, { messages: true });
        if (!status) throw new Error(`STATUS ${mailbox} failed`);
        if (!status.messages) return [];
        await client.mailboxOpen(mailbox, { readOnly: true });
        const mails = await client.fetchAll('1:*', { uid: true, envelope: true });
        return mails.map((mail) => ({ uid: mail.uid, messageId: mail.envelope?.messageId, subject: mail.envelope?.subject }));
      }),
    createMailbox: (user, mailbox) => session(user, async (client) => void (await client.mailboxCreate(mailbox))),
    deleteMailbox: (user, mailbox) => session(user, async (client) => void (await client.mailboxDelete(mailbox))),
    async kick(user) {
      await promisify(execFile)(DOVEADM, ['-c', config, 'kick', user]);
    },
    freeze(user) {
      const pids = imapProcesses(master?.pid, instance, user);
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      return { frozen: pids.length, thaw: () => pids.forEach((pid) => process.kill(pid, 'SIGCONT')) };
    },
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Dovecot titles its processes `dovecot-<instance_name>/<service>`. */
function instanceName(port: number): string {
  return `order-hub-test-${port}`;
}

function dovecotConf(dir: string, port: number, logFile: string): string {
  const mail = join(dir, 'mail');
  mkdirSync(mail);
  const root = process.getuid?.() === 0;
  const me = userInfo();
  if (root) {
    // Mail processes run as nobody and must reach the store through the temp folder.
    chmodSync(dir, 0o755);
    chownSync(mail, NOBODY, NOBODY);
  }
  const owner = root
    ? [`userdb {`, `  driver = static`, `  args = uid=${NOBODY} gid=${NOBODY} home=${mail}/%u`, `}`]
    : [
        // Unprivileged, Dovecot cannot switch users or chroot: every process runs as the current user.
        `default_login_user = ${me.username}`,
        `default_internal_user = ${me.username}`,
        `default_internal_group = ${groupName(me.gid)}`,
        `userdb {`,
        `  driver = static`,
        `  args = uid=${me.uid} gid=${me.gid} home=${mail}/%u`,
        `}`,
        `service anvil {`,
        `  chroot =`,
        `}`,
      ];
  return [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    `instance_name = ${instanceName(port)}`,
    `log_path = ${logFile}`,
    // Puts the user name in each IMAP process's title, so `freeze` can find that user's processes.
    'verbose_proctitle = yes',
    'ssl = no',
    // Loopback only, test passwords only: plaintext login is what the connector's cleartext mode needs.
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    'first_valid_uid = 1',
    `mail_location = maildir:${mail}/%u`,
    // A throw-away store: durability is not under test, speed on a slow CI disk is.
    'mail_fsync = never',
    'passdb {',
    '  driver = static',
    `  args = password=${PASSWORD}`,
    '}',
    ...owner,
    'service imap-login {',
    ...(root ? [] : ['  chroot =']),
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** IMAP processes in the process group of `masterPid` whose title (verbose_proctitle) names `user`. */
function imapProcesses(masterPid: number | undefined, instance: string, user: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      const group = readText(`/proc/${pid}/stat`)?.split(') ')[1]?.split(' ')[2];
      return group === String(masterPid) && readText(`/proc/${pid}/cmdline`)?.startsWith(`${instance}/imap [${user} `) === true;
    })
    .map(Number);
}

function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[2] === String(gid));
  if (!line) throw new Error(`no group with gid ${gid} in /etc/group; Dovecot needs its name`);
  return line.split(':')[0]!;
}

/** Starts the master in the foreground and waits until it greets as ready on the port. */
async function launch(config: string, port: number, logFile: string): Promise<ChildProcess> {
  // Its own process group, so `terminate` reaches every process Dovecot starts.
  const child = spawn(DOVECOT, ['-F', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const log = (): string => `${output}${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`.trim().split('\n').slice(-20).join('\n');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode} before listening:\n${log()}`);
    if (await greetsReady(port, Math.max(1, deadline - Date.now()))) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await terminate(child);
  throw new Error(`dovecot did not greet on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

/**
 * Ends the master and every process it started. Stopping only the master leaves client sessions
 * (and the log and stats processes) running for a while, so a "restarted" server would keep its
 * old connections; the whole process group is signalled instead, SIGKILL after STOP_TIMEOUT_MS.
 */
async function terminate(child: ChildProcess): Promise<void> {
  const group = child.pid!;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-group, name);
    } catch {
      // Nothing left in the group to signal.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupMembers(group) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  signal('SIGKILL');
}

/** Live (not zombie) processes in process group `group`; a zombie waits for a reaper that may never come in a container. */
function groupMembers(group: number): number {
  let members = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    // Fields after the parenthesised name: state, ppid, pgrp.
    const fields = readText(`/proc/${pid}/stat`)?.split(') ')[1]?.split(' ');
    if (fields && fields[2] === String(group) && fields[0] !== 'Z') members++;
  }
  return members;
}

/** A /proc file's text, or undefined when the process ended between the listing and the read. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** True once a connection gets Dovecot's "ready" greeting (it first says "Waiting for authentication" while auth starts). */
function greetsReady(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    const socket = connect(port, '127.0.0.1');
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ready);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      seen += chunk;
      if (/^\* OK .*ready\.\r?$/m.test(seen)) done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
