import { AuthenticationPolicy } from '@cdktf/provider-snowflake/lib/authentication-policy';
import { Execute } from '@cdktf/provider-snowflake/lib/execute';
import { GrantAccountRole } from '@cdktf/provider-snowflake/lib/grant-account-role';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { ServiceUser } from '@cdktf/provider-snowflake/lib/service-user';
import { UserAuthenticationPolicyAttachment } from '@cdktf/provider-snowflake/lib/user-authentication-policy-attachment';
import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { fail, KeylessValidationError, ValidationSite } from '../../core/errors';
import { validateSnowflakeIdentifier } from '../../core/names';
import { FederationPlan, PlannedTarget } from '../../core/plan';
import {
  alterUserSetWorkloadIdentity,
  alterUserUnsetWorkloadIdentity,
  SnowflakeUserRef,
  SnowflakeWorkloadIdentityType,
  workloadIdentityPolicyFor,
} from '../../core/snowflake-sql';
import { TargetKind } from '../../core/target';
import { pathOf, resourceAddress, validateUnlessToken, warnUnchecked } from '../validation';
import { SnowflakeWorkloadIdentity } from './workload-identity';

/** Stacks that already carry the one preview-feature check of {@link SnowflakeWorkloadUser}. */
const stacksWithPreviewFeatureCheck = new WeakSet<TerraformStack>();

/** How a workload on AWS proves its identity to Snowflake. */
export enum SnowflakeAwsAuthMode {
  /** STS `GetWebIdentityToken` JWTs from the account's outbound issuer (`ISSUER` is set on the user). */
  OUTBOUND_JWT = 'outbound-jwt',
  /** Snowflake's signed `GetCallerIdentity` request mode (no `ISSUER` on the user). */
  SIGNED_CALLER_IDENTITY = 'signed-caller-identity',
}

/** Settings shared by {@link SnowflakeWorkloadUser} and {@link SnowflakeWorkloadUser.fromPlan}. */
export interface SnowflakeWorkloadUserOptions {
  /** Database of the authentication policy (a schema object). */
  readonly policyDatabase: string;
  /** Schema of the authentication policy. */
  readonly policySchema: string;
  /**
   * Name of the authentication policy.
   * @default `<userName>_AUTH_POLICY`
   */
  readonly policyName?: string;
  /**
   * The user's default role.
   * @default - none
   */
  readonly defaultRole?: string;
  /**
   * Grant `defaultRole` to the user (`snowflake_grant_account_role`).
   * @default true
   */
  readonly grantDefaultRole?: boolean;
  /**
   * The user's default warehouse.
   * @default - none
   */
  readonly defaultWarehouse?: string;
  /**
   * Snowflake provider for every resource of this construct.
   * @default - the stack's default snowflake provider
   */
  readonly provider?: TerraformProvider;
}

/** Options of {@link SnowflakeWorkloadUser.fromPlan}. */
export interface SnowflakeWorkloadUserFromPlanOptions extends SnowflakeWorkloadUserOptions {
  /**
   * How the AWS workload authenticates.
   * @default SnowflakeAwsAuthMode.OUTBOUND_JWT
   */
  readonly awsAuthMode?: SnowflakeAwsAuthMode;
}

/** Properties of a {@link SnowflakeWorkloadUser}. */
export interface SnowflakeWorkloadUserProps extends SnowflakeWorkloadUserOptions {
  /** Name of the service user. The provider quotes it, so it is case-sensitive; upper case matches Snowflake's default. */
  readonly userName: string;
  /** The one workload identity that may log in as this user. */
  readonly workloadIdentity: SnowflakeWorkloadIdentity;
}

/**
 * A Snowflake `TYPE = SERVICE` user that can log in only with a workload identity:
 *
 * - `snowflake_service_user` without password, RSA key or programmatic access token;
 * - `snowflake_execute` running `ALTER USER <fqn> SET WORKLOAD_IDENTITY = (...)` (revert: `UNSET`), re-applied
 *   when the user is replaced;
 * - `snowflake_authentication_policy` with `AUTHENTICATION_METHODS = ('WORKLOAD_IDENTITY')` and a
 *   `WORKLOAD_IDENTITY_POLICY` allowing only this identity's provider and account (AWS) or issuer (OIDC, Azure),
 *   attached to the user with `snowflake_user_authentication_policy_attachment`;
 * - optionally a default role (granted) and a default warehouse.
 *
 * The provider must enable the preview features in {@link SnowflakeWorkloadUser.REQUIRED_PREVIEW_FEATURES};
 * synth fails when the stack's snowflake provider does not.
 */
export class SnowflakeWorkloadUser extends Construct {
  /** `preview_features_enabled` entries the snowflake provider (2.11.0) needs for the policy and its attachment. */
  public static readonly REQUIRED_PREVIEW_FEATURES: string[] = [
    'snowflake_authentication_policy_resource',
    'snowflake_user_authentication_policy_attachment_resource',
  ];

  /**
   * Builds the user for target `targetName` of workload `workloadName` in `plan`: the user named by the
   * target's `snowflakeUser`, trusting the workload's role ARN (and, in JWT mode, the plan's issuer), with a
   * policy allowing only the plan's AWS account.
   */
  public static fromPlan(scope: Construct, id: string, plan: FederationPlan, workloadName: string, targetName: string, options: SnowflakeWorkloadUserFromPlanOptions): SnowflakeWorkloadUser {
    const path = pathOf(scope, id);
    const target = SnowflakeWorkloadUser.planTarget(plan, workloadName, targetName, path);
    if (options === null || typeof options !== 'object') {
      fail({ path, property: 'options' }, options, 'snowflake.policy-location', 'pass at least policyDatabase and policySchema (an authentication policy is a schema object)');
    }
    const mode = options.awsAuthMode ?? SnowflakeAwsAuthMode.OUTBOUND_JWT;
    if (!Object.values(SnowflakeAwsAuthMode).includes(mode)) {
      fail({ path, property: 'awsAuthMode' }, mode, 'snowflake.aws-auth-mode', `awsAuthMode is one of ${Object.values(SnowflakeAwsAuthMode).join(', ')}`);
    }
    return new SnowflakeWorkloadUser(scope, id, {
      policyDatabase: options.policyDatabase,
      policySchema: options.policySchema,
      ...(options.policyName !== undefined ? { policyName: options.policyName } : {}),
      ...(options.defaultRole !== undefined ? { defaultRole: options.defaultRole } : {}),
      ...(options.grantDefaultRole !== undefined ? { grantDefaultRole: options.grantDefaultRole } : {}),
      ...(options.defaultWarehouse !== undefined ? { defaultWarehouse: options.defaultWarehouse } : {}),
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      userName: target.snowflakeUser as string,
      workloadIdentity: SnowflakeWorkloadIdentity.aws({
        roleArn: target.subject,
        ...(mode === SnowflakeAwsAuthMode.OUTBOUND_JWT ? { issuerUrl: target.issuerUrl } : {}),
      }),
    });
  }

  /** Adds the preview features this construct needs to `provider.previewFeaturesEnabled`, keeping the ones already there. */
  public static enablePreviewFeatures(provider: SnowflakeProvider): void {
    const current = provider.previewFeaturesEnabled;
    if (current !== undefined && Token.isUnresolved(current)) {
      fail({ path: provider.node.path, property: 'previewFeaturesEnabled' }, '<token>', 'snowflake.preview-features', `the value is a token; add ${JSON.stringify(SnowflakeWorkloadUser.REQUIRED_PREVIEW_FEATURES)} to it yourself`);
    }
    const missing = SnowflakeWorkloadUser.REQUIRED_PREVIEW_FEATURES.filter((f) => !(current ?? []).includes(f));
    if (missing.length > 0) {
      provider.previewFeaturesEnabled = [...(current ?? []), ...missing];
    }
  }

  private static planTarget(plan: FederationPlan, workloadName: string, targetName: string, path: string): PlannedTarget {
    if (!(plan instanceof FederationPlan)) {
      fail({ path, property: 'plan' }, typeof plan, 'plan.shape', 'pass a FederationPlan');
    }
    const workload = plan.workloads.find((w) => w.name === workloadName);
    if (!workload) {
      fail({ path, property: 'workloadName' }, workloadName, 'plan.workload-exists', `the plan has workloads ${JSON.stringify(plan.workloads.map((w) => w.name))}`);
    }
    const target = workload.targets.find((t) => t.name === targetName);
    if (!target) {
      fail({ path, property: 'targetName' }, targetName, 'plan.target-exists', `workload "${workloadName}" has targets ${JSON.stringify(workload.targets.map((t) => t.name))}`);
    }
    if (target.kind !== TargetKind.SNOWFLAKE) {
      fail({ path, property: 'targetName' }, targetName, 'snowflake.target-kind', `target "${targetName}" is a ${target.kind} target; a SnowflakeWorkloadUser is built from a snowflake target`);
    }
    return target;
  }

  /** The `snowflake_service_user`. */
  public readonly user: ServiceUser;
  /** The `snowflake_execute` that sets the user's workload identity. */
  public readonly workloadIdentityStatement: Execute;
  /** The `snowflake_authentication_policy` allowing only workload identity. */
  public readonly authenticationPolicy: AuthenticationPolicy;
  /** The `snowflake_user_authentication_policy_attachment`. */
  public readonly policyAttachment: UserAuthenticationPolicyAttachment;
  /** The grant of the default role, when one is made. */
  public readonly defaultRoleGrant?: GrantAccountRole;
  /** The user name the workload logs in as. */
  public readonly userName: string;
  /** The identity provider the user trusts. */
  public readonly identityType: SnowflakeWorkloadIdentityType;
  /** The statement `snowflake_execute` runs on create, with the user written as the provider's `fully_qualified_name`. */
  public readonly setStatement: string;
  /** The statement `snowflake_execute` runs on destroy. */
  public readonly revertStatement: string;

  private readonly explicitProvider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: SnowflakeWorkloadUserProps) {
    const path = pathOf(scope, id);
    const site = (property: string): ValidationSite => ({ path, property });
    if (props === null || typeof props !== 'object') {
      fail(site('props'), props, 'snowflake.props', 'pass userName, workloadIdentity, policyDatabase and policySchema');
    }
    if (!(props.workloadIdentity instanceof SnowflakeWorkloadIdentity)) {
      fail(site('workloadIdentity'), props.workloadIdentity, 'snowflake.identity-type', 'use SnowflakeWorkloadIdentity.aws(...), .oidc(...), .azure(...) or .gcp(...)');
    }
    // Everything is validated before any resource exists, so a bad value leaves nothing behind.
    const unchecked: string[] = [];
    const spec = props.workloadIdentity._spec(site('workloadIdentity'));
    const policyValues = workloadIdentityPolicyFor(spec, site('workloadIdentity'));
    const ident = (name: string, value: string | undefined, required: boolean): string | undefined => {
      if (value === undefined) {
        if (required) {
          const policy = name.startsWith('policy');
          fail(site(name), value, policy ? 'snowflake.policy-location' : 'snowflake.identifier', policy ? `${name} is required (an authentication policy is a schema object)` : `${name} is required`);
        }
        return undefined;
      }
      return validateUnlessToken(value, site(name), validateSnowflakeIdentifier, unchecked);
    };
    const userName = ident('userName', props.userName, true) as string;
    const policyDatabase = ident('policyDatabase', props.policyDatabase, true) as string;
    const policySchema = ident('policySchema', props.policySchema, true) as string;
    const policyName = props.policyName !== undefined ? (ident('policyName', props.policyName, true) as string) : SnowflakeWorkloadUser.defaultPolicyName(userName, path);
    const defaultRole = ident('defaultRole', props.defaultRole, false);
    const defaultWarehouse = ident('defaultWarehouse', props.defaultWarehouse, false);
    if (props.grantDefaultRole === true && defaultRole === undefined) {
      fail(site('grantDefaultRole'), true, 'snowflake.default-role', 'grantDefaultRole needs defaultRole');
    }

    super(scope, id);
    warnUnchecked(this, unchecked);
    this.userName = userName;
    this.identityType = spec.type;
    const provider = props.provider;

    this.user = new ServiceUser(this, 'User', {
      name: userName,
      comment: 'Managed by cdk-keyless: logs in with workload identity only',
      ...(defaultRole !== undefined ? { defaultRole } : {}),
      ...(defaultWarehouse !== undefined ? { defaultWarehouse } : {}),
      ...(provider ? { provider } : {}),
    });

    const userRef = SnowflakeUserRef.fromProviderAttribute(this.user.fullyQualifiedName, site('user.fullyQualifiedName'));
    this.setStatement = alterUserSetWorkloadIdentity(userRef, spec, site('workloadIdentity'));
    this.revertStatement = alterUserUnsetWorkloadIdentity(userRef);
    // replace_triggered_by takes a bare resource address; cdktf would write a dependable as "${...}", which
    // Terraform rejects (hashicorp/terraform-cdk#3196), so the address is written as a string.
    const userAddress = resourceAddress(this.user);
    // Each attribute getter makes a new token (and captures a stack trace); read it once.
    const userNameRef = this.user.name;
    this.workloadIdentityStatement = new Execute(this, 'WorkloadIdentity', {
      execute: this.setStatement,
      revert: this.revertStatement,
      // Changing `execute` replaces the resource (revert, then execute). Never create-before-destroy: the new SET
      // would run before the old UNSET and the UNSET would then remove the new identity.
      lifecycle: { replaceTriggeredBy: [userAddress] },
      ...(provider ? { provider } : {}),
    });

    this.authenticationPolicy = new AuthenticationPolicy(this, 'AuthenticationPolicy', {
      database: policyDatabase,
      schema: policySchema,
      name: policyName,
      authenticationMethods: ['WORKLOAD_IDENTITY'],
      workloadIdentityPolicy: {
        allowedProviders: policyValues.allowedProviders,
        ...(policyValues.allowedAwsAccounts ? { allowedAwsAccounts: policyValues.allowedAwsAccounts } : {}),
        ...(policyValues.allowedOidcIssuers ? { allowedOidcIssuers: policyValues.allowedOidcIssuers } : {}),
        ...(policyValues.allowedAzureIssuers ? { allowedAzureIssuers: policyValues.allowedAzureIssuers } : {}),
      },
      comment: 'Managed by cdk-keyless: workload identity only',
      ...(provider ? { provider } : {}),
    });

    this.policyAttachment = new UserAuthenticationPolicyAttachment(this, 'PolicyAttachment', {
      userName: userNameRef,
      authenticationPolicyName: this.authenticationPolicy.fullyQualifiedName,
      lifecycle: { replaceTriggeredBy: [userAddress] },
      ...(provider ? { provider } : {}),
    });

    if (defaultRole !== undefined && props.grantDefaultRole !== false) {
      this.defaultRoleGrant = new GrantAccountRole(this, 'DefaultRoleGrant', {
        roleName: defaultRole,
        userName: userNameRef,
        lifecycle: { replaceTriggeredBy: [userAddress] },
        ...(provider ? { provider } : {}),
      });
    }

    this.explicitProvider = provider;
    SnowflakeWorkloadUser.registerPreviewFeatureCheck(TerraformStack.of(this));
  }

  /**
   * Adds the preview-feature check to `stack` once. One check per stack walks the stack's constructs once per
   * validation pass; a check per user would walk the whole stack once per user (quadratic in the stack's size).
   */
  private static registerPreviewFeatureCheck(stack: TerraformStack): void {
    if (stacksWithPreviewFeatureCheck.has(stack)) {
      return;
    }
    stacksWithPreviewFeatureCheck.add(stack);
    stack.node.addValidation({ validate: () => SnowflakeWorkloadUser.checkPreviewFeatures(stack) });
  }

  /** Reports every user of `stack` whose provider (its explicit one, else each default snowflake provider) lacks the preview features. */
  private static checkPreviewFeatures(stack: TerraformStack): string[] {
    const defaults: TerraformProvider[] = [];
    const users: SnowflakeWorkloadUser[] = [];
    for (const c of stack.node.findAll()) {
      if (c instanceof SnowflakeWorkloadUser) {
        users.push(c);
      } else if (c instanceof TerraformProvider && c.terraformResourceType === 'snowflake' && c.alias === undefined) {
        defaults.push(c);
      }
    }
    const errors: string[] = [];
    for (const user of users) {
      if (TerraformStack.of(user) !== stack) {
        continue; // reported by its own stack's check
      }
      for (const provider of user.explicitProvider ? [user.explicitProvider] : defaults) {
        const error = user.previewFeatureError(provider);
        if (error !== undefined) {
          errors.push(error);
        }
      }
    }
    return errors;
  }

  private static defaultPolicyName(userName: string, path: string): string {
    if (Token.isUnresolved(userName)) {
      fail({ path, property: 'policyName' }, undefined, 'snowflake.policy-location', 'userName is a token, so pass policyName');
    }
    const name = `${userName}_AUTH_POLICY`;
    try {
      validateSnowflakeIdentifier(name, { path, property: 'policyName' });
    } catch (e) {
      if (e instanceof KeylessValidationError) {
        fail({ path, property: 'policyName' }, name, e.rule, `the default policy name is too long; pass a shorter policyName (${e.reason})`);
      }
      throw e;
    }
    return name;
  }

  private previewFeatureError(provider: TerraformProvider): string | undefined {
    const enabled = (provider as SnowflakeProvider).previewFeaturesEnabled;
    if (enabled !== undefined && Token.isUnresolved(enabled)) {
      return undefined; // not guessed at
    }
    const missing = SnowflakeWorkloadUser.REQUIRED_PREVIEW_FEATURES.filter((f) => !(enabled ?? []).includes(f));
    if (missing.length === 0) {
      return undefined;
    }
    return new KeylessValidationError({
      path: this.node.path,
      property: `provider(${provider.node.path}).previewFeaturesEnabled`,
      value: JSON.stringify(enabled ?? []),
      rule: 'snowflake.preview-features',
      reason: `the snowflake provider must enable ${JSON.stringify(missing)} for the authentication policy and its attachment (call SnowflakeWorkloadUser.enablePreviewFeatures(provider))`,
    }).message;
  }
}
