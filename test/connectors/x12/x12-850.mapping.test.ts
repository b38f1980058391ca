import { edit, fixture, parse } from './x12-harness';

const good = fixture('850-5010-two-orders.edi');

describe('X12 850 mapping', () => {
  describe('when a partner mapping overrides the qualifiers', () => {
    it('takes the SKU from the partner qualifiers in their order of preference', async () => {
      const result = await parse(good, { items: { sku: ['BP', 'VP'], customerSku: ['VP'] } });
      expect(result.orders[0]!.draft!.lines.map((l) => [l.sku, l.customerSku])).toEqual([
        ['HC-PMP-01', 'PUMP-200'],
        ['HC-STL-77', 'BEAM-H200'],
        ['BOLT-M20', 'BOLT-M20'],
      ]);
    });

    it('rejects an order with a line lacking the partner qualifier, naming PO1 and what it has', async () => {
      const result = await parse(good, { items: { sku: ['BP'] } });
      expect(result.orders[0]!.draft).toBeUndefined();
      expect(result.orders[0]!.issues).toEqual([
        {
          path: 'segment 22 (PO1) PO107',
          message: 'lines[2].sku: is required; no product ID qualified BP (mapping.items.sku); this PO1 has VP',
          code: 'x12.element_missing',
        },
      ]);
    });

    it('takes the ship-to from the N1 loop the partner names', async () => {
      const result = await parse(good, { parties: { shipTo: 'BT' } });
      expect(result.orders[0]!.draft!.shipTo).toEqual({
        name: 'Harbor Construction Inc. AP',
        street: 'PO Box 9120',
        city: 'Seattle',
        region: 'WA',
        postalCode: '98109',
        country: 'US',
      });
    });
  });

  describe('when the PO number is in a REF', () => {
    it('takes REF02 of the qualifier the mapping names', async () => {
      const result = await parse(good, { poNumberRef: 'CT' });
      expect(result.orders[0]!.draft!.poNumber).toBe('FRAME-2026-07');
    });

    it('falls back to BEG03 with an issue when that REF is absent', async () => {
      const result = await parse(good, { poNumberRef: 'CT' });
      expect(result.orders[1]!.draft!.poNumber).toBe('PO-2026-0816');
      expect(result.orders[1]!.issues).toEqual([expect.objectContaining({ path: 'segment 27 (BEG) BEG03', code: 'x12.segment_missing' })]);
    });
  });

  describe('when the 850 has no CUR', () => {
    it('uses the mapping default currency', async () => {
      const result = await parse(good, { defaultCurrency: 'CAD' });
      expect(result.orders.map((o) => o.draft!.currency)).toEqual(['USD', 'CAD']);
    });
  });

  describe('when no N1 loop names the customer', () => {
    const noBuyer = fixture('850-node-x12-vics-4010.edi');

    it('takes the interchange sender by default', async () => {
      const result = await parse(noBuyer);
      expect(result.orders[0]!.draft!.customer).toEqual({ id: '12:4405197800', name: '4405197800' });
    });

    it('rejects the order, naming the ST and the qualifier, when the fallback is none', async () => {
      const result = await parse(noBuyer, { parties: { customerFallback: 'none' } });
      expect(result.orders[0]!.draft).toBeUndefined();
      expect(result.orders[0]!.issues).toEqual([
        { path: 'segment 3 (ST)', message: 'customer: is required; no N1*BY loop (mapping.parties.customer)', code: 'x12.segment_missing' },
      ]);
    });
  });

  describe('numbers', () => {
    it('pass through as written, normalising only ".5" and a leading "+"', async () => {
      const lines = (await parse(good)).orders[0]!.draft!.lines;
      expect(lines.map((l) => [l.quantity, l.unitPrice])).toEqual([
        ['12', '1480.00'],
        ['0.5', '860'],
        ['40', '12.5'],
      ]);
    });

    it('that do not parse reject the order, naming the element and the value', async () => {
      const result = await parse(edit(good, 'PO1*1*4*EA*460.00', 'PO1*1*four*EA*460,00'));
      expect(result.orders[1]!.draft).toBeUndefined();
      expect(result.orders[1]!.issues).toEqual([
        { path: 'segment 31 (PO1) PO102', message: 'lines[0].quantity: must be a decimal number as a string, e.g. "12.50" (got "four")', code: 'x12.element_invalid' },
        { path: 'segment 31 (PO1) PO104', message: 'lines[0].unitPrice: must be a decimal number as a string, e.g. "12.50" (got "460,00")', code: 'x12.element_invalid' },
      ]);
    });

    it('of zero quantity are refused by the draft schema, named at PO102', async () => {
      const result = await parse(edit(good, 'PO1*1*4*EA', 'PO1*1*0*EA'));
      expect(result.orders[1]!.issues).toEqual([expect.objectContaining({ path: 'segment 31 (PO1) PO102', message: 'lines[0].quantity: must be greater than zero (got "0")' })]);
    });
  });

  describe('dates', () => {
    it('become YYYY-MM-DD at header and line level', async () => {
      const draft = (await parse(good)).orders[0]!.draft!;
      expect([draft.requestedDeliveryDate, draft.lines[0]!.requestedDate]).toEqual(['2026-12-15', '2026-12-01']);
    });

    it('that are not calendar days reject the order, naming DTM02', async () => {
      const result = await parse(edit(good, 'DTM*002*20261215', 'DTM*002*20261315'));
      expect(result.orders[0]!.issues).toEqual([expect.objectContaining({ path: 'segment 8 (DTM) DTM02', code: 'x12.element_invalid' })]);
    });
  });

  describe('when CTT01 disagrees with the PO1 count', () => {
    it('keeps the draft and reports CTT01', async () => {
      const result = await parse(edit(good, 'CTT*3~', 'CTT*4~'));
      expect(result.orders[0]!.draft!.lines).toHaveLength(3);
      expect(result.orders[0]!.issues).toEqual([
        { path: 'segment 23 (CTT) CTT01', message: 'CTT01 says 4 line items; the set has 3 PO1 segments', code: 'x12.line_count' },
      ]);
    });
  });

  describe('when a contact e-mail or a country code is unusable', () => {
    it('leaves it out and says so, keeping the order', async () => {
      const body = edit(edit(good, 'EM*dana.ortiz@harbor.example', 'EM*dana at harbor'), 'N4*Seattle*WA*98121*US', 'N4*Seattle*WA*98121*USA');
      const order = (await parse(body)).orders[0]!;
      expect(order.draft!.customer.contact).toEqual({ name: 'Dana Ortiz', phone: '+1 206 555 0134' });
      expect(order.draft!.shipTo!.country).toBeUndefined();
      expect(order.issues.map((i) => [i.path, i.code])).toEqual([
        ['segment 10 (PER) PER06', 'x12.value_dropped'],
        ['segment 13 (N4) N404', 'x12.value_dropped'],
      ]);
    });
  });

  describe('when the mapping itself is invalid', () => {
    it('refuses the document as mapping.invalid, naming the mapping field', async () => {
      const result = await parse(good, { items: { sku: ['vendor part'] }, currency: 'USD' });
      expect(result).toMatchObject({ ok: false, code: 'mapping.invalid', orders: [] });
      expect(result.issues.map((i) => i.path)).toEqual(['mapping.items.sku[0]', 'mapping.currency']);
    });
  });
});
