import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const SSHD = '/usr/sbin/sshd';
/** sshd reads its host key, binds and prints "Server listening" well within this on a loaded CI machine. */
const START_TIMEOUT_MS = 10_000;
/** sshd running as root refuses to start without its privilege-separation directory (Debian makes it at boot). */
const PRIVSEP_DIR = '/run/sshd';

export interface TestSshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The current user, who logs in with `privateKey`. */
  readonly username: string;
  /** The client's private key, OpenSSH format, authorised on this server. */
  readonly privateKey: Buffer;
  /** The server's host key fingerprint, `SHA256:…` as `ssh-keygen -lf` prints it. */
  readonly hostKeySha256: string;
  /** A throw-away directory for the test's files, reachable by its absolute path over SFTP. */
  readonly filesDir: string;
  stop(): Promise<void>;
}

/**
 * A real OpenSSH server (Debian's openssh-server) on a free loopback port, with its own host key
 * and one authorised client key, serving SFTP through internal-sftp. Everything lives in a
 * temporary directory that `stop()` removes. One per test file.
 */
export async function startTestSshd(): Promise<TestSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} not found: run "bash scripts/ensure-system-deps.sh --test" (installs openssh-server)`);
  const dir = mkdtempSync(join(tmpdir(), 'order-hub-sshd-'));
  const filesDir = join(dir, 'files');
  mkdirSync(filesDir);
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  for (const [path, comment] of [[hostKey, 'order-hub-test-host'], [clientKey, 'order-hub-test-client']] as const) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  }
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const username = userInfo().username;
  if (process.getuid?.() === 0) mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });

  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `AllowUsers ${username}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // The keys sit in a world-readable temp directory; strict checks would refuse them.
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
    ].join('\n') + '\n',
  );

  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`sshd did not start within ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null): void => fail(new Error(`sshd exited with ${code} before listening:\n${log}`));
    const onLog = (chunk: string): void => {
      log += chunk;
      if (!log.includes(`Server listening on 127.0.0.1 port ${port}`)) return;
      clearTimeout(timer);
      child.off('exit', onExit).off('error', fail);
      // Later log lines are drained and dropped: a full stderr pipe would block sshd.
      child.stderr.off('data', onLog).resume();
      resolve();
    };
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      reject(err);
    }
    child.stderr.setEncoding('utf8').on('data', onLog);
    child.once('exit', onExit).once('error', fail);
  });

  return {
    host: '127.0.0.1',
    port,
    username,
    privateKey: readFileSync(clientKey),
    hostKeySha256: fingerprint(readFileSync(`${hostKey}.pub`, 'utf8')),
    filesDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `SHA256:` and the unpadded base64 of the digest of the key blob, the second field of a .pub line. */
function fingerprint(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
