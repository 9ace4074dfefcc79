import { child, fail, ValidationSite } from '../../core/errors';
import { validateIssuerUrl } from '../../core/issuer';
import { parseRoleArn } from '../../core/role-arn';
import {
  azureIssuer,
  SnowflakeWorkloadIdentitySpec,
  SnowflakeWorkloadIdentityType,
  validateSqlLiteral,
  validateWorkloadIdentity,
} from '../../core/snowflake-sql';
import { requireConcrete } from '../validation';

/** Options of {@link SnowflakeWorkloadIdentity.aws}. */
export interface AwsWorkloadIdentityOptions {
  /** ARN of the IAM role the workload runs as (path included); it is the `sub` of its tokens. */
  readonly roleArn: string;
  /**
   * The account's outbound issuer. Set: Snowflake accepts STS `GetWebIdentityToken` JWTs from this issuer
   * (outbound identity federation). Unset: Snowflake uses its signed `GetCallerIdentity` mode.
   * @default - signed GetCallerIdentity mode
   */
  readonly issuerUrl?: string;
}

/** Options of {@link SnowflakeWorkloadIdentity.oidc}. */
export interface OidcWorkloadIdentityOptions {
  /** Issuer URL, compared exactly (no trailing slash). */
  readonly issuerUrl: string;
  /** Subject claim, compared exactly. */
  readonly subject: string;
  /**
   * Audiences Snowflake accepts.
   * @default - Snowflake's default, `snowflakecomputing.com`
   */
  readonly audiences?: string[];
}

/** Options of {@link SnowflakeWorkloadIdentity.azure}. */
export interface AzureWorkloadIdentityOptions {
  /** Entra tenant id (GUID). */
  readonly tenantId: string;
  /** Object (principal) id of the managed identity or service principal (GUID). */
  readonly principalId: string;
  /**
   * Entra authority host of a sovereign cloud.
   * @default "login.microsoftonline.com"
   */
  readonly authorityHost?: string;
}

/** Options of {@link SnowflakeWorkloadIdentity.gcp}. */
export interface GcpWorkloadIdentityOptions {
  /** The service account's numeric unique id. */
  readonly subject: string;
}

/**
 * Who may log in as a Snowflake service user: one workload identity (`ALTER USER ... SET WORKLOAD_IDENTITY`).
 * Values are validated when the identity is attached to a construct, so errors name the construct path.
 */
export class SnowflakeWorkloadIdentity {
  /** An AWS IAM role (`TYPE = AWS`). */
  public static aws(options: AwsWorkloadIdentityOptions): SnowflakeWorkloadIdentity {
    return new SnowflakeWorkloadIdentity(SnowflakeWorkloadIdentityType.AWS, (site) => {
      const roleArn = SnowflakeWorkloadIdentity.literal(options.roleArn, child(site, 'roleArn'), (v, s) => parseRoleArn(v, s));
      const issuer = options.issuerUrl === undefined ? undefined : SnowflakeWorkloadIdentity.literal(options.issuerUrl, child(site, 'issuerUrl'), validateIssuerUrl);
      return { type: SnowflakeWorkloadIdentityType.AWS, arn: roleArn, ...(issuer !== undefined ? { issuer } : {}) };
    });
  }

  /** Any OpenID Connect issuer (`TYPE = OIDC`). */
  public static oidc(options: OidcWorkloadIdentityOptions): SnowflakeWorkloadIdentity {
    return new SnowflakeWorkloadIdentity(SnowflakeWorkloadIdentityType.OIDC, (site) => {
      const issuer = SnowflakeWorkloadIdentity.literal(options.issuerUrl, child(site, 'issuerUrl'), validateIssuerUrl);
      const subject = SnowflakeWorkloadIdentity.literal(options.subject, child(site, 'subject'), () => undefined);
      options.audiences?.forEach((a, i) => SnowflakeWorkloadIdentity.literal(a, child(site, `audiences[${i}]`), () => undefined));
      return { type: SnowflakeWorkloadIdentityType.OIDC, issuer, subject, ...(options.audiences !== undefined ? { audiences: options.audiences } : {}) };
    });
  }

  /** A Microsoft Entra managed identity or service principal (`TYPE = AZURE`). */
  public static azure(options: AzureWorkloadIdentityOptions): SnowflakeWorkloadIdentity {
    return new SnowflakeWorkloadIdentity(SnowflakeWorkloadIdentityType.AZURE, (site) => {
      requireConcrete(options.tenantId, child(site, 'tenantId'), 'it is written into SQL');
      requireConcrete(options.principalId, child(site, 'principalId'), 'it is written into SQL');
      const issuer = azureIssuer(options.tenantId, child(site, 'tenantId'), options.authorityHost, child(site, 'authorityHost'));
      if (typeof options.principalId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(options.principalId)) {
        fail(child(site, 'principalId'), options.principalId, 'snowflake.azure-subject', 'the principal id is the object id of the managed identity or service principal, a lower-case GUID');
      }
      return { type: SnowflakeWorkloadIdentityType.AZURE, issuer, subject: options.principalId };
    });
  }

  /** A Google Cloud service account (`TYPE = GCP`). */
  public static gcp(options: GcpWorkloadIdentityOptions): SnowflakeWorkloadIdentity {
    return new SnowflakeWorkloadIdentity(SnowflakeWorkloadIdentityType.GCP, (site) => {
      requireConcrete(options.subject, child(site, 'subject'), 'it is written into SQL');
      return { type: SnowflakeWorkloadIdentityType.GCP, subject: options.subject };
    });
  }

  private static literal(value: string, site: ValidationSite, validate: (v: string, s: ValidationSite) => unknown): string {
    requireConcrete(value, site, 'it is written into SQL and must be validated first');
    validate(value, site);
    return validateSqlLiteral(value, site);
  }

  private constructor(
    /** The identity provider. */
    public readonly type: SnowflakeWorkloadIdentityType,
    private readonly build: (site: ValidationSite) => SnowflakeWorkloadIdentitySpec,
  ) {}

  /**
   * The validated identity as plain data.
   * @internal
   */
  public _spec(site: ValidationSite): SnowflakeWorkloadIdentitySpec {
    return validateWorkloadIdentity(this.build(site), site);
  }
}
