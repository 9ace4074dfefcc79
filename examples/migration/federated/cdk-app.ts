import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FederatedWorkloadRole, KeylessGuardrails, KeylessGuardrailsProps, OutboundWebIdentityFederation } from '../../../lib'; // in your project: from 'cdk-keyless'
import { plan, sync } from '../plan';

/** AFTER: the sync runs in Lambda as the plan's role; S3 access comes from the role, Snowflake from its token. */
export class OrdersSyncStack extends Stack {
  public readonly role: FederatedWorkloadRole;
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: plan.account, region: 'eu-west-1' }, ...props });
    const federation = new OutboundWebIdentityFederation(this, 'OutboundFederation', { expectedIssuerUrl: plan.issuerUrl });
    this.role = FederatedWorkloadRole.fromPlan(this, 'Role', plan, sync.name, { federation });
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::acme-orders-exports/*'],
    }));
    this.function = new lambda.Function(this, 'Function', {
      functionName: 'orders-sync',
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline(fs.readFileSync(path.join(__dirname, 'handler.py'), 'utf8')),
      role: this.role,
      timeout: Duration.minutes(15),
      environment: {
        ...this.role.tokenEnvironment(),
        SNOWFLAKE_ACCOUNT: 'ACME-ORDERS',
        SNOWFLAKE_USER: plan.target(sync.name, 'warehouse').snowflakeUser!,
        SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN: 'true',
      },
    });
  }
}

/** The federated CDK app. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential or loose trust; writes keyless-report.json/.md into cdk.out.
  KeylessGuardrails.enable(app, guardrails);
  new OrdersSyncStack(app, 'OrdersSync');
  return app;
}

if (require.main === module) {
  buildCdkApp().synth();
}
