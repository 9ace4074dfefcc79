import { Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION } from './credential-actions';
import { createOrganizationPolicies, PolicyStatementJson, RESOURCE_CONTROL_POLICY, validateTargetIds } from './policy-documents';
import { GET_WEB_IDENTITY_TOKEN, tokenDenyStatements, WebIdentityTokenGrantOptions } from './token-allowlist';

/** Properties of {@link WebIdentityTokenResourceControlPolicy}. */
export interface WebIdentityTokenResourceControlPolicyProps {
  /** The roots, OUs and accounts the RCP is attached to. RCPs do not apply to the management account. */
  readonly targetIds: string[];
  /**
   * The tokens that may be minted in the targets, as in {@link CredentialGuardrailPolicyProps.allowedTokens}.
   * @default - every token request is denied
   */
  readonly allowedTokens?: WebIdentityTokenGrantOptions[];
  /**
   * Regions where tokens may be minted and web identity roles assumed (`aws:RequestedRegion`); a request to
   * STS in any other region is denied. Calls to the global STS endpoint count as `us-east-1`.
   * @default - no region restriction
   */
  readonly allowedRegions?: string[];
  /**
   * Name of the policy.
   * @default "keyless-web-identity-token-guardrail"
   */
  readonly policyName?: string;
  /**
   * Description of the policy.
   * @default - says what the policy denies
   */
  readonly description?: string;
  /**
   * RCPs attached to each target outside this app, counted against the quota of 5 per target. The
   * AWS-managed `RCPFullAWSAccess` is attached to every root, OU and account and cannot be detached; it is
   * counted like `FullAWSAccess` for SCPs.
   * @default 1
   */
  readonly policiesAlreadyAttachedPerTarget?: number;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * A resource control policy (`AWS::Organizations::Policy`, `RESOURCE_CONTROL_POLICY`) for STS, which RCPs
 * support: it bounds `sts:GetWebIdentityToken` in the target accounts with the same Deny statements as
 * {@link CredentialGuardrailPolicy} (built from the workload grants' conditions), for every caller
 * (`"Principal": "*"`), including principals an SCP does not reach. With `allowedRegions` it also denies
 * minting tokens and `sts:AssumeRoleWithWebIdentity` into the targets' roles from any other region.
 *
 * RCPs only deny (AWS allows `Allow` only in `RCPFullAWSAccess`) and do not support `NotAction`; these
 * statements use neither. Size and per-target quotas are checked as for the SCP.
 */
export class WebIdentityTokenResourceControlPolicy extends Construct {
  /** The `AWS::Organizations::Policy` resources: one, or more when the document had to be split. */
  public readonly policies: organizations.CfnPolicy[];
  /** The statements of the policy, in order, across all documents. */
  public readonly statements: any[];

  constructor(scope: Construct, id: string, props: WebIdentityTokenResourceControlPolicyProps) {
    super(scope, id);
    const path = this.node.path;
    if (props === null || typeof props !== 'object') {
      fail({ path, property: 'props' }, props, 'org-policy.props', 'pass targetIds');
    }
    const targetIds = validateTargetIds(props.targetIds, path);
    const statements: PolicyStatementJson[] = tokenDenyStatements(this, props.allowedTokens, path, '*');
    if (props.allowedRegions !== undefined) {
      const regions = props.allowedRegions;
      if (!Array.isArray(regions) || regions.length === 0) {
        fail({ path, property: 'allowedRegions' }, regions, 'org-policy.regions', 'list at least one region, or omit allowedRegions');
      }
      regions.forEach((r, i) => {
        if (Token.isUnresolved(r) || typeof r !== 'string' || !REGION.test(r)) {
          fail({ path, property: `allowedRegions[${i}]` }, r, 'org-policy.region', 'a region is written literally, e.g. "eu-west-1"');
        }
      });
      statements.push({
        Sid: 'DenyWebIdentityOutsideAllowedRegions',
        Effect: 'Deny',
        Principal: '*',
        Action: [GET_WEB_IDENTITY_TOKEN, `sts:${ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION}`],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': regions.length === 1 ? regions[0] : [...regions] } },
      });
    }
    this.statements = statements;
    this.policies = createOrganizationPolicies(this, {
      type: RESOURCE_CONTROL_POLICY,
      name: props.policyName ?? 'keyless-web-identity-token-guardrail',
      description: props.description ?? 'cdk-keyless: deny web identity tokens outside the organization allowlist',
      statements,
      targetIds,
      alreadyAttachedPerTarget: props.policiesAlreadyAttachedPerTarget ?? 1,
    });
  }
}
