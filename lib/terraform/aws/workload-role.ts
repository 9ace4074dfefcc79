import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Lazy, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { atConstruct, constructPath } from '../../core/construct-path';
import { fail } from '../../core/errors';
import { FederationPlan, PlannedWorkload } from '../../core/plan';
import { TokenRequest } from '../../core/token';
import { WebIdentityTokenGrantOptions, webIdentityTokenStatementParts } from '../../core/token-statement';
import {
  MIN_SESSION_SECONDS,
  servicePrincipalFor,
  TOKEN_POLICY_NAME,
  tokenEnvironmentOf,
  tokenRequestOf,
  validateSessionSeconds,
  workloadTokenStatements,
} from '../../core/workload-role';
import { isToken, validateTerraformLiteral, warnUnchecked } from '../validation';
import { policyJson, statementJson, terraformTokens } from './helpers';
import { TerraformOutboundWebIdentityFederation } from './outbound-federation';

/** Options of {@link TerraformFederatedWorkloadRole.fromPlan}: everything but the plan workload itself. */
export interface TerraformFederatedWorkloadRoleOptions {
  /**
   * The role's trust policy (`assume_role_policy`), a JSON document.
   * @default - `sts:AssumeRole` for the service principal of the workload's compute: `lambda.amazonaws.com`,
   * `ecs-tasks.amazonaws.com` or `ec2.amazonaws.com`; required for `WorkloadCompute.OTHER`
   */
  readonly assumeRolePolicy?: string;
  /**
   * The account's federation switch. The role then depends on it, and its expected issuer must be the plan's.
   * @default - none
   */
  readonly federation?: TerraformOutboundWebIdentityFederation;
  /**
   * Maximum session duration of the role in seconds, 3600 to 43200.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
  /**
   * Role description.
   * @default - "cdk-keyless workload <name>"
   */
  readonly description?: string;
  /**
   * ARNs of managed policies for what the workload does besides minting tokens; one
   * `aws_iam_role_policy_attachment` each.
   * @default - none
   */
  readonly managedPolicyArns?: string[];
  /**
   * ARN of the permissions boundary.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * Tags of the role.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * AWS provider of every resource of this construct.
   * @default - the stack's default aws provider
   */
  readonly provider?: TerraformProvider;
}

/** Properties of a {@link TerraformFederatedWorkloadRole}. */
export interface TerraformFederatedWorkloadRoleProps extends TerraformFederatedWorkloadRoleOptions {
  /** The plan that fixes the role name, path and targets. */
  readonly plan: FederationPlan;
  /** Name of the plan workload this role is for. */
  readonly workloadName: string;
}

/**
 * The IAM role a workload runs as, in CDK for Terraform, built from a `FederationPlan` like the CDK
 * `FederatedWorkloadRole`: `aws_iam_role` with the plan's fixed name and path (so its ARN is the plan's `roleArn`,
 * the tokens' `sub`), assumable by the workload's compute, and an `aws_iam_role_policy` `WebIdentityTokens` with one
 * `sts:GetWebIdentityToken` statement per target: the same strict shape and lifetime decision as the CDK role
 * (lib/core builds both).
 *
 * @example
 * const role = TerraformFederatedWorkloadRole.fromPlan(this, 'EtlRole', plan, 'etl');
 * new LambdaFunction(this, 'Etl', { role: role.role.arn, environment: { variables: role.tokenEnvironment() }, ... });
 */
export class TerraformFederatedWorkloadRole extends Construct {
  /** The role for workload `workloadName` of `plan`. */
  public static fromPlan(scope: Construct, id: string, plan: FederationPlan, workloadName: string, options: TerraformFederatedWorkloadRoleOptions = {}): TerraformFederatedWorkloadRole {
    return new TerraformFederatedWorkloadRole(scope, id, { ...options, plan, workloadName });
  }

  /** The `aws_iam_role`. */
  public readonly role: IamRole;
  /** The `aws_iam_role_policy` holding the token-minting statements. */
  public readonly tokenPolicy: IamRolePolicy;
  /** One `aws_iam_role_policy_attachment` per managed policy ARN, in order. */
  public readonly policyAttachments: IamRolePolicyAttachment[];
  /** The role ARN targets trust (the tokens' `sub`), path included: the plan's, a plain string. */
  public readonly subject: string;
  /** The account's issuer URL from the plan. */
  public readonly issuerUrl: string;
  /** The plan workload name. */
  public readonly workloadName: string;
  /** IAM role name. */
  public readonly roleName: string;
  /** Target names, in order. */
  public readonly targetNames: string[];
  /** The exact token request per target name. */
  public readonly tokenRequests: { [targetName: string]: TokenRequest };
  /** Statements of the token policy: one per target, then one per extra grant. */
  private readonly statements: Record<string, unknown>[];
  private readonly unchecked: string[];

  constructor(scope: Construct, id: string, props: TerraformFederatedWorkloadRoleProps) {
    const path = constructPath(scope, id);
    if (props === null || typeof props !== 'object') {
      fail({ path, property: 'props' }, props, 'workload.props', 'pass plan and workloadName');
    }
    if (!(props.plan instanceof FederationPlan)) {
      fail({ path, property: 'plan' }, typeof props.plan, 'workload.plan', 'plan is a FederationPlan (use FederationPlan.fromJson for plan.json)');
    }
    if (typeof props.workloadName !== 'string') {
      fail({ path, property: 'workloadName' }, props.workloadName, 'workload.name-required', 'name the plan workload this role is for');
    }
    const plan = props.plan;
    const workload: PlannedWorkload = atConstruct(path, () => 'workloadName', () => plan.workload(props.workloadName));

    // Everything is validated before any resource exists, so a bad value leaves nothing behind.
    let assumeRolePolicy = props.assumeRolePolicy;
    if (assumeRolePolicy === undefined) {
      const service = servicePrincipalFor(workload.compute);
      if (service === undefined) {
        fail({ path, property: 'assumeRolePolicy' }, undefined, 'workload.principal', 'compute is "other": pass assumeRolePolicy (who runs the workload)');
      }
      assumeRolePolicy = policyJson([statementJson({ actions: ['sts:AssumeRole'], principal: { Service: service } })]);
    } else if (typeof assumeRolePolicy !== 'string') {
      fail({ path, property: 'assumeRolePolicy' }, assumeRolePolicy, 'workload.principal', 'assumeRolePolicy is a JSON policy document (a string)');
    }
    const seconds = props.maxSessionDurationSeconds ?? MIN_SESSION_SECONDS;
    if (!isToken(seconds)) {
      validateSessionSeconds(seconds, { path, property: 'maxSessionDurationSeconds' });
    }
    const federation = props.federation;
    if (federation !== undefined) {
      if (!(federation instanceof TerraformOutboundWebIdentityFederation)) {
        fail({ path, property: 'federation' }, typeof federation, 'workload.federation', 'pass a TerraformOutboundWebIdentityFederation');
      }
      if (federation.expectedIssuerUrl !== undefined && federation.expectedIssuerUrl !== plan.issuerUrl) {
        fail({ path, property: 'federation' }, federation.expectedIssuerUrl, 'workload.issuer-mismatch', `the federation's expectedIssuerUrl differs from the plan's issuer ${plan.issuerUrl}; targets would trust an issuer that does not sign its tokens`);
      }
    }
    const description = props.description ?? `cdk-keyless workload ${workload.name}`;
    if (!isToken(description)) {
      validateTerraformLiteral(description, { path, property: 'description' });
    }
    // Audiences go into the policy JSON string, where Terraform would evaluate "${" and "%{".
    workload.targets.forEach((t, i) => validateTerraformLiteral(t.tokenRequest.audience, { path, property: `plan.workloads[${workload.name}].targets[${i}].audience` }));
    const unchecked: string[] = [];
    const statements = workloadTokenStatements(workload)
      .map(({ sid, actions, conditions }) => statementJson({ sid, actions, resources: ['*'], conditions }));

    super(scope, id);
    const provider = props.provider !== undefined ? { provider: props.provider } : {};
    this.role = new IamRole(this, 'Role', {
      ...provider,
      name: workload.roleName,
      path: workload.rolePath,
      assumeRolePolicy,
      description,
      maxSessionDuration: seconds,
      ...(props.permissionsBoundary !== undefined ? { permissionsBoundary: props.permissionsBoundary } : {}),
      ...(props.tags !== undefined ? { tags: props.tags } : {}),
      ...(federation !== undefined ? { dependsOn: [federation.resource] } : {}),
      // Terraform knows the account only at apply: a role created in another account (or partition) than the
      // plan's would not be the subject its targets trust, so the apply fails there.
      lifecycle: {
        postcondition: [{
          condition: `\${self.arn == ${JSON.stringify(workload.roleArn)}}`,
          errorMessage: `The role's ARN is not ${workload.roleArn}, the subject its targets trust: Terraform runs against another account than the plan's ${plan.account}.`,
        }],
      },
    });
    this.statements = statements;
    this.unchecked = unchecked;
    // Rendered at synth, so statements added by grantWebIdentityToken after construction appear.
    this.tokenPolicy = new IamRolePolicy(this, TOKEN_POLICY_NAME, {
      ...provider,
      name: TOKEN_POLICY_NAME,
      role: this.role.name,
      policy: Lazy.stringValue({ produce: () => policyJson(this.statements) }),
    });
    this.policyAttachments = (props.managedPolicyArns ?? []).map((arn, i) => new IamRolePolicyAttachment(this, `ManagedPolicy${i}`, {
      ...provider,
      role: this.role.name,
      policyArn: arn,
    }));

    this.subject = workload.roleArn;
    this.issuerUrl = plan.issuerUrl;
    this.workloadName = workload.name;
    this.roleName = workload.roleName;
    this.targetNames = workload.targets.map((t) => t.name);
    this.tokenRequests = {};
    for (const t of workload.targets) {
      this.tokenRequests[t.name] = t.tokenRequest;
    }
    warnUnchecked(this, unchecked);
  }

  /** The exact `GetWebIdentityToken` parameters the workload must use for `targetName`. */
  public tokenRequest(targetName: string): TokenRequest {
    return tokenRequestOf(this.tokenRequests, this.targetNames, targetName, this.node.path);
  }

  /**
   * Environment variables that carry each target's token request to the workload code (the same names as the CDK
   * role's): `<PREFIX>_<TARGET>_AUDIENCE`, `<PREFIX>_<TARGET>_SIGNING_ALGORITHM` and `<PREFIX>_<TARGET>_DURATION_SECONDS`.
   *
   * @param prefix upper-case prefix of every variable name (default `KEYLESS`)
   */
  public tokenEnvironment(prefix?: string): { [name: string]: string } {
    return tokenEnvironmentOf(this.tokenRequests, this.targetNames, prefix, this.node.path);
  }

  /**
   * Lets this role mint tokens for one more target: one statement (no `Sid`) in its `WebIdentityTokens` policy,
   * built and validated like the CDK grant.
   */
  public grantWebIdentityToken(options: WebIdentityTokenGrantOptions): void {
    const unchecked: string[] = [];
    const { actions, conditions } = webIdentityTokenStatementParts(options, this.node.path, terraformTokens(unchecked));
    for (const [i, audience] of options.audiences.entries()) {
      if (!isToken(audience)) validateTerraformLiteral(audience, { path: this.node.path, property: `audiences[${i}]` });
    }
    this.statements.push(statementJson({ actions, resources: ['*'], conditions }));
    const added = unchecked.filter((p) => !this.unchecked.includes(p));
    if (added.length > 0) {
      this.unchecked.push(...added);
      warnUnchecked(this, added);
    }
  }
}
