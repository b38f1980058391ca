import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from './edifact.harness';

const DIR = join(__dirname, '../../fixtures/edifact');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.edi'))
  .map((f) => f.slice(0, -'.edi'.length));

describe('EDIFACT fixtures (test/fixtures/edifact, sources in SOURCES.md)', () => {
  it('has every fixture paired with its golden result, at least two of them public', () => {
    expect(fixtures.filter((f) => !existsSync(join(DIR, `${f}.expected.json`)))).toEqual([]);
    expect(fixtures.filter((f) => f.startsWith('pydifact-') || f.startsWith('smooks-')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(fixtures)('%s.edi parses to %s.expected.json', async (name) => {
    const mappingFile = join(DIR, `${name}.mapping.json`);
    const mapping = existsSync(mappingFile) ? (JSON.parse(readFileSync(mappingFile, 'utf8')) as Record<string, unknown>) : {};
    const result = await parse(readFileSync(join(DIR, `${name}.edi`)), mapping);
    const expected: unknown = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8'));
    // Through JSON, as the result is stored: absent and undefined fields compare alike.
    expect(JSON.parse(JSON.stringify(result))).toEqual(expected);
  });
});
