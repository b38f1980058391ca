import { orderDraftSchema } from '../../../core/order/order.schema';
import { computeTotals } from '../../../core/order/totals';
import { generateOrders } from '../../../connectors/edifact/edifact-orders.generator';
import { counter, outbound, parse, plain, sampleOrder, segmentsOf } from './edifact.harness';

/** What the parser should give back: the order's draft fields, defaults applied, totals as claimed. */
function expectedDraft(order: ReturnType<typeof sampleOrder>) {
  const { id: _id, totals: _totals, status: _status, ...draft } = order;
  return orderDraftSchema.parse({ ...draft, claimedTotals: computeTotals(order) });
}

describe('round trip: canonical order → generateOrders → parse', () => {
  describe('when names and texts hold every service character', () => {
    it("gives back the same order, with ' + : ? released on the wire", async () => {
      const order = sampleOrder();
      const doc = await generateOrders(order, outbound());
      expect(doc.body.toString('latin1')).toContain("NAD+BY+4012345000009++O?'Brien ?+ Partner?: Tiefbau?? GmbH");
      const result = await parse(doc.body);
      expect(result).toMatchObject({ ok: true, issues: [] });
      expect(result.orders[0]!.issues).toEqual([]);
      expect(result.orders[0]!.draft).toEqual(expectedDraft(order));
    });
  });

  describe('when the order is in Chinese', () => {
    const order = sampleOrder({
      customer: { name: '华东水务工程有限公司', contact: { name: '王工', email: 'wang@example.cn' } },
      shipTo: { name: '青浦泵站工地', street: '外青松公路 5000 号', city: '上海', postalCode: '201700', country: 'CN' },
      billTo: undefined,
      currency: 'CNY',
      paymentTerms: '30% 预付，验收后 30 天内付清 70%',
      notes: undefined,
      specialRequirements: undefined,
      lines: [{ lineNo: 1, sku: 'PUMP-200', description: '潜水泵 200 毫米', quantity: '2', uom: 'EA', unitPrice: '12160.00', taxRatePct: '13' }],
    });

    it('writes UNOY (syntax 4) in UTF-8 and reads it back unchanged', async () => {
      const doc = await generateOrders(order, outbound());
      expect(plain(segmentsOf(doc))[0]).toMatch(/^UNB\+UNOY:4\+/);
      expect(doc.body.toString('utf8')).toContain('华东水务工程有限公司');
      const result = await parse(doc.body);
      expect(result.orders[0]!.draft).toEqual(expectedDraft(order));
    });
  });

  it('writes D:01B when asked and reads it back', async () => {
    const doc = await generateOrders(sampleOrder(), outbound({ version: 'D:01B' }));
    expect(plain(segmentsOf(doc))[1]).toMatch(/^UNH\+\d+\+ORDERS:D:01B:UN$/);
    expect((await parse(doc.body)).orders[0]!.draft).toEqual(expectedDraft(sampleOrder()));
  });

  it('keeps a long name within C080 (5 × 35) and joins it back', async () => {
    const name = 'Shanghai Huadong Water Engineering Group Company Limited, Qingpu District Branch, Pumping Station Project Department';
    const order = sampleOrder({ customer: { name } });
    const nad = segmentsOf(await generateOrders(order, outbound())).find((s) => s.tag === 'NAD')!;
    expect(nad.elements[3]!.every((c) => c.length <= 35)).toBe(true);
    expect((await parse((await generateOrders(order, outbound())).body)).orders[0]!.draft?.customer.name).toBe(name);
  });

  it('takes its control numbers from the store: one for UNB, one per UNH', async () => {
    const numbers = counter(41);
    const doc = await generateOrders(sampleOrder(), outbound({ controlNumbers: numbers }));
    expect(numbers.calls).toEqual(['unb:41', 'unh:41']);
    expect(doc).toMatchObject({ format: 'edifact-orders', fileName: 'ORDERS-41.edi', contentType: 'application/edifact' });
    const result = await parse(doc.body);
    expect(result.interchange).toEqual({ sender: '14:4012345000009', receiver: '14:5412345000013', controlNumber: '41' });
  });
});
