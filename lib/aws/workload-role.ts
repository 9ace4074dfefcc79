import { Annotations, Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { FederationPlan, PlannedWorkload, TargetSpec, WorkloadCompute } from '../core/plan';
import { TokenRequest } from '../core/token';
import { WebIdentityTokenGrantOptions } from '../core/token-statement';
import { servicePrincipalFor, TOKEN_POLICY_NAME, tokenEnvironmentOf, tokenRequestOf, workloadTokenStatements } from '../core/workload-role';
import { IOutboundWebIdentityFederation, OutboundWebIdentityFederation } from './outbound-federation';
import { atConstruct, concrete, constructPath, sessionDuration } from './private/helpers';
import { webIdentityTokenStatementProps } from './token-grant';

/** Options of {@link FederatedWorkloadRole.fromPlan}: everything but the workload itself. */
export interface FederatedWorkloadRoleOptions {
  /**
   * Who may assume the role.
   * @default - the service principal of the workload's compute: `lambda.amazonaws.com`,
   * `ecs-tasks.amazonaws.com` or `ec2.amazonaws.com`; required for `WorkloadCompute.OTHER`
   */
  readonly assumedBy?: iam.IPrincipal;
  /**
   * The account's federation. When it is an `OutboundWebIdentityFederation` of this app, the role is
   * deployed after it; a concrete issuer that differs from the plan's fails synth.
   * @default - none
   */
  readonly federation?: IOutboundWebIdentityFederation;
  /**
   * Maximum session duration of the role, 1 to 12 hours.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
  /**
   * Role description.
   * @default - "cdk-keyless workload <name>"
   */
  readonly description?: string;
  /**
   * Managed policies for what the workload does besides minting tokens.
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];
  /**
   * Permissions boundary.
   * @default - none
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/**
 * Properties of {@link FederatedWorkloadRole}: either `plan` + `workloadName`, or `roleName` + `targets`
 * (with `account`/`issuerUrl` when known).
 */
export interface FederatedWorkloadRoleProps extends FederatedWorkloadRoleOptions {
  /**
   * The plan that fixes the role name, path and targets. Give `workloadName` with it, and none of the
   * workload fields below.
   * @default - the workload is described by the fields below
   */
  readonly plan?: FederationPlan;
  /**
   * Name of the plan workload this role is for.
   * @default - required with `plan`
   */
  readonly workloadName?: string;
  /**
   * IAM role name; fixed so the role ARN (the tokens' `sub`) is known before deployment.
   * @default - required without `plan`
   */
  readonly roleName?: string;
  /**
   * IAM role path; part of the role ARN.
   * @default "/"
   */
  readonly rolePath?: string;
  /**
   * Services the workload mints tokens for; one policy statement each.
   * @default - required without `plan`
   */
  readonly targets?: TargetSpec[];
  /**
   * What runs the workload; picks the service principal when `assumedBy` is not given.
   * @default WorkloadCompute.OTHER
   */
  readonly compute?: WorkloadCompute;
  /**
   * Account of the role.
   * @default - the stack's account when concrete, otherwise the subject is a deploy-time token
   */
  readonly account?: string;
  /**
   * AWS partition.
   * @default - the stack's partition when concrete, otherwise a deploy-time token
   */
  readonly partition?: string;
  /**
   * The account's outbound issuer, if known.
   * @default - the `federation`'s issuer, if given
   */
  readonly issuerUrl?: string;
}

const PLACEHOLDER_ACCOUNT = '000000000000';
const PLACEHOLDER_ISSUER = 'https://00000000-0000-0000-0000-000000000000.tokens.sts.global.api.aws';
const PLAN_ONLY_FIELDS: (keyof FederatedWorkloadRoleProps)[] = ['roleName', 'rolePath', 'targets', 'compute', 'account', 'partition', 'issuerUrl'];

interface ResolvedWorkload {
  readonly workload: PlannedWorkload;
  readonly account?: string;
  readonly partition?: string;
  readonly issuerUrl?: string;
  readonly fromPlan: boolean;
  /** Annotations to add to the role once it exists: [id, message]. */
  readonly warnings: [string, string][];
}

function resolveWorkload(scope: Construct, path: string, props: FederatedWorkloadRoleProps): ResolvedWorkload {
  const stack = Stack.of(scope);
  const warnings: [string, string][] = [];
  const stackAccount = concrete(stack.account);
  // The partition of a concrete region is a fact even when the stack renders it as a pseudo parameter.
  const stackPartition = concrete(stack.partition) ?? (concrete(stack.region) !== undefined ? RegionInfo.get(stack.region).partition : undefined);
  if (props.plan !== undefined) {
    if (!(props.plan instanceof FederationPlan)) {
      fail({ path, property: 'plan' }, typeof props.plan, 'workload.plan', 'plan is a FederationPlan (use FederationPlan.fromJson for plan.json)');
    }
    for (const field of PLAN_ONLY_FIELDS) {
      if (props[field] !== undefined) {
        fail({ path, property: field }, props[field], 'workload.plan-conflict', `${field} comes from the plan; remove it or describe the workload without a plan`);
      }
    }
    if (typeof props.workloadName !== 'string') {
      fail({ path, property: 'workloadName' }, props.workloadName, 'workload.name-required', 'name the plan workload this role is for');
    }
    const plan = props.plan;
    const workload = atConstruct(path, () => 'workloadName', () => plan.workload(props.workloadName!));
    if (stackAccount !== undefined && stackAccount !== plan.account) {
      fail({ path, property: 'plan.account' }, plan.account, 'workload.account-mismatch',
        `the plan's role ARN ${workload.roleArn} is in account ${plan.account} but this stack deploys to ${stackAccount}; tokens would carry a different sub`);
    }
    if (stackPartition !== undefined && stackPartition !== plan.partition) {
      fail({ path, property: 'plan.partition' }, plan.partition, 'workload.partition-mismatch', `the plan is for partition ${plan.partition} but this stack deploys to ${stackPartition}`);
    }
    if (stackAccount === undefined) {
      warnings.push(['cdk-keyless:unchecked-account',
        `the stack's account is not known at synth time; deploy ${path} only to the plan's account ${plan.account}, or its ARN will not be the subject the targets trust`]);
    }
    return { workload, account: plan.account, partition: plan.partition, issuerUrl: plan.issuerUrl, fromPlan: true, warnings };
  }

  if (props.workloadName !== undefined) {
    fail({ path, property: 'workloadName' }, props.workloadName, 'workload.plan-required', 'workloadName selects a workload of a plan; pass plan too');
  }
  if (props.roleName === undefined) {
    fail({ path, property: 'roleName' }, undefined, 'workload.role-name', 'give a fixed roleName (the role ARN is the tokens\' sub and targets trust it before deployment), or build the role from a plan');
  }
  if (Token.isUnresolved(props.roleName)) {
    fail({ path, property: 'roleName' }, props.roleName, 'workload.role-name', 'the role name must be a literal so the role ARN is known before deployment');
  }
  if (props.rolePath !== undefined && Token.isUnresolved(props.rolePath)) {
    fail({ path, property: 'rolePath' }, props.rolePath, 'workload.role-path', 'the role path must be a literal so the role ARN is known before deployment');
  }
  const account = concrete(props.account) ?? (props.account === undefined ? stackAccount : undefined);
  if (props.account !== undefined && account === undefined) {
    warnings.push(['cdk-keyless:unchecked-account', 'account is an unresolved token; cdk-keyless could not validate it at synth time']);
  }
  const partition = concrete(props.partition) ?? (props.partition === undefined ? stackPartition : undefined);
  const issuerUrl = concrete(props.issuerUrl);
  if (props.issuerUrl !== undefined && issuerUrl === undefined) {
    warnings.push(['cdk-keyless:unchecked-issuerUrl', 'issuerUrl is an unresolved token; cdk-keyless could not validate it at synth time']);
  }
  // Validate the workload with the plan's rules (the same ones the CDKTF side uses); placeholders stand in
  // for what is not known yet and cannot fail.
  const plan = atConstruct(path, (p) => p.replace(/^workloads\[0\]\./, ''), () => new FederationPlan({
    account: account ?? PLACEHOLDER_ACCOUNT,
    issuerUrl: issuerUrl ?? PLACEHOLDER_ISSUER,
    partition: partition ?? 'aws',
    workloads: [{ name: 'workload', roleName: props.roleName!, rolePath: props.rolePath, compute: props.compute, targets: props.targets! }],
  }));
  if (account !== undefined && stackAccount !== undefined && account !== stackAccount) {
    fail({ path, property: 'account' }, account, 'workload.account-mismatch', `this stack deploys to account ${stackAccount}; the role would not have the ARN its targets trust`);
  }
  if (partition !== undefined && stackPartition !== undefined && partition !== stackPartition) {
    fail({ path, property: 'partition' }, partition, 'workload.partition-mismatch', `this stack deploys to partition ${stackPartition}`);
  }
  return { workload: plan.workloads[0], account, partition, issuerUrl: props.issuerUrl, fromPlan: false, warnings };
}

/**
 * The role as a grant principal whose statements go into the role's own `WebIdentityTokens` inline
 * policy (part of the `AWS::IAM::Role` resource) instead of a separate `DefaultPolicy`. Depending on the
 * grant means depending on the role.
 */
class InlineTokenPolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  constructor(private readonly role: iam.Role, private readonly document: iam.PolicyDocument) {}
  public get assumeRoleAction(): string { return this.role.assumeRoleAction; }
  public get policyFragment(): iam.PrincipalPolicyFragment { return this.role.policyFragment; }
  public get principalAccount(): string | undefined { return this.role.principalAccount; }
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this.role };
  }
  public toString(): string { return this.role.toString(); }
}

/**
 * The IAM role a workload runs as and whose ARN is the `sub` of the tokens it mints: a fixed name and
 * path (so the ARN equals the plan's), assumable by the workload's compute, with one
 * `sts:GetWebIdentityToken` statement per target (audience, algorithm and lifetime pinned).
 *
 * @example
 * const plan = FederationPlan.fromJson(fs.readFileSync('plan.json', 'utf8'));
 * const role = FederatedWorkloadRole.fromPlan(this, 'EtlRole', plan, 'etl');
 * new lambda.Function(this, 'Etl', { role, environment: role.tokenEnvironment(), ... });
 */
export class FederatedWorkloadRole extends iam.Role {
  /** The role for workload `workloadName` of `plan`. */
  public static fromPlan(scope: Construct, id: string, plan: FederationPlan, workloadName: string, options: FederatedWorkloadRoleOptions = {}): FederatedWorkloadRole {
    return new FederatedWorkloadRole(scope, id, { ...options, plan, workloadName });
  }

  /**
   * The role ARN targets must trust (the tokens' `sub`), path included. A plain string when the account
   * and partition are known (plan, props or a concrete stack environment), otherwise a deploy-time token.
   */
  public readonly subject: string;
  /** The account's issuer URL when known (plan, props or federation); may be a token. */
  public readonly issuerUrl?: string;
  /** The plan workload name, when built from a plan. */
  public readonly workloadName?: string;
  /** Target names, in order. */
  public readonly targetNames: string[];
  /** The exact token request per target name. */
  public readonly tokenRequests: { [targetName: string]: TokenRequest };
  /** The `WebIdentityTokens` inline policy: one statement per target, then one per extra grant. */
  private readonly tokenPolicy: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: FederatedWorkloadRoleProps) {
    const path = constructPath(scope, id);
    if (props === null || typeof props !== 'object') {
      fail({ path, property: 'props' }, props, 'workload.props', 'pass plan + workloadName, or roleName + targets');
    }
    const resolved = resolveWorkload(scope, path, props);
    const { workload } = resolved;
    const service = servicePrincipalFor(workload.compute);
    const assumedBy = props.assumedBy ?? (service !== undefined ? new iam.ServicePrincipal(service) : undefined);
    if (assumedBy === undefined) {
      fail({ path, property: 'assumedBy' }, undefined, 'workload.principal', 'compute is "other": pass assumedBy (the principal that runs the workload)');
    }
    const federationIssuer = concrete(props.federation?.issuerUrl);
    const expected = props.federation instanceof OutboundWebIdentityFederation ? concrete(props.federation.expectedIssuerUrl) : undefined;
    const plannedIssuer = concrete(resolved.issuerUrl);
    for (const [what, issuer] of [['issuerUrl', federationIssuer], ['expectedIssuerUrl', expected]] as const) {
      if (plannedIssuer !== undefined && issuer !== undefined && issuer !== plannedIssuer) {
        fail({ path, property: 'federation' }, issuer, 'workload.issuer-mismatch', `the federation's ${what} differs from the workload's issuer ${plannedIssuer}; targets would trust an issuer that does not sign its tokens`);
      }
    }

    // Token statements live in the role's own inline policy, so a workload is ONE CloudFormation resource
    // (not a role plus a DefaultPolicy): half the stack's 500-resource budget and less synth work. The
    // document renders at synth, so statements added after super() appear.
    const tokenPolicy = new iam.PolicyDocument();
    super(scope, id, {
      inlinePolicies: { [TOKEN_POLICY_NAME]: tokenPolicy },
      roleName: workload.roleName,
      path: workload.rolePath,
      assumedBy,
      maxSessionDuration: sessionDuration(path, props.maxSessionDuration),
      description: props.description ?? `cdk-keyless workload ${resolved.fromPlan ? workload.name : workload.roleName}`,
      managedPolicies: props.managedPolicies,
      permissionsBoundary: props.permissionsBoundary,
    });

    if (resolved.account !== undefined && resolved.partition !== undefined) {
      // The (plan's or this role's one-workload) FederationPlan computed it from exactly this account and partition.
      this.subject = workload.roleArn;
    } else {
      this.subject = `arn:${resolved.partition ?? Aws.PARTITION}:iam::${resolved.account ?? Aws.ACCOUNT_ID}:role${workload.rolePath}${workload.roleName}`;
    }
    for (const [warningId, message] of resolved.warnings) {
      Annotations.of(this).addWarningV2(warningId, message);
    }
    this.issuerUrl = resolved.issuerUrl ?? props.federation?.issuerUrl;
    this.workloadName = resolved.fromPlan ? workload.name : undefined;
    this.targetNames = workload.targets.map((t) => t.name);
    this.tokenRequests = {};
    this.tokenPolicy = tokenPolicy;
    for (const t of workload.targets) {
      this.tokenRequests[t.name] = t.tokenRequest;
    }

    if (props.federation !== undefined) {
      if (props.federation instanceof OutboundWebIdentityFederation) {
        this.node.addDependency(props.federation);
        if (resolved.fromPlan && props.federation.expectedIssuerUrl === undefined) {
          Annotations.of(this).addWarningV2('cdk-keyless:federation-unpinned',
            `set expectedIssuerUrl: plan.issuerUrl on ${props.federation.node.path} so a deployment to an account with another issuer fails`);
        }
      }
    }
    // One statement per target, built by lib/core (the same as the CDKTF role's).
    for (const { sid, actions, conditions } of workloadTokenStatements(workload)) {
      tokenPolicy.addStatements(new iam.PolicyStatement({ sid, actions, resources: ['*'], conditions }));
    }
  }

  /** The exact `GetWebIdentityToken` parameters the workload must use for `targetName`. */
  public tokenRequest(targetName: string): TokenRequest {
    return tokenRequestOf(this.tokenRequests, this.targetNames, targetName, this.node.path);
  }

  /**
   * Environment variables that carry each target's token request to the workload code, so it never
   * retypes them: `<PREFIX>_<TARGET>_AUDIENCE`, `<PREFIX>_<TARGET>_SIGNING_ALGORITHM` and
   * `<PREFIX>_<TARGET>_DURATION_SECONDS`, where TARGET is the target name in upper case with `-` as `_`.
   *
   * @param prefix upper-case prefix of every variable name (default `KEYLESS`)
   */
  public tokenEnvironment(prefix?: string): { [name: string]: string } {
    return tokenEnvironmentOf(this.tokenRequests, this.targetNames, prefix, this.node.path);
  }

  /**
   * Lets this role mint tokens for one more target (one statement, no `Sid`). The role is the tokens'
   * subject, so the grant always goes to this role, into its `WebIdentityTokens` inline policy (no
   * separate `AWS::IAM::Policy`); the returned grant's dependable is the role itself.
   */
  public grantWebIdentityToken(options: WebIdentityTokenGrantOptions): iam.Grant {
    const { actions, conditions } = webIdentityTokenStatementProps(this, options, this.node.path);
    return iam.Grant.addToPrincipal({ grantee: new InlineTokenPolicyPrincipal(this, this.tokenPolicy), actions, resourceArns: ['*'], conditions });
  }
}
