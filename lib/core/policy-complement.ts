/**
 * The complement of an IAM `Allow` condition block, as `Deny` condition blocks.
 *
 * An Allow statement grants when EVERY condition in its block matches. An organization policy (SCP or RCP) can
 * only deny, so "deny unless the grant's conditions hold" becomes one Deny per condition, each with the exact
 * negation of that condition: the request is denied when ANY condition of the grant fails. Pure data, no CDK.
 */

/** An IAM `Condition` element: operator -> key -> value(s). */
export interface ConditionBlock {
  readonly [operator: string]: { readonly [key: string]: unknown };
}

/**
 * Negations of the operators the token grants emit. Each maps to the condition blocks whose union is the
 * complement: e.g. `NumericLessThanEquals` (no IfExists: an absent key fails it) is violated when the key is
 * greater, OR when the key is absent.
 */
function negate(operator: string, key: string, value: unknown): ConditionBlock[] {
  switch (operator) {
    case 'StringEquals':
      return [{ StringNotEquals: { [key]: value } }];
    case 'StringLike':
      return [{ StringNotLike: { [key]: value } }];
    // "every requested value is in the list" fails exactly when some requested value is outside it. On an
    // absent key ForAllValues holds (vacuously) and ForAnyValue does not, so the two stay exact complements;
    // the grant's Null condition covers the absent key.
    case 'ForAllValues:StringEquals':
      return [{ 'ForAnyValue:StringNotEquals': { [key]: value } }];
    case 'ForAllValues:StringLike':
      return [{ 'ForAnyValue:StringNotLike': { [key]: value } }];
    case 'Null':
      return [{ Null: { [key]: value === 'false' || value === false ? 'true' : 'false' } }];
    case 'NumericLessThanEqualsIfExists':
      return [{ NumericGreaterThan: { [key]: value } }];
    case 'NumericLessThanEquals':
      return [{ NumericGreaterThan: { [key]: value } }, { Null: { [key]: 'true' } }];
    default:
      throw new Error(`no complement is defined for the condition operator ${operator}`);
  }
}

/**
 * The Deny condition blocks whose union is the complement of `allow`: a request matches at least one of them
 * exactly when it fails `allow`. One block per (operator, key) of `allow`, in order; `NumericLessThanEquals`
 * yields two (greater, or absent).
 */
export function complementConditions(allow: ConditionBlock): ConditionBlock[] {
  const out: ConditionBlock[] = [];
  for (const [operator, keys] of Object.entries(allow)) {
    for (const [key, value] of Object.entries(keys)) {
      out.push(...negate(operator, key, value));
    }
  }
  return out;
}

/** Merges condition blocks into one (their conjunction); a repeated (operator, key) is an error. */
export function conjunction(...blocks: ConditionBlock[]): ConditionBlock {
  const out: { [operator: string]: { [key: string]: unknown } } = {};
  for (const block of blocks) {
    for (const [operator, keys] of Object.entries(block)) {
      for (const [key, value] of Object.entries(keys)) {
        out[operator] = out[operator] ?? {};
        if (key in out[operator]) {
          throw new Error(`condition ${operator} ${key} is given twice; IAM would keep only one`);
        }
        out[operator][key] = value;
      }
    }
  }
  return out;
}
