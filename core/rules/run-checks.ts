import type { Issue } from '../order/order.types';
import { defaultRules } from './default-rules';
import type { Rule, RuleContext } from './rule';

/**
 * Runs every rule, one after another, and returns their issues in rule order, so the review screen
 * and the order's history list them the same way each time. A rule that throws has a bug (bad data
 * is an issue, not an exception): the error propagates and intake retries or dead-letters the job.
 */
export async function runChecks(ctx: RuleContext, rules: readonly Rule[] = defaultRules): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const rule of rules) issues.push(...(await rule.check(ctx)));
  return issues;
}
