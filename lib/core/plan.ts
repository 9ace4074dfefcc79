import { nestsDeeperThan, TOO_DEEP } from '../guardrails/nesting';
import { validateAccountId, validatePartition } from './account';
import { child, fail, ValidationSite } from './errors';
import { validateIssuerUrl } from './issuer';
import { validateDisplayName, validatePlanName, validateSnowflakeIdentifier } from './names';
import { formatRoleArn, validateRoleName, validateRolePath } from './role-arn';
import { ENTRA_AUDIENCES, EntraCloud, GCP_MAX_SUBJECT_BYTES, TARGET_ALGORITHMS, TARGET_DEFAULTS, TargetKind } from './target';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, SigningAlgorithm, TokenRequest, validateAudience, validateSigningAlgorithm, validateTokenLifetime } from './token';

/** What runs a workload; decides which service principal may assume its role. */
export enum WorkloadCompute {
  /** An AWS Lambda function (`lambda.amazonaws.com`). */
  LAMBDA = 'lambda',
  /** An Amazon ECS task (`ecs-tasks.amazonaws.com`). */
  ECS_TASK = 'ecs-task',
  /** An Amazon EC2 instance (`ec2.amazonaws.com`). */
  EC2 = 'ec2',
  /** Something else: pass the principal to the role construct yourself. */
  OTHER = 'other',
}

/** One service a workload federates to. */
export interface TargetSpec {
  /** Unique within the workload; used in statement ids and construct ids. */
  readonly name: string;
  /** What kind of service trusts the token. */
  readonly kind: TargetKind;
  /**
   * Audience the token carries.
   * @default per kind: Entra `api://AzureADTokenExchange` (per `entraCloud`), Snowflake `snowflakecomputing.com`,
   * OpenAI `https://api.openai.com/v1`, Anthropic `https://api.anthropic.com`; required for OIDC, GCP (an entry of the
   * pool provider's `allowed_audiences`) and Kubernetes (one of the authenticator's `issuer.audiences`).
   */
  readonly audience?: string;
  /**
   * Algorithm STS signs with.
   * @default per kind: RS256 (Entra, OpenAI, Anthropic, OIDC, GCP, Kubernetes), ES384 (Snowflake)
   */
  readonly signingAlgorithm?: SigningAlgorithm;
  /**
   * Lifetime the workload requests, and the most its policy allows (60-3600).
   * @default 300 (what STS issues when DurationSeconds is omitted)
   */
  readonly lifetimeSeconds?: number;
  /**
   * Microsoft cloud of an Entra target.
   * @default EntraCloud.PUBLIC
   */
  readonly entraCloud?: EntraCloud;
  /**
   * Display name of the Entra application that trusts this workload; workloads naming the same
   * application get one federated identity credential each on it. Required for Entra targets.
   */
  readonly entraApplication?: string;
  /** Name of the Snowflake service user this workload logs in as. Required for Snowflake targets. */
  readonly snowflakeUser?: string;
  /**
   * Email of the Google Cloud service account the workload impersonates (GCP targets), e.g.
   * `etl@my-project.iam.gserviceaccount.com`: its `roles/iam.workloadIdentityUser` is granted to the workload's
   * `principal://` member.
   * @default - no impersonation: grant roles on resources to the workload's principal directly
   */
  readonly gcpServiceAccount?: string;
  /** ClusterRole the workload's Kubernetes user is bound to (e.g. `view`). Required for Kubernetes targets. */
  readonly kubernetesClusterRole?: string;
  /**
   * Namespace of a RoleBinding that grants `kubernetesClusterRole` in that namespace only (Kubernetes targets).
   * @default - a ClusterRoleBinding (cluster-wide)
   */
  readonly kubernetesNamespace?: string;
}

/** One AWS workload: the role it runs as and the targets it mints tokens for. */
export interface WorkloadSpec {
  /** Unique within the plan. */
  readonly name: string;
  /** IAM role name; fixed so the role ARN (the token's `sub`) is known before deployment. */
  readonly roleName: string;
  /**
   * IAM role path; part of the role ARN and so of the subject.
   * @default "/"
   */
  readonly rolePath?: string;
  /**
   * What runs the workload.
   * @default WorkloadCompute.OTHER
   */
  readonly compute?: WorkloadCompute;
  /** Services the workload mints tokens for. */
  readonly targets: TargetSpec[];
}

/** Input of a {@link FederationPlan}. */
export interface FederationPlanProps {
  /** The AWS account whose issuer signs the tokens. */
  readonly account: string;
  /** The account's outbound issuer, `https://<uuid>.tokens.sts.global.api.aws` (no trailing slash). */
  readonly issuerUrl: string;
  /**
   * AWS partition.
   * @default "aws"
   */
  readonly partition?: string;
  /** The workloads of this account. */
  readonly workloads: WorkloadSpec[];
}

/** A target with every value resolved: what the relying party must trust and what the workload must request. */
export interface PlannedTarget {
  /** Workload name. */
  readonly workloadName: string;
  /** Target name. */
  readonly name: string;
  /** Kind of relying party. */
  readonly kind: TargetKind;
  /** Issuer the relying party trusts (`iss`). */
  readonly issuerUrl: string;
  /** Subject the relying party trusts (`sub`): the workload's role ARN, path included. */
  readonly subject: string;
  /** AWS account that signs the tokens. */
  readonly account: string;
  /** Token the workload must request. */
  readonly tokenRequest: TokenRequest;
  /** Microsoft cloud (Entra targets). */
  readonly entraCloud?: EntraCloud;
  /** Entra application display name (Entra targets). */
  readonly entraApplication?: string;
  /** Snowflake service user name (Snowflake targets). */
  readonly snowflakeUser?: string;
  /** Service account the workload impersonates (GCP targets that name one). */
  readonly gcpServiceAccount?: string;
  /** ClusterRole bound to the workload's user (Kubernetes targets). */
  readonly kubernetesClusterRole?: string;
  /** Namespace of the RoleBinding (Kubernetes targets that name one). */
  readonly kubernetesNamespace?: string;
}

/** A workload with its role ARN computed. */
export interface PlannedWorkload {
  /** Workload name. */
  readonly name: string;
  /** IAM role name. */
  readonly roleName: string;
  /** IAM role path. */
  readonly rolePath: string;
  /** IAM role ARN = the `sub` claim of every token the workload mints. */
  readonly roleArn: string;
  /** What runs the workload. */
  readonly compute: WorkloadCompute;
  /** Targets with their token requests. */
  readonly targets: PlannedTarget[];
}

/**
 * One AWS account's federation as plain data: the account, its issuer, and the workloads with their
 * targets. Read by the CDK app (roles, grants) and by the CDKTF app (Snowflake users, Entra
 * credentials) so the role ARN and issuer strings are computed once and cannot drift.
 *
 * All input is validated in the constructor; a bad value throws a `KeylessValidationError` naming
 * the plan location, e.g. `workloads[0].targets[1].audience`.
 */
export class FederationPlan {
  /**
   * Builds a plan from JSON text (e.g. a committed `plan.json`). Besides everything the constructor
   * validates, a field the plan does not know (a misspelt `lifetimeSecond`) is refused with the rule
   * `plan.unknown-field`; keys starting with `$` or `//` are comments. JSON nested deeper than 512 levels is
   * refused with the rule `plan.json`.
   */
  public static fromJson(json: string): FederationPlan {
    const site: ValidationSite = { path: 'FederationPlan', property: 'json' };
    if (typeof json !== 'string') {
      fail(site, json, 'plan.json', 'fromJson reads JSON text; pass an already parsed object to new FederationPlan(...)');
    }
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (e) {
      fail(site, json.slice(0, 40), 'plan.json', `not valid JSON: ${(e as Error).message}`);
    }
    // Validation walks and renders values: JSON nested past the engine's bound would overflow the stack.
    if (nestsDeeperThan(data)) fail(site, json.slice(0, 40), 'plan.json', TOO_DEEP);
    refuseUnknownFields(data);
    return new FederationPlan(data as FederationPlanProps);
  }

  /** The AWS account id. */
  public readonly account: string;
  /** The outbound issuer URL. */
  public readonly issuerUrl: string;
  /** The AWS partition. */
  public readonly partition: string;
  /** Workloads with computed role ARNs and token requests. */
  public readonly workloads: PlannedWorkload[];
  /** The workloads by name, so a stack of N plan roles looks each up once instead of scanning the list N times. */
  private readonly workloadsByName = new Map<string, PlannedWorkload>();

  constructor(props: FederationPlanProps) {
    const site: ValidationSite = { path: 'FederationPlan', property: 'account' };
    if (props === null || typeof props !== 'object') {
      fail({ path: 'FederationPlan', property: 'props' }, props, 'plan.shape', 'a plan is an object with account, issuerUrl and workloads');
    }
    this.account = validateAccountId(props.account, site);
    this.issuerUrl = validateIssuerUrl(props.issuerUrl, { ...site, property: 'issuerUrl' });
    this.partition = validatePartition(props.partition ?? 'aws', { ...site, property: 'partition' });
    const workloadsSite: ValidationSite = { ...site, property: 'workloads' };
    if (!Array.isArray(props.workloads)) {
      fail(workloadsSite, props.workloads, 'plan.workloads', 'workloads is a list');
    }
    const seenRoles = new Map<string, string>();
    this.workloads = props.workloads.map((w, i) => {
      const ws = child(workloadsSite, `[${i}]`);
      const workload = this.planWorkload(w, ws);
      if (this.workloadsByName.has(workload.name)) {
        fail(child(ws, 'name'), workload.name, 'plan.unique-workload', 'each workload name may appear once in a plan');
      }
      const other = seenRoles.get(workload.roleName);
      if (other !== undefined) {
        fail(child(ws, 'roleName'), workload.roleName, 'plan.unique-role', `role names are unique per account and workload "${other}" already uses it`);
      }
      this.workloadsByName.set(workload.name, workload);
      seenRoles.set(workload.roleName, workload.name);
      return workload;
    });
  }

  /** The workload called `name`; throws if the plan has none. */
  public workload(name: string): PlannedWorkload {
    const found = this.workloadsByName.get(name);
    if (!found) {
      fail({ path: 'FederationPlan', property: 'workload' }, name, 'plan.workload-exists', `the plan has workloads ${JSON.stringify(this.workloads.map((w) => w.name))}`);
    }
    return found;
  }

  /** The target `targetName` of workload `workloadName`; throws if absent. */
  public target(workloadName: string, targetName: string): PlannedTarget {
    const found = this.workload(workloadName).targets.find((t) => t.name === targetName);
    if (!found) {
      fail({ path: 'FederationPlan', property: `workload(${JSON.stringify(workloadName)}).target` }, targetName, 'plan.target-exists', 'the workload has no target of that name');
    }
    return found;
  }

  /** Every target of every workload whose kind is `kind`. */
  public targetsOfKind(kind: TargetKind): PlannedTarget[] {
    return this.workloads.flatMap((w) => w.targets.filter((t) => t.kind === kind));
  }

  private planWorkload(w: WorkloadSpec, site: ValidationSite): PlannedWorkload {
    if (w === null || typeof w !== 'object') {
      fail(site, w, 'plan.shape', 'a workload is an object with name, roleName and targets');
    }
    const name = validatePlanName(w.name, child(site, 'name'));
    const roleName = validateRoleName(w.roleName, child(site, 'roleName'));
    const rolePath = validateRolePath(w.rolePath ?? '/', child(site, 'rolePath'));
    const compute = w.compute ?? WorkloadCompute.OTHER;
    if (!Object.values(WorkloadCompute).includes(compute)) {
      fail(child(site, 'compute'), compute, 'plan.compute', `compute is one of ${Object.values(WorkloadCompute).join(', ')}`);
    }
    const roleArn = formatRoleArn({ partition: this.partition, account: this.account, path: rolePath, name: roleName }, site);
    const targetsSite = child(site, 'targets');
    if (!Array.isArray(w.targets) || w.targets.length === 0) {
      fail(targetsSite, w.targets, 'plan.targets', 'a workload federates to at least one target');
    }
    const seen = new Set<string>();
    const targets = w.targets.map((t, i) => {
      const ts = child(targetsSite, `[${i}]`);
      const target = this.planTarget(name, roleArn, t, ts);
      if (seen.has(target.name)) {
        fail(child(ts, 'name'), target.name, 'plan.unique-target', 'each target name may appear once per workload');
      }
      seen.add(target.name);
      return target;
    });
    return { name, roleName, rolePath, roleArn, compute, targets };
  }

  private planTarget(workloadName: string, subject: string, t: TargetSpec, site: ValidationSite): PlannedTarget {
    if (t === null || typeof t !== 'object') {
      fail(site, t, 'plan.shape', 'a target is an object with name and kind');
    }
    const name = validatePlanName(t.name, child(site, 'name'));
    const kind = t.kind;
    if (!Object.values(TargetKind).includes(kind)) {
      fail(child(site, 'kind'), kind, 'target.kind', `kind is one of ${Object.values(TargetKind).join(', ')}`);
    }
    const defaults = TARGET_DEFAULTS[kind];
    const entraCloud = kind === TargetKind.ENTRA ? (t.entraCloud ?? EntraCloud.PUBLIC) : undefined;
    if (entraCloud !== undefined && !Object.values(EntraCloud).includes(entraCloud)) {
      fail(child(site, 'entraCloud'), entraCloud, 'target.entra-cloud', `entraCloud is one of ${Object.values(EntraCloud).join(', ')}`);
    }
    const defaultAudience = entraCloud !== undefined ? ENTRA_AUDIENCES[entraCloud] : defaults.audience;
    const audience = t.audience ?? defaultAudience;
    if (audience === undefined) {
      const what = kind === TargetKind.GCP ? 'a GCP target names the audience its pool provider allows (allowed_audiences)'
        : kind === TargetKind.KUBERNETES ? 'a Kubernetes target names the audience its API server expects (issuer.audiences)'
          : 'an OIDC target names the audience its relying party expects';
      fail(child(site, 'audience'), audience, 'target.audience-required', what);
    }
    validateAudience(audience, child(site, 'audience'));
    if (kind === TargetKind.ENTRA && audience !== defaultAudience) {
      fail(child(site, 'audience'), audience, 'target.entra-audience', `Entra (${entraCloud}) accepts only ${JSON.stringify(defaultAudience)}; choose the cloud with entraCloud instead`);
    }
    if (kind === TargetKind.SNOWFLAKE && audience !== defaults.audience) {
      fail(child(site, 'audience'), audience, 'target.snowflake-audience', `Snowflake accepts only ${JSON.stringify(defaults.audience)}`);
    }
    const signingAlgorithm = validateSigningAlgorithm(t.signingAlgorithm ?? defaults.signingAlgorithm, child(site, 'signingAlgorithm'));
    if (!TARGET_ALGORITHMS[kind].includes(signingAlgorithm)) {
      fail(child(site, 'signingAlgorithm'), signingAlgorithm, 'target.algorithm', `${kind} targets verify ${TARGET_ALGORITHMS[kind].join(' or ')} only`);
    }
    const durationSeconds = validateTokenLifetime(t.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS, child(site, 'lifetimeSeconds'));
    let entraApplication: string | undefined;
    let snowflakeUser: string | undefined;
    if (kind === TargetKind.ENTRA) {
      if (t.entraApplication === undefined) {
        fail(child(site, 'entraApplication'), undefined, 'target.entra-application', 'an Entra target names the application (display name) that trusts the workload');
      }
      entraApplication = validateDisplayName(t.entraApplication, child(site, 'entraApplication'));
    }
    if (kind === TargetKind.SNOWFLAKE) {
      if (t.snowflakeUser === undefined) {
        fail(child(site, 'snowflakeUser'), undefined, 'target.snowflake-user', 'a Snowflake target names the service user the workload logs in as');
      }
      snowflakeUser = validateSnowflakeIdentifier(t.snowflakeUser, child(site, 'snowflakeUser'));
    }
    const gcp = planGcpFields(kind, subject, t, site);
    const kubernetes = planKubernetesFields(kind, t, site);
    return {
      workloadName,
      name,
      kind,
      issuerUrl: this.issuerUrl,
      subject,
      account: this.account,
      tokenRequest: { audience, signingAlgorithm, durationSeconds },
      ...(entraCloud !== undefined ? { entraCloud } : {}),
      ...(entraApplication !== undefined ? { entraApplication } : {}),
      ...(snowflakeUser !== undefined ? { snowflakeUser } : {}),
      ...gcp,
      ...kubernetes,
    };
  }
}

/** `NAME@PROJECT.iam.gserviceaccount.com`: a user-managed service account (6-30 character id, 6-30 character project id). */
const GCP_SERVICE_ACCOUNT = /^[a-z]([-a-z0-9]{4,28}[a-z0-9])@[a-z]([-a-z0-9]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;
/** RBAC object names (ClusterRole): a DNS subdomain, `:` allowed as in `system:aggregate-to-view`. */
const RBAC_NAME = /^[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?$/;
const K8S_NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Refuses a field that only a target of another kind reads (it would be silently ignored). */
function onlyFor(kind: TargetKind, owner: TargetKind, t: TargetSpec, field: 'gcpServiceAccount' | 'kubernetesClusterRole' | 'kubernetesNamespace', site: ValidationSite): boolean {
  const value = t[field];
  if (value === undefined) return false;
  if (kind !== owner) {
    fail(child(site, field), value, 'target.field-kind', `${field} is read by ${owner} targets only; this target is ${kind}`);
  }
  return true;
}

function planGcpFields(kind: TargetKind, subject: string, t: TargetSpec, site: ValidationSite): { gcpServiceAccount?: string } {
  const hasAccount = onlyFor(kind, TargetKind.GCP, t, 'gcpServiceAccount', site);
  if (kind !== TargetKind.GCP) return {};
  const bytes = Buffer.byteLength(subject, 'utf8');
  if (bytes > GCP_MAX_SUBJECT_BYTES) {
    fail(site, subject, 'target.gcp-subject-length', `a GCP pool provider maps google.subject from the token's sub (the role ARN), and Google limits it to ${GCP_MAX_SUBJECT_BYTES} bytes; this ARN has ${bytes}: shorten the role path or name`);
  }
  if (!hasAccount) return {};
  const account = t.gcpServiceAccount as string;
  if (typeof account !== 'string' || !GCP_SERVICE_ACCOUNT.test(account)) {
    fail(child(site, 'gcpServiceAccount'), account, 'target.gcp-service-account', 'a service account is named by its email, "NAME@PROJECT_ID.iam.gserviceaccount.com" (lowercase, 6-30 character name and project id)');
  }
  return { gcpServiceAccount: account };
}

function planKubernetesFields(kind: TargetKind, t: TargetSpec, site: ValidationSite): { kubernetesClusterRole?: string; kubernetesNamespace?: string } {
  const hasRole = onlyFor(kind, TargetKind.KUBERNETES, t, 'kubernetesClusterRole', site);
  const hasNamespace = onlyFor(kind, TargetKind.KUBERNETES, t, 'kubernetesNamespace', site);
  if (kind !== TargetKind.KUBERNETES) return {};
  if (!hasRole) {
    fail(child(site, 'kubernetesClusterRole'), undefined, 'target.kubernetes-role', 'a Kubernetes target names the ClusterRole its user is bound to (e.g. "view"); a user without a binding can do nothing');
  }
  const role = t.kubernetesClusterRole as string;
  if (typeof role !== 'string' || !RBAC_NAME.test(role)) {
    fail(child(site, 'kubernetesClusterRole'), role, 'target.kubernetes-role', 'a ClusterRole name is a lowercase DNS subdomain (a-z, 0-9, "-", "." and ":"), at most 253 characters');
  }
  if (!hasNamespace) return { kubernetesClusterRole: role };
  const namespace = t.kubernetesNamespace as string;
  if (typeof namespace !== 'string' || !K8S_NAMESPACE_NAME.test(namespace)) {
    fail(child(site, 'kubernetesNamespace'), namespace, 'target.kubernetes-namespace', 'a namespace is a lowercase DNS label (1-63 of a-z, 0-9 and "-")');
  }
  return { kubernetesClusterRole: role, kubernetesNamespace: namespace };
}

const PLAN_FIELDS: readonly string[] = ['account', 'issuerUrl', 'partition', 'workloads'];
const WORKLOAD_FIELDS: readonly string[] = ['name', 'roleName', 'rolePath', 'compute', 'targets'];
const TARGET_FIELDS: readonly string[] = ['name', 'kind', 'audience', 'signingAlgorithm', 'lifetimeSeconds', 'entraCloud', 'entraApplication', 'snowflakeUser',
  'gcpServiceAccount', 'kubernetesClusterRole', 'kubernetesNamespace'];

/** plan.json: every key must be a field of FederationPlanProps / WorkloadSpec / TargetSpec (or a comment). */
function refuseUnknownFields(data: unknown): void {
  const check = (value: unknown, fields: readonly string[], at: string, what: string) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return; // the constructor explains shapes
    for (const key of Object.keys(value)) {
      if (fields.includes(key) || key.startsWith('$') || key.startsWith('//')) continue;
      fail({ path: 'FederationPlan', property: `${at}${at === '' ? '' : '.'}${key}` }, (value as Record<string, unknown>)[key],
        'plan.unknown-field', `unknown field; ${what} has ${fields.join(', ')} (comments: keys starting with "$" or "//")`);
    }
  };
  check(data, PLAN_FIELDS, '', 'a plan');
  const workloads = (data as { workloads?: unknown } | null)?.workloads;
  if (!Array.isArray(workloads)) return;
  workloads.forEach((workload, i) => {
    check(workload, WORKLOAD_FIELDS, `workloads[${i}]`, 'a workload');
    const targets = (workload as { targets?: unknown } | null)?.targets;
    if (Array.isArray(targets)) targets.forEach((target, j) => check(target, TARGET_FIELDS, `workloads[${i}].targets[${j}]`, 'a target'));
  });
}
