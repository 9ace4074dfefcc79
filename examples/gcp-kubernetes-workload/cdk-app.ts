import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { FederatedWorkloadRole, KeylessGuardrails, KeylessGuardrailsProps, KubernetesAuthentication, OutboundWebIdentityFederation } from '../../lib'; // in your project: from 'cdk-keyless'
import { exporter, plan, runtime } from './plan';

/** The report exporter: a Fargate task whose role mints one token for Google Cloud and one for Kubernetes. */
export class ReportExporterStack extends Stack {
  public readonly role: FederatedWorkloadRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: plan.account, region: runtime.region }, ...props });
    const federation = new OutboundWebIdentityFederation(this, 'OutboundFederation', { expectedIssuerUrl: plan.issuerUrl });
    this.role = FederatedWorkloadRole.fromPlan(this, 'TaskRole', plan, exporter.name, { federation });

    const task = new ecs.FargateTaskDefinition(this, 'Task', { family: 'report-exporter', taskRole: this.role, cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(runtime.image),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'report-exporter' }),
      environment: {
        // KEYLESS_BIGQUERY_* and KEYLESS_CLUSTER_*: audience, algorithm and lifetime of each token.
        ...this.role.tokenEnvironment(),
        // The workload trades its BigQuery token at https://sts.googleapis.com/v1/token (audience: the pool
        // provider's resource name, the terraform app's output) and impersonates this service account.
        GOOGLE_SERVICE_ACCOUNT: exporter.targets.find((t) => t.name === 'bigquery')!.gcpServiceAccount!,
      },
    });
    new CfnOutput(this, 'Subject', { value: this.role.subject, description: 'sub of every token this task mints' });
  }
}

/** The CDK app of this example; `npm run synth` builds it here. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  KeylessGuardrails.enable(app, guardrails);
  new ReportExporterStack(app, 'ReportExporter');
  return app;
}

/**
 * Writes the cluster side into `dir`: `authentication-config.yaml` (kube-apiserver `--authentication-config`),
 * `rbac.yaml` (`kubectl apply -f`) and `kubernetes-trust.md` for the cluster administrator. Returns the files.
 */
export function writeKubernetesTrust(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const auth = KubernetesAuthentication.fromPlan(plan);
  const files: [string, string][] = [
    ['authentication-config.yaml', auth.toYaml()],
    ['rbac.yaml', auth.rbacYaml()],
    ['kubernetes-trust.md', auth.toMarkdown()],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}

if (require.main === module) {
  const app = buildCdkApp();
  app.synth();
  writeKubernetesTrust(path.join(app.outdir, 'kubernetes'));
}
