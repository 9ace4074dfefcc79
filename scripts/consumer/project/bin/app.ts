// A CDK app as a user writes it against the installed package: `cdk synth` runs it through
// `npx ts-node --prefer-ts-exts bin/app.ts` (cdk.json), so it is type-checked against the shipped .d.ts.
import { App, CfnOutput, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  FederatedWorkloadRole,
  KeylessGuardrails,
  OidcTrustRole,
  OutboundWebIdentityFederation,
  SigningAlgorithm,
  SubjectFilter,
  TokenRequest,
} from 'cdk-keyless';
import { KeylessValidationError } from 'cdk-keyless/lib/core/errors';
import { etl, plan, region } from '../plan';

export class OrdersEtlStack extends Stack {
  public readonly role: FederatedWorkloadRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: plan.account, region }, ...props });

    const federation = new OutboundWebIdentityFederation(this, 'OutboundFederation', { expectedIssuerUrl: plan.issuerUrl });
    this.role = FederatedWorkloadRole.fromPlan(this, 'Role', plan, etl.name, { federation });

    const warehouse: TokenRequest = this.role.tokenRequest('warehouse');
    if (warehouse.signingAlgorithm !== SigningAlgorithm.ES384) {
      throw new Error(`expected the Snowflake token to be ES384, got ${warehouse.signingAlgorithm}`);
    }

    new lambda.Function(this, 'Function', {
      functionName: 'orders-etl',
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n    return {}\n'),
      role: this.role,
      timeout: Duration.minutes(5),
      environment: {
        ...this.role.tokenEnvironment(),
        SNOWFLAKE_USER: plan.target(etl.name, 'warehouse').snowflakeUser ?? '',
      },
    });

    // Inbound side: the deploy pipeline assumes a role through GitHub's OIDC provider, audience and subject pinned.
    OidcTrustRole.forGitHubActions(this, 'Deploy', {
      subjects: [SubjectFilter.gitHubEnvironment('acme', 'orders-service', 'production')],
    });

    new CfnOutput(this, 'Subject', { value: this.role.subject });
  }
}

// A bad value is refused with a typed error (the README's import path for TypeScript users).
try {
  SubjectFilter.pattern('repo:*');
  throw new Error('SubjectFilter.pattern("repo:*") was accepted');
} catch (e) {
  if (!(e instanceof KeylessValidationError) || e.rule !== 'subject.wildcard') {
    throw e;
  }
}

const app = new App();
Validations.of(app).addPlugins(new KeylessGuardrails());
new OrdersEtlStack(app, 'OrdersEtl');
app.synth();
