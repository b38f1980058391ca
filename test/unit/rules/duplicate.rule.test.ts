import type { CanonicalOrder } from '../../../core/order/order.types';
import { duplicateRule } from '../../../core/rules/duplicate.rule';
import type { HubStore } from '../../../core/store/store.port';
import { makeOrder } from '../../support/order-factory';
import { openRuleStore, ruleContext, type SettingsInput } from './rule-context';

let store: HubStore;
let dispose: () => Promise<void>;
beforeAll(async () => ({ store, dispose } = await openRuleStore()));
afterAll(() => dispose());

// Each test uses a customer of its own, so orders stored by one test are not duplicates in another.
async function stored(overrides: Partial<CanonicalOrder>): Promise<CanonicalOrder> {
  return store.orders.create(makeOrder({ status: 'confirmed', ...overrides }), { events: [] });
}

function check(order: CanonicalOrder, settings?: SettingsInput) {
  return duplicateRule.check(ruleContext(store, order, { settings }));
}

describe('duplicate', () => {
  describe('when the customer has no other live order like it', () => {
    it('reports nothing', async () => {
      const customer = { id: 'DUP-NONE', name: 'Alone Ltd' };
      await stored({ customer, poNumber: 'PO-1' });
      expect(await check(makeOrder({ customer, poNumber: 'PO-2' }))).toEqual([]);
    });
  });

  describe('when the same customer already sent the same PO number', () => {
    it('reports an error at poNumber naming the earlier order', async () => {
      const customer = { id: 'DUP-PO', name: 'Twice Ltd' };
      const earlier = await stored({ customer, poNumber: 'PO-77' });
      expect(await check(makeOrder({ customer, poNumber: 'PO-77' }))).toEqual([
        {
          rule: 'duplicate',
          code: 'duplicate.po_number',
          severity: 'error',
          path: 'poNumber',
          message: `PO PO-77 already came in as order ${earlier.id}`,
        },
      ]);
    });
  });

  describe('when both the PO number and the content match', () => {
    it('reports the PO number only', async () => {
      const customer = { id: 'DUP-BOTH', name: 'Both Ltd' };
      const earlier = await stored({ customer, poNumber: 'PO-5', contentHash: 'hash-both' });
      const issues = await check(makeOrder({ customer, poNumber: 'PO-5', contentHash: 'hash-both' }));
      expect(issues.map((i) => i.code)).toEqual(['duplicate.po_number']);
      expect(issues[0]!.message).toContain(earlier.id);
    });
  });

  describe('when the same content came under another or no PO number', () => {
    it('warns at lines naming the earlier order', async () => {
      const customer = { id: 'DUP-CONTENT', name: 'Mailed And Keyed Ltd' };
      const earlier = await stored({ customer, poNumber: 'PO-MAIL', contentHash: 'hash-content' });
      expect(await check(makeOrder({ customer, poNumber: undefined, contentHash: 'hash-content' }))).toEqual([
        {
          rule: 'duplicate',
          code: 'duplicate.content',
          severity: 'warning',
          path: 'lines',
          message: `same content as order ${earlier.id} of this customer`,
        },
      ]);
    });
  });

  describe('when another customer used the same PO number', () => {
    it('reports nothing', async () => {
      await stored({ customer: { id: 'DUP-OTHER-A', name: 'A Ltd' }, poNumber: 'PO-SHARED' });
      expect(await check(makeOrder({ customer: { id: 'DUP-OTHER-B', name: 'B Ltd' }, poNumber: 'PO-SHARED' }))).toEqual([]);
    });
  });

  describe('when the earlier order was rejected or cancelled', () => {
    it('reports nothing', async () => {
      const customer = { id: 'DUP-DEAD', name: 'Retry Ltd' };
      await stored({ customer, poNumber: 'PO-9', status: 'rejected' });
      await stored({ customer, poNumber: 'PO-9', status: 'cancelled' });
      expect(await check(makeOrder({ customer, poNumber: 'PO-9' }))).toEqual([]);
    });
  });

  describe('when the order is checked again after it was stored', () => {
    it('does not find itself', async () => {
      const self = await stored({ customer: { id: 'DUP-SELF', name: 'Self Ltd' }, poNumber: 'PO-SELF' });
      expect(await check(self)).toEqual([]);
    });
  });

  describe('when config sets the severities', () => {
    it('uses them', async () => {
      const customer = { id: 'DUP-SEVERITY', name: 'Configured Ltd' };
      await stored({ customer, poNumber: 'PO-S1', contentHash: 'hash-severity' });
      const settings = { duplicate: { samePoNumber: 'warning', sameContent: 'error' } } as const;
      expect((await check(makeOrder({ customer, poNumber: 'PO-S1' }), settings)).map((i) => i.severity)).toEqual(['warning']);
      expect((await check(makeOrder({ customer, poNumber: 'PO-S2', contentHash: 'hash-severity' }), settings)).map((i) => i.severity)).toEqual([
        'error',
      ]);
    });
  });

  describe('when the check is disabled', () => {
    it('reports nothing, even for a repeated PO number', async () => {
      const customer = { id: 'DUP-OFF', name: 'Off Ltd' };
      await stored({ customer, poNumber: 'PO-OFF' });
      expect(await check(makeOrder({ customer, poNumber: 'PO-OFF' }), { duplicate: { enabled: false } })).toEqual([]);
    });
  });
});
