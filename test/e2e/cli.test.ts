import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/pipelines/cli.js');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

let dir: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (scripts/test.sh does)`);
  dir = mkdtempSync(join(tmpdir(), 'order-hub-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('order-hub CLI', () => {
  it('hash-key prints the line to put in auth.apiKeys', () => {
    const out = run(['hash-key', 'my-secret-key']);
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe(`sha256:${createHash('sha256').update('my-secret-key').digest('hex')}`);
  });

  it('check-config accepts the shipped config', () => {
    const out = run(['check-config', '--config', resolve(__dirname, '../../config/hub.yaml')]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/ok \(2 connectors, 1 routes, store sqlite\)/);
  });

  it('check-config names file, line and key of every problem, and exits 1', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'http:\n  port: eighty\nconnectors:\n  - id: erp\n    kind: webhook-target\n    url: https://erp.example.com/hooks\n    secret: whsec_bGl0ZXJhbA==\n');
    const out = run(['check-config', '--config', file]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('bad.yaml:2 http.port');
    expect(out.stderr).toMatch(/bad\.yaml:7 connectors\[0\]\.secret: literal secret; use \$\{\w+\}/);
  });

  it('start refuses a split role without a shared Redis, saying why', () => {
    const file = join(dir, 'split.yaml');
    writeFileSync(file, `store: { kind: sqlite, path: ${join(dir, 'hub.db')} }\n`);
    const out = run(['start', '--role', 'worker', '--config', file]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('set redis.url (REDIS_URL)');
  });

  it('start says how to install redis-server when the configured binary is missing', () => {
    const file = join(dir, 'no-redis.yaml');
    writeFileSync(file, `store: { kind: sqlite, path: ${join(dir, 'hub2.db')} }\nredis:\n  managed: { binary: /nonexistent/redis-server, dir: ${join(dir, 'redis')} }\nhttp: { port: 0 }\n`);
    const out = run(['start', '--config', file]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('apt-get install -y redis-server');
  });
});
