import { ruleSettingsSchema } from '../../../core/rules/rule-settings.schema';
import { checkRuleOverrides, withRuleOverrides } from '../../../core/rules/rule-overrides';
import { parseConfig } from '../../../config/load-config';

const hub = ruleSettingsSchema.parse({ delivery: { leadTimeDays: 10, weekend: ['sun'] } });

describe("a source's rule overrides", () => {
  it('change only what they name: objects merge, lists replace', () => {
    const shop = withRuleOverrides(hub, { required: { fields: ['customer.name', 'lines[].sku'] }, delivery: { leadTimeDays: 1 } });
    expect(shop.required.fields).toEqual(['customer.name', 'lines[].sku']);
    expect(shop.required.severity).toBe(hub.required.severity);
    expect(shop.delivery.leadTimeDays).toBe(1);
    expect(shop.delivery.weekend).toEqual(['sun']);
    expect(shop.stock).toEqual(hub.stock);
  });

  it('leave the hub settings untouched', () => {
    withRuleOverrides(hub, { delivery: { leadTimeDays: 1 } });
    expect(hub.delivery.leadTimeDays).toBe(10);
  });

  it('name an unknown key with its path and the keys that exist', () => {
    const problems = checkRuleOverrides(hub, { delivery: { leadTimDays: 1 } });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toEqual(['delivery', 'leadTimDays']);
    expect(problems[0]!.message).toMatch(/unknown key "leadTimDays"; expected one of .*leadTimeDays/);
  });

  it('name a value the settings refuse', () => {
    const problems = checkRuleOverrides(hub, { stock: { unknownSku: 'maybe' } });
    expect(problems.map((p) => p.path)).toEqual([['stock', 'unknownSku']]);
  });
});

describe('rule overrides in hub.yaml', () => {
  it('are refused at load with the file line and the key path when they name an unknown rule setting', () => {
    const yaml = [
      'connectors:',
      '  - id: woo',
      '    kind: woocommerce',
      '    currency: EUR',
      '    storeUrl: https://shop.example.com',
      '    consumerKey: ${WOO_KEY}',
      '    consumerSecret: ${WOO_SECRET}',
      '    webhookSecret: ${WOO_SECRET}',
      '    rules:',
      '      required:',
      '        feilds: [customer.name]',
    ].join('\n');
    expect(() => parseConfig(yaml, 'hub.yaml', { WOO_KEY: 'ck', WOO_SECRET: 'cs' })).toThrow(/connectors\[0\]\.rules\.required\.feilds: unknown key "feilds"/);
  });
});
