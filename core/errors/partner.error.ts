import { HubError } from './hub-error';

/** What a partner answered, kept for diagnosis on the delivery record. */
export interface PartnerResponse {
  readonly status?: number;
  readonly body?: string;
}

/** A failed attempt worth retrying: 5xx, 408, 429, timeout, connection refused. */
export class TransientPartnerError extends HubError {
  constructor(
    message: string,
    readonly response: PartnerResponse = {},
    /** From the partner's `Retry-After`; overrides the back-off for the next attempt. */
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super('partner.transient', message, 'operational', { cause });
  }
}

/** A failed attempt that will fail again the same way (4xx other than 408/429): dead-letter at once. */
export class PermanentPartnerError extends HubError {
  constructor(
    message: string,
    readonly response: PartnerResponse = {},
    cause?: unknown,
  ) {
    super('partner.permanent', message, 'user', { cause });
  }
}
