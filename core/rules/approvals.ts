import type { Approval, CanonicalOrder } from '../order/order.types';

export interface ApprovalState {
  /** Required roles that have approved, in the order they are required. */
  readonly approvedRoles: string[];
  /** Required roles still to approve; empty means the review is complete. */
  readonly pendingRoles: string[];
  /** The first rejection, by any role: one "no" ends the joint review. */
  readonly rejectedBy?: Approval;
}

/**
 * Where an order's joint review (会签) stands. A role counts once however often it approves, and
 * approvals by roles that were not asked for do not stand in for those that were.
 */
export function approvalState(order: Pick<CanonicalOrder, 'review' | 'approvals'>): ApprovalState {
  const required = order.review?.requiredRoles ?? [];
  const approved = new Set(order.approvals.filter((a) => a.decision === 'approved').map((a) => a.role));
  const rejectedBy = order.approvals.find((a) => a.decision === 'rejected');
  return {
    approvedRoles: required.filter((role) => approved.has(role)),
    pendingRoles: required.filter((role) => !approved.has(role)),
    ...(rejectedBy ? { rejectedBy } : {}),
  };
}
