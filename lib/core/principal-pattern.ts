import { fail, ValidationSite } from './errors';

/**
 * `aws:PrincipalArn` patterns for exceptions in organization guardrails (break-glass roles, the platform role).
 *
 * `aws:PrincipalArn` holds the ARN of the IAM role (with its path) for a role session, of the IAM user, or
 * `arn:<partition>:iam::<account>:root` for the root user; never an `assumed-role` session ARN. An exception
 * compared with `ArnNotLike` may use `*` and `?`, but a leading wildcard on the name lets anyone who can
 * create a role with a matching name bypass the guardrail, so the role or user name must start literally.
 */
const ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|\*):(.+)$/;
const NAME = /^(role|user)\/([A-Za-z0-9+=,.@_/*?-]+)$/;

/** Validates one principal ARN pattern for `ArnNotLike` on `aws:PrincipalArn`; returns it unchanged. */
export function validatePrincipalArnPattern(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(site, value, 'principal-pattern.format', 'write an IAM role ARN pattern, e.g. "arn:aws:iam::111122223333:role/break-glass"');
  }
  if (/^arn:[^:]*:sts::/.test(value)) {
    fail(site, value, 'principal-pattern.session', 'aws:PrincipalArn holds the role ARN for a role session, never the assumed-role session ARN; write "arn:aws:iam::<account>:role/<path><name>"');
  }
  const arn = ARN.exec(value);
  if (!arn) {
    fail(site, value, 'principal-pattern.format', 'an IAM principal ARN is "arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account or *>:role/<path><name>" (or user/..., or root)');
  }
  const [, , account, resource] = arn;
  if (resource === 'root') {
    if (account === '*') {
      fail(site, value, 'principal-pattern.too-broad', 'the root user of every account cannot be an exception; name the account');
    }
    return value;
  }
  const name = NAME.exec(resource);
  if (!name) {
    fail(site, value, 'principal-pattern.format', 'the resource part is "role/<path><name>", "user/<path><name>" or "root", with letters, digits, + = , . @ _ - / and the wildcards * ?');
  }
  const rest = name[2];
  if (/^[*?/]/.test(rest) || rest.endsWith('/')) {
    fail(site, value, 'principal-pattern.too-broad', `a ${name[1]} pattern must start with a literal path or name: a leading wildcard matches any ${name[1]} someone can create with a matching name, and the exception would void the guardrail`);
  }
  return value;
}

/** Validates a list of patterns: each valid, none repeated. */
export function validatePrincipalArnPatterns(values: string[], site: ValidationSite): string[] {
  if (!Array.isArray(values)) {
    fail(site, values, 'principal-pattern.format', 'pass a list of IAM principal ARN patterns');
  }
  values.forEach((v, i) => validatePrincipalArnPattern(v, { path: site.path, property: `${site.property}[${i}]` }));
  if (new Set(values).size !== values.length) {
    fail(site, values, 'principal-pattern.duplicate', 'each pattern may appear once');
  }
  return values;
}
