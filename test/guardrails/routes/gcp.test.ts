/**
 * KL-GCP-01..03 through every route that applies (Terraform only): raw google provider classes, escape hatches on
 * cdk-keyless's own clean GcpWorkloadIdentityPool, HCL and Terraform JSON through the CLI; clean neighbours not flagged.
 */
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { StorageHmacKey } from '@cdktf/provider-google/lib/storage-hmac-key';
import { App, TerraformStack } from 'cdktf';
import { FederationPlan } from '../../../lib/core/plan';
import { TargetKind } from '../../../lib/core/target';
import { GcpWorkloadIdentityPool } from '../../../lib/terraform';
import { ACCOUNT, anyInCase, cdktfRoutes, hclRoutes, inCase, ISSUER, ROLE_ARN, RouteResult } from './harness';

const SA_EMAIL = 'etl-loader@data-platform.iam.gserviceaccount.com';

let tf: RouteResult;
let hcl: RouteResult;

function gcpStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new GoogleProvider(stack, 'google', { project: 'data-platform' });
  return stack;
}

/** The service account and a pool that lets the ETL role impersonate it. */
function federated(stack: TerraformStack): { account: ServiceAccount; pool: GcpWorkloadIdentityPool } {
  const account = new ServiceAccount(stack, 'etl', { accountId: 'etl-loader', project: 'data-platform' });
  const pool = new GcpWorkloadIdentityPool(stack, 'Pool', { poolId: 'aws-workloads', providerId: `aws-${ACCOUNT}`, issuerUrl: ISSUER, audiences: ['https://gcp.example.com/etl'], roleArns: [ROLE_ARN] });
  pool.grantImpersonation(SA_EMAIL, ROLE_ARN);
  return { account, pool };
}

beforeAll(async () => {
  tf = cdktfRoutes((app) => {
    // KL-GCP-01
    const s1 = gcpStack(app, 'gcp01-raw');
    new ServiceAccountKey(s1, 'key', { serviceAccountId: new ServiceAccount(s1, 'ci', { accountId: 'ci-deployer' }).name });
    const h1 = gcpStack(app, 'gcp01-hatch');
    new ServiceAccountKey(h1, 'key', { serviceAccountId: federated(h1).account.name });
    // KL-GCP-02
    const s2 = gcpStack(app, 'gcp02-raw');
    new StorageHmacKey(s2, 'hmac', { serviceAccountEmail: new ServiceAccount(s2, 'uploader', { accountId: 'media-uploader' }).email });
    const h2 = gcpStack(app, 'gcp02-hatch');
    h2.addOverride('resource.google_storage_hmac_key.sneaky', { service_account_email: federated(h2).account.email });
    // KL-GCP-03
    new IamWorkloadIdentityPoolProvider(gcpStack(app, 'gcp03-raw'), 'aws', { workloadIdentityPoolId: 'aws', workloadIdentityPoolProviderId: 'legacy', aws: { accountId: ACCOUNT } });
    federated(gcpStack(app, 'gcp03-hatch')).pool.identityProvider.addOverride('attribute_condition', `assertion.sub.startsWith('arn:aws:iam::${ACCOUNT}:role/')`);
    // clean: the paved road from a plan
    const plan = new FederationPlan({
      account: ACCOUNT, issuerUrl: ISSUER,
      workloads: [{ name: 'etl', roleName: 'etl-role', rolePath: '/workloads/', targets: [{ name: 'bq', kind: TargetKind.GCP, audience: 'https://gcp.example.com/etl', gcpServiceAccount: SA_EMAIL }] }],
    });
    const clean = gcpStack(app, 'gcp-clean');
    new ServiceAccount(clean, 'etl', { accountId: 'etl-loader', project: 'data-platform' });
    GcpWorkloadIdentityPool.fromPlan(clean, 'Pool', plan, { poolId: 'aws-workloads' });
  }, {
    exemptions: [
      { ruleId: 'KL-GCP-01', resource: 'gcp01-raw/key', justification: 'the on-premises uploader reads the key until it moves to WIF', owner: 'data@example.com', expires: '2099-01-01' },
      { ruleId: 'KL-GCP-01', resource: 'gcp01-hatch/key', justification: 'the on-premises uploader reads the key until it moves to WIF', owner: 'data@example.com', expires: '2099-01-01' },
    ],
  });

  const member = `principal://iam.googleapis.com/\${google_iam_workload_identity_pool.aws.name}/subject/${ROLE_ARN}`;
  hcl = await hclRoutes({
    'gcp01/main.tf': `resource "google_service_account" "etl" {\n  account_id = "etl-loader"\n}\nresource "google_service_account_iam_member" "wif" {\n  service_account_id = google_service_account.etl.name\n  role               = "roles/iam.workloadIdentityUser"\n  member             = "${member}"\n}\nresource "google_service_account_key" "etl" {\n  service_account_id = google_service_account.etl.name\n}\n`,
    'gcp02/main.tf': 'resource "google_storage_hmac_key" "uploader" {\n  service_account_email = var.uploader_email\n}\n',
    'gcp03/main.tf': `resource "google_iam_workload_identity_pool_provider" "legacy" {\n  workload_identity_pool_id          = "aws"\n  workload_identity_pool_provider_id = "legacy"\n  aws {\n    account_id = "${ACCOUNT}"\n  }\n}\nresource "google_iam_workload_identity_pool_provider" "oidc" {\n  workload_identity_pool_id          = "aws"\n  workload_identity_pool_provider_id = "oidc"\n  attribute_mapping = {\n    "google.subject" = "assertion.sub"\n  }\n  attribute_condition = "true"\n  oidc {\n    issuer_uri = "${ISSUER}"\n  }\n}\n`,
    'gcp-json/main.tf.json': JSON.stringify({
      resource: {
        google_service_account: { ci: { account_id: 'ci-deployer' } },
        google_service_account_key: { ci: { service_account_id: '${google_service_account.ci.name}' } },
        google_storage_hmac_key: { ci: { service_account_email: '${google_service_account.ci.email}' } },
        google_iam_workload_identity_pool_provider: { aws: { workload_identity_pool_id: 'aws', workload_identity_pool_provider_id: 'aws', attribute_mapping: { 'google.subject': 'assertion.sub' }, oidc: { issuer_uri: ISSUER } } },
      },
    }),
    'gcp-clean/main.tf': `resource "google_iam_workload_identity_pool_provider" "aws" {\n  workload_identity_pool_id          = "aws"\n  workload_identity_pool_provider_id = "aws"\n  attribute_mapping = {\n    "google.subject" = "assertion.sub"\n  }\n  attribute_condition = "assertion.sub == '${ROLE_ARN}'"\n  oidc {\n    issuer_uri        = "${ISSUER}"\n    allowed_audiences = ["https://gcp.example.com/etl"]\n  }\n}\nresource "google_service_account_iam_member" "wif" {\n  service_account_id = "projects/data-platform/serviceAccounts/${SA_EMAIL}"\n  role               = "roles/iam.workloadIdentityUser"\n  member             = "${member}"\n}\n`,
  });
}, 60_000);

describe('KL-GCP-01 Google Cloud service account key', () => {
  test('raw google_service_account_key: exempted (active), a warning naming the account', () => {
    expect(inCase(tf, 'KL-GCP-01', 'gcp01-raw').map((h) => [h.resource, h.severity])).toEqual([['google_service_account_key.key', 'warning']]);
    expect(inCase(tf, 'KL-GCP-01', 'gcp01-raw')[0].message).toContain('(google_service_account.ci)');
    expect(tf.errors['gcp01-raw']).toBeUndefined();
  });

  test('a key on the service account a pool may impersonate: an error naming both, the exemption refused', () => {
    const [hit] = inCase(tf, 'KL-GCP-01', 'gcp01-hatch');
    expect(hit.severity).toBe('error');
    expect(hit.constructPath).toBe('gcp01-hatch/key');
    expect(hit.message).toContain('google_service_account.etl is federated (roles/iam.workloadIdentityUser for "principal://iam.googleapis.com/');
    expect(hit.message).toContain('The exemption for it is refused');
    expect(tf.errors['gcp01-hatch']).toContain('[KL-GCP-01]');
  });

  test('HCL: a key next to the pool grant is an unexemptable error', () => {
    const [hit] = inCase(hcl, 'KL-GCP-01', 'gcp01');
    expect([hit.resource, hit.severity]).toEqual(['google_service_account_key.etl', 'error']);
    expect(hit.message).toContain('google_service_account.etl is federated');
  });
});

describe('KL-GCP-02 Cloud Storage HMAC key', () => {
  test('raw google_storage_hmac_key', () => {
    expect(inCase(tf, 'KL-GCP-02', 'gcp02-raw').map((h) => [h.resource, h.severity])).toEqual([['google_storage_hmac_key.hmac', 'error']]);
  });

  test('a stack-level override adding one for the federated service account names the federation', () => {
    const [hit] = inCase(tf, 'KL-GCP-02', 'gcp02-hatch');
    expect(hit.resource).toBe('google_storage_hmac_key.sneaky');
    expect(hit.message).toContain('is federated');
  });

  test('HCL: a variable email is still a key', () => {
    expect(inCase(hcl, 'KL-GCP-02', 'gcp02').map((h) => h.resource)).toEqual(['google_storage_hmac_key.uploader']);
  });
});

describe('KL-GCP-03 pool provider condition', () => {
  test("raw provider of Google's aws type without a condition", () => {
    const [hit] = inCase(tf, 'KL-GCP-03', 'gcp03-raw');
    expect(hit.message).toContain('has no attribute_condition: every IAM role and user of the AWS account');
  });

  test('an override widening the condition of the paved-road pool to a prefix', () => {
    const [hit] = inCase(tf, 'KL-GCP-03', 'gcp03-hatch');
    expect(hit.constructPath).toBe('gcp03-hatch/Pool/Provider');
    expect(hit.message).toContain('admits any AWS role it does not name');
  });

  test('HCL: both the aws type without condition and an OIDC provider with "true"', () => {
    expect(inCase(hcl, 'KL-GCP-03', 'gcp03').map((h) => h.resource).sort()).toEqual(['google_iam_workload_identity_pool_provider.legacy', 'google_iam_workload_identity_pool_provider.oidc']);
  });
});

describe('routes together', () => {
  test('Terraform JSON through the CLI: key, HMAC key and an unconditioned provider', () => {
    expect(anyInCase(hcl, 'gcp-json').map((h) => [h.ruleId, h.resource]).sort()).toEqual([
      ['KL-GCP-01', 'google_service_account_key.ci'],
      ['KL-GCP-02', 'google_storage_hmac_key.ci'],
      ['KL-GCP-03', 'google_iam_workload_identity_pool_provider.aws'],
    ]);
  });

  test('clean neighbours: the plan-built pool (cdktf) and a pinned provider with its grant (HCL)', () => {
    expect(anyInCase(tf, 'gcp-clean')).toEqual([]);
    expect(tf.errors['gcp-clean']).toBeUndefined();
    expect(anyInCase(hcl, 'gcp-clean')).toEqual([]);
  });
});
