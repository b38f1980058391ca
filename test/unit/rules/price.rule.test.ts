import type { OrderLine } from '../../../core/order/order.types';
import { priceRule } from '../../../core/rules/price.rule';
import { customerKey, type HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext, type SettingsInput } from './rule-context';

const acme = { id: 'CUST-1', name: 'Acme Build Co.' };

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ store, dispose } = await openRuleStore());
  await store.prices.setPrices([
    { sku: 'PANEL-A', currency: 'CNY', unitPrice: '100.00' },
    { sku: 'PANEL-A', currency: 'USD', unitPrice: '14.00' },
    { sku: 'PANEL-A', currency: 'CNY', unitPrice: '80.00', customerKey: customerKey(acme) },
    { sku: 'PANEL-A', currency: 'CNY', unitPrice: '60.00', customerKey: customerKey({ id: 'CUST-2', name: 'Other' }) },
    { sku: 'BEAM-C', currency: 'CNY', unitPrice: '100.00' },
    { sku: 'SAMPLE-S', currency: 'CNY', unitPrice: '0' },
    { sku: 'CUSTOM-K', currency: 'CNY', unitPrice: '50.00', customerKey: customerKey({ id: 'CUST-2', name: 'Other' }) },
  ]);
});
afterAll(() => dispose());

function line(lineNo: number, sku: string, unitPrice: string, discountPct?: string): OrderLine {
  return { lineNo, sku, quantity: '1', uom: 'EA', unitPrice, ...(discountPct && { discountPct }) };
}

function check(lines: OrderLine[], options: { customer?: typeof acme; currency?: string; settings?: SettingsInput } = {}) {
  const order = makeOrder({ lines, customer: options.customer ?? { id: 'CUST-9', name: 'List Price Buyer' }, currency: options.currency ?? 'CNY' });
  return priceRule.check(ruleContext(store, order, { settings: options.settings }));
}

describe('price', () => {
  describe('when every line is within tolerance of the list price', () => {
    it('reports nothing, up to and including the tolerance', async () => {
      expect(await check([line(1, 'BEAM-C', '101.50'), line(2, 'BEAM-C', '98.00'), line(3, 'BEAM-C', '102')])).toEqual([]);
    });
  });

  describe('when a line deviates beyond the tolerance', () => {
    it('warns at its unit price with both prices and the deviation', async () => {
      expect(await check([line(1, 'BEAM-C', '100'), line(2, 'BEAM-C', '95.00')])).toEqual([
        {
          rule: 'price',
          code: 'price.out_of_tolerance',
          severity: 'warning',
          path: 'lines[1].unitPrice',
          message: 'SKU BEAM-C: unit price 95.00 vs list price 100 CNY, deviation 5.00% exceeds 2%',
        },
      ]);
    });
  });

  describe('when the customer has a price of its own', () => {
    it('compares with that price instead of the list price', async () => {
      expect(await check([line(1, 'PANEL-A', '80.00')], { customer: acme })).toEqual([]);
      const issues = await check([line(1, 'PANEL-A', '100.00')], { customer: acme });
      expect(issues.map((i) => i.message)).toEqual(['SKU PANEL-A: unit price 100.00 vs customer price 80 CNY, deviation 25.00% exceeds 2%']);
    });

    it("does not apply another customer's price", async () => {
      expect(await check([line(1, 'PANEL-A', '100.00')])).toEqual([]);
    });
  });

  describe('when a line has a discount', () => {
    it('compares the net unit price', async () => {
      expect(await check([line(1, 'BEAM-C', '105.00', '5')])).toEqual([]);
      const issues = await check([line(1, 'BEAM-C', '100.00', '10')]);
      expect(issues.map((i) => i.message)).toEqual([
        'SKU BEAM-C: net unit price 90 (after 10% discount) vs list price 100 CNY, deviation 10.00% exceeds 2%',
      ]);
    });
  });

  describe('when the list price is zero', () => {
    it('accepts a free line and flags a charged one', async () => {
      expect(await check([line(1, 'SAMPLE-S', '0.00')])).toEqual([]);
      const issues = await check([line(1, 'SAMPLE-S', '5.00')]);
      expect(issues.map((i) => i.message)).toEqual(['SKU SAMPLE-S: unit price 5.00 vs list price 0 CNY, deviation unbounded exceeds 2%']);
    });
  });

  describe('when a SKU has no price for this customer in the order currency', () => {
    it('warns at the unit price of each such line', async () => {
      const issues = await check([line(1, 'GHOST-X', '1.00'), line(2, 'CUSTOM-K', '50.00'), line(3, 'BEAM-C', '100')]);
      expect(issues).toEqual([
        { rule: 'price', code: 'price.missing', severity: 'warning', path: 'lines[0].unitPrice', message: 'no price for SKU GHOST-X in CNY' },
        { rule: 'price', code: 'price.missing', severity: 'warning', path: 'lines[1].unitPrice', message: 'no price for SKU CUSTOM-K in CNY' },
      ]);
    });

    it('does not compare across currencies', async () => {
      expect((await check([line(1, 'BEAM-C', '100')], { currency: 'USD' })).map((i) => i.code)).toEqual(['price.missing']);
      expect(await check([line(1, 'PANEL-A', '14.00')], { currency: 'USD' })).toEqual([]);
    });
  });

  describe('when config sets the tolerance and severities', () => {
    it('uses them', async () => {
      const settings = { price: { tolerancePct: '10', outOfTolerance: 'error', missingPrice: 'error' } } as const;
      const issues = await check([line(1, 'BEAM-C', '91'), line(2, 'BEAM-C', '89'), line(3, 'GHOST-X', '1')], { settings });
      expect(issues.map((i) => [i.path, i.code, i.severity])).toEqual([
        ['lines[1].unitPrice', 'price.out_of_tolerance', 'error'],
        ['lines[2].unitPrice', 'price.missing', 'error'],
      ]);
    });
  });

  describe('when the check is disabled', () => {
    it('reports nothing, even for a SKU without a price', async () => {
      expect(await check([line(1, 'GHOST-X', '1.00')], { settings: { price: { enabled: false } } })).toEqual([]);
    });
  });
});
