import { FederationPlan, TargetKind, WorkloadCompute } from '../../lib'; // in your project: from 'cdk-keyless'

/**
 * The federation plan of this example, read by BOTH apps: the CDK app builds the Lambda's role and
 * token grants from it, the CDKTF app builds the Snowflake user and the Entra application that trust
 * that role. The role ARN and the issuer are computed here once, so the two sides cannot drift.
 *
 * The account and issuer are fixed example values so that `npm run synth` works offline. In your
 * project, use your account id and the issuer that `aws iam get-outbound-web-identity-federation-info`
 * prints once outbound identity federation is enabled (the `OutboundWebIdentityFederation` construct
 * of the CDK app enables it).
 */
export const plan = new FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws',
  workloads: [
    {
      name: 'orders-etl',
      roleName: 'orders-etl',
      rolePath: '/workloads/',
      compute: WorkloadCompute.LAMBDA,
      targets: [
        // Loads orders into Snowflake as a TYPE = SERVICE user that has no password and no key.
        { name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ORDERS_ETL_SVC' },
        // Reads the supplier directory from Microsoft Graph as an Entra application without a secret.
        { name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'orders-etl-graph' },
      ],
    },
  ],
});

/** The one workload of this example. */
export const etl = plan.workload('orders-etl');

/**
 * Where the workload runs and what it connects to: identifiers, not secrets. The Entra ids are outputs of
 * the CDKTF app (`entra_tenant_id`, `entra_client_id`); pass the real ones to the CDK app with
 * `cdk deploy -c entraTenantId=... -c entraClientId=...`.
 */
export const runtime = {
  region: 'eu-west-1',
  snowflakeAccount: 'ACME-ORDERS',
  snowflakeOrganization: 'ACME',
  snowflakeAccountName: 'ORDERS',
  entraTenantId: '00000000-0000-0000-0000-000000000000',
  entraClientId: '00000000-0000-0000-0000-000000000000',
} as const;
