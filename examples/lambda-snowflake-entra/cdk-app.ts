import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FederatedWorkloadRole, KeylessGuardrails, KeylessGuardrailsProps, OutboundWebIdentityFederation } from '../../lib'; // in your project: from 'cdk-keyless'
import { etl, plan, runtime } from './plan';

/** The Lambda ETL job: its role is the plan's role, so its tokens carry the subject Snowflake and Entra trust. */
export class OrdersEtlStack extends Stack {
  public readonly role: FederatedWorkloadRole;
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: plan.account, region: runtime.region }, ...props });

    // Account switch: enables outbound identity federation once, and fails the deployment if the account's
    // issuer is not the one Snowflake and Entra were told to trust.
    const federation = new OutboundWebIdentityFederation(this, 'OutboundFederation', { expectedIssuerUrl: plan.issuerUrl });

    // Fixed name and path from the plan; one sts:GetWebIdentityToken statement per target.
    this.role = FederatedWorkloadRole.fromPlan(this, 'Role', plan, etl.name, { federation });

    this.function = new lambda.Function(this, 'Function', {
      functionName: 'orders-etl',
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline(fs.readFileSync(path.join(__dirname, 'handler.py'), 'utf8')),
      role: this.role,
      timeout: Duration.minutes(5),
      environment: {
        // KEYLESS_WAREHOUSE_* and KEYLESS_GRAPH_*: audience, algorithm and lifetime of each token.
        ...this.role.tokenEnvironment(),
        // Identifiers, not secrets: where to log in, and as whom.
        SNOWFLAKE_ACCOUNT: runtime.snowflakeAccount,
        SNOWFLAKE_USER: plan.target(etl.name, 'warehouse').snowflakeUser!,
        SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN: 'true',
        ENTRA_TENANT_ID: this.node.tryGetContext('entraTenantId') ?? runtime.entraTenantId,
        ENTRA_CLIENT_ID: this.node.tryGetContext('entraClientId') ?? runtime.entraClientId,
      },
    });

    new CfnOutput(this, 'Subject', { value: this.role.subject, description: 'sub of every token this function mints' });
  }
}

/** The CDK app of this example; `cdk synth` at the repository root and `npm run synth` both build it here. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential or loose trust; writes keyless-report.json/.md into cdk.out.
  KeylessGuardrails.enable(app, guardrails);
  new OrdersEtlStack(app, 'OrdersEtl');
  return app;
}

if (require.main === module) {
  buildCdkApp().synth();
}
