import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../config/config.error';
import { loadConfig, parseConfig } from '../../../config/load-config';

const webhook = (secret: string) => `connectors:
  - id: erp
    kind: webhook-target
    url: https://erp.example.com/hooks
    secret: ${secret}
`;

function configError(source: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConfig(source, 'hub.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a file and fills in the defaults', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-config-')), 'hub.yaml');
    writeFileSync(file, 'http:\n  port: 9100\n');
    const config = loadConfig(file, {});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9100, bodyLimitBytes: 1_048_576 });
    expect(config.store).toEqual({ kind: 'sqlite', path: './data/hub.db' });
    expect(config.rules.price.tolerancePct).toBe('2');
  });

  it('reports a file that cannot be read as a ConfigError naming it', () => {
    expect(() => loadConfig('/nonexistent/hub.yaml', {})).toThrow(/^\/nonexistent\/hub\.yaml: cannot read/);
  });
});

describe('when values use environment variables', () => {
  it('substitutes a set variable', () => {
    const config = parseConfig(webhook('${ERP_SECRET}'), 'hub.yaml', { ERP_SECRET: 'whsec_abc' });
    expect(config.connectors[0]).toMatchObject({ id: 'erp', secret: 'whsec_abc' });
  });

  it('takes the default of an unset variable, and accepts it for a secret', () => {
    const config = parseConfig(webhook('${ERP_SECRET:-whsec_demo}'), 'hub.yaml', {});
    expect(config.connectors[0]).toMatchObject({ secret: 'whsec_demo' });
  });

  it('reads a variable in a number field as a number', () => {
    expect(parseConfig('http:\n  port: ${HTTP_PORT:-8080}\n', 'hub.yaml', { HTTP_PORT: '9001' }).http.port).toBe(9001);
  });

  it('names the line and the variable when it is unset and has no default', () => {
    const error = configError(webhook('${ERP_SECRET}'));
    expect(error.message).toBe('hub.yaml:5 connectors[0].secret: environment variable ERP_SECRET is not set');
  });

  it('keeps $${ as a literal ${', () => {
    expect(parseConfig('http:\n  host: "$${HOST}"\n', 'hub.yaml', { HOST: 'x' }).http.host).toBe('${HOST}');
  });
});

describe('when a secret is written as a literal', () => {
  it('refuses it with its line and a variable to use instead', () => {
    const error = configError(webhook('whsec_literal'));
    expect(error.message).toBe('hub.yaml:5 connectors[0].secret: literal secret; use ${ERP_SECRET}');
    expect(error.code).toBe('config.invalid');
    expect(error.category).toBe('user');
    expect(error.details).toEqual([{ path: 'connectors[0].secret', message: 'literal secret; use ${ERP_SECRET}', line: 5 }]);
  });

  it('refuses a literal store url of the mongo store', () => {
    expect(configError('store:\n  kind: mongo\n  url: mongodb://user:pw@db/hub\n').message).toBe('hub.yaml:3 store.url: literal secret; use ${MONGO_URL}');
  });
});

describe('when values do not fit the schema', () => {
  it('reports a type error with file:line and key path', () => {
    expect(configError('http:\n  host: 0.0.0.0\n  port: eighty\n').message).toBe('hub.yaml:3 http.port: Invalid input: expected number, received string');
  });

  it('reports a misspelt key with its line and the likely intended key', () => {
    expect(configError('log:\n  levle: debug\n').message).toBe('hub.yaml:2 log.levle: unknown key "levle"; did you mean "level"?');
  });

  it('reports an unknown key inside a connector of a given kind', () => {
    const error = configError(`${webhook('${S:-x}')}    retries: 3\n`);
    expect(error.message).toMatch(/^hub\.yaml:6 connectors\[0\]\.retries: unknown key "retries"/);
  });

  it('points a missing required key at its parent entry', () => {
    const error = configError('connectors:\n  - id: erp\n    kind: webhook-target\n    secret: ${S:-x}\n');
    expect(error.message).toBe('hub.yaml:2 connectors[0].url: required (expected string)');
  });

  it('lists every problem, in line order', () => {
    const error = configError('http:\n  port: -1\nlog:\n  level: loud\n');
    expect(error.details.map((detail) => `${detail.line} ${detail.path}`)).toEqual(['2 http.port', '4 log.level']);
  });

  it('names a route to a connector that does not exist', () => {
    const error = configError(`${webhook('${S:-x}')}routes:\n  - on: order.confirmed\n    to: [erp, wms]\n`);
    expect(error.message).toBe('hub.yaml:8 routes[0].to[1]: no connector with id "wms"');
  });

  it('refuses a route on an event the hub never emits', () => {
    expect(configError(`${webhook('${S:-x}')}routes:\n  - on: order.confirmd\n    to: [erp]\n`).message).toMatch(/^hub\.yaml:7 routes\[0\]\.on: Invalid option/);
  });

  it('keeps a decimal written as a plain number exactly as written', () => {
    expect(parseConfig('rules:\n  price:\n    tolerancePct: 12345678901234.5678\n', 'hub.yaml', {}).rules.price.tolerancePct).toBe('12345678901234.5678');
  });
});

describe('when the YAML itself is broken', () => {
  it('reports the syntax error with its line', () => {
    const error = configError('auth:\n  apiKeys:\n    - name: ops\n    role: admin\n');
    expect(error.details[0]?.line).toBe(4);
    expect(error.message).toMatch(/^hub\.yaml:4: All mapping items must start at the same column/);
  });

  it('reports a duplicate key', () => {
    expect(configError('log:\n  level: info\nlog:\n  level: debug\n').message).toMatch(/^hub\.yaml:3: Map keys must be unique/);
  });
});
