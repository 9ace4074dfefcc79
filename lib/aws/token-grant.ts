import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { child, fail, ValidationSite } from '../core/errors';
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  MAX_AUDIENCES,
  MIN_AUDIENCES,
  SigningAlgorithm,
  validateAudience,
  validateSigningAlgorithm,
  validateTokenLifetime,
} from '../core/token';

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

/** The IAM action that mints a token; it has no resource type, so Resource is `*`. */
export const GET_WEB_IDENTITY_TOKEN = 'sts:GetWebIdentityToken';
/** The IAM action that allows request tags on a minted token. */
export const TAG_GET_WEB_IDENTITY_TOKEN = 'sts:TagGetWebIdentityToken';

const MAX_TAGS = 50;
// IAM tag keys/values: letters, digits, spaces and _ . : / = + - @ ; we refuse spaces and wildcards so
// that the values work unquoted in env files and are never read as patterns.
const TAG_KEY = /^[A-Za-z0-9_.:/=+@-]{1,128}$/;
const TAG_VALUE = /^[A-Za-z0-9_.:/=+@-]{0,256}$/;

function unchecked(scope: IConstruct, property: string, what: string): void {
  Annotations.of(scope).addWarningV2(`cdk-keyless:unchecked-${property}`,
    `${property} is an unresolved token (${what}); cdk-keyless could not validate it at synth time`);
}

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
 * Builds the one statement that lets a principal mint tokens for one target. Validates every concrete
 * value at `site` (`path` = the construct path) and annotates what is an unresolved token.
 */
export function webIdentityTokenStatementProps(scope: IConstruct, options: WebIdentityTokenGrantOptions, path: string): { actions: string[]; conditions: { [op: string]: { [key: string]: unknown } } } {
  if (options === null || typeof options !== 'object') {
    fail({ path, property: 'options' }, options, 'token-grant.options', 'pass audiences and signingAlgorithm');
  }
  const audSite: ValidationSite = { path, property: 'audiences' };
  const audiences = options.audiences;
  if (Token.isUnresolved(audiences)) {
    fail(audSite, audiences, 'audience.count', 'the audience list must be a literal list (1 to 10 entries) so the policy can pin each one');
  }
  if (!Array.isArray(audiences) || audiences.length < MIN_AUDIENCES || audiences.length > MAX_AUDIENCES) {
    fail(audSite, audiences, 'audience.count', `an STS token carries ${MIN_AUDIENCES} to ${MAX_AUDIENCES} audiences, got ${Array.isArray(audiences) ? audiences.length : 'none'}`);
  }
  audiences.forEach((a, i) => {
    if (Token.isUnresolved(a)) {
      unchecked(scope, 'audiences', `audiences[${i}]`);
    } else {
      validateAudience(a, child(audSite, `[${i}]`));
    }
  });
  if (new Set(audiences).size !== audiences.length) {
    fail(audSite, audiences, 'audience.duplicate', 'each audience may appear once');
  }

  const algSite: ValidationSite = { path, property: 'signingAlgorithm' };
  let algorithm: string = options.signingAlgorithm;
  if (Token.isUnresolved(algorithm)) {
    unchecked(scope, 'signingAlgorithm', 'must be RS256 or ES384');
  } else {
    algorithm = validateSigningAlgorithm(algorithm, algSite);
  }

  const lifeSite: ValidationSite = { path, property: 'maxLifetimeSeconds' };
  const bound = options.maxLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (Token.isUnresolved(bound)) {
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

  const forAll: { [key: string]: unknown } = { 'sts:IdentityTokenAudience': [...audiences] };
  const nullCheck: { [key: string]: unknown } = { 'sts:IdentityTokenAudience': 'false' };
  const equals: { [key: string]: unknown } = { 'sts:SigningAlgorithm': algorithm };
  if (tagKeys.length > 0) {
    forAll['aws:TagKeys'] = tagKeys;
  }
  if (Object.keys(pinned).length > 0) {
    nullCheck['aws:TagKeys'] = 'false';
    for (const [k, v] of Object.entries(pinned)) {
      equals[`aws:RequestTag/${k}`] = v;
    }
  }
  // STS issues 300 s when DurationSeconds is omitted. A numeric condition on an absent key does not match,
  // so "...IfExists" lets callers omit it; that is only safe when the 300 s default is within the bound.
  const durationOperator = bound >= DEFAULT_TOKEN_LIFETIME_SECONDS ? 'NumericLessThanEqualsIfExists' : 'NumericLessThanEquals';
  return {
    actions: tagKeys.length > 0 ? [GET_WEB_IDENTITY_TOKEN, TAG_GET_WEB_IDENTITY_TOKEN] : [GET_WEB_IDENTITY_TOKEN],
    conditions: {
      'ForAllValues:StringEquals': forAll,
      'Null': nullCheck,
      'StringEquals': equals,
      [durationOperator]: { 'sts:DurationSeconds': String(bound) },
    },
  };
}

/**
 * The one statement (Resource `*`) that lets a principal mint tokens within `options`, validated like
 * {@link webIdentityTokenStatementProps}. `sid`, when given, must be letters and digits only (IAM).
 */
export function webIdentityTokenStatement(scope: IConstruct, options: WebIdentityTokenGrantOptions, path: string, sid?: string): iam.PolicyStatement {
  const { actions, conditions } = webIdentityTokenStatementProps(scope, options, path);
  return new iam.PolicyStatement({ sid, actions, resources: ['*'], conditions });
}

/**
 * Grants `grantee` permission to mint tokens within `options` (one statement, Resource `*`).
 * `scope` is the construct the user called the grant on; its path names errors.
 */
export function grantWebIdentityToken(scope: IConstruct, grantee: iam.IGrantable, options: WebIdentityTokenGrantOptions): iam.Grant {
  const path = scope.node.path;
  if (grantee === undefined || grantee === null || typeof grantee !== 'object' || !('grantPrincipal' in grantee)) {
    fail({ path, property: 'grantee' }, grantee === undefined ? 'undefined' : String(grantee), 'token-grant.grantee', 'pass the role, function or other grantable that mints the tokens');
  }
  const { actions, conditions } = webIdentityTokenStatementProps(scope, options, path);
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: ['*'], conditions });
}
