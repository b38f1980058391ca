import { requiredFieldsRule } from '../../../core/rules/required-fields.rule';
import type { HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext, type SettingsInput } from './rule-context';

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => ({ store, dispose } = await openRuleStore()));
afterAll(() => dispose());

const complete = { requestedDeliveryDate: '2026-03-16', paymentTerms: '30% advance, 70% on acceptance' };

function check(order = makeOrder(complete), settings?: SettingsInput) {
  return requiredFieldsRule.check(ruleContext(store, order, { settings }));
}

describe('required-fields', () => {
  describe('when every required field is filled', () => {
    it('reports nothing', async () => {
      expect(await check()).toEqual([]);
    });
  });

  describe('when an order-level field is absent', () => {
    it('reports each missing field at its path', async () => {
      const issues = await check(makeOrder());
      expect(issues).toEqual([
        {
          rule: 'required-fields',
          code: 'required.missing',
          severity: 'error',
          path: 'requestedDeliveryDate',
          message: 'requestedDeliveryDate is required',
        },
        { rule: 'required-fields', code: 'required.missing', severity: 'error', path: 'paymentTerms', message: 'paymentTerms is required' },
      ]);
    });
  });

  describe('when a nested field holds only whitespace', () => {
    it('reports it as missing', async () => {
      const order = makeOrder({ ...complete, customer: { id: 'CUST-1', name: '   ' } });
      expect((await check(order)).map((i) => i.path)).toEqual(['customer.name']);
    });
  });

  describe('when a line lacks a field required on every line', () => {
    it('reports the field on each line that lacks it, by index', async () => {
      const order = makeOrder({
        ...complete,
        lines: [
          { lineNo: 1, sku: 'PANEL-A', quantity: '10', uom: 'EA', unitPrice: '120.00', customerSku: 'C-77' },
          { lineNo: 2, sku: 'BRACKET-B', quantity: '2', uom: 'EA', unitPrice: '8.40' },
          { lineNo: 3, sku: 'BOLT-C', quantity: '100', uom: 'EA', unitPrice: '0.30', customerSku: ' ' },
        ],
      });
      const issues = await check(order, { required: { fields: ['lines[].customerSku'] } });
      expect(issues.map((i) => i.path)).toEqual(['lines[1].customerSku', 'lines[2].customerSku']);
    });
  });

  describe('when the order has no lines at all', () => {
    it('reports the list itself', async () => {
      const order = { ...makeOrder(complete), lines: [] };
      const issues = await check(order, { required: { fields: ['lines[].sku'] } });
      expect(issues.map((i) => i.path)).toEqual(['lines']);
    });
  });

  describe('when the parent of a required field is absent', () => {
    it('reports the configured path', async () => {
      const issues = await check(makeOrder(complete), { required: { fields: ['shipTo.city'] } });
      expect(issues.map((i) => i.path)).toEqual(['shipTo.city']);
    });
  });

  describe('when config makes missing fields a warning', () => {
    it('reports them with that severity', async () => {
      const issues = await check(makeOrder(), { required: { severity: 'warning' } });
      expect(issues.map((i) => i.severity)).toEqual(['warning', 'warning']);
    });
  });
});
