import { ValidationError } from '../../core/errors/validation.error';

/** The ValidationError `run` throws; anything else it throws is rethrown, and throwing nothing fails the test. */
export function validationFailure(run: () => unknown): ValidationError {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}
