import type { Issue } from '../../../core/order/order.types';
import { decide } from '../../../core/rules/decide';
import { ruleSettingsSchema } from '../../../core/rules/rule-settings.schema';

const settings = ruleSettingsSchema.parse({
  review: { onWarning: ['sales'], byRule: { price: ['finance'], stock: ['production'], 'delivery-date': ['production'] } },
});

function issue(rule: string, severity: Issue['severity']): Issue {
  return { rule, code: `${rule}.x`, severity, path: 'lines[0].sku', message: 'm' };
}

describe('decide', () => {
  it('confirms an order without issues', () => {
    expect(decide([], settings)).toEqual({ status: 'confirmed' });
  });

  it('rejects an order with any error, whatever else it has', () => {
    expect(decide([issue('price', 'warning'), issue('required-fields', 'error')], settings)).toEqual({ status: 'rejected' });
  });

  it('sends warnings to review by the roles asked for on any warning', () => {
    expect(decide([issue('totals', 'warning')], settings)).toEqual({ status: 'needs_review', requiredRoles: ['sales'] });
  });

  it('adds the roles of each warning rule, in first-seen order, each once', () => {
    const issues = [issue('stock', 'warning'), issue('price', 'warning'), issue('delivery-date', 'warning'), issue('stock', 'warning')];
    expect(decide(issues, settings)).toEqual({ status: 'needs_review', requiredRoles: ['sales', 'production', 'finance'] });
  });

  it('does not repeat a role named both on any warning and by a rule', () => {
    const overlapping = ruleSettingsSchema.parse({ review: { onWarning: ['sales', 'finance'], byRule: { price: ['finance', 'ceo'] } } });
    expect(decide([issue('price', 'warning')], overlapping)).toEqual({ status: 'needs_review', requiredRoles: ['sales', 'finance', 'ceo'] });
  });
});

describe('review settings', () => {
  it('refuse an empty list of roles for warnings, which would leave such orders unconfirmable', () => {
    expect(ruleSettingsSchema.safeParse({ review: { onWarning: [] } }).success).toBe(false);
  });
});
