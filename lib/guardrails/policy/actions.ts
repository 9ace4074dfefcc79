/**
 * IAM action matching (case-insensitive, `*` and `?` wildcards) and condition lookup
 * (operator and key compared case-insensitively).
 */
import { Condition, Statement } from './document';
import { isUnresolved } from './static-value';

/** Printable ASCII: case folding is plain upper/lower case, and `.` matches every character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when an IAM action pattern such as `sts:Get*` or `*` matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  // The two common shapes without compiling a pattern (same answers as the expression below for printable ASCII):
  // `*` (Resource lists, `Action: "*"`) and a literal action.
  const trimmed = pattern.trim();
  if (PRINTABLE_ASCII.test(trimmed) && PRINTABLE_ASCII.test(action)) {
    if (trimmed === '*') return true;
    if (!trimmed.includes('*') && !trimmed.includes('?')) return trimmed.length === action.length && trimmed.toLowerCase() === action.toLowerCase();
  }
  const re = new RegExp(`^${pattern.trim().split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('')}$`, 'i');
  return re.test(action);
}

/** How a statement grants an action. */
export type Grant =
  /** Listed literally (any case), e.g. `sts:GetWebIdentityToken`. */
  | { readonly kind: 'exact' }
  /** Through a wildcard entry such as `sts:*`, `sts:Get*` or `*`. */
  | { readonly kind: 'wildcard'; readonly pattern: string }
  /** Through `NotAction` that does not exclude it. */
  | { readonly kind: 'not-action' }
  | { readonly kind: 'none' }
  /** The action list is not statically known. */
  | { readonly kind: 'unknown' };

/** Whether a statement's Action/NotAction covers `action` (Effect is not looked at). */
export function grantOf(statement: Statement, action: string): Grant {
  if (statement.actions !== undefined) {
    let unknown = false;
    let wildcard: string | undefined;
    for (const entry of statement.actions) {
      if (typeof entry !== 'string' || isUnresolved(entry)) {
        unknown = true;
        continue;
      }
      if (entry.trim().toLowerCase() === action.toLowerCase()) return { kind: 'exact' };
      if (/[*?]/.test(entry) && actionMatches(entry, action)) wildcard ??= entry.trim();
    }
    if (wildcard !== undefined) return { kind: 'wildcard', pattern: wildcard };
    return unknown ? { kind: 'unknown' } : { kind: 'none' };
  }
  if (statement.notActions !== undefined) {
    let unknown = false;
    for (const entry of statement.notActions) {
      if (typeof entry !== 'string' || isUnresolved(entry)) {
        unknown = true;
        continue;
      }
      if (actionMatches(entry, action)) return { kind: 'none' };
    }
    return unknown ? { kind: 'unknown' } : { kind: 'not-action' };
  }
  return { kind: 'none' };
}

/** Conditions of a statement on `key` (case-insensitive), optionally limited to base operators (lower case). */
export function conditionsOn(statement: Statement, key: string, bases?: readonly string[]): Condition[] {
  const k = key.toLowerCase();
  return statement.conditions.filter((c) => c.key.trim().toLowerCase() === k && (!bases || bases.includes(c.base)));
}

/** Conditions whose key matches a predicate (for `<host>:sub`-style keys). */
export function conditionsWhere(statement: Statement, predicate: (key: string) => boolean): Condition[] {
  return statement.conditions.filter((c) => predicate(c.key.trim().toLowerCase()));
}

/** True when a condition value contains an IAM wildcard and the operator is a `Like` operator. */
export function isLikeOperator(condition: Condition): boolean {
  return condition.base === 'stringlike' || condition.base === 'stringnotlike' || condition.base === 'arnlike' || condition.base === 'arnnotlike';
}

/** String-comparison operators that pin a value (as opposed to `StringNotEquals` etc.). */
export const POSITIVE_STRING_OPERATORS: readonly string[] = ['stringequals', 'stringequalsignorecase', 'stringlike'];
