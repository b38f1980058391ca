import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Wire-format fixtures under test/fixtures/<kind>/: `<name>.xml`, its golden `<name>.expected.json`
 * and, when the partner needs overrides, `<name>.mapping.json`. `UPDATE_GOLDEN=1` rewrites the
 * golden files from the current output, to be reviewed in the diff like any other change.
 */
export interface XmlFixture {
  readonly name: string;
  readonly body: Buffer;
  readonly mapping: Record<string, unknown>;
  readonly expectedPath: string;
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function xmlFixtures(kind: 'cxml' | 'ubl' | 'idoc'): XmlFixture[] {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.xml'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.xml'.length);
      const mappingPath = join(dir, `${name}.mapping.json`);
      return {
        name,
        body: readFileSync(join(dir, file)),
        mapping: existsSync(mappingPath) ? (JSON.parse(readFileSync(mappingPath, 'utf8')) as Record<string, unknown>) : {},
        expectedPath: join(dir, `${name}.expected.json`),
      };
    });
}

/** The parse result as JSON (undefined fields dropped), equal to the golden file. */
export function expectGolden(actual: unknown, expectedPath: string): void {
  const json = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, json);
  expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
}
