import { App, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KeylessGuardrails, KeylessGuardrailsProps } from '../../../lib'; // in your project: from 'cdk-keyless'
import { EXEMPTIONS, LEGACY, plan } from '../plan';

/**
 * BEFORE: the nightly orders sync runs outside AWS as an IAM user with an access key that someone copied
 * into the job's configuration years ago. The key never expires and works from anywhere.
 */
export class OrdersSyncLegacyStack extends Stack {
  public readonly user: iam.User;
  public readonly accessKey: iam.AccessKey;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: plan.account, region: 'eu-west-1' }, ...props });
    this.user = new iam.User(this, 'SyncUser', { userName: LEGACY.iamUserName });
    // Who removes the key: the inventory report attributes the access key (which has no tags) to its user's owner tag.
    Tags.of(this.user).add('owner', LEGACY.owner);
    this.user.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::acme-orders-exports/*'],
    }));
    // The long-lived credential the migration removes (KL-AWS-01), allowed until its exemption expires.
    this.accessKey = new iam.AccessKey(this, 'SyncUserKey', { user: this.user });
  }
}

/** The legacy CDK app. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential; the two legacy ones are exempted until their expiry date.
  KeylessGuardrails.enable(app, { exemptionsFile: EXEMPTIONS, ...guardrails });
  new OrdersSyncLegacyStack(app, 'OrdersSyncLegacy');
  return app;
}

if (require.main === module) {
  buildCdkApp().synth();
}
