import { child, fail, ValidationSite } from './errors';

/** Signing algorithms STS GetWebIdentityToken accepts. */
export enum SigningAlgorithm {
  /** RSA PKCS#1 v1.5 with SHA-256. Entra requires it. */
  RS256 = 'RS256',
  /** ECDSA P-384 with SHA-384. Snowflake requires it. */
  ES384 = 'ES384',
}

/** STS limits on GetWebIdentityToken. */
export const MIN_AUDIENCES = 1;
export const MAX_AUDIENCES = 10;
export const MAX_AUDIENCE_LENGTH = 1000;
export const MIN_TOKEN_LIFETIME_SECONDS = 60;
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;
/** What STS issues when the caller omits DurationSeconds. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

/** Validates one audience: 1-1000 characters, printable, no whitespace. */
export function validateAudience(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_AUDIENCE_LENGTH) {
    fail(site, value, 'audience.length', `an audience is 1 to ${MAX_AUDIENCE_LENGTH} characters`);
  }
  if (!/^[\x21-\x7E]+$/.test(value)) {
    fail(site, value, 'audience.characters', 'an audience is printable ASCII without spaces or control characters');
  }
  if (value.includes('*') || value.includes('?')) {
    fail(site, value, 'audience.wildcard', 'an audience is matched exactly; "*" and "?" would become wildcards in the IAM condition');
  }
  return value;
}

/** Validates that `values` is a list of 1-10 entries (the audiences one STS token carries). */
export function validateAudienceCount(values: string[], site: ValidationSite): string[] {
  if (!Array.isArray(values) || values.length < MIN_AUDIENCES || values.length > MAX_AUDIENCES) {
    fail(site, values, 'audience.count', `an STS token carries ${MIN_AUDIENCES} to ${MAX_AUDIENCES} audiences, got ${Array.isArray(values) ? values.length : 'none'}`);
  }
  return values;
}

/** Validates a list of audiences: 1-10 distinct entries, each valid. */
export function validateAudiences(values: string[], site: ValidationSite): string[] {
  validateAudienceCount(values, site);
  values.forEach((v, i) => validateAudience(v, child(site, `[${i}]`)));
  if (new Set(values).size !== values.length) {
    fail(site, values, 'audience.duplicate', 'each audience may appear once');
  }
  return values;
}

/** Validates a token lifetime in whole seconds, 60-3600. */
export function validateTokenLifetime(seconds: number, site: ValidationSite): number {
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < MIN_TOKEN_LIFETIME_SECONDS || seconds > MAX_TOKEN_LIFETIME_SECONDS) {
    fail(site, seconds, 'lifetime.range', `a token lifetime is a whole number of seconds from ${MIN_TOKEN_LIFETIME_SECONDS} to ${MAX_TOKEN_LIFETIME_SECONDS}`);
  }
  return seconds;
}

/** Validates a signing algorithm name (`RS256` or `ES384`). */
export function validateSigningAlgorithm(value: string, site: ValidationSite): SigningAlgorithm {
  if (value !== SigningAlgorithm.RS256 && value !== SigningAlgorithm.ES384) {
    fail(site, value, 'signing-algorithm.known', 'STS signs with "RS256" or "ES384" only');
  }
  return value as SigningAlgorithm;
}

/**
 * The token a workload must request for one target: the exact GetWebIdentityToken
 * parameters its IAM policy allows.
 */
export interface TokenRequest {
  /** `Audience` to request (a single value). */
  readonly audience: string;
  /** `SigningAlgorithm` to request. */
  readonly signingAlgorithm: SigningAlgorithm;
  /** `DurationSeconds` to request; the IAM policy allows at most this. */
  readonly durationSeconds: number;
}
