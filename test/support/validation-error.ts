import { KeylessValidationError } from '../../lib/core/errors';

/** Runs `fn` and returns the KeylessValidationError it throws; rethrows anything else and fails when nothing is thrown. */
export function errorOf(fn: () => unknown): KeylessValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeylessValidationError) return e;
    throw e;
  }
  throw new Error('expected a KeylessValidationError, got none');
}
