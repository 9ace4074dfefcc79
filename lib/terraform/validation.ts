// Internal helpers shared by the cdktf constructs (not part of the public API).
import { Annotations, TerraformResource, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { fail, ValidationSite } from '../core/errors';

/** The path a construct `id` under `scope` will have, for errors raised before it exists. */
export function pathOf(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/** True when `value` is a cdktf token (a variable, a resource attribute, ...) whose value is unknown at synth. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && Token.isUnresolved(value);
}

/**
 * Terraform evaluates `${...}` and `%{...}` inside every string of its configuration, and cdktf writes
 * strings as they are; a literal value carrying either sequence would become an expression.
 */
export function validateTerraformLiteral(value: string, site: ValidationSite): string {
  if (typeof value === 'string' && /[$%]\{/.test(value)) {
    fail(site, value, 'terraform.template-sequence', 'Terraform would evaluate "${" or "%{" inside this value as an expression; such a value cannot be written into Terraform configuration');
  }
  return value;
}

/**
 * Validates `value` with `validate` when it is concrete. A value that is exactly one unresolved token is not
 * guessed at: it is returned unchanged and its property is added to `unchecked` (see {@link warnUnchecked}).
 * Literal text mixed with a token cannot be validated and is refused.
 */
export function validateUnlessToken<T>(value: T, site: ValidationSite, validate: (v: T, s: ValidationSite) => unknown, unchecked: string[]): T {
  if (isToken(value)) {
    if (typeof value === 'string' && tokenParts(value, site) !== 1) {
      fail(site, value, 'keyless.token', 'a value mixing literal text with a token cannot be validated at synth; pass a literal or a single token');
    }
    unchecked.push(site.property);
    return value;
  }
  validate(value, site);
  return value;
}

/** How many tokens and literal fragments `value` splits into; a token this app never made is a validation error. */
function tokenParts(value: string, site: ValidationSite): number {
  try {
    return Tokenization.reverseString(value).length;
  } catch {
    // cdktf throws for a token-shaped string it has no value for
    return fail(site, value, 'keyless.token', 'a token this CDK for Terraform app does not know (a token of another CDK app, or text that only looks like one); pass a literal or a token of this app');
  }
}

/** Adds one warning on `scope` naming the properties that were tokens and so could not be checked at synth. */
export function warnUnchecked(scope: IConstruct, unchecked: string[]): void {
  if (unchecked.length > 0) {
    Annotations.of(scope).addWarning(`cdk-keyless could not check ${unchecked.join(', ')} at synth time because they are tokens; resolve them to literals to have them validated`);
  }
}

/** Refuses an unresolved token where a value must be checked at synth (e.g. anything written into SQL). */
export function requireConcrete(value: unknown, site: ValidationSite, why: string): void {
  if (isToken(value)) {
    fail(site, '<token>', 'keyless.token', `${site.property} must be a literal known at synth time: ${why}`);
  }
}

/** The bare address `type.name` of a resource (what `replace_triggered_by` takes). */
export function resourceAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
