import { child, fail, ValidationSite } from './errors';
import { validateIssuerUrl } from './issuer';
import { validateSnowflakeIdentifier } from './names';
import { parseRoleArn } from './role-arn';
import { MAX_AUDIENCES, validateAudience } from './token';

/**
 * SQL for a Snowflake service user's workload identity (DESIGN §1.2).
 *
 * Every value written into a statement is validated against a strict pattern first and then
 * escaped. The allowed characters of a string literal exclude quotes, backslashes, semicolons,
 * whitespace, `$`, `%` and braces, so no value can close its literal, start a second statement,
 * append a clause such as `RSA_PUBLIC_KEY = ...`, or become a Terraform `${...}`/`%{...}` template
 * once the statement is written into Terraform configuration. Escaping is kept as a second layer.
 */

/** The identity provider a Snowflake workload identity trusts. */
export enum SnowflakeWorkloadIdentityType {
  /** An AWS IAM role: `TYPE = AWS ARN = '<role arn>'`, with `ISSUER` for STS-minted JWTs (outbound identity federation). */
  AWS = 'AWS',
  /** Any OpenID Connect issuer: `TYPE = OIDC ISSUER = '<issuer>' SUBJECT = '<sub>'`. */
  OIDC = 'OIDC',
  /** Microsoft Entra ID: `TYPE = AZURE ISSUER = 'https://login.microsoftonline.com/<tenant>/v2.0' SUBJECT = '<object id>'`. */
  AZURE = 'AZURE',
  /** Google Cloud: `TYPE = GCP SUBJECT = '<service account unique id>'`. */
  GCP = 'GCP',
}

/** A workload identity as plain data; which fields apply depends on `type`. */
export interface SnowflakeWorkloadIdentitySpec {
  /** Identity provider. */
  readonly type: SnowflakeWorkloadIdentityType;
  /** AWS: the IAM role ARN (path included). */
  readonly arn?: string;
  /** AWS (optional: JWT mode), OIDC and AZURE (required): the token issuer, compared exactly. */
  readonly issuer?: string;
  /** OIDC, AZURE, GCP: the token subject. */
  readonly subject?: string;
  /** OIDC only: audiences Snowflake accepts (`OIDC_AUDIENCE_LIST`). Omitted: Snowflake's default `snowflakecomputing.com`. */
  readonly audiences?: string[];
}

/** What an authentication policy's `WORKLOAD_IDENTITY_POLICY` allows for one identity. */
export interface SnowflakeWorkloadIdentityPolicy {
  /** `ALLOWED_PROVIDERS`: exactly the identity's provider. */
  readonly allowedProviders: string[];
  /** `ALLOWED_AWS_ACCOUNTS` (AWS). */
  readonly allowedAwsAccounts?: string[];
  /** `ALLOWED_OIDC_ISSUERS` (OIDC). */
  readonly allowedOidcIssuers?: string[];
  /** `ALLOWED_AZURE_ISSUERS` (AZURE). */
  readonly allowedAzureIssuers?: string[];
}

/** Characters a value may have to be written into a SQL string literal. */
const SQL_LITERAL = /^[A-Za-z0-9._~:/@+=,-]+$/;
const MAX_SQL_LITERAL = 2048;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AZURE_ISSUER = /^https:\/\/(login\.microsoftonline\.com|login\.microsoftonline\.us|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/;
const GCP_SUBJECT = /^[0-9]{1,64}$/;
/** A reference to a provider attribute, e.g. a cdktf token `${TfToken[TOKEN.12]}` or `${snowflake_service_user.x.fully_qualified_name}`. */
const ATTRIBUTE_REFERENCE = /^\$\{[A-Za-z0-9_.[\]-]+\}$/;

/** Microsoft Entra authority hosts per cloud, used to build an Azure issuer. */
export const AZURE_AUTHORITY_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];

/** Escapes a value for a Snowflake single-quoted literal: `\` doubled, `'` doubled. Callers validate first. */
export function escapeStringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Escapes a name as a Snowflake quoted identifier, `"` doubled, the way the provider quotes `fully_qualified_name`. Callers validate first. */
export function escapeIdentifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Validates a value for a SQL string literal: printable, no quoting or statement characters. */
export function validateSqlLiteral(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SQL_LITERAL) {
    fail(site, value, 'snowflake.sql-literal', `a value written into SQL is 1 to ${MAX_SQL_LITERAL} characters`);
  }
  if (!SQL_LITERAL.test(value)) {
    fail(site, value, 'snowflake.sql-literal', 'a value written into SQL has only letters, digits and . _ ~ : / @ + = , - (no quotes, backslashes, semicolons, spaces, $, % or braces)');
  }
  return value;
}

/** Validates a Snowflake identifier and returns it as a quoted identifier, e.g. `"ETL_USER"`. */
export function quoteIdentifier(value: string, site: ValidationSite): string {
  return escapeIdentifier(validateSnowflakeIdentifier(value, site));
}

/** Validates a value and returns it as a Snowflake string literal, e.g. `'arn:aws:iam::...'`. */
export function quoteStringLiteral(value: string, site: ValidationSite): string {
  return escapeStringLiteral(validateSqlLiteral(value, site));
}

/** Builds the Entra v2 issuer Snowflake expects for an Azure workload: `https://login.microsoftonline.com/<tenant>/v2.0`. */
export function azureIssuer(
  tenantId: string,
  site: ValidationSite,
  authorityHost = AZURE_AUTHORITY_HOSTS[0],
  authoritySite: ValidationSite = { ...site, property: 'authorityHost' },
): string {
  if (typeof tenantId !== 'string' || !GUID.test(tenantId)) {
    fail(site, tenantId, 'snowflake.azure-tenant', 'an Entra tenant id is a lower-case GUID such as "00000000-0000-0000-0000-000000000000"');
  }
  if (!AZURE_AUTHORITY_HOSTS.includes(authorityHost)) {
    fail(authoritySite, authorityHost, 'snowflake.azure-authority', `the authority host is one of ${AZURE_AUTHORITY_HOSTS.join(', ')}`);
  }
  return `https://${authorityHost}/${tenantId}/v2.0`;
}

/** Validates a workload identity for its type: required fields present, foreign fields absent, every value strict. */
export function validateWorkloadIdentity(spec: SnowflakeWorkloadIdentitySpec, site: ValidationSite): SnowflakeWorkloadIdentitySpec {
  if (spec === null || typeof spec !== 'object') {
    fail(site, spec, 'snowflake.identity-fields', 'a workload identity is an object with a type');
  }
  const type = spec.type;
  const allowed: Record<SnowflakeWorkloadIdentityType, string[]> = {
    [SnowflakeWorkloadIdentityType.AWS]: ['arn', 'issuer'],
    [SnowflakeWorkloadIdentityType.OIDC]: ['issuer', 'subject', 'audiences'],
    [SnowflakeWorkloadIdentityType.AZURE]: ['issuer', 'subject'],
    [SnowflakeWorkloadIdentityType.GCP]: ['subject'],
  };
  if (!Object.values(SnowflakeWorkloadIdentityType).includes(type)) {
    fail(child(site, 'type'), type, 'snowflake.identity-type', `the type is one of ${Object.values(SnowflakeWorkloadIdentityType).join(', ')}`);
  }
  for (const field of ['arn', 'issuer', 'subject', 'audiences'] as const) {
    if (spec[field] !== undefined && !allowed[type].includes(field)) {
      fail(child(site, field), spec[field], 'snowflake.identity-fields', `a ${type} workload identity has only ${allowed[type].join(', ')}`);
    }
  }
  const required = (field: 'arn' | 'issuer' | 'subject') => {
    if (spec[field] === undefined) {
      fail(child(site, field), undefined, 'snowflake.identity-fields', `a ${type} workload identity needs ${field}`);
    }
    return spec[field] as string;
  };
  const issuer = (value: string) => validateSqlLiteral(validateIssuerUrl(value, child(site, 'issuer')), child(site, 'issuer'));
  switch (type) {
    case SnowflakeWorkloadIdentityType.AWS: {
      const arn = required('arn');
      parseRoleArn(arn, child(site, 'arn'));
      validateSqlLiteral(arn, child(site, 'arn'));
      if (spec.issuer !== undefined) {
        issuer(spec.issuer);
      }
      break;
    }
    case SnowflakeWorkloadIdentityType.OIDC: {
      issuer(required('issuer'));
      validateSqlLiteral(required('subject'), child(site, 'subject'));
      if (spec.audiences !== undefined) {
        const audSite = child(site, 'audiences');
        if (!Array.isArray(spec.audiences) || spec.audiences.length < 1 || spec.audiences.length > MAX_AUDIENCES) {
          fail(audSite, spec.audiences, 'snowflake.oidc-audiences', `OIDC_AUDIENCE_LIST has 1 to ${MAX_AUDIENCES} audiences; omit it for Snowflake's default "snowflakecomputing.com"`);
        }
        spec.audiences.forEach((a, i) => validateSqlLiteral(validateAudience(a, child(audSite, `[${i}]`)), child(audSite, `[${i}]`)));
        if (new Set(spec.audiences).size !== spec.audiences.length) {
          fail(audSite, spec.audiences, 'snowflake.oidc-audiences', 'each audience may appear once');
        }
      }
      break;
    }
    case SnowflakeWorkloadIdentityType.AZURE: {
      const value = required('issuer');
      issuer(value);
      if (!AZURE_ISSUER.test(value)) {
        fail(child(site, 'issuer'), value, 'snowflake.azure-issuer', 'an Azure workload identity trusts "https://login.microsoftonline.com/<tenant id>/v2.0" (or a sovereign cloud authority)');
      }
      const subject = required('subject');
      if (!GUID.test(subject)) {
        fail(child(site, 'subject'), subject, 'snowflake.azure-subject', 'an Azure subject is the object (principal) id of the managed identity or service principal, a lower-case GUID');
      }
      break;
    }
    case SnowflakeWorkloadIdentityType.GCP: {
      const subject = required('subject');
      if (!GCP_SUBJECT.test(subject)) {
        fail(child(site, 'subject'), subject, 'snowflake.gcp-subject', "a GCP subject is the service account's numeric unique id");
      }
      break;
    }
  }
  return spec;
}

/** `WORKLOAD_IDENTITY = (TYPE = ... )` for a validated identity. */
export function workloadIdentityClause(spec: SnowflakeWorkloadIdentitySpec, site: ValidationSite): string {
  validateWorkloadIdentity(spec, site);
  const parts = [`TYPE = ${spec.type}`];
  if (spec.arn !== undefined) parts.push(`ARN = ${quoteStringLiteral(spec.arn, child(site, 'arn'))}`);
  if (spec.issuer !== undefined) parts.push(`ISSUER = ${quoteStringLiteral(spec.issuer, child(site, 'issuer'))}`);
  if (spec.subject !== undefined) parts.push(`SUBJECT = ${quoteStringLiteral(spec.subject, child(site, 'subject'))}`);
  if (spec.audiences !== undefined) {
    parts.push(`OIDC_AUDIENCE_LIST = (${spec.audiences.map((a, i) => quoteStringLiteral(a, child(site, `audiences[${i}]`))).join(', ')})`);
  }
  return `WORKLOAD_IDENTITY = (${parts.join(' ')})`;
}

/**
 * The user an `ALTER USER` statement names: either a validated name that we quote, or a reference to
 * the provider's `fully_qualified_name` attribute (which the provider quotes itself).
 */
export class SnowflakeUserRef {
  /** A user named `name` (validated, written as `"name"`). */
  public static fromName(name: string, site: ValidationSite): SnowflakeUserRef {
    return new SnowflakeUserRef(quoteIdentifier(name, site));
  }

  /**
   * A provider attribute reference such as `${snowflake_service_user.etl.fully_qualified_name}` or the cdktf token
   * standing for it. Only `${...}` with letters, digits and `_ . [ ] -` inside is accepted.
   */
  public static fromProviderAttribute(reference: string, site: ValidationSite): SnowflakeUserRef {
    if (typeof reference !== 'string' || !ATTRIBUTE_REFERENCE.test(reference)) {
      fail(site, reference, 'snowflake.user-reference', 'a user reference is a provider attribute reference such as ${snowflake_service_user.x.fully_qualified_name}');
    }
    return new SnowflakeUserRef(reference);
  }

  private constructor(
    /** The user as written in SQL. */
    public readonly sql: string,
  ) {}
}

/** `ALTER USER <user> SET WORKLOAD_IDENTITY = (...)`: one statement, no trailing semicolon. */
export function alterUserSetWorkloadIdentity(user: SnowflakeUserRef, spec: SnowflakeWorkloadIdentitySpec, site: ValidationSite): string {
  return `ALTER USER ${user.sql} SET ${workloadIdentityClause(spec, site)}`;
}

/** `ALTER USER IF EXISTS <user> UNSET WORKLOAD_IDENTITY`: the revert of {@link alterUserSetWorkloadIdentity}. */
export function alterUserUnsetWorkloadIdentity(user: SnowflakeUserRef): string {
  return `ALTER USER IF EXISTS ${user.sql} UNSET WORKLOAD_IDENTITY`;
}

/** What an authentication policy must allow for `spec` and nothing more: its provider and its account or issuer. */
export function workloadIdentityPolicyFor(spec: SnowflakeWorkloadIdentitySpec, site: ValidationSite): SnowflakeWorkloadIdentityPolicy {
  validateWorkloadIdentity(spec, site);
  switch (spec.type) {
    case SnowflakeWorkloadIdentityType.AWS:
      return { allowedProviders: ['AWS'], allowedAwsAccounts: [parseRoleArn(spec.arn as string, child(site, 'arn')).account] };
    case SnowflakeWorkloadIdentityType.OIDC:
      return { allowedProviders: ['OIDC'], allowedOidcIssuers: [spec.issuer as string] };
    case SnowflakeWorkloadIdentityType.AZURE:
      return { allowedProviders: ['AZURE'], allowedAzureIssuers: [spec.issuer as string] };
    default:
      return { allowedProviders: ['GCP'] };
  }
}
