/**
 * Analysis of statements that allow `sts:GetWebIdentityToken` (AWS outbound identity federation):
 * is the audience strictly bound, and is the token lifetime bounded?
 *
 * Strict binding (DESIGN §1.1) = `ForAllValues:StringEquals {sts:IdentityTokenAudience: [...]}` AND
 * `Null {sts:IdentityTokenAudience: "false"}` in the same statement. `ForAllValues:StringLike` counts
 * as `StringEquals` when no value holds `*` or `?`. `ForAnyValue:*` never binds: it is true as soon as
 * one requested audience is allowed, so a caller can add any other audience next to it.
 */
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from '../../core/token';
import { DURATION_SECONDS_KEY, GET_WEB_IDENTITY_TOKEN, IDENTITY_TOKEN_AUDIENCE_KEY, SIGNING_ALGORITHM_KEY } from '../../core/token-statement';
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { Grant, actionMatches, conditionsOn, grantOf } from './actions';
import { Condition, PolicyDocument, Statement } from './document';
import { isUnresolved } from './static-value';

/** Whether the statement binds the audiences a token may carry. */
export type AudienceBinding =
  | { readonly kind: 'strict'; readonly audiences: unknown[] }
  | { readonly kind: 'unbound'; readonly problem: string }
  /** The condition block is not statically known. */
  | { readonly kind: 'unknown' };

/** The longest lifetime a statement allows. */
export type LifetimeBound =
  | { readonly kind: 'bounded'; readonly maxSeconds: number; readonly operator: string; readonly defaultSlipsThrough: boolean }
  | { readonly kind: 'unbounded' }
  | { readonly kind: 'unknown' };

/** One Allow statement that lets a principal mint tokens. */
export interface MintingStatement {
  readonly statement: Statement;
  readonly grant: Exclude<Grant, { kind: 'none' } | { kind: 'unknown' }>;
  readonly binding: AudienceBinding;
  readonly lifetime: LifetimeBound;
  /** Literal `sts:SigningAlgorithm` values the statement pins, if any. */
  readonly algorithms: string[];
}

const hasWildcard = (v: unknown): boolean => typeof v === 'string' && !isUnresolved(v) && /[*?]/.test(v);

function isFalse(v: unknown): boolean {
  return v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');
}

/**
 * The first IAM policy variable a value holds (`${aws:PrincipalTag/audience}`, written `$${...}` in Terraform strings or
 * `&{...}` in a `data "aws_iam_policy_document"`; `${accounts.google.com:sub}` too), or undefined. Terraform interpolations
 * (`${var.x}`) have no `namespace:key` form.
 */
export function policyVariable(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /(?:\$\$?|&)\{([A-Za-z0-9][A-Za-z0-9.-]*:[^}\s"']+)\}/.exec(value);
  return m ? `\${${m[1]}}` : undefined;
}

/** Audience binding of a statement (see module doc). */
export function audienceBinding(statement: Statement): AudienceBinding {
  if (statement.conditionsUnresolved) return { kind: 'unknown' };
  const aud = conditionsOn(statement, IDENTITY_TOKEN_AUDIENCE_KEY);
  const strictSets = aud.filter((c) => c.qualifier === 'forallvalues' && c.values.length > 0
    && (c.base === 'stringequals' || (c.base === 'stringlike' && !c.values.some(hasWildcard))));
  const nullCheck = aud.some((c) => c.base === 'null' && !c.qualifier && c.values.length > 0 && c.values.every(isFalse));
  const variable = strictSets.flatMap((c) => c.values).map(policyVariable).find((v) => v !== undefined);
  if (variable) {
    return {
      kind: 'unbound',
      problem: `names the audience with the policy variable ${variable}, which IAM fills in per request from the caller's context: `
        + 'the token may carry whatever that value is for the caller (a session tag the assuming principal passes with sts:TagSession, '
        + 'a principal tag anyone allowed iam:TagRole or iam:TagUser can change), not an audience anyone reviewed',
    };
  }
  if (strictSets.length > 0 && nullCheck) {
    // Conditions are ANDed: the allowed audiences are those every strict set allows; report the first set.
    return { kind: 'strict', audiences: strictSets[0].values };
  }
  const anyValue = aud.find((c) => c.qualifier === 'foranyvalue');
  if (anyValue) {
    return { kind: 'unbound', problem: `binds sts:IdentityTokenAudience with ${anyValue.operator}, which is true as soon as one requested audience is allowed, so a caller can add any other audience next to it` };
  }
  const likeWildcard = aud.find((c) => c.qualifier === 'forallvalues' && c.base === 'stringlike' && c.values.some(hasWildcard));
  if (likeWildcard) {
    return { kind: 'unbound', problem: `binds sts:IdentityTokenAudience with ${likeWildcard.operator} and the wildcard value ${JSON.stringify(likeWildcard.values.find(hasWildcard))}, which allows audiences nobody reviewed` };
  }
  if (strictSets.length > 0) {
    return { kind: 'unbound', problem: 'binds sts:IdentityTokenAudience with ForAllValues and no Null {"sts:IdentityTokenAudience": "false"} check; ForAllValues alone is also true for a request whose audience set is empty or missing' };
  }
  const plain = aud.find((c) => !c.qualifier && c.base !== 'null' && !c.base.startsWith('stringnot'));
  if (plain) {
    return { kind: 'unbound', problem: `compares the multi-valued key sts:IdentityTokenAudience with ${plain.operator} and no ForAllValues qualifier, which does not stop a caller from adding other audiences` };
  }
  if (aud.length > 0) {
    return { kind: 'unbound', problem: `only constrains sts:IdentityTokenAudience with ${aud.map((c) => c.operator).join(', ')}, which does not limit the token to named audiences` };
  }
  return { kind: 'unbound', problem: 'has no condition on sts:IdentityTokenAudience, so it can mint a token for any audience (any relying party that trusts this account\'s issuer)' };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * The longest token lifetime a statement allows. Numeric conditions on `sts:DurationSeconds`:
 * `NumericLessThanEquals`/`NumericEquals` bound at the value, `NumericLessThan` one below. Values
 * of one operator are ORed (largest wins), operators are ANDed (smallest wins). With `...IfExists`
 * a caller that omits DurationSeconds gets STS's 300 s default, so the bound is at least 300.
 */
export function lifetimeBound(statement: Statement): LifetimeBound {
  if (statement.conditionsUnresolved) return { kind: 'unknown' };
  const conds = conditionsOn(statement, DURATION_SECONDS_KEY, ['numericlessthan', 'numericlessthanequals', 'numericequals']).filter((c) => !c.qualifier);
  if (conds.length === 0) return { kind: 'unbounded' };
  let best: { max: number; cond: Condition } | undefined;
  for (const c of conds) {
    const nums = c.values.map(toNumber);
    if (nums.some((n) => n === undefined)) return { kind: 'unknown' };
    let max = Math.max(...(nums as number[]));
    if (c.base === 'numericlessthan') max = Math.ceil(max) - 1;
    if (c.ifExists) max = Math.max(max, DEFAULT_TOKEN_LIFETIME_SECONDS);
    if (!best || max < best.max) best = { max, cond: c };
  }
  const b = best!;
  const bound = Math.max(...(b.cond.values.map(toNumber) as number[]));
  return { kind: 'bounded', maxSeconds: b.max, operator: b.cond.operator, defaultSlipsThrough: b.cond.ifExists && bound < DEFAULT_TOKEN_LIFETIME_SECONDS };
}

/**
 * sts:GetWebIdentityToken has no resource type: a request is matched against Resource `*`. A
 * statement whose literal Resource list has no entry matching `*` (e.g. `Action: "*"` scoped to
 * one bucket) does not grant it. A statement without a Resource list (or with intrinsics) does.
 */
export function coversResourceStar(statement: Statement): boolean {
  if (statement.resources.length === 0) return true;
  return statement.resources.some((r) => typeof r !== 'string' || isUnresolved(r) || actionMatches(r, '*'));
}

/** The minting statements of each document read in a check. */
const MINTING = new Memo<PolicyDocument, MintingStatement[]>('minting statements of a policy document');

/**
 * Allow statements of a document that grant sts:GetWebIdentityToken, analysed. With a context, each document is
 * analysed once per check (documents are shared, see `readPolicyDocument`): callers must not mutate the result.
 */
export function mintingStatements(document: PolicyDocument, context?: AnalysisContext): MintingStatement[] {
  if (context === undefined) return analyseMinting(document);
  const table = context.check.table(MINTING);
  let out = table.get(document);
  if (out === undefined) {
    out = analyseMinting(document);
    table.set(document, out);
  }
  return out;
}

function analyseMinting(document: PolicyDocument): MintingStatement[] {
  const out: MintingStatement[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow') continue;
    const grant = grantOf(statement, GET_WEB_IDENTITY_TOKEN);
    if (grant.kind === 'none' || grant.kind === 'unknown') continue;
    if (!coversResourceStar(statement)) continue;
    const algorithms = conditionsOn(statement, SIGNING_ALGORITHM_KEY, ['stringequals'])
      .flatMap((c) => c.values)
      .filter((v): v is string => typeof v === 'string' && !isUnresolved(v));
    out.push({ statement, grant, binding: audienceBinding(statement), lifetime: lifetimeBound(statement), algorithms });
  }
  return out;
}

/** How a statement grants the action, for messages. */
export function grantPhrase(grant: MintingStatement['grant']): string {
  switch (grant.kind) {
    case 'exact':
      return 'allows sts:GetWebIdentityToken';
    case 'wildcard':
      return `allows sts:GetWebIdentityToken through the wildcard action ${JSON.stringify(grant.pattern)}`;
    case 'not-action':
      return 'allows sts:GetWebIdentityToken through NotAction (everything not listed is allowed)';
  }
}

/** An AWS managed policy that lets whoever holds it mint tokens for any audience. */
export interface AwsManagedMintingPolicy {
  /** Path and name after `arn:aws:iam::aws:policy/`. */
  readonly name: string;
  /** How its default version grants sts:GetWebIdentityToken, for messages. */
  readonly grants: string;
}

/**
 * AWS managed policies whose default version allows sts:GetWebIdentityToken on Resource `*` with no condition on
 * sts:IdentityTokenAudience. Found by running {@link mintingStatements} over the default version of every AWS managed
 * policy (1,525 policies, as published in March 2026): these three are the only ones that grant the action at all.
 * AWS can add policies or change a version; the list is the ones checked, not a promise that no other policy grants it.
 */
export const AWS_MANAGED_MINTING_POLICIES: readonly AwsManagedMintingPolicy[] = [
  { name: 'AdministratorAccess', grants: 'allows every action ("Action": "*") on every resource' },
  { name: 'PowerUserAccess', grants: 'allows every action except iam:*, organizations:* and account:* (a NotAction statement), so sts:GetWebIdentityToken stays allowed' },
  { name: 'AWSMcpServiceActionsFullAccess', grants: 'allows every action ("Action": "*") on every resource for requests made through an AWS MCP server (Bool aws:IsMcpServiceAction)' },
];

/** The entry of {@link AWS_MANAGED_MINTING_POLICIES} for a policy path and name (IAM names are case-insensitive), if any. */
export function awsManagedMintingPolicy(name: string): AwsManagedMintingPolicy | undefined {
  const wanted = name.toLowerCase();
  return AWS_MANAGED_MINTING_POLICIES.find((p) => p.name.toLowerCase() === wanted);
}
