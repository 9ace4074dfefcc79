/**
 * Naming errors by construct path, for the constructs of both engines. Engine-neutral: a construct is anything
 * with `node.path` (aws-cdk-lib and cdktf constructs alike), so this file imports no CDK.
 */
import { KeylessValidationError } from './errors';

/** What this needs of a construct: its path in the tree. */
export interface HasConstructPath {
  readonly node: { readonly path: string };
}

/** The path a construct `id` under `scope` will have, for errors raised before it exists (before `super()`). */
export function constructPath(scope: HasConstructPath, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/**
 * Runs `fn`; a validation error it raises (e.g. from a `FederationPlan` lookup, named `FederationPlan`) is
 * re-thrown naming the construct path `path` and the prop the user wrote (`mapProperty` of the error's).
 */
export function atConstruct<T>(path: string, mapProperty: (p: string) => string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KeylessValidationError) {
      throw new KeylessValidationError({ path, property: mapProperty(e.property), value: e.value, rule: e.rule, reason: e.reason });
    }
    throw e;
  }
}
