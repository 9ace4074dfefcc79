import { IConstruct } from 'constructs';
import { fail, KeylessValidationError } from '../../core/errors';
import { complementConditions, ConditionBlock, conjunction } from '../../core/policy-complement';
// The ONLY use of the workload-grant statement builder in the organization guardrails: the audience, algorithm
// and lifetime conditions come from the same code that writes each workload's grant. Repoint this import when
// the builder moves.
import {
  DURATION_SECONDS_KEY as DURATION,
  GET_WEB_IDENTITY_TOKEN,
  IDENTITY_TOKEN_AUDIENCE_KEY as AUDIENCE,
  SIGNING_ALGORITHM_KEY as ALGORITHM,
  WebIdentityTokenGrantOptions,
} from '../../core/token-statement';
import { webIdentityTokenStatementProps } from '../token-grant';
import { PolicyStatementJson } from './policy-documents';

export { GET_WEB_IDENTITY_TOKEN, WebIdentityTokenGrantOptions };

/** The grant conditions of one allowed token, as the workload-grant builder writes them. */
function grantConditions(scope: IConstruct, token: WebIdentityTokenGrantOptions, path: string, index: number): ConditionBlock {
  const property = `allowedTokens[${index}]`;
  if (token === null || typeof token !== 'object') {
    fail({ path, property }, token, 'org-token.options', 'each allowed token names audiences and signingAlgorithm (and optionally maxLifetimeSeconds)');
  }
  if ((token.allowedRequestTagKeys ?? []).length > 0 || Object.keys(token.requiredRequestTags ?? {}).length > 0) {
    fail({ path, property: `${property}.allowedRequestTagKeys` }, token.allowedRequestTagKeys ?? token.requiredRequestTags, 'org-token.tags',
      'request tags are bound by each workload\'s own grant; the organization allowlist names audiences, signing algorithm and lifetime only');
  }
  try {
    return webIdentityTokenStatementProps(scope, token, path).conditions;
  } catch (e) {
    if (e instanceof KeylessValidationError) {
      throw new KeylessValidationError({ path: e.path, property: `${property}.${e.property}`, value: e.value, rule: e.rule, reason: e.reason });
    }
    throw e;
  }
}

function durationBound(conditions: ConditionBlock): { operator: string; seconds: number } {
  for (const [operator, keys] of Object.entries(conditions)) {
    if (operator.startsWith('Numeric') && DURATION in keys) {
      return { operator, seconds: Number(keys[DURATION]) };
    }
  }
  throw new Error('the workload-grant builder wrote no lifetime bound');
}

/** The allowance for one signing algorithm: every audience listed with it and the longest lifetime listed. */
interface AlgorithmAllowance {
  readonly algorithm: string;
  readonly audiences: string[];
  /** The grant conditions (audience, null check, lifetime) of the merged allowance, without the algorithm. */
  readonly conditions: ConditionBlock;
}

function allowances(scope: IConstruct, tokens: WebIdentityTokenGrantOptions[], path: string): AlgorithmAllowance[] {
  if (!Array.isArray(tokens) || tokens.length === 0) {
    fail({ path, property: 'allowedTokens' }, tokens, 'org-token.count', 'list at least one allowed token (audiences and signing algorithm), or omit allowedTokens to deny every token request');
  }
  const byAlgorithm = new Map<string, { audiences: string[]; bound: { operator: string; seconds: number } }>();
  tokens.forEach((token, i) => {
    const conditions = grantConditions(scope, token, path, i);
    const algorithm = String(conditions.StringEquals[ALGORITHM]);
    const audiences = conditions['ForAllValues:StringEquals'][AUDIENCE] as string[];
    const bound = durationBound(conditions);
    const entry = byAlgorithm.get(algorithm);
    if (entry === undefined) {
      byAlgorithm.set(algorithm, { audiences: [...audiences], bound });
    } else {
      entry.audiences.push(...audiences.filter((a) => !entry.audiences.includes(a)));
      if (bound.seconds > entry.bound.seconds) entry.bound = bound;
    }
  });
  return [...byAlgorithm.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([algorithm, { audiences, bound }]) => ({
    algorithm,
    audiences,
    conditions: {
      'ForAllValues:StringEquals': { [AUDIENCE]: audiences },
      'Null': { [AUDIENCE]: 'false' },
      [bound.operator]: { [DURATION]: String(bound.seconds) },
    },
  }));
}

function sidFor(block: ConditionBlock): string {
  const [operator, keys] = Object.entries(block)[0];
  const key = Object.keys(keys)[0];
  if (key === AUDIENCE) return operator === 'Null' ? 'DenyTokenWithoutAudience' : 'DenyTokenForUnlistedAudience';
  if (key === DURATION) return operator === 'Null' ? 'DenyTokenWithoutDuration' : 'DenyTokenOverMaxLifetime';
  if (key === ALGORITHM) return 'DenyTokenWithUnlistedAlgorithm';
  return 'DenyToken';
}

/**
 * The Deny statements that refuse every `sts:GetWebIdentityToken` request no listed token allows: the exact
 * complement of the workload grants' conditions. Per signing algorithm the allowance is the union of the
 * audiences listed with it and the longest lifetime listed with it; a request is allowed only when its
 * algorithm is listed, EVERY requested audience is listed with that algorithm and the lifetime is within the
 * bound. A condition that is the same for every algorithm is written once, without the algorithm scope.
 *
 * `principal` is added to each statement (RCPs need `"Principal": "*"`; SCPs have none).
 */
export function tokenDenyStatements(scope: IConstruct, tokens: WebIdentityTokenGrantOptions[] | undefined, path: string, principal?: string): PolicyStatementJson[] {
  const base = (sid: string, condition?: ConditionBlock): PolicyStatementJson => ({
    Sid: sid,
    Effect: 'Deny',
    ...(principal !== undefined ? { Principal: principal } : {}),
    Action: GET_WEB_IDENTITY_TOKEN,
    Resource: '*',
    ...(condition !== undefined ? { Condition: condition } : {}),
  });
  if (tokens === undefined) {
    return [base('DenyWebIdentityTokens')];
  }
  const groups = allowances(scope, tokens, path);
  const algorithms = groups.map((g) => g.algorithm);
  const statements: PolicyStatementJson[] = [];
  for (const block of complementConditions({ StringEquals: { [ALGORITHM]: algorithms.length === 1 ? algorithms[0] : algorithms } })) {
    statements.push(base(sidFor(block), block));
  }
  const perGroup = groups.map((g) => complementConditions(g.conditions));
  const same = (a: ConditionBlock, b: ConditionBlock) => JSON.stringify(a) === JSON.stringify(b);
  const shared = perGroup[0].filter((block) => perGroup.every((blocks) => blocks.some((b) => same(b, block))));
  for (const block of shared) {
    statements.push(base(sidFor(block), block));
  }
  groups.forEach((group, i) => {
    for (const block of perGroup[i].filter((b) => !shared.some((s) => same(s, b)))) {
      statements.push(base(`${sidFor(block)}${group.algorithm.charAt(0)}${group.algorithm.slice(1).toLowerCase()}`,
        conjunction({ StringEquals: { [ALGORITHM]: group.algorithm } }, block)));
    }
  });
  return statements;
}
