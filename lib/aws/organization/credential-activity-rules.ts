import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { fail, KeylessValidationError } from '../../core/errors';
import {
  ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION,
  DISABLE_OUTBOUND_FEDERATION_OPERATION,
  GET_WEB_IDENTITY_TOKEN_OPERATION,
  IAM_EVENTS_REGION,
  LONG_LIVED_CREDENTIAL_OPERATIONS,
  validateAllowedRegions,
} from './credential-actions';

/** The `detail-type` CloudTrail gives management events on EventBridge. */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';
/**
 * EventBridge only delivers read-only management events (`Get*`, `List*`, `Describe*`, and STS calls such as
 * `AssumeRoleWithWebIdentity`) to rules in this state.
 */
export const ALL_MANAGEMENT_EVENTS_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';


/** Properties of {@link CredentialActivityRules}. */
export interface CredentialActivityRulesProps {
  /**
   * The SNS topic every rule notifies.
   * @default - a new topic, unless `targets` is given
   */
  readonly topic?: sns.ITopic;
  /**
   * Targets every rule sends its events to (e.g. a Lambda function or a central event bus), in addition to
   * `topic` when both are given.
   * @default - the topic only
   */
  readonly targets?: events.IRuleTarget[];
  /**
   * Create the IAM rules (long-lived credential created; outbound federation disabled). IAM is a global
   * service whose events reach EventBridge only in us-east-1, so a stack with these rules must be in
   * us-east-1; turn them off for the stacks in other regions.
   * @default true
   */
  readonly iamRules?: boolean;
  /**
   * Create the STS rules (token request denied; and, with `allowedRegions`, token minted or web identity
   * role assumed in another region). STS events arrive in the region of the call, so deploy the stack in
   * every region you want watched.
   * @default true
   */
  readonly stsRules?: boolean;
  /**
   * Regions where workloads are expected to mint tokens and assume web identity roles. When given, the STS
   * rules also match `GetWebIdentityToken` and `AssumeRoleWithWebIdentity` whose `awsRegion` is any other.
   * @default - no region rules
   */
  readonly allowedRegions?: string[];
}

/**
 * EventBridge rules on CloudTrail management events that tell the platform team when a long-lived credential
 * appears or federation is tampered with, whatever created it (console, CLI, scripts):
 *
 * - `iam.amazonaws.com` `CreateAccessKey`, `CreateLoginProfile`, `UpdateLoginProfile`,
 *   `CreateServiceSpecificCredential`, `ResetServiceSpecificCredential`, `UploadSSHPublicKey`,
 *   `UploadSigningCertificate` (rule `credentialCreatedRule`) and `DisableOutboundWebIdentityFederation`
 *   (`federationDisabledRule`): us-east-1 only;
 * - `sts.amazonaws.com` `GetWebIdentityToken` denied with `AccessDenied` (`tokenDeniedRule`), and with
 *   `allowedRegions`, `GetWebIdentityToken` / `AssumeRoleWithWebIdentity` from another region
 *   (`unexpectedRegionRule`), in the rule state that receives read-only management events.
 *
 * CloudTrail sends these events to EventBridge only where a trail records management events (an organization
 * trail covers every member account). A stack with IAM rules outside us-east-1 fails synth.
 */
export class CredentialActivityRules extends Construct {
  /** The topic the rules notify, when there is one. */
  public readonly topic?: sns.ITopic;
  /** Long-lived IAM credential created (or a login profile / service credential password reset). */
  public readonly credentialCreatedRule?: events.Rule;
  /** Outbound web identity federation disabled for an account. */
  public readonly federationDisabledRule?: events.Rule;
  /** `GetWebIdentityToken` refused with `AccessDenied` (an unlisted audience, algorithm or lifetime). */
  public readonly tokenDeniedRule?: events.Rule;
  /** `GetWebIdentityToken` or `AssumeRoleWithWebIdentity` in a region outside `allowedRegions`. */
  public readonly unexpectedRegionRule?: events.Rule;

  constructor(scope: Construct, id: string, props: CredentialActivityRulesProps = {}) {
    super(scope, id);
    const path = this.node.path;
    const iamRules = props.iamRules ?? true;
    const stsRules = props.stsRules ?? true;
    if (!iamRules && !stsRules) {
      fail({ path, property: 'iamRules' }, false, 'detection.empty', 'iamRules and stsRules are both off, so the construct would watch nothing');
    }
    const regions = props.allowedRegions;
    if (regions !== undefined) {
      validateAllowedRegions(regions, path);
      if (!stsRules) {
        fail({ path, property: 'allowedRegions' }, regions, 'detection.regions', 'the region rules are STS rules; turn stsRules on or omit allowedRegions');
      }
    }

    this.topic = props.topic ?? (props.targets === undefined ? new sns.Topic(this, 'Alerts', { displayName: 'cdk-keyless credential activity', enforceSSL: true }) : undefined);
    const ruleTargets: events.IRuleTarget[] = [...(this.topic ? [new targets.SnsTopic(this.topic)] : []), ...(props.targets ?? [])];
    const rule = (ruleId: string, description: string, pattern: events.EventPattern, readOnlyEvents: boolean) => {
      const r = new events.Rule(this, ruleId, { description, eventPattern: pattern, targets: ruleTargets });
      if (readOnlyEvents) {
        (r.node.defaultChild as events.CfnRule).state = ALL_MANAGEMENT_EVENTS_STATE;
      }
      return r;
    };
    const apiCall = (service: 'iam' | 'sts', detail: { [key: string]: unknown }): events.EventPattern => ({
      source: [`aws.${service}`],
      detailType: [CLOUDTRAIL_API_CALL],
      detail: { eventSource: [`${service}.amazonaws.com`], ...detail },
    });

    if (iamRules) {
      this.credentialCreatedRule = rule('CredentialCreated', 'cdk-keyless: a long-lived IAM credential was created',
        apiCall('iam', { eventName: [...LONG_LIVED_CREDENTIAL_OPERATIONS] }), false);
      this.federationDisabledRule = rule('FederationDisabled', 'cdk-keyless: outbound web identity federation was disabled',
        apiCall('iam', { eventName: [DISABLE_OUTBOUND_FEDERATION_OPERATION] }), false);
      const region = Stack.of(this).region;
      if (Token.isUnresolved(region)) {
        Annotations.of(this).addWarningV2('cdk-keyless:iam-events-region',
          `the stack has no concrete region; IAM events reach EventBridge only in ${IAM_EVENTS_REGION}, so deploy it there or the IAM rules never fire`);
      } else if (region !== IAM_EVENTS_REGION) {
        this.node.addValidation({
          validate: () => [new KeylessValidationError({
            path, property: 'iamRules', value: JSON.stringify(region), rule: 'detection.iam-region',
            reason: `IAM is a global service and its CloudTrail events reach EventBridge only in ${IAM_EVENTS_REGION}; in ${region} the IAM rules would never fire. Deploy this stack in ${IAM_EVENTS_REGION}, or set iamRules: false here`,
          }).message],
        });
      }
    }
    if (stsRules) {
      this.tokenDeniedRule = rule('TokenDenied', 'cdk-keyless: a web identity token request was denied',
        apiCall('sts', { eventName: [GET_WEB_IDENTITY_TOKEN_OPERATION], errorCode: ['AccessDenied'] }), true);
      if (regions !== undefined) {
        this.unexpectedRegionRule = rule('UnexpectedRegion', 'cdk-keyless: web identity federation used outside the allowed regions',
          apiCall('sts', { eventName: [GET_WEB_IDENTITY_TOKEN_OPERATION, ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION], awsRegion: events.Match.anythingBut(...regions) }), true);
        const region = Stack.of(this).region;
        if (!Token.isUnresolved(region) && regions.includes(region)) {
          Annotations.of(this).addInfo(`cdk-keyless: the unexpected-region rule only sees STS events of ${region}, an allowed region, and an EventBridge rule only sees its own region's events, so it never fires here; deploy this construct with iamRules: false in each other enabled region to watch it`);
        }
      }
    }
  }
}
