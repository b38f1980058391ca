import { HubError } from './hub-error';

/** Why a signed request was refused; stable, so callers and metrics can branch on it. */
export type SignatureErrorCode = 'signature.missing' | 'signature.invalid' | 'signature.stale';

/**
 * A callback or webhook whose signature headers are absent, do not match the body, or carry a
 * timestamp outside the tolerance (replay protection). The sender's to fix: answered as 401.
 */
export class SignatureError extends HubError {
  constructor(code: SignatureErrorCode, message: string) {
    super(code, message, 'user');
  }
}
