import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { constructPath } from '../../core/construct-path';
import { fail } from '../../core/errors';
import { ASSUME_ROLE_WITH_WEB_IDENTITY, GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_ISSUER, issuerOfProviderArn, oidcTrustConditions } from '../../core/oidc-trust';
import { SubjectFilter } from '../../core/subject';
import { MIN_SESSION_SECONDS, validateSessionSeconds } from '../../core/workload-role';
import { isToken, validateTerraformLiteral, warnUnchecked } from '../validation';
import { policyJson, statementJson, terraformTokens } from './helpers';

/** Set by forGitHubActions when no provider is given: use the GitHub provider of the account Terraform runs against. */
const ACCOUNT_GITHUB_PROVIDER = Symbol('cdk-keyless.account-github-provider');

/** Role settings shared by {@link TerraformOidcTrustRoleProps} and {@link TerraformGitHubActionsRoleProps}. */
export interface TerraformOidcTrustRoleOptions {
  /**
   * Role name.
   * @default - a name Terraform generates
   */
  readonly roleName?: string;
  /**
   * Role path.
   * @default "/"
   */
  readonly path?: string;
  /**
   * Role description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Maximum session duration in seconds, 3600 to 43200.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
  /**
   * ARNs of managed policies of the role; one `aws_iam_role_policy_attachment` each.
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

/** Properties of a {@link TerraformOidcTrustRole}. */
export interface TerraformOidcTrustRoleProps extends TerraformOidcTrustRoleOptions {
  /**
   * The `aws_iam_openid_connect_provider` that verifies the tokens. Give this or `providerArn`.
   * @default - `providerArn`
   */
  readonly oidcProvider?: IamOpenidConnectProvider;
  /**
   * ARN of the IAM OIDC provider (a literal or a Terraform reference). Give this or `oidcProvider`.
   * @default - `oidcProvider`
   */
  readonly providerArn?: string;
  /**
   * The issuer as IAM condition keys name it: the issuer URL without `https://`, e.g.
   * `token.actions.githubusercontent.com` or `gitlab.com`. Required when it cannot be read from a literal
   * provider ARN or the provider's literal `url`.
   * @default - the provider's issuer when it is a literal
   */
  readonly issuer?: string;
  /** The audience (`aud`) the tokens must carry; required. */
  readonly audience: string;
  /** The subjects (`sub`) the role trusts; at least one. */
  readonly subjects: SubjectFilter[];
}

/** Properties of {@link TerraformOidcTrustRole.forGitHubActions}. */
export interface TerraformGitHubActionsRoleProps extends TerraformOidcTrustRoleOptions {
  /** The workflows the role trusts, e.g. `SubjectFilter.gitHubEnvironment('org', 'repo', 'prod')`. */
  readonly subjects: SubjectFilter[];
  /**
   * The account's GitHub OIDC provider.
   * @default - the provider `token.actions.githubusercontent.com` of the account Terraform runs against
   * (create it once per account), its ARN built from `aws_caller_identity` and `aws_partition`
   */
  readonly oidcProvider?: IamOpenidConnectProvider;
  /**
   * Audience the workflow requests.
   * @default "sts.amazonaws.com"
   */
  readonly audience?: string;
}

/**
 * A role that external workloads assume with OIDC tokens (`sts:AssumeRoleWithWebIdentity`), in CDK for Terraform:
 * GitHub Actions, GitLab CI, a Kubernetes service account or any OIDC issuer. The trust always pins the audience
 * (`<issuer>:aud`, StringEquals) and the subjects (`<issuer>:sub`), with the same `SubjectFilter`s and the same
 * refusals as the CDK `OidcTrustRole` (lib/core builds both): a missing subject, `*`, and wildcards that span
 * owners or repositories fail synth.
 *
 * @example
 * TerraformOidcTrustRole.forGitHubActions(this, 'Deploy', {
 *   subjects: [SubjectFilter.gitHubEnvironment('my-org', 'infra', 'prod')],
 * });
 */
export class TerraformOidcTrustRole extends Construct {
  /**
   * A role for GitHub Actions workflows: issuer `token.actions.githubusercontent.com`, audience
   * `sts.amazonaws.com` unless given, the account's existing GitHub OIDC provider unless given.
   */
  public static forGitHubActions(scope: Construct, id: string, props: TerraformGitHubActionsRoleProps): TerraformOidcTrustRole {
    if (props === null || typeof props !== 'object') {
      fail({ path: constructPath(scope, id), property: 'props' }, props, 'trust.props', 'pass subjects');
    }
    const { oidcProvider, audience, ...rest } = props;
    return new TerraformOidcTrustRole(scope, id, {
      ...rest,
      ...(oidcProvider !== undefined ? { oidcProvider } : { [ACCOUNT_GITHUB_PROVIDER]: true }),
      issuer: GITHUB_ACTIONS_ISSUER,
      audience: audience ?? GITHUB_ACTIONS_AUDIENCE,
    } as TerraformOidcTrustRoleProps);
  }

  /** The `aws_iam_role`. */
  public readonly role: IamRole;
  /** One `aws_iam_role_policy_attachment` per managed policy ARN, in order. */
  public readonly policyAttachments: IamRolePolicyAttachment[];
  /** The issuer host used in the condition keys. */
  public readonly issuer: string;
  /** The audience the trust requires. */
  public readonly audience: string;
  /** The subjects the trust accepts. */
  public readonly subjects: SubjectFilter[];

  constructor(scope: Construct, id: string, props: TerraformOidcTrustRoleProps) {
    const path = constructPath(scope, id);
    if (props === null || typeof props !== 'object') {
      fail({ path, property: 'props' }, props, 'trust.props', 'pass oidcProvider or providerArn, audience and subjects');
    }
    const accountGitHubProvider = (props as { [ACCOUNT_GITHUB_PROVIDER]?: boolean })[ACCOUNT_GITHUB_PROVIDER] === true;
    if (!accountGitHubProvider && (props.oidcProvider === undefined) === (props.providerArn === undefined)) {
      fail({ path, property: 'oidcProvider' }, props.oidcProvider === undefined ? 'none' : 'oidcProvider and providerArn', 'trust.provider', 'give exactly one of oidcProvider and providerArn');
    }
    let issuer = props.issuer;
    if (issuer === undefined) {
      const url = props.oidcProvider?.urlInput;
      const fromProvider = props.oidcProvider !== undefined
        ? (url !== undefined && !isToken(url) ? url.replace(/^https:\/\//i, '') : undefined)
        : (props.providerArn !== undefined && !isToken(props.providerArn) ? issuerOfProviderArn(props.providerArn) : undefined);
      if (fromProvider === undefined) {
        fail({ path, property: 'issuer' }, undefined, 'trust.issuer', 'the provider\'s issuer is only known at apply time; pass issuer (e.g. "token.actions.githubusercontent.com") so the condition keys can name it');
      }
      issuer = fromProvider;
    }
    const unchecked: string[] = [];
    // lib/core validates issuer, audience and subjects and builds the conditions (the same as the CDK role's).
    const conditions = oidcTrustConditions({ issuer, audience: props.audience, subjects: props.subjects }, path, terraformTokens(unchecked));
    if (isToken(props.audience)) {
      unchecked.push('audience');
    } else {
      validateTerraformLiteral(props.audience, { path, property: 'audience' });
    }
    const seconds = props.maxSessionDurationSeconds ?? MIN_SESSION_SECONDS;
    if (!isToken(seconds)) {
      validateSessionSeconds(seconds, { path, property: 'maxSessionDurationSeconds' });
    }
    for (const [property, value] of [['roleName', props.roleName], ['path', props.path], ['description', props.description]] as const) {
      if (value !== undefined && !isToken(value)) validateTerraformLiteral(value, { path, property });
    }

    super(scope, id);
    const provider = props.provider !== undefined ? { provider: props.provider } : {};
    let providerArn = props.oidcProvider?.arn ?? props.providerArn;
    if (providerArn === undefined) {
      // forGitHubActions without a provider: the account's, whichever account Terraform runs against.
      const account = new DataAwsCallerIdentity(this, 'Account', provider);
      const partition = new DataAwsPartition(this, 'Partition', provider);
      providerArn = `arn:${partition.partition}:iam::${account.accountId}:oidc-provider/${GITHUB_ACTIONS_ISSUER}`;
    }
    this.role = new IamRole(this, 'Role', {
      ...provider,
      ...(props.roleName !== undefined ? { name: props.roleName } : {}),
      ...(props.path !== undefined ? { path: props.path } : {}),
      ...(props.description !== undefined ? { description: props.description } : {}),
      maxSessionDuration: seconds,
      assumeRolePolicy: policyJson([statementJson({ actions: [ASSUME_ROLE_WITH_WEB_IDENTITY], principal: { Federated: providerArn }, conditions })]),
      ...(props.permissionsBoundary !== undefined ? { permissionsBoundary: props.permissionsBoundary } : {}),
      ...(props.tags !== undefined ? { tags: props.tags } : {}),
    });
    this.policyAttachments = (props.managedPolicyArns ?? []).map((arn, i) => new IamRolePolicyAttachment(this, `ManagedPolicy${i}`, {
      ...provider,
      role: this.role.name,
      policyArn: arn,
    }));
    this.issuer = issuer;
    this.audience = props.audience;
    this.subjects = [...props.subjects];
    warnUnchecked(this, unchecked);
  }
}
