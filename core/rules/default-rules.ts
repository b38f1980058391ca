import { deliveryDateRule } from './delivery-date.rule';
import { duplicateRule } from './duplicate.rule';
import { priceRule } from './price.rule';
import { requiredFieldsRule } from './required-fields.rule';
import type { Rule } from './rule';
import { stockRule } from './stock.rule';
import { totalsRule } from './totals.rule';

/** The intake checks in the order a reviewer reads them: is it complete, is it new, can we make it, is it priced right. */
export const defaultRules: readonly Rule[] = [requiredFieldsRule, duplicateRule, deliveryDateRule, stockRule, priceRule, totalsRule];
