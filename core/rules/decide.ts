import type { Issue } from '../order/order.types';
import type { RuleSettings } from './rule-settings.schema';

export type Decision = { status: 'confirmed' } | { status: 'needs_review'; requiredRoles: string[] } | { status: 'rejected' };

/**
 * What the checks mean for the order: any error rejects it; warnings send it to joint review (会签),
 * where every role in `requiredRoles` must approve (the roles asked for on any warning, then those
 * each warning's rule adds, in first-seen order); no issues confirm it at once.
 */
export function decide(issues: readonly Issue[], settings: Pick<RuleSettings, 'review'>): Decision {
  if (issues.some((i) => i.severity === 'error')) return { status: 'rejected' };
  if (issues.length === 0) return { status: 'confirmed' };
  const roles = new Set(settings.review.onWarning);
  for (const { rule } of issues) for (const role of settings.review.byRule[rule] ?? []) roles.add(role);
  return { status: 'needs_review', requiredRoles: [...roles] };
}
