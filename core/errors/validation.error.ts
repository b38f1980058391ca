import { HubError, type ErrorDetail } from './hub-error';

/** Input that does not fit its schema; `details` names each offending field. */
export class ValidationError extends HubError {
  constructor(message: string, details: readonly ErrorDetail[], code = 'validation.failed') {
    super(code, message, 'user', { details });
  }
}
