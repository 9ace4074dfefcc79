/**
 * A small evaluator of IAM policy statements, for the organization guardrail tests: exactly the elements and
 * condition operators those policies emit (and their counterparts), with IAM's documented semantics. Anything
 * else throws, so a policy that grows a new operator cannot be "evaluated" by accident.
 *
 * - Action / NotAction with `*` and `?` wildcards, case-insensitive; Resource must be `*` (the guardrails
 *   never scope resources), Principal is ignored (`*` in RCPs).
 * - Conditions: every operator and every key must match (AND); several policy values for one key match if
 *   any does (OR) for positive operators and if none does for negated ones (`StringNotEquals`, ...).
 * - An absent key fails positive operators and satisfies negated ones; `...IfExists` is satisfied by an
 *   absent key; `Null` tests presence.
 * - `ForAllValues:` holds when every request value matches (vacuously for an absent key); `ForAnyValue:`
 *   holds when at least one does (never for an absent key).
 */

export type ContextValue = string | number | string[];

/** One request: the action and its request context (condition keys are case-insensitive). */
export interface EvaluatedRequest {
  readonly action: string;
  readonly context: { readonly [key: string]: ContextValue };
}

export interface Decision {
  /** `Deny` if any Deny statement matched; otherwise the guardrail lets the request through. */
  readonly decision: 'Deny' | 'NotDenied';
  /** Sids of the matching Deny statements. */
  readonly deniedBy: string[];
}

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, caseInsensitive ? 'is' : 's');
  return re.test(value);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function lookup(context: EvaluatedRequest['context'], key: string): ContextValue | undefined {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : context[found];
}

type Compare = (policyValue: string, requestValue: string) => boolean;

const BASE: { [op: string]: { compare: Compare; negated: boolean } } = {
  StringEquals: { compare: (p, r) => p === r, negated: false },
  StringNotEquals: { compare: (p, r) => p === r, negated: true },
  StringLike: { compare: (p, r) => glob(p, r, false), negated: false },
  StringNotLike: { compare: (p, r) => glob(p, r, false), negated: true },
  ArnLike: { compare: (p, r) => glob(p, r, false), negated: false },
  ArnNotLike: { compare: (p, r) => glob(p, r, false), negated: true },
  NumericEquals: { compare: (p, r) => num(r) === num(p), negated: false },
  NumericGreaterThan: { compare: (p, r) => num(r) > num(p), negated: false },
  NumericLessThanEquals: { compare: (p, r) => num(r) <= num(p), negated: false },
};

function num(value: string): number {
  const n = Number(value);
  if (value === '' || Number.isNaN(n)) throw new Error(`not a number: ${JSON.stringify(value)}`);
  return n;
}

/** One request value against all policy values of one key, for a single-valued operator. */
function matchOne(base: { compare: Compare; negated: boolean }, policyValues: unknown[], requestValue: string): boolean {
  const any = policyValues.some((p) => base.compare(String(p), requestValue));
  return base.negated ? !any : any;
}

/** Whether `operator` with `policyValue` holds for the request's value of `key`. */
export function conditionHolds(operator: string, key: string, policyValue: unknown, context: EvaluatedRequest['context']): boolean {
  const present = lookup(context, key);
  const policyValues = asList(policyValue);
  if (operator === 'Null') {
    if (policyValues.length !== 1 || !['true', 'false'].includes(String(policyValues[0]))) throw new Error(`Null takes "true" or "false", got ${JSON.stringify(policyValue)}`);
    return (present === undefined) === (String(policyValues[0]) === 'true');
  }
  const set = /^(ForAllValues|ForAnyValue):(.+)$/.exec(operator);
  if (set) {
    const base = BASE[set[2]];
    if (!base) throw new Error(`unsupported operator ${operator}`);
    const values = present === undefined ? [] : asList(present).map(String);
    return set[1] === 'ForAllValues'
      ? values.every((v) => matchOne(base, policyValues, v))
      : values.some((v) => matchOne(base, policyValues, v));
  }
  const ifExists = operator.endsWith('IfExists');
  const base = BASE[ifExists ? operator.slice(0, -'IfExists'.length) : operator];
  if (!base) throw new Error(`unsupported operator ${operator}`);
  if (present === undefined) return ifExists || base.negated;
  if (Array.isArray(present)) throw new Error(`${key} is multi-valued; ${operator} needs a ForAllValues:/ForAnyValue: qualifier`);
  return matchOne(base, policyValues, String(present));
}

function actionMatches(statement: any, action: string): boolean {
  if ('Action' in statement === 'NotAction' in statement) throw new Error(`statement ${statement.Sid} needs exactly one of Action and NotAction`);
  const patterns = asList(statement.Action ?? statement.NotAction).map(String);
  const matched = patterns.some((p) => glob(p, action, true));
  return 'Action' in statement ? matched : !matched;
}

/** Whether one statement applies to the request (action and every condition). */
export function statementApplies(statement: any, request: EvaluatedRequest): boolean {
  const known = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'Principal', 'Condition'];
  for (const element of Object.keys(statement)) {
    if (!known.includes(element)) throw new Error(`unsupported element ${element} in ${statement.Sid}`);
  }
  if (asList(statement.Resource).some((r) => r !== '*')) throw new Error(`statement ${statement.Sid} scopes resources; the evaluator only models "*"`);
  if (!actionMatches(statement, request.action)) return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys as object)) {
      if (!conditionHolds(operator, key, value, request.context)) return false;
    }
  }
  return true;
}

/** Evaluates a deny-only guardrail policy document (SCP or RCP) for one request. */
export function evaluateGuardrail(document: { Statement: any[] }, request: EvaluatedRequest): Decision {
  const deniedBy: string[] = [];
  for (const statement of document.Statement) {
    if (statement.Effect !== 'Deny') throw new Error(`statement ${statement.Sid} is not a Deny; guardrails here only deny`);
    if (statementApplies(statement, request)) deniedBy.push(statement.Sid);
  }
  return { decision: deniedBy.length > 0 ? 'Deny' : 'NotDenied', deniedBy };
}
