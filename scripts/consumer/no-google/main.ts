// A consumer WITHOUT the optional peer @cdktf/provider-google (scripts/consumer-test.sh makes it unresolvable here):
// the package's types must still check with skipLibCheck off, GcpWorkloadIdentityPool included, because its public
// members are typed with cdktf's TerraformResource, not with the provider's classes.
import { App, TerraformResource, TerraformStack } from 'cdktf';
import { FederationPlan, GcpWorkloadIdentityPool, KubernetesAuthentication, TargetKind } from 'cdk-keyless';

export const plan = new FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws',
  workloads: [{
    name: 'exporter',
    roleName: 'exporter',
    targets: [
      { name: 'bigquery', kind: TargetKind.GCP, audience: 'https://iam.googleapis.com/aws-workloads', gcpServiceAccount: 'exporter@analytics-prod.iam.gserviceaccount.com' },
      { name: 'cluster', kind: TargetKind.KUBERNETES, audience: 'https://kubernetes.acme.example', kubernetesClusterRole: 'view' },
    ],
  }],
});

/** Builds a pool (at run time this needs the peer and fails without it, with the rule gcp.provider-package). */
export function buildPool(): TerraformResource[] {
  const pool = GcpWorkloadIdentityPool.fromPlan(new TerraformStack(new App(), 'gcp'), 'Pool', plan, { poolId: 'aws-workloads' });
  const grant: TerraformResource = pool.grantImpersonation('exporter@analytics-prod.iam.gserviceaccount.com', plan.workloads[0].roleArn);
  return [pool.pool, pool.identityProvider, grant];
}

export const clusterFile: string = KubernetesAuthentication.fromPlan(plan).toYaml();
