import { ResourceSet } from '../model';
import { isObject } from './input-error';

/**
 * A {@link ResourceSet} as the normalizers return it: the same shape, plus `notes` for what could not be read
 * statically (an unreadable `jsonencode`, a policy document built from a variable, a module call that is not
 * expanded). `evaluate` copies these notes into the evaluation.
 */
export interface NormalizedSet extends ResourceSet {
  readonly notes?: readonly string[];
}

/**
 * Nested Terraform blocks as a list. Terraform JSON (and cdktf) may write a nested block as one object or as an
 * array of objects; HCL input always gives an array. Rules should read nested blocks through this helper.
 */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}
