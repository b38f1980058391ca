import type { OrderLine } from '../../../core/order/order.types';
import { stockRule } from '../../../core/rules/stock.rule';
import type { HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext, type SettingsInput } from './rule-context';

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ store, dispose } = await openRuleStore());
  await store.inventory.setStock([
    { sku: 'PANEL-A', location: 'WH-SH', onHand: '100' },
    { sku: 'PANEL-A', location: 'WH-SZ', onHand: '50' },
    { sku: 'BRACKET-B', location: 'WH-SH', onHand: '2.5' },
    { sku: 'BEAM-C', location: 'WH-SH', onHand: '100' },
    { sku: 'BOLT-D', location: 'WH-SH', onHand: '100' },
    { sku: 'PIPE-E', location: 'WH-SH', onHand: '20' },
  ]);
  // Another confirmed order holds 90 of BOLT-D.
  await store.orders.create(makeOrder({ status: 'confirmed' }), { events: [], stock: [{ sku: 'BOLT-D', location: 'WH-SH', quantity: '90' }] });
});
afterAll(() => dispose());

function line(lineNo: number, sku: string, quantity: string): OrderLine {
  return { lineNo, sku, quantity, uom: 'EA', unitPrice: '10.00' };
}

function check(lines: OrderLine[], settings?: SettingsInput) {
  return stockRule.check(ruleContext(store, makeOrder({ lines }), { settings }));
}

describe('stock', () => {
  describe('when every SKU is available in the quantity ordered', () => {
    it('reports nothing, adding up all locations', async () => {
      expect(await check([line(1, 'PANEL-A', '150'), line(2, 'BRACKET-B', '2.50')])).toEqual([]);
    });
  });

  describe('when a SKU is not in inventory', () => {
    it('reports an error at the first line with that SKU', async () => {
      expect(await check([line(1, 'PANEL-A', '1'), line(2, 'GHOST-X', '1'), line(3, 'GHOST-X', '2')])).toEqual([
        { rule: 'stock', code: 'stock.unknown_sku', severity: 'error', path: 'lines[1].sku', message: 'SKU GHOST-X is not in inventory' },
      ]);
    });
  });

  describe('when lines of one SKU together exceed what is available', () => {
    it('warns at the first such line with ordered and available quantities', async () => {
      expect(await check([line(1, 'BEAM-C', '60'), line(2, 'PANEL-A', '1'), line(3, 'BEAM-C', '60.5')])).toEqual([
        {
          rule: 'stock',
          code: 'stock.shortage',
          severity: 'warning',
          path: 'lines[0].quantity',
          message: 'SKU BEAM-C: ordered 120.5 but only 100 available',
        },
      ]);
    });
  });

  describe("when other orders' reservations leave too little", () => {
    it('compares with available-to-promise, not on hand', async () => {
      const issues = await check([line(1, 'BOLT-D', '11')]);
      expect(issues.map((i) => i.message)).toEqual(['SKU BOLT-D: ordered 11 but only 10 available']);
    });
  });

  describe('when the order is checked again after reserving its own stock', () => {
    it('counts its own reservation as available', async () => {
      const order = makeOrder({ status: 'confirmed', lines: [line(1, 'PIPE-E', '20')], reservations: [{ sku: 'PIPE-E', quantity: '20', location: 'WH-SH' }] });
      await store.orders.create(order, { events: [], stock: [{ sku: 'PIPE-E', location: 'WH-SH', quantity: '20' }] });
      expect(await stockRule.check(ruleContext(store, order))).toEqual([]);
    });
  });

  describe('when config sets the severities', () => {
    it('uses them', async () => {
      const issues = await check([line(1, 'GHOST-X', '1'), line(2, 'BEAM-C', '101')], { stock: { unknownSku: 'warning', shortage: 'error' } });
      expect(issues.map((i) => [i.code, i.severity])).toEqual([
        ['stock.unknown_sku', 'warning'],
        ['stock.shortage', 'error'],
      ]);
    });
  });

  describe('when the check is disabled', () => {
    it('reports nothing, even for an unknown SKU', async () => {
      expect(await check([line(1, 'GHOST-X', '1')], { stock: { enabled: false } })).toEqual([]);
    });
  });
});
