import type { Approval } from '../../../core/order/order.types';
import { approvalState } from '../../../core/rules/approvals';

function approval(role: string, decision: Approval['decision'], actor = `${role}-lead`): Approval {
  return { step: 'intake-review', role, decision, actor, at: '2026-03-02T10:00:00+08:00' };
}

const review = { requiredRoles: ['sales', 'finance', 'production'] };

describe('approvalState', () => {
  it('has every required role pending before anyone signs', () => {
    expect(approvalState({ review, approvals: [] })).toEqual({ approvedRoles: [], pendingRoles: ['sales', 'finance', 'production'] });
  });

  it('moves a role from pending to approved when it approves', () => {
    expect(approvalState({ review, approvals: [approval('finance', 'approved')] })).toEqual({
      approvedRoles: ['finance'],
      pendingRoles: ['sales', 'production'],
    });
  });

  it('counts a role once however often it approves', () => {
    const state = approvalState({ review, approvals: [approval('sales', 'approved', 'li'), approval('sales', 'approved', 'wang')] });
    expect(state.approvedRoles).toEqual(['sales']);
    expect(state.pendingRoles).toEqual(['finance', 'production']);
  });

  it('leaves nothing pending when all required roles approved', () => {
    const approvals = ['production', 'sales', 'finance'].map((r) => approval(r, 'approved'));
    expect(approvalState({ review, approvals })).toEqual({ approvedRoles: ['sales', 'finance', 'production'], pendingRoles: [] });
  });

  it('does not let a role that was not asked for stand in for one that was', () => {
    expect(approvalState({ review, approvals: [approval('ceo', 'approved')] }).pendingRoles).toEqual(['sales', 'finance', 'production']);
  });

  it('names the first rejection, even after other roles approved', () => {
    const rejection = approval('production', 'rejected', 'zhao');
    const state = approvalState({ review, approvals: [approval('sales', 'approved'), rejection, approval('finance', 'rejected')] });
    expect(state.rejectedBy).toEqual(rejection);
    expect(state.approvedRoles).toEqual(['sales']);
  });

  it('has nothing to approve for an order that was never sent to review', () => {
    expect(approvalState({ approvals: [] })).toEqual({ approvedRoles: [], pendingRoles: [] });
  });
});
