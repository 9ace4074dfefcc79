/**
 * The one builder of the statement that lets a principal mint STS web identity tokens for one target, shared by
 * the CDK constructs (lib/aws) and the CDK for Terraform constructs (lib/terraform/aws): the same validation, the
 * same strict condition shape and the same lifetime decision for both engines. Engine-neutral: what an unresolved
 * token is, and how an unchecked value is reported, come from the caller's {@link TokenAware}.
 */
import { child, fail, ValidationSite } from './errors';
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  SigningAlgorithm,
  validateAudience,
  validateAudienceCount,
  validateSigningAlgorithm,
  validateTokenLifetime,
  TokenRequest,
} from './token';

/** The IAM action that mints a token; it has no resource type, so Resource is `*`. */
export const GET_WEB_IDENTITY_TOKEN = 'sts:GetWebIdentityToken';
/** The IAM action that allows request tags on a minted token. */
export const TAG_GET_WEB_IDENTITY_TOKEN = 'sts:TagGetWebIdentityToken';
/** The condition key holding the audiences a `GetWebIdentityToken` request asks for (multi-valued). */
export const IDENTITY_TOKEN_AUDIENCE_KEY = 'sts:IdentityTokenAudience';
/** The condition key holding the signing algorithm a `GetWebIdentityToken` request asks for. */
export const SIGNING_ALGORITHM_KEY = 'sts:SigningAlgorithm';
/** The condition key holding the lifetime, in seconds, a `GetWebIdentityToken` request asks for. */
export const DURATION_SECONDS_KEY = 'sts:DurationSeconds';

/**
 * What a principal may request from STS `GetWebIdentityToken`: one target's audiences, algorithm and
 * the longest lifetime. Each call to `grantWebIdentityToken` adds ONE policy statement with exactly
 * these bounds, so a token for one target cannot be minted with another target's algorithm.
 */
export interface WebIdentityTokenGrantOptions {
  /**
   * The audiences (`aud`) the principal may request, 1 to 10, each 1 to 1000 characters. The caller may
   * request any subset; a request naming any other audience is denied (`ForAllValues:StringEquals`
   * plus `Null` = false, never `ForAnyValue`).
   */
  readonly audiences: string[];
  /** The only signing algorithm the principal may request. */
  readonly signingAlgorithm: SigningAlgorithm;
  /**
   * The longest token lifetime (`DurationSeconds`) the principal may request, 60 to 3600.
   *
   * STS issues 300 s when the caller omits `DurationSeconds`. With a bound of 300 or more the statement
   * uses `NumericLessThanEqualsIfExists`, so omitting it is allowed (300 s is within the bound). With a
   * bound below 300 it uses `NumericLessThanEquals`, so the caller must send `DurationSeconds`: omitting
   * it would yield a 300 s token, longer than the bound, and is denied.
   * @default 300
   */
  readonly maxLifetimeSeconds?: number;
  /**
   * Request tag keys (`Tags`) the principal may attach to tokens; grants `sts:TagGetWebIdentityToken`
   * and limits the keys with `ForAllValues:StringEquals` on `aws:TagKeys`.
   * @default - no request tags may be sent
   */
  readonly allowedRequestTagKeys?: string[];
  /**
   * Request tags the principal must send with exactly these values (`aws:RequestTag/KEY`). Their keys
   * are allowed automatically, and a request without tags is denied (`Null` `aws:TagKeys` = false).
   * @default - no tag is required
   */
  readonly requiredRequestTags?: { [key: string]: string };
}

/**
 * How an engine tells unresolved values apart (CDK `Token.isUnresolved`, cdktf `Token.isUnresolved`) and reports
 * one it could not check. Internal: not part of the jsii API.
 */
export interface TokenAware {
  /** True when `value` is a token (or a token-encoded list/number) whose value is only known at deploy time. */
  isUnresolved(value: unknown): boolean;
  /** Records that `property` (described by `what`) is a token and was not validated. */
  unchecked(property: string, what: string): void;
}

/** Condition block of an IAM statement: operator -> condition key -> value(s). */
export type PolicyConditions = { [operator: string]: { [key: string]: unknown } };

/** The parts of one minting statement (Effect Allow, Resource `*`). */
export interface TokenStatementParts {
  readonly actions: string[];
  readonly conditions: PolicyConditions;
}

const MAX_TAGS = 50;
// IAM tag keys/values: letters, digits, spaces and _ . : / = + - @ ; we refuse spaces and wildcards so
// that the values work unquoted in env files and are never read as patterns.
const TAG_KEY = /^[A-Za-z0-9_.:/=+@-]{1,128}$/;
const TAG_VALUE = /^[A-Za-z0-9_.:/=+@-]{0,256}$/;
const ONLY_MINT = [GET_WEB_IDENTITY_TOKEN];

function validateTagKey(key: string, site: ValidationSite): string {
  if (typeof key !== 'string' || !TAG_KEY.test(key)) {
    fail(site, key, 'token-tag.key', 'a request tag key is 1-128 letters, digits or _ . : / = + - @ (no spaces or wildcards)');
  }
  if (key.toLowerCase().startsWith('aws:')) {
    fail(site, key, 'token-tag.key', 'tag keys starting with "aws:" are reserved');
  }
  return key;
}

/**
 * The IAM condition operator on `sts:DurationSeconds` for a lifetime bound. STS issues 300 s when
 * `DurationSeconds` is omitted, and a numeric condition on an absent key does not match: "...IfExists" lets
 * callers omit it, which is only safe when the 300 s default is within the bound.
 */
export function durationOperator(boundSeconds: number): string {
  return boundSeconds >= DEFAULT_TOKEN_LIFETIME_SECONDS ? 'NumericLessThanEqualsIfExists' : 'NumericLessThanEquals';
}

/**
 * Validates `options` (every concrete value, at construct path `path`; tokens are reported to `engine`) and
 * builds the one statement that lets a principal mint tokens for one target: `ForAllValues:StringEquals` on
 * the audiences plus `Null` = false (never `ForAnyValue`), `StringEquals` on the algorithm, and the duration
 * bound of {@link durationOperator}.
 */
export function webIdentityTokenStatementParts(options: WebIdentityTokenGrantOptions, path: string, engine: TokenAware): TokenStatementParts {
  if (options === null || typeof options !== 'object') {
    fail({ path, property: 'options' }, options, 'token-grant.options', 'pass audiences and signingAlgorithm');
  }
  const audSite: ValidationSite = { path, property: 'audiences' };
  const audiences = options.audiences;
  if (engine.isUnresolved(audiences)) {
    fail(audSite, audiences, 'audience.count', 'the audience list must be a literal list (1 to 10 entries) so the policy can pin each one');
  }
  validateAudienceCount(audiences, audSite);
  for (let i = 0; i < audiences.length; i++) {
    const a = audiences[i];
    if (engine.isUnresolved(a)) {
      engine.unchecked('audiences', `audiences[${i}]`);
    } else {
      validateAudience(a, child(audSite, `[${i}]`));
    }
  }
  if (audiences.length > 1 && new Set(audiences).size !== audiences.length) {
    fail(audSite, audiences, 'audience.duplicate', 'each audience may appear once');
  }

  const algSite: ValidationSite = { path, property: 'signingAlgorithm' };
  let algorithm: string = options.signingAlgorithm;
  if (engine.isUnresolved(algorithm)) {
    engine.unchecked('signingAlgorithm', 'must be RS256 or ES384');
  } else {
    algorithm = validateSigningAlgorithm(algorithm, algSite);
  }

  const lifeSite: ValidationSite = { path, property: 'maxLifetimeSeconds' };
  const bound = options.maxLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (engine.isUnresolved(bound)) {
    fail(lifeSite, bound, 'lifetime.range', 'the lifetime bound must be a literal number of seconds (60 to 3600): the policy operator depends on it');
  }
  validateTokenLifetime(bound, lifeSite);

  const tagKeys: string[] = [];
  const pinned: { [key: string]: string } = {};
  (options.allowedRequestTagKeys ?? []).forEach((k, i) => {
    tagKeys.push(validateTagKey(k, { path, property: `allowedRequestTagKeys[${i}]` }));
  });
  const required = options.requiredRequestTags ?? {};
  for (const [k, v] of Object.entries(required)) {
    validateTagKey(k, { path, property: `requiredRequestTags.${k}` });
    if (typeof v !== 'string' || !TAG_VALUE.test(v)) {
      fail({ path, property: `requiredRequestTags.${k}` }, v, 'token-tag.value', 'a request tag value is 0-256 letters, digits or _ . : / = + - @ (no spaces or wildcards)');
    }
    pinned[k] = v;
    if (!tagKeys.includes(k)) {
      tagKeys.push(k);
    }
  }
  if (new Set(tagKeys.map((k) => k.toLowerCase())).size !== tagKeys.length) {
    fail({ path, property: 'allowedRequestTagKeys' }, tagKeys, 'token-tag.duplicate', 'tag keys are case-insensitive and each may appear once');
  }
  if (tagKeys.length > MAX_TAGS) {
    fail({ path, property: 'allowedRequestTagKeys' }, tagKeys, 'token-tag.count', `a token carries at most ${MAX_TAGS} request tags`);
  }

  const forAll: { [key: string]: unknown } = { [IDENTITY_TOKEN_AUDIENCE_KEY]: [...audiences] };
  const nullCheck: { [key: string]: unknown } = { [IDENTITY_TOKEN_AUDIENCE_KEY]: 'false' };
  const equals: { [key: string]: unknown } = { [SIGNING_ALGORITHM_KEY]: algorithm };
  if (tagKeys.length > 0) {
    forAll['aws:TagKeys'] = tagKeys;
  }
  if (Object.keys(pinned).length > 0) {
    nullCheck['aws:TagKeys'] = 'false';
    for (const [k, v] of Object.entries(pinned)) {
      equals[`aws:RequestTag/${k}`] = v;
    }
  }
  return {
    actions: tagKeys.length > 0 ? [GET_WEB_IDENTITY_TOKEN, TAG_GET_WEB_IDENTITY_TOKEN] : [...ONLY_MINT],
    conditions: {
      'ForAllValues:StringEquals': forAll,
      'Null': nullCheck,
      'StringEquals': equals,
      [durationOperator(bound)]: { [DURATION_SECONDS_KEY]: String(bound) },
    },
  };
}

/**
 * The minting statement for one token request of a `FederationPlan`, whose audience, algorithm and lifetime the
 * plan has already validated: the same statement {@link webIdentityTokenStatementParts} builds for
 * `{ audiences: [audience], signingAlgorithm, maxLifetimeSeconds: durationSeconds }`, without validating again
 * (a role of 450 workloads builds 900 of them).
 */
export function plannedTokenStatementParts(request: TokenRequest): TokenStatementParts {
  const bound = request.durationSeconds;
  return {
    actions: [GET_WEB_IDENTITY_TOKEN],
    conditions: {
      'ForAllValues:StringEquals': { [IDENTITY_TOKEN_AUDIENCE_KEY]: [request.audience] },
      'Null': { [IDENTITY_TOKEN_AUDIENCE_KEY]: 'false' },
      'StringEquals': { [SIGNING_ALGORITHM_KEY]: request.signingAlgorithm },
      [durationOperator(bound)]: { [DURATION_SECONDS_KEY]: String(bound) },
    },
  };
}
