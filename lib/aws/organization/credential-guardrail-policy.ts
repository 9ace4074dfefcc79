import { Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { validatePrincipalArnPatterns } from '../../core/principal-pattern';
import { DISABLE_OUTBOUND_FEDERATION_OPERATION, LONG_LIVED_CREDENTIAL_OPERATIONS } from './credential-actions';
import { createOrganizationPolicies, PolicyStatementJson, SERVICE_CONTROL_POLICY, validateTargetIds } from './policy-documents';
import { tokenDenyStatements, WebIdentityTokenGrantOptions } from './token-allowlist';

/** Properties of {@link CredentialGuardrailPolicy}. */
export interface CredentialGuardrailPolicyProps {
  /**
   * The roots (`r-...`), OUs (`ou-...-...`) and accounts (12 digits) the SCP is attached to. SCPs do not
   * apply to the management account.
   */
  readonly targetIds: string[];
  /**
   * `aws:PrincipalArn` patterns (`ArnNotLike`) of break-glass principals that may still create long-lived
   * credentials, e.g. `arn:aws:iam::*:role/break-glass/emergency-admin`. Role patterns name the role ARN with
   * its path (a role session's `aws:PrincipalArn` is the role ARN); the name must start literally.
   * @default - nobody in the targets may create long-lived credentials
   */
  readonly breakGlassPrincipalArns?: string[];
  /**
   * The tokens (`sts:GetWebIdentityToken`) principals in the targets may request: the same options as
   * `grantWebIdentityToken`, so the organization allowlist can be the list of grants. A request is denied
   * unless its algorithm is listed and EVERY requested audience is listed with that algorithm
   * (`ForAllValues:StringEquals` + `Null`, written as their Deny complements) and the lifetime is within the
   * longest listed with that algorithm. Request tags are left to each workload's grant.
   * @default - every token request is denied
   */
  readonly allowedTokens?: WebIdentityTokenGrantOptions[];
  /**
   * `aws:PrincipalArn` patterns of the platform roles that may call
   * `iam:DisableOutboundWebIdentityFederation` (which stops every workload's tokens in the account).
   * @default - nobody in the targets may disable outbound federation
   */
  readonly federationAdministratorArns?: string[];
  /**
   * Name of the policy (`-2`, `-3` are appended when the document is split).
   * @default "keyless-credential-guardrail"
   */
  readonly policyName?: string;
  /**
   * Description of the policy.
   * @default - says what the policy denies
   */
  readonly description?: string;
  /**
   * SCPs attached to each target outside this app, counted against the quota of 5 per target. AWS attaches
   * `FullAWSAccess` to every root, OU and account by default, and it counts.
   * @default 1
   */
  readonly policiesAlreadyAttachedPerTarget?: number;
}

/**
 * A service control policy (`AWS::Organizations::Policy`, `SERVICE_CONTROL_POLICY`) that stops long-lived
 * credentials no infrastructure code ever sees, for every principal in the target OUs and accounts:
 *
 * - denies creating IAM user credentials (`iam:CreateAccessKey`, `iam:CreateLoginProfile`,
 *   `iam:UpdateLoginProfile`, `iam:CreateServiceSpecificCredential`, `iam:ResetServiceSpecificCredential`,
 *   `iam:UploadSSHPublicKey`, `iam:UploadSigningCertificate`) except to `breakGlassPrincipalArns`;
 * - denies `sts:GetWebIdentityToken` for any audience, algorithm or lifetime outside `allowedTokens`, with
 *   conditions built by the same code as the workload grants;
 * - denies `iam:DisableOutboundWebIdentityFederation` except to `federationAdministratorArns`.
 *
 * At synth it refuses what AWS would refuse at deploy: a statement over the 5,120-character document limit
 * (a larger policy is split into several), more than 5 SCPs on one target (over every SCP in the app plus
 * `policiesAlreadyAttachedPerTarget`), malformed targets and principal patterns.
 */
export class CredentialGuardrailPolicy extends Construct {
  /** The `AWS::Organizations::Policy` resources: one, or more when the document had to be split. */
  public readonly policies: organizations.CfnPolicy[];
  /** The statements of the policy, in order, across all documents. */
  public readonly statements: any[];

  constructor(scope: Construct, id: string, props: CredentialGuardrailPolicyProps) {
    super(scope, id);
    const path = this.node.path;
    if (props === null || typeof props !== 'object') {
      fail({ path, property: 'props' }, props, 'org-policy.props', 'pass targetIds');
    }
    const targetIds = validateTargetIds(props.targetIds, path);
    const breakGlass = literalPatterns(props.breakGlassPrincipalArns ?? [], path, 'breakGlassPrincipalArns');
    const administrators = literalPatterns(props.federationAdministratorArns ?? [], path, 'federationAdministratorArns');

    const except = (patterns: string[]) => (patterns.length > 0 ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': patterns.length === 1 ? patterns[0] : patterns } } } : {});
    const statements: PolicyStatementJson[] = [
      {
        Sid: 'DenyLongLivedCredentialCreation',
        Effect: 'Deny',
        Action: LONG_LIVED_CREDENTIAL_OPERATIONS.map((op) => `iam:${op}`),
        Resource: '*',
        ...except(breakGlass),
      },
      ...tokenDenyStatements(this, props.allowedTokens, path),
      {
        Sid: 'DenyDisableOutboundFederation',
        Effect: 'Deny',
        Action: `iam:${DISABLE_OUTBOUND_FEDERATION_OPERATION}`,
        Resource: '*',
        ...except(administrators),
      },
    ];
    this.statements = statements;
    this.policies = createOrganizationPolicies(this, {
      type: SERVICE_CONTROL_POLICY,
      name: props.policyName ?? 'keyless-credential-guardrail',
      description: props.description ?? 'cdk-keyless: deny long-lived IAM credentials, unlisted web identity tokens and disabling outbound federation',
      statements,
      targetIds,
      alreadyAttachedPerTarget: props.policiesAlreadyAttachedPerTarget ?? 1,
    });
  }
}

function literalPatterns(values: string[], path: string, property: string): string[] {
  if (Array.isArray(values)) {
    values.forEach((v, i) => {
      if (Token.isUnresolved(v)) {
        fail({ path, property: `${property}[${i}]` }, v, 'principal-pattern.literal', 'write the ARN pattern literally: an exception that is only known at deploy time cannot be checked for being too broad');
      }
    });
  }
  return validatePrincipalArnPatterns(values, { path, property });
}
