import { HubError } from './hub-error';

/** A lifecycle move the transition table does not allow. Never a silent no-op. */
export class IllegalTransitionError extends HubError {
  constructor(
    readonly orderId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super('lifecycle.illegal_transition', `order ${orderId} cannot move from ${from} to ${to}`, 'user', {
      details: [{ path: 'status', message: `${from} → ${to} is not an allowed transition` }],
    });
  }
}
