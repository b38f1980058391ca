import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Logger } from 'pino';
import type SftpClient from 'ssh2-sftp-client';
import { FileDrop, fileDropConnector, type FileDropConnector, type FileDropDefinition, type FileDropDeps } from '../folder/file-drop';
import { sftpConfig, type SftpConfig } from './sftp.config';
import { sftpDropFs, type SftpDropFsOptions } from './sftp-drop-fs';

/** Documents dropped on a partner's SFTP server: kept raw, then moved to done/ or failed/ there; answers go to outbox/. */
export const sftpConnector: FileDropDefinition<typeof sftpConfig> = {
  kind: 'sftp',
  summary: 'Picks documents up from an SFTP server (host key pinned), keeps them raw, then moves them to done/ or failed/; writes outbound documents to outbox/.',
  config: sftpConfig,
  create: (config, deps) => createSftpConnector(config, deps),
};

/** The connector, optionally over an injected transport (tests wrap the real client to fault it). */
export function createSftpConnector(config: SftpConfig, deps: FileDropDeps, createTransport?: SftpDropFsOptions['createTransport']): FileDropConnector {
  if (config.acceptAnyHostKey) deps.log.warn({ host: config.host }, 'SFTP host key not checked (acceptAnyHostKey): use only for a test server');
  const fs = sftpDropFs({ connect: () => connectOptions(config, deps.log), operationTimeoutMs: config.operationTimeoutMs, log: deps.log, createTransport });
  const drop = new FileDrop(fs, deps, {
    settings: config,
    resolve: (folder) => (posix.isAbsolute(folder) ? folder : posix.join(config.root, folder)),
    source: `sftp://${config.username}@${config.host}:${config.port}/${config.root}`,
  });
  return fileDropConnector('sftp', config, drop, deps);
}

/** OpenSSH's notation for a key's fingerprint: SHA256: and the unpadded base64 of the key blob's digest. */
function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function connectOptions(config: SftpConfig, log: Logger): SftpClient.ConnectOptions {
  const pinned = config.hostKeySha256;
  return {
    host: config.host,
    port: config.port,
    username: config.username,
    password: config.password,
    // Read at connect time so a rotated key file is picked up without a restart.
    privateKey: config.privateKeyFile === undefined ? config.privateKey : readFileSync(config.privateKeyFile),
    passphrase: config.passphrase,
    readyTimeout: config.readyTimeoutMs,
    keepaliveInterval: config.keepaliveIntervalMs,
    ...(pinned !== undefined && {
      hostVerifier: (key: Buffer): boolean => {
        const presented = hostKeyFingerprint(key);
        if (presented !== pinned) log.error({ host: config.host, presented, pinned }, 'SFTP host key does not match the pinned fingerprint; connection refused');
        return presented === pinned;
      },
    }),
  };
}
