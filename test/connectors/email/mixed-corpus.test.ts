import { emailOrderParser as parser } from '../../../connectors/email/email-order.parser';
import { fixtureMapping, MIXED_SKUS, mixedEmails } from '../../fixtures/email/generate';

describe('the mixed email corpus (for the IMAP integration test and the benchmark)', () => {
  const mails = mixedEmails(200, 20261123);

  it('is the same for the same seed and different for another', () => {
    expect(mixedEmails(200, 20261123).map((m) => m.eml.toString('base64'))).toEqual(mails.map((m) => m.eml.toString('base64')));
    expect(mixedEmails(20, 7)[0]?.eml.equals(mails[0]!.eml)).toBe(false);
  });

  it('mixes orders and photographed orders with every kind of mail that must be quarantined', () => {
    const kinds = new Set(mails.map((m) => m.expect.quarantine ?? (m.expect.handOffs ? 'scan' : 'order')));
    expect([...kinds].sort()).toEqual(['email.malformed', 'email.no_order', 'email.unknown_charset', 'order', 'scan', 'spreadsheet.unreadable']);
  });

  it('gives each mail exactly the outcome it expects, with known SKUs and a PO number of its own', async () => {
    const mapping = fixtureMapping();
    const poNumbers = new Set<string>();
    const outcomes = await Promise.all(
      mails.map(async ({ eml, expect: expected }, index) => {
        const result = await parser.parse(eml, { mapping });
        const drafts = result.orders.flatMap((order) => (order.draft ? [order.draft] : []));
        for (const draft of drafts) {
          poNumbers.add(draft.poNumber ?? '');
          for (const line of draft.lines) expect(MIXED_SKUS.map((s) => s.sku)).toContain(line.sku);
        }
        const outcome = { orders: drafts.length, quarantine: result.ok ? undefined : result.code, handOffs: result.handOffs?.length ?? 0 };
        return { index, ...outcome, expected: { orders: expected.orders, quarantine: expected.quarantine, handOffs: expected.handOffs ?? 0 } };
      }),
    );
    expect(outcomes.filter((o) => o.orders !== o.expected.orders || o.quarantine !== o.expected.quarantine || o.handOffs !== o.expected.handOffs)).toEqual([]);
    expect(poNumbers.size).toBe(mails.filter((m) => m.expect.orders === 1).length);
  });
});
