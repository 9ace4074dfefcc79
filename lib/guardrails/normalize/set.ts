import { ResourceSet } from '../model';

/**
 * A {@link ResourceSet} as the normalizers return it: the same shape, plus `notes` for what could not be read
 * statically (an unreadable `jsonencode`, a policy document built from a variable, a module call that is not
 * expanded). `evaluate` copies these notes into the evaluation.
 */
export interface NormalizedSet extends ResourceSet {
  readonly notes?: readonly string[];
}
