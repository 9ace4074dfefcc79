/**
 * The trust of a role that external workloads assume with OIDC tokens (`sts:AssumeRoleWithWebIdentity`): the
 * validation of issuer, audience and subjects, and the condition block that pins them. One builder for the CDK
 * `OidcTrustRole` and the CDK for Terraform `TerraformOidcTrustRole`, so both refuse the same subjects and write
 * the same conditions. Engine-neutral.
 */
import { fail, ValidationSite } from './errors';
import { gitHubSubjectOwnerProblem, isGitHubIssuer, SubjectFilter, SubjectOperator, validateSubject } from './subject';
import { validateAudience } from './token';
import { PolicyConditions, TokenAware } from './token-statement';

/** The issuer host of GitHub Actions OIDC tokens, as IAM condition keys name it. */
export const GITHUB_ACTIONS_ISSUER = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests by default. */
export const GITHUB_ACTIONS_AUDIENCE = 'sts.amazonaws.com';
/** The action a web identity trust allows. */
export const ASSUME_ROLE_WITH_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

const ISSUER_HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/;

/** Validates an issuer as IAM condition keys name it: the issuer URL without `https://` and without a trailing slash. */
export function validateIssuerHost(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(site, value, 'trust.issuer', 'name the issuer host, e.g. "token.actions.githubusercontent.com"');
  }
  if (/^[a-z]+:\/\//i.test(value)) {
    fail(site, value, 'trust.issuer', `IAM condition keys use the issuer without the scheme; write ${JSON.stringify(value.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''))}`);
  }
  if (!ISSUER_HOST.test(value)) {
    fail(site, value, 'trust.issuer', 'an issuer host is a DNS name with an optional path, without a trailing slash, spaces or wildcards');
  }
  return value;
}

/** The issuer host of an IAM OIDC provider ARN (`arn:aws:iam::111122223333:oidc-provider/HOST`), if it has one. */
export function issuerOfProviderArn(providerArn: string): string | undefined {
  return providerArn.split(':oidc-provider/')[1];
}

/** What an inbound OIDC trust pins. */
export interface OidcTrustInput {
  /** The issuer host (validated). */
  readonly issuer: string;
  /** The audience the tokens must carry. */
  readonly audience: string;
  /** The subjects the role trusts. */
  readonly subjects: SubjectFilter[];
}

/**
 * Validates an inbound OIDC trust at construct path `path` (a token audience is passed through unchecked) and
 * returns its conditions: `StringEquals` on `<issuer>:aud`, and the subjects on `<issuer>:sub` under
 * `StringEquals`, or all under `StringLike` when any is a pattern (the exact ones have no wildcard, so StringLike
 * compares them exactly; StringEquals and StringLike on the same key would be ANDed).
 */
export function oidcTrustConditions(input: OidcTrustInput, path: string, engine: TokenAware): PolicyConditions {
  const issuer = validateIssuerHost(input.issuer, { path, property: 'issuer' });
  const audience = input.audience;
  if (audience === undefined || audience === null || (audience as unknown) === '') {
    fail({ path, property: 'audience' }, audience, 'trust.audience-required', `a trust pins the token audience (${issuer}:aud); without it tokens minted for any other service are accepted`);
  }
  if (!engine.isUnresolved(audience)) {
    validateAudience(audience, { path, property: 'audience' });
  }

  const subjects = input.subjects;
  if (!Array.isArray(subjects) || subjects.length === 0) {
    fail({ path, property: 'subjects' }, subjects, 'subject.required', `a trust pins the subject (${issuer}:sub); without it every workload of the issuer can assume the role`);
  }
  const github = isGitHubIssuer(issuer);
  subjects.forEach((s, i) => {
    const site: ValidationSite = { path, property: `subjects[${i}]` };
    if (s === null || typeof s !== 'object') {
      fail(site, s, 'subject.required', 'each subject is a SubjectFilter, e.g. SubjectFilter.gitHubBranch("org", "repo", "main")');
    }
    validateSubject(s.subject, s.operator, site);
    const ownerProblem = github ? gitHubSubjectOwnerProblem(s.subject) : undefined;
    if (ownerProblem) {
      fail(site, s.subject, ownerProblem.rule, ownerProblem.reason);
    }
  });
  const values = [...new Set(subjects.map((s) => s.subject))];
  const anyPattern = subjects.some((s) => s.operator === SubjectOperator.STRING_LIKE);
  const subjectValue = values.length === 1 ? values[0] : values;
  return anyPattern
    ? { StringEquals: { [`${issuer}:aud`]: audience }, StringLike: { [`${issuer}:sub`]: subjectValue } }
    : { StringEquals: { [`${issuer}:aud`]: audience, [`${issuer}:sub`]: subjectValue } };
}
