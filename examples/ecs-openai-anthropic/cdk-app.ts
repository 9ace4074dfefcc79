import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { FederatedWorkloadRole, KeylessGuardrails, KeylessGuardrailsProps, OutboundWebIdentityFederation, TrustManifest } from '../../lib'; // in your project: from 'cdk-keyless'
import { assistant, plan, runtime } from './plan';

/** The support assistant: a Fargate task whose role mints one token for OpenAI and one for Anthropic. */
export class SupportAssistantStack extends Stack {
  public readonly role: FederatedWorkloadRole;
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: plan.account, region: runtime.region }, ...props });
    const context = (key: keyof typeof runtime): string => this.node.tryGetContext(key) ?? runtime[key];

    const federation = new OutboundWebIdentityFederation(this, 'OutboundFederation', { expectedIssuerUrl: plan.issuerUrl });
    this.role = FederatedWorkloadRole.fromPlan(this, 'TaskRole', plan, assistant.name, { federation });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: 'support-assistant',
      taskRole: this.role,
      cpu: 512,
      memoryLimitMiB: 1024,
    });
    this.taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(context('image')),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'support-assistant' }),
      environment: {
        // KEYLESS_OPENAI_* and KEYLESS_ANTHROPIC_*: audience, algorithm and lifetime of each token.
        ...this.role.tokenEnvironment(),
        // Ids from the vendor consoles (see the trust manifests), not secrets.
        OPENAI_IDENTITY_PROVIDER_ID: context('openaiIdentityProviderId'),
        OPENAI_SERVICE_ACCOUNT_ID: context('openaiServiceAccountId'),
        ANTHROPIC_ORGANIZATION_ID: context('anthropicOrganizationId'),
        ANTHROPIC_FEDERATION_RULE_ID: context('anthropicFederationRuleId'),
        ANTHROPIC_SERVICE_ACCOUNT_ID: context('anthropicServiceAccountId'),
        // The app writes each fresh STS token here; the Anthropic SDK re-reads the file on every exchange.
        ANTHROPIC_IDENTITY_TOKEN_FILE: '/tmp/keyless/anthropic-token',
      },
    });

    new CfnOutput(this, 'Subject', { value: this.role.subject, description: 'sub of every token this task mints' });
  }
}

/** The CDK app of this example; `npm run synth` builds it here. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential or loose trust; writes keyless-report.json/.md into cdk.out.
  KeylessGuardrails.enable(app, guardrails);
  new SupportAssistantStack(app, 'SupportAssistant');
  return app;
}

/**
 * Writes `<workload>-<target>.json` and `.md` for each OpenAI / Anthropic target of the plan into `dir`:
 * the exact values to register in each vendor's console. Returns the files written.
 */
export function writeTrustManifests(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return TrustManifest.fromPlan(plan).flatMap((manifest) => {
    const base = path.join(dir, manifest.fileBaseName);
    fs.writeFileSync(`${base}.json`, manifest.toJson());
    fs.writeFileSync(`${base}.md`, manifest.toMarkdown());
    return [`${base}.json`, `${base}.md`];
  });
}

if (require.main === module) {
  const app = buildCdkApp();
  app.synth();
  writeTrustManifests(path.join(app.outdir, 'trust-manifests'));
}
