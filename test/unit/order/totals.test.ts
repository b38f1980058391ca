import { canonicalOrderJsonSchema, orderDraftJsonSchema } from '../../../core/order/order.json-schema';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { computeTotals, crossCheckTotals } from '../../../core/order/totals';
import { orderContentHash } from '../../../core/order/content-hash';

const draft = (lines: object[], currency = 'CNY') =>
  orderDraftSchema.parse({ customer: { name: 'Acme' }, currency, lines: lines.map((l, i) => ({ lineNo: i + 1, sku: `SKU-${i}`, ...l })) });

describe('order totals', () => {
  it('adds decimals exactly where floats would drift', () => {
    const totals = computeTotals(draft([{ quantity: '3', unitPrice: '0.1' }, { quantity: '1', unitPrice: '0.2' }]));
    expect(totals).toEqual({ net: '0.50', tax: '0.00', gross: '0.50' });
  });

  it('applies discounts and rounds tax per line half up', () => {
    const totals = computeTotals(draft([{ quantity: '3', unitPrice: '33.335', discountPct: '10', taxRatePct: '13' }, { quantity: '1', unitPrice: '0.05', taxRatePct: '13' }]));
    // 3 × 33.335 = 100.005, less 10% = 90.0045 → 90.00; tax 11.70; second line 0.05, tax 0.0065 → 0.01
    expect(totals).toEqual({ net: '90.05', tax: '11.71', gross: '101.76' });
  });

  it('uses the currency minor unit (JPY has none)', () => {
    expect(computeTotals(draft([{ quantity: '3', unitPrice: '333.5' }], 'JPY'))).toEqual({ net: '1001', tax: '0', gross: '1001' });
  });

  it('handles amounts beyond float precision', () => {
    const totals = computeTotals(draft([{ quantity: '123456789', unitPrice: '98765.4321' }]));
    expect(totals.net).toBe('12193263111263.53');
  });

  it('reports each claimed total that disagrees, naming the field', () => {
    const computed = { net: '100.00', tax: '13.00', gross: '113.00' };
    expect(crossCheckTotals({ net: '100', tax: '13.00', gross: '113.00' }, computed)).toEqual([]);
    const issues = crossCheckTotals({ net: '100.00', gross: '131.00' }, computed);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'totals.mismatch', path: 'claimedTotals.gross', severity: 'warning' });
  });
});

describe('order draft schema', () => {
  it('refuses numbers where decimals are strings, negative quantities and bad dates, naming each field', () => {
    const result = orderDraftSchema.safeParse({
      customer: { name: 'Acme' },
      currency: 'CNY',
      requestedDeliveryDate: '2026-13-45',
      lines: [{ lineNo: 1, sku: 'A', quantity: 1.5, unitPrice: '1' }, { lineNo: 2, sku: 'B', quantity: '-2', unitPrice: '1' }],
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['requestedDeliveryDate', 'lines.0.quantity', 'lines.1.quantity']));
  });

  it('exports JSON Schemas with decimals as patterned strings', () => {
    const schema = canonicalOrderJsonSchema() as { properties: Record<string, any> };
    const line = schema.properties.lines.items.properties;
    expect(line.quantity.type).toBe('string');
    expect(line.quantity.pattern).toBeDefined();
    expect(schema.properties.status.enum).toContain('needs_review');
    expect((orderDraftJsonSchema() as { required: string[] }).required).toEqual(expect.arrayContaining(['customer', 'currency', 'lines']));
  });
});

describe('content hash', () => {
  it('is the same for the same order written differently and differs when a quantity changes', () => {
    const a = draft([{ quantity: '10', unitPrice: '5' }, { quantity: '1', unitPrice: '2.5' }]);
    const b = { ...a, lines: [{ ...a.lines[1]!, quantity: '1.00' }, { ...a.lines[0]!, unitPrice: '5.0' }] };
    expect(orderContentHash(b)).toBe(orderContentHash(a));
    expect(orderContentHash({ ...a, lines: [{ ...a.lines[0]!, quantity: '11' }, a.lines[1]!] })).not.toBe(orderContentHash(a));
  });
});
