import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GcpWorkloadIdentityPool, KeylessGuardrailsProps, KeylessTerraformGuardrails } from '../../lib'; // in your project: from 'cdk-keyless'
import { plan, runtime } from './plan';

/**
 * What trusts the exporter on Google Cloud: its service account (no key) and a workload identity pool whose OIDC
 * provider trusts exactly the account issuer, the plan's audience and the exporter's role ARN.
 */
export class ReportExporterGcpStack extends TerraformStack {
  public readonly pool: GcpWorkloadIdentityPool;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Terraform itself runs with Application Default Credentials of the deploy pipeline (federated, no key file).
    new GoogleProvider(this, 'google', { project: runtime.gcpProject });
    new ServiceAccount(this, 'Exporter', { accountId: 'report-exporter', displayName: 'report exporter (AWS, federated)' });
    this.pool = GcpWorkloadIdentityPool.fromPlan(this, 'AwsWorkloads', plan, { poolId: runtime.gcpPoolId, displayName: 'AWS workloads' });
    // The audience of the workload's token exchange at https://sts.googleapis.com/v1/token.
    new TerraformOutput(this, 'sts_audience', { value: this.pool.stsAudience });
  }
}

/** The CDKTF app of this example; `npm run synth` builds it here, no cdktf CLI needed. */
export function buildTerraformApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  KeylessTerraformGuardrails.enable(app, guardrails);
  new ReportExporterGcpStack(app, 'report-exporter-gcp');
  return app;
}

if (require.main === module) {
  buildTerraformApp().synth();
}
