// Type-only imports: @cdktf/provider-google (300 MB) is an OPTIONAL peer dependency, loaded by `google()` below when a
// pool is built, so `require('cdk-keyless')` works for users who do not target Google Cloud and never installed it.
// Its types stay inside this file: the public API names cdktf's TerraformResource instead, so the package's .d.ts never
// imports the provider and a consumer type-checks without it, even with skipLibCheck off (scripts/consumer-test.sh).
import type { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import type { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import type { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { TerraformProvider, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { fail, ValidationSite } from '../../core/errors';
import { validateIssuerUrl } from '../../core/issuer';
import { FederationPlan } from '../../core/plan';
import { parseRoleArn } from '../../core/role-arn';
import { GCP_MAX_SUBJECT_BYTES, TargetKind } from '../../core/target';
import { validateAudience } from '../../core/token';
import { pathOf, requireConcrete, validateTerraformLiteral, validateUnlessToken, warnUnchecked } from '../validation';

/** Google's limits on a workload identity pool provider (provider google 6.50, `google_iam_workload_identity_pool_provider`). */
const MAX_AUDIENCES = 10;
const MAX_AUDIENCE_LENGTH = 256;
const MAX_CONDITION_LENGTH = 4096;
const MAX_DISPLAY_NAME = 32;
const POOL_OR_PROVIDER_ID = /^[a-z0-9-]{4,32}$/;
const SERVICE_ACCOUNT = /^[a-z]([-a-z0-9]{4,28}[a-z0-9])@([a-z]([-a-z0-9]{4,28}[a-z0-9]))\.iam\.gserviceaccount\.com$/;

/** The provider classes, loaded on first use (see the imports). */
function google(path: string): {
  IamWorkloadIdentityPool: typeof IamWorkloadIdentityPool;
  IamWorkloadIdentityPoolProvider: typeof IamWorkloadIdentityPoolProvider;
  ServiceAccountIamMember: typeof ServiceAccountIamMember;
} {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
      IamWorkloadIdentityPool: require('@cdktf/provider-google/lib/iam-workload-identity-pool').IamWorkloadIdentityPool,
      IamWorkloadIdentityPoolProvider: require('@cdktf/provider-google/lib/iam-workload-identity-pool-provider').IamWorkloadIdentityPoolProvider,
      ServiceAccountIamMember: require('@cdktf/provider-google/lib/service-account-iam-member').ServiceAccountIamMember,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (e) {
    return fail({ path, property: 'provider' }, '@cdktf/provider-google', 'gcp.provider-package',
      `GcpWorkloadIdentityPool needs the optional peer dependency @cdktf/provider-google (^16.12.1): npm install @cdktf/provider-google (${(e as Error).message.split('\n')[0]})`);
  }
}

/** The role a `principal://` member needs on a service account to impersonate it through workload identity federation. */
const WORKLOAD_IDENTITY_USER_ROLE = 'roles/iam.workloadIdentityUser';

/** Properties of a {@link GcpWorkloadIdentityPool}. */
export interface GcpWorkloadIdentityPoolProps {
  /** Pool id: 4-32 of `a-z`, `0-9` and `-`, not starting with `gcp-` (reserved by Google); immutable. */
  readonly poolId: string;
  /** Provider id: 4-32 of `a-z`, `0-9` and `-`, not starting with `gcp-`; immutable. */
  readonly providerId: string;
  /** The AWS account's outbound issuer, exactly as in the tokens' `iss` (no trailing slash). */
  readonly issuerUrl: string;
  /** Audiences the provider accepts (`allowed_audiences`): 1-10, each at most 256 characters. */
  readonly audiences: string[];
  /**
   * Role ARNs (path included) whose tokens the provider admits: the `attribute_condition` pins `assertion.sub` to
   * exactly these. Each is at most 127 bytes (Google's limit on `google.subject`, which is mapped from `sub`).
   */
  readonly roleArns: string[];
  /**
   * Display name of the pool and the provider (at most 32 characters).
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Project id of the pool.
   * @default - the google provider's project
   */
  readonly project?: string;
  /**
   * google provider for every resource of this construct.
   * @default - the stack's default google provider
   */
  readonly provider?: TerraformProvider;
}

/** Options of {@link GcpWorkloadIdentityPool.fromPlan}. */
export interface GcpWorkloadIdentityPoolFromPlanOptions {
  /** Pool id (see {@link GcpWorkloadIdentityPoolProps.poolId}). */
  readonly poolId: string;
  /**
   * Provider id.
   * @default `aws-<account>`
   */
  readonly providerId?: string;
  /**
   * Display name of the pool and the provider.
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Project id of the pool.
   * @default - the google provider's project
   */
  readonly project?: string;
  /**
   * google provider for every resource of this construct.
   * @default - the stack's default google provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A Google Cloud workload identity pool whose one OIDC provider trusts an AWS account's outbound issuer, so AWS
 * workloads reach Google Cloud with their STS `GetWebIdentityToken` JWT instead of a service account key:
 *
 * - `google_iam_workload_identity_pool`;
 * - `google_iam_workload_identity_pool_provider` of type `oidc` with `issuer_uri` = the account issuer,
 *   `allowed_audiences` = the plan's audiences, `attribute_mapping` `google.subject = assertion.sub` (the role ARN,
 *   at most 127 bytes) and an `attribute_condition` admitting exactly the listed role ARNs;
 * - on request ({@link grantImpersonation}), `google_service_account_iam_member` granting
 *   `roles/iam.workloadIdentityUser` on a service account to one role's `principal://` member; or grant roles on
 *   resources to {@link principalFor} directly.
 *
 * Google's older `aws` provider type verifies a signed `GetCallerIdentity` request (SigV4) and maps `assertion.arn`,
 * the assumed-role session ARN; it does not read these JWTs. This construct uses the OIDC type.
 */
export class GcpWorkloadIdentityPool extends Construct {
  /** The role a `principal://` member needs on a service account to impersonate it. */
  public static readonly WORKLOAD_IDENTITY_USER_ROLE: string = WORKLOAD_IDENTITY_USER_ROLE;

  /**
   * The CEL condition admitting exactly `roleArns`: `assertion.sub == '<arn>'`, or `assertion.sub in ['<arn>', ...]`.
   * Role ARNs hold no quote or backslash (the constructor checks them), so single-quoted CEL strings need no escaping.
   */
  public static attributeConditionFor(roleArns: string[]): string {
    return roleArns.length === 1
      ? `assertion.sub == '${roleArns[0]}'`
      : `assertion.sub in [${roleArns.map((a) => `'${a}'`).join(', ')}]`;
  }

  /**
   * Builds the pool for every GCP target of `plan`: the plan's issuer, the targets' audiences and role ARNs, and an
   * impersonation grant for each target that names a `gcpServiceAccount`.
   */
  public static fromPlan(scope: Construct, id: string, plan: FederationPlan, options: GcpWorkloadIdentityPoolFromPlanOptions): GcpWorkloadIdentityPool {
    const path = pathOf(scope, id);
    if (!(plan instanceof FederationPlan)) {
      fail({ path, property: 'plan' }, typeof plan, 'plan.shape', 'pass a FederationPlan');
    }
    if (options === null || typeof options !== 'object') {
      fail({ path, property: 'options' }, options, 'gcp.props', 'pass at least poolId');
    }
    const targets = plan.targetsOfKind(TargetKind.GCP);
    if (targets.length === 0) {
      fail({ path, property: 'plan' }, plan.workloads.map((w) => w.name), 'gcp.target-in-plan', 'the plan has no GCP target (kind "gcp")');
    }
    const pool = new GcpWorkloadIdentityPool(scope, id, {
      poolId: options.poolId,
      providerId: options.providerId ?? `aws-${plan.account}`,
      issuerUrl: plan.issuerUrl,
      audiences: [...new Set(targets.map((t) => t.tokenRequest.audience))],
      roleArns: [...new Set(targets.map((t) => t.subject))],
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      ...(options.project !== undefined ? { project: options.project } : {}),
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
    });
    const granted = new Set<string>();
    for (const t of targets) {
      if (t.gcpServiceAccount === undefined) continue;
      const key = `${t.gcpServiceAccount} ${t.subject}`;
      if (granted.has(key)) continue;
      granted.add(key);
      pool.grantImpersonation(t.gcpServiceAccount, t.subject);
    }
    return pool;
  }

  /**
   * The `google_iam_workload_identity_pool` (an `IamWorkloadIdentityPool` of @cdktf/provider-google, typed as cdktf's
   * `TerraformResource` so that the package's types do not need the optional peer; cast it to use its attributes).
   */
  public readonly pool: TerraformResource;
  /**
   * The `google_iam_workload_identity_pool_provider` (OIDC, the account issuer): an `IamWorkloadIdentityPoolProvider`,
   * typed as `TerraformResource` like {@link pool}.
   */
  public readonly identityProvider: TerraformResource;
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>`, known after apply. */
  public readonly poolName: string;
  /**
   * The provider's full resource name, `//iam.googleapis.com/projects/<number>/.../providers/<provider>`: the
   * `audience` of the workload's token exchange at `https://sts.googleapis.com/v1/token` (not the JWT's `aud`).
   */
  public readonly stsAudience: string;
  /** The `attribute_condition` written on the provider. */
  public readonly attributeCondition: string;
  /** The role ARNs the provider admits. */
  public readonly roleArns: string[];

  private readonly provider?: TerraformProvider;
  private readonly members = new Map<string, ServiceAccountIamMember>();

  constructor(scope: Construct, id: string, props: GcpWorkloadIdentityPoolProps) {
    const path = pathOf(scope, id);
    const site = (property: string): ValidationSite => ({ path, property });
    if (props === null || typeof props !== 'object') {
      fail(site('props'), props, 'gcp.props', 'pass poolId, providerId, issuerUrl, audiences and roleArns');
    }
    const unchecked: string[] = [];
    validateUnlessToken(props.poolId, site('poolId'), (v, s) => validateResourceId(v, s, 'pool'), unchecked);
    validateUnlessToken(props.providerId, site('providerId'), (v, s) => validateResourceId(v, s, 'provider'), unchecked);
    if (props.displayName !== undefined) {
      validateUnlessToken(props.displayName, site('displayName'), (v, s) => {
        if (typeof v !== 'string' || v.length < 1 || v.length > MAX_DISPLAY_NAME) {
          fail(s, v, 'gcp.display-name', `a pool or provider display name is 1 to ${MAX_DISPLAY_NAME} characters`);
        }
        validateTerraformLiteral(v, s);
      }, unchecked);
    }
    if (props.project !== undefined) validateUnlessToken(props.project, site('project'), validateTerraformLiteral, unchecked);
    // What Google compares with the token is checked here or nowhere: tokens are refused, not passed through.
    requireConcrete(props.issuerUrl, site('issuerUrl'), 'Google compares it with the token\'s iss exactly, so it is validated at synth');
    const issuer = validateTerraformLiteral(validateIssuerUrl(props.issuerUrl, site('issuerUrl')), site('issuerUrl'));
    const audiences = validateGcpAudiences(props.audiences, site('audiences'));
    const roleArns = validateRoleArns(props.roleArns, site('roleArns'));
    const condition = GcpWorkloadIdentityPool.attributeConditionFor(roleArns);
    if (condition.length > MAX_CONDITION_LENGTH) {
      fail(site('roleArns'), roleArns, 'gcp.condition-length', `the attribute condition admitting these ${roleArns.length} roles is ${condition.length} characters; Google allows ${MAX_CONDITION_LENGTH}: split the roles over several providers`);
    }

    const { IamWorkloadIdentityPool: Pool, IamWorkloadIdentityPoolProvider: PoolProvider } = google(path);
    super(scope, id);
    warnUnchecked(this, unchecked);
    this.provider = props.provider;
    this.roleArns = roleArns;
    this.attributeCondition = condition;
    const provider = props.provider ? { provider: props.provider } : {};
    const project = props.project !== undefined ? { project: props.project } : {};
    const displayName = props.displayName !== undefined ? { displayName: props.displayName } : {};

    const pool: IamWorkloadIdentityPool = new Pool(this, 'Pool', {
      workloadIdentityPoolId: props.poolId,
      ...displayName,
      description: 'cdk-keyless: AWS workloads federated through the account\'s outbound issuer',
      ...project,
      ...provider,
    });
    this.pool = pool;
    this.poolName = pool.name;
    const identityProvider: IamWorkloadIdentityPoolProvider = new PoolProvider(this, 'Provider', {
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: props.providerId,
      ...displayName,
      description: `cdk-keyless: AWS outbound identity federation, issuer ${issuer}`,
      // google.subject is the role ARN (the token's sub); Google limits it to 127 bytes, checked above.
      attributeMapping: { 'google.subject': 'assertion.sub' },
      attributeCondition: condition,
      oidc: { issuerUri: issuer, allowedAudiences: audiences },
      ...project,
      ...provider,
    });
    this.identityProvider = identityProvider;
    this.stsAudience = `//iam.googleapis.com/${identityProvider.name}`;
  }

  /**
   * The IAM member that stands for the workload running as `roleArn`:
   * `principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/subject/<roleArn>`.
   * Grant roles on resources to it directly, or use {@link grantImpersonation}. Throws for a role the provider does
   * not admit (its tokens never reach the pool).
   */
  public principalFor(roleArn: string): string {
    if (!this.roleArns.includes(roleArn)) {
      fail({ path: this.node.path, property: 'roleArn' }, roleArn, 'gcp.role-admitted', `the provider's attribute condition admits only ${JSON.stringify(this.roleArns)}`);
    }
    return `principal://iam.googleapis.com/${this.poolName}/subject/${roleArn}`;
  }

  /**
   * Lets the workload running as `roleArn` impersonate the service account `serviceAccountEmail`:
   * `google_service_account_iam_member` with `roles/iam.workloadIdentityUser` for the role's `principal://` member.
   * Granting the same service account to the same role twice returns the first grant (a `ServiceAccountIamMember` of
   * @cdktf/provider-google, typed as `TerraformResource` like {@link pool}).
   */
  public grantImpersonation(serviceAccountEmail: string, roleArn: string): TerraformResource {
    const site: ValidationSite = { path: this.node.path, property: 'serviceAccountEmail' };
    requireConcrete(serviceAccountEmail, site, 'the grant is keyed and validated by it');
    const match = typeof serviceAccountEmail === 'string' ? SERVICE_ACCOUNT.exec(serviceAccountEmail) : null;
    if (!match) {
      fail(site, serviceAccountEmail, 'target.gcp-service-account', 'a service account is named by its email, "NAME@PROJECT_ID.iam.gserviceaccount.com" (lowercase, 6-30 character name and project id)');
    }
    const member = this.principalFor(roleArn);
    const key = `${serviceAccountEmail} ${roleArn}`;
    const existing = this.members.get(key);
    if (existing) return existing;
    const grant = new (google(this.node.path).ServiceAccountIamMember)(this, `Impersonation${this.members.size}`, {
      serviceAccountId: `projects/${match[2]}/serviceAccounts/${serviceAccountEmail}`,
      role: WORKLOAD_IDENTITY_USER_ROLE,
      member,
      ...(this.provider ? { provider: this.provider } : {}),
    });
    this.members.set(key, grant);
    return grant;
  }
}

function validateResourceId(value: string, site: ValidationSite, what: string): void {
  if (typeof value !== 'string' || !POOL_OR_PROVIDER_ID.test(value)) {
    fail(site, value, 'gcp.id', `a ${what} id is 4 to 32 characters of lowercase letters, digits and "-"`);
  }
  if (value.startsWith('gcp-')) {
    fail(site, value, 'gcp.id', `the prefix "gcp-" is reserved by Google and cannot start a ${what} id`);
  }
}

function validateGcpAudiences(values: string[], site: ValidationSite): string[] {
  if (!Array.isArray(values) || values.length < 1 || values.length > MAX_AUDIENCES) {
    fail(site, values, 'gcp.audiences', `a pool provider allows 1 to ${MAX_AUDIENCES} audiences; an empty list would make it expect its own resource name, which no STS token carries unless requested`);
  }
  values.forEach((a, i) => {
    const s: ValidationSite = { ...site, property: `${site.property}[${i}]` };
    requireConcrete(a, s, 'Google compares it with the token\'s aud exactly, so it is validated at synth');
    validateTerraformLiteral(validateAudience(a, s), s);
    if (a.length > MAX_AUDIENCE_LENGTH) {
      fail(s, a, 'gcp.audience-length', `Google accepts audiences of at most ${MAX_AUDIENCE_LENGTH} characters`);
    }
  });
  if (new Set(values).size !== values.length) fail(site, values, 'audience.duplicate', 'each audience may appear once');
  return [...values];
}

function validateRoleArns(values: string[], site: ValidationSite): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    fail(site, values, 'gcp.roles', 'a provider admits at least one role ARN; without an attribute condition every role of the account that can mint the audience gets in');
  }
  values.forEach((arn, i) => {
    const s: ValidationSite = { ...site, property: `${site.property}[${i}]` };
    requireConcrete(arn, s, 'it is written into the attribute condition, so it is validated at synth');
    parseRoleArn(arn, s);
    validateTerraformLiteral(arn, s);
    const bytes = Buffer.byteLength(arn, 'utf8');
    if (bytes > GCP_MAX_SUBJECT_BYTES) {
      fail(s, arn, 'target.gcp-subject-length', `google.subject is mapped from the token's sub (this role ARN) and Google limits it to ${GCP_MAX_SUBJECT_BYTES} bytes; this ARN has ${bytes}: shorten the role path or name`);
    }
  });
  if (new Set(values).size !== values.length) fail(site, values, 'gcp.roles', 'each role ARN may appear once');
  return [...values];
}
