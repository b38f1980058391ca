#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { HubError } from '../core/errors/hub-error';
import { loadConfig } from '../config/load-config';
import { startHub } from './hub';
import { createLogger } from './logger';
import { ROLES, type Role } from './roles';
import { stopOnSignals } from './shutdown';

const USAGE = `usage:
  order-hub start [--role all|api|worker|scheduler] [--config config/hub.yaml]
  order-hub check-config [--config config/hub.yaml]
  order-hub hash-key <api-key>`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { config: { type: 'string', default: 'config/hub.yaml' }, role: { type: 'string', default: 'all' } },
  });
  switch (command) {
    case 'start': {
      if (!ROLES.includes(values.role as Role)) throw new HubError('cli.bad_role', `--role must be one of ${ROLES.join(', ')}`, 'user');
      const config = loadConfig(values.config);
      const log = createLogger(config.log.level);
      const hub = await startHub({ config, role: values.role as Role, log });
      stopOnSignals(hub.stop, log);
      return -1;
    }
    case 'check-config': {
      const config = loadConfig(values.config);
      process.stdout.write(`${values.config}: ok (${config.connectors.length} connectors, ${config.routes.length} routes, store ${config.store.kind})\n`);
      return 0;
    }
    case 'hash-key': {
      const key = positionals[0];
      if (!key) throw new HubError('cli.missing_key', 'hash-key needs the key as its argument', 'user');
      process.stdout.write(`sha256:${createHash('sha256').update(key).digest('hex')}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    // Start-up errors go to stderr as one readable message; a user error needs no stack trace.
    const message = err instanceof HubError && err.category === 'user' ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`order-hub: ${message}\n`);
    process.exit(1);
  },
);
