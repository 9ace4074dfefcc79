import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  CredentialActivityAlarms,
  CredentialActivityRules,
  CredentialGuardrailPolicy,
  KeylessGuardrails,
  KeylessGuardrailsProps,
  WebIdentityTokenResourceControlPolicy,
} from '../../lib'; // in your project: from 'cdk-keyless'
import { allowedTokens, organization } from './plan';

/**
 * Management account: the SCP that stops long-lived credentials and unlisted tokens for every principal in
 * the workloads OU, and the RCP that bounds token minting and web identity role assumption in those
 * accounts for any caller. Organizations is global; the stack's region only says where CloudFormation runs.
 */
export class OrganizationGuardrailsStack extends Stack {
  public readonly scp: CredentialGuardrailPolicy;
  public readonly rcp: WebIdentityTokenResourceControlPolicy;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: organization.managementAccount, region: 'us-east-1' }, ...props });
    this.scp = new CredentialGuardrailPolicy(this, 'CredentialGuardrail', {
      targetIds: [organization.workloadsOu],
      breakGlassPrincipalArns: [...organization.breakGlassPrincipalArns],
      federationAdministratorArns: [...organization.federationAdministratorArns],
      allowedTokens,
    });
    this.rcp = new WebIdentityTokenResourceControlPolicy(this, 'TokenGuardrail', {
      targetIds: [organization.workloadsOu],
      allowedTokens,
      allowedRegions: [...organization.workloadRegions],
    });
  }
}

/**
 * Security account, us-east-1 (where IAM events are delivered): one topic for the platform team, the
 * metric-filter alarms on the organization trail's log group (every account and region in one place), and
 * the EventBridge rules for this account's own events. Deploy `CredentialActivityRules` into each member
 * account the same way (e.g. a StackSet over the OU) with `targets` that forward to this account.
 */
export class CredentialMonitoringStack extends Stack {
  public readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: organization.securityAccount, region: 'us-east-1' }, ...props });
    this.topic = new sns.Topic(this, 'PlatformAlerts', { topicName: 'keyless-credential-activity', enforceSSL: true });
    new CredentialActivityRules(this, 'CredentialActivity', {
      topic: this.topic,
      allowedRegions: [...organization.workloadRegions],
    });
    new CredentialActivityAlarms(this, 'OrganizationTrailAlarms', {
      logGroup: logs.LogGroup.fromLogGroupName(this, 'OrganizationTrail', organization.organizationTrailLogGroup),
      topic: this.topic,
      allowedRegions: [...organization.workloadRegions],
    });
  }
}

/** The CDK app of this example; `npm run synth` builds it here. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  KeylessGuardrails.enable(app, guardrails);
  new OrganizationGuardrailsStack(app, 'OrganizationGuardrails');
  new CredentialMonitoringStack(app, 'CredentialMonitoring');
  return app;
}

if (require.main === module) {
  buildCdkApp().synth();
}
