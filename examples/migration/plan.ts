import * as path from 'path';
import { FederationPlan, TargetKind, WorkloadCompute } from '../../lib'; // in your project: from 'cdk-keyless'

/**
 * The federation plan of the replacement: the nightly orders sync runs as a Lambda role and logs in to
 * Snowflake with workload identity, so neither the IAM access key nor the Snowflake password of the
 * legacy stacks is needed any more.
 *
 * The account and issuer are fixed example values so that `npm run synth` works offline. In your
 * project, use your account id and the issuer that `aws iam get-outbound-web-identity-federation-info`
 * prints once outbound identity federation is enabled.
 */
export const plan = new FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws',
  workloads: [
    {
      name: 'orders-sync',
      roleName: 'orders-sync',
      rolePath: '/workloads/',
      compute: WorkloadCompute.LAMBDA,
      targets: [{ name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ORDERS_SYNC_SVC' }],
    },
  ],
});

/** The one workload of this example. */
export const sync = plan.workload('orders-sync');

/** Names the legacy stacks used; kept so the migration reads as a diff of the same job. */
export const LEGACY = {
  iamUserName: 'orders-sync',
  snowflakeUser: 'ORDERS_SYNC',
  /** The team that owns the legacy credentials (the IAM user's `owner` tag; the exemptions name it too). */
  owner: 'data-platform@acme.example',
} as const;

/**
 * The time-boxed exemptions of both legacy apps: one file, read by their guardrails and by
 * `keyless check --exemptions`. Each entry names the rule, the resource, why, who and until when.
 */
export const EXEMPTIONS = path.join(__dirname, 'exemptions.json');

/** The exemptions of the halfway (bridged) stage: the access key is retired, only the Snowflake password remains. */
export const BRIDGED_EXEMPTIONS = path.join(__dirname, 'bridged', 'exemptions.json');
