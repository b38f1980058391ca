import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseResult } from '../../../connectors/connector';
import { emailOrderParser as parser } from '../../../connectors/email/email-order.parser';
import { fixtureMails } from '../../fixtures/email/fixture-mails';
import { FIXTURE_DIR, fixtureBytes, fixtureMapping } from '../../fixtures/email/generate';
import { orderSheets } from '../../fixtures/email/order-sheets';

const fixture = (name: string): Buffer => readFileSync(join(FIXTURE_DIR, name));
/** The result as JSON, with the bytes of a handed-off attachment as their SHA-256, so the golden files stay readable. */
const plain = (result: ParseResult): unknown =>
  JSON.parse(JSON.stringify(result, (_key, value: unknown) => (isSerialisedBuffer(value) ? `sha256:${createHash('sha256').update(Buffer.from(value.data)).digest('hex')}` : value)));

function isSerialisedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}
const names = readdirSync(FIXTURE_DIR)
  .filter((name) => name.endsWith('.eml'))
  .map((name) => name.replace(/\.eml$/, ''));

describe('email fixtures', () => {
  it('has the mails the issue names, at least 20', () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
  });

  describe('when each fixture mail is parsed with mapping.yaml', () => {
    it.each(names)('%s.eml gives %s.expected.json', async (name) => {
      const result = await parser.parse(fixture(`${name}.eml`), { mapping: fixtureMapping() });
      expect(plain(result)).toEqual(JSON.parse(fixture(`${name}.expected.json`).toString('utf8')));
    });
  });

  describe('when generate.ts writes the fixtures again', () => {
    it('writes the bytes that are checked in, sheets and mails alike', async () => {
      const sheets: Record<string, Buffer> = {};
      for (const [name, build] of Object.entries(orderSheets)) {
        sheets[name] = await build();
        expect(sheets[name].equals(fixture(name))).toBe(true);
      }
      const mails = fixtureMails(sheets);
      expect(Object.keys(mails).sort()).toEqual([...names].sort());
      for (const [name, mail] of Object.entries(mails)) expect({ name, same: fixtureBytes(mail).equals(fixture(`${name}.eml`)) }).toEqual({ name, same: true });
    });
  });

  describe('when the hub sniffs a raw message', () => {
    it.each(names.filter((name) => name !== 'not-a-mail'))('recognises %s.eml as a mail', (name) => {
      expect(parser.sniff(fixture(`${name}.eml`))).toBe(true);
    });

    it.each([
      ['a bare text file', fixture('not-a-mail.eml')],
      ['an X12 interchange', Buffer.from('ISA|00|          |00|          |ZZ|HARBORCO       |ZZ|ORDERHUB       |261120|0940|U|00401|000000451|0|P|^\n')],
      ['an EDIFACT interchange', Buffer.from("UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+261120:0940+1'")],
      ['a CSV sheet', Buffer.from('Subject,SKU,Qty\nPO,PUMP-200,2\n')],
      ['headers of no mail', Buffer.from('Content-Type: text/plain\nX-Custom: 1\n\nbody')],
    ])('does not claim %s', (_what, body) => {
      expect(parser.sniff(body)).toBe(false);
    });

    it('claims any .eml file by its name', () => {
      expect(parser.sniff(Buffer.from('whatever'), 'Fwd 订单.EML')).toBe(true);
    });
  });
});
