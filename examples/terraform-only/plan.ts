import { FederationPlan, TargetKind, WorkloadCompute } from '../../lib'; // in your project: from 'cdk-keyless'

/**
 * The federation plan of the all-Terraform example: one CDKTF app builds everything from it, the AWS side (the
 * account switch, the workload's role and its minting statements) and what trusts that role (a Snowflake service
 * user and an Entra application). The role ARN and the issuer are computed here once.
 *
 * The account and issuer are fixed example values so that `npm run synth` works offline. In your project, use your
 * account id and the issuer that `aws iam get-outbound-web-identity-federation-info` prints once outbound identity
 * federation is enabled (this app enables it; the apply fails if the account's issuer is not this one).
 */
export const plan = new FederationPlan({
  account: '444455556666',
  issuerUrl: 'https://9b1e2c3d-4f5a-4b6c-8d7e-0f1a2b3c4d5e.tokens.sts.global.api.aws',
  workloads: [
    {
      name: 'invoice-sync',
      roleName: 'invoice-sync',
      rolePath: '/workloads/',
      compute: WorkloadCompute.LAMBDA,
      targets: [
        // Writes invoices into Snowflake as a TYPE = SERVICE user that has no password and no key.
        { name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'INVOICE_SYNC_SVC' },
        // Reads the customer directory from Microsoft Graph as an Entra application without a secret.
        { name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'invoice-sync-graph' },
      ],
    },
  ],
});

/** The one workload of this example. */
export const invoiceSync = plan.workload('invoice-sync');

/** The repository whose `prod` environment runs `terraform apply` (the inbound OIDC role trusts only it). */
export const deployRepository = { owner: 'acme', repository: 'invoice-platform', environment: 'prod' } as const;
