import { FederationPlan, TargetKind, WorkloadCompute } from '../../lib'; // in your project: from 'cdk-keyless'

/**
 * The federation plan of this example: one ECS service that exports reports to BigQuery on Google Cloud and
 * publishes them to a Kubernetes cluster. Neither side holds a key: Google trusts the account's issuer through a
 * workload identity pool, and kube-apiserver through a structured authentication configuration.
 *
 * The account and issuer are fixed example values so that `npm run synth` works offline.
 */
export const plan = new FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.tokens.sts.global.api.aws',
  workloads: [
    {
      name: 'report-exporter',
      roleName: 'report-exporter',
      rolePath: '/workloads/',
      compute: WorkloadCompute.ECS_TASK,
      targets: [
        {
          name: 'bigquery',
          kind: TargetKind.GCP,
          // Any value works as long as the pool provider allows it; the plan keeps both sides in step.
          audience: 'https://iam.googleapis.com/aws-workloads',
          gcpServiceAccount: 'report-exporter@analytics-prod.iam.gserviceaccount.com',
        },
        {
          name: 'cluster',
          kind: TargetKind.KUBERNETES,
          audience: 'https://kubernetes.reports.acme.example',
          kubernetesClusterRole: 'edit',
          kubernetesNamespace: 'reports',
        },
      ],
    },
  ],
});

/** The one workload of this example. */
export const exporter = plan.workload('report-exporter');

/** Where things run; ids, not secrets. */
export const runtime = {
  region: 'eu-west-1',
  image: 'public.ecr.aws/acme/report-exporter:2.0.0',
  gcpProject: 'analytics-prod',
  gcpPoolId: 'aws-workloads',
} as const;
