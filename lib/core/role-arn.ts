import { validateAccountId, validatePartition } from './account';
import { child, fail, ValidationSite } from './errors';

// IAM limits: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/([\x21-\x7E]*\/)?$/;
const MAX_PATH = 512;
const ROLE_ARN = /^arn:([^:]*):iam::([^:]*):role(\/.*)$/;

/** The parts of an IAM role ARN. */
export interface RoleArnParts {
  /** AWS partition, e.g. `aws`. */
  readonly partition: string;
  /** 12-digit account id. */
  readonly account: string;
  /** Role path, beginning and ending with `/`. */
  readonly path: string;
  /** Role name, 1-64 characters of `[A-Za-z0-9+=,.@_-]`. */
  readonly name: string;
}

/** Validates an IAM role name (1-64 of `[A-Za-z0-9+=,.@_-]`). */
export function validateRoleName(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || !ROLE_NAME.test(value)) {
    fail(site, value, 'role.name', 'an IAM role name is 1 to 64 characters of letters, digits and + = , . @ _ -');
  }
  return value;
}

/** Validates an IAM path: `/` or `/a/b/`, at most 512 printable ASCII characters. */
export function validateRolePath(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || value.length > MAX_PATH || !ROLE_PATH.test(value)) {
    fail(site, value, 'role.path', 'an IAM path begins and ends with "/" (e.g. "/workloads/"), has no spaces and is at most 512 characters');
  }
  if (value.includes('//')) {
    fail(site, value, 'role.path', 'an IAM path cannot contain an empty segment "//"');
  }
  return value;
}

/** Builds the ARN of a role: `arn:<partition>:iam::<account>:role<path><name>`. This is the `sub` of its STS tokens. */
export function formatRoleArn(parts: RoleArnParts, site: ValidationSite): string {
  validatePartition(parts.partition, child(site, 'partition'));
  validateAccountId(parts.account, child(site, 'account'));
  validateRolePath(parts.path, child(site, 'path'));
  validateRoleName(parts.name, child(site, 'name'));
  return `arn:${parts.partition}:iam::${parts.account}:role${parts.path}${parts.name}`;
}

/** Parses and validates an IAM role ARN (not an assumed-role session ARN). */
export function parseRoleArn(value: string, site: ValidationSite): RoleArnParts {
  const match = typeof value === 'string' ? ROLE_ARN.exec(value) : null;
  if (!match) {
    if (typeof value === 'string' && value.includes(':assumed-role/')) {
      fail(site, value, 'role-arn.format', 'this is an assumed-role session ARN; tokens carry the role ARN "arn:aws:iam::<account>:role/<path><name>"');
    }
    fail(site, value, 'role-arn.format', 'an IAM role ARN looks like "arn:aws:iam::111122223333:role/path/name"');
  }
  const pathAndName = match[3];
  const cut = pathAndName.lastIndexOf('/');
  const parts: RoleArnParts = {
    partition: match[1],
    account: match[2],
    path: pathAndName.slice(0, cut + 1),
    name: pathAndName.slice(cut + 1),
  };
  formatRoleArn(parts, site);
  return parts;
}

/** Validates an IAM role ARN and returns it unchanged. */
export function validateRoleArn(value: string, site: ValidationSite): string {
  parseRoleArn(value, site);
  return value;
}
