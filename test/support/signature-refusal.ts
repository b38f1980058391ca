import { SignatureError } from '../../core/errors/signature.error';

/** Runs a verification: undefined when it accepts, the SignatureError's code when it refuses; any other error is rethrown and fails the test. */
export function signatureRefusal(verify: () => void): string | undefined {
  try {
    verify();
    return undefined;
  } catch (err) {
    if (err instanceof SignatureError) return err.code;
    throw err;
  }
}
