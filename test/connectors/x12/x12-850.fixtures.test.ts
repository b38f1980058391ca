import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { FIXTURES, parse } from './x12-harness';

const names = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.edi'))
  .map((f) => f.slice(0, -'.edi'.length));

describe('X12 850 fixtures', () => {
  it('has at least two from public sources beside its own, each with its golden output', () => {
    expect(names.filter((n) => /node-x12|oopfactory/.test(n)).length).toBeGreaterThanOrEqual(2);
    for (const name of names) expect(existsSync(join(FIXTURES, `${name}.expected.json`))).toBe(true);
  });

  describe.each(names)('when %s.edi is read', (name) => {
    const mappingFile = join(FIXTURES, `${name}.mapping.yaml`);
    const mapping = existsSync(mappingFile) ? (parseYaml(readFileSync(mappingFile, 'utf8')) as Record<string, unknown>) : {};
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Record<string, unknown>;

    it('gives the expected interchange, issues and drafts', async () => {
      const result = await parse(readFileSync(join(FIXTURES, `${name}.edi`)), mapping);
      expect(result.ok).toBe(true);
      expect({ interchange: result.interchange, issues: result.issues, orders: result.orders }).toEqual(expected);
    });

    it('gives drafts the canonical schema accepts unchanged', async () => {
      const result = await parse(readFileSync(join(FIXTURES, `${name}.edi`)), mapping);
      for (const order of result.orders) expect(orderDraftSchema.parse(order.draft)).toEqual(order.draft);
    });
  });
});
