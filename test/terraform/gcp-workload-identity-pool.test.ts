import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { FederationPlan } from '../../lib/core/plan';
import { TargetKind } from '../../lib/core/target';
import { GcpWorkloadIdentityPool } from '../../lib/terraform/google/workload-identity-pool';
import { errorOf } from '../support/validation-error';
import { ACCOUNT, expectKeylessError, expectNoResources, ISSUER, only, resourcesOf, synth } from './support/harness';

const ARN = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;

function gcpStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'Keyless');
  new GoogleProvider(stack, 'google', { project: 'data-platform' });
  return stack;
}

function gcpPlan(): FederationPlan {
  return new FederationPlan({
    account: ACCOUNT,
    issuerUrl: ISSUER,
    workloads: [
      {
        name: 'etl', roleName: 'etl-role', rolePath: '/workloads/',
        targets: [{ name: 'bigquery', kind: TargetKind.GCP, audience: 'https://gcp.example.com/etl', gcpServiceAccount: 'etl-loader@data-platform.iam.gserviceaccount.com' }],
      },
      { name: 'reports', roleName: 'reports-role', targets: [{ name: 'gcs', kind: TargetKind.GCP, audience: 'https://gcp.example.com/etl' }] },
      { name: 'other', roleName: 'other-role', targets: [{ name: 'llm', kind: TargetKind.OPENAI }] },
    ],
  });
}

describe('GcpWorkloadIdentityPool.fromPlan', () => {
  test('an OIDC provider that trusts exactly the account issuer, the plan audience and the GCP roles', () => {
    const stack = gcpStack();
    const pool = GcpWorkloadIdentityPool.fromPlan(stack, 'Gcp', gcpPlan(), { poolId: 'aws-workloads' });
    const json = synth(stack);
    const [poolId, poolConfig] = resourcesOf(json, 'google_iam_workload_identity_pool')[0];
    expect(poolConfig.workload_identity_pool_id).toBe('aws-workloads');
    const provider = only(json, 'google_iam_workload_identity_pool_provider');
    expect(provider).toEqual({
      workload_identity_pool_id: `\${google_iam_workload_identity_pool.${poolId}.workload_identity_pool_id}`,
      workload_identity_pool_provider_id: `aws-${ACCOUNT}`,
      description: `cdk-keyless: AWS outbound identity federation, issuer ${ISSUER}`,
      attribute_mapping: { 'google.subject': 'assertion.sub' },
      attribute_condition: `assertion.sub in ['${ARN('etl-role', '/workloads/')}', '${ARN('reports-role')}']`,
      oidc: { issuer_uri: ISSUER, allowed_audiences: ['https://gcp.example.com/etl'] },
    });
    // No `aws` block: Google's AWS type verifies signed GetCallerIdentity requests, not these JWTs.
    expect(provider.aws).toBeUndefined();
    expect(pool.roleArns).toEqual([ARN('etl-role', '/workloads/'), ARN('reports-role')]);
    expect(JSON.stringify(json)).not.toContain('other-role');
  });

  test('the target naming a service account gets roles/iam.workloadIdentityUser for its principal:// member only', () => {
    const stack = gcpStack();
    GcpWorkloadIdentityPool.fromPlan(stack, 'Gcp', gcpPlan(), { poolId: 'aws-workloads' });
    const json = synth(stack);
    const [poolId] = resourcesOf(json, 'google_iam_workload_identity_pool')[0];
    expect(only(json, 'google_service_account_iam_member')).toEqual({
      service_account_id: 'projects/data-platform/serviceAccounts/etl-loader@data-platform.iam.gserviceaccount.com',
      role: 'roles/iam.workloadIdentityUser',
      member: `principal://iam.googleapis.com/\${google_iam_workload_identity_pool.${poolId}.name}/subject/${ARN('etl-role', '/workloads/')}`,
    });
  });

  test('a plan without a GCP target is refused', () => {
    const stack = gcpStack();
    const plan = new FederationPlan({ account: ACCOUNT, issuerUrl: ISSUER, workloads: [{ name: 'w', roleName: 'r', targets: [{ name: 'llm', kind: TargetKind.OPENAI }] }] });
    expectKeylessError(() => GcpWorkloadIdentityPool.fromPlan(stack, 'Gcp', plan, { poolId: 'aws-workloads' }), { rule: 'gcp.target-in-plan', property: 'plan', path: 'Keyless/Gcp' });
    expectNoResources(stack);
  });
});

describe('GcpWorkloadIdentityPool', () => {
  const base = { poolId: 'aws-pool', providerId: 'aws-prov', issuerUrl: ISSUER, audiences: ['https://gcp.example.com/etl'], roleArns: [ARN('etl')] };

  test('one role: an equality condition', () => {
    expect(GcpWorkloadIdentityPool.attributeConditionFor([ARN('etl')])).toBe(`assertion.sub == '${ARN('etl')}'`);
    const stack = gcpStack();
    new GcpWorkloadIdentityPool(stack, 'P', base);
    expect(only(synth(stack), 'google_iam_workload_identity_pool_provider').attribute_condition).toBe(`assertion.sub == '${ARN('etl')}'`);
  });

  test('principalFor names the pool member of an admitted role and refuses any other role', () => {
    const stack = gcpStack();
    const pool = new GcpWorkloadIdentityPool(stack, 'P', base);
    new TerraformOutput(stack, 'member', { value: pool.principalFor(ARN('etl')) });
    expect(synth(stack).output.member.value).toMatch(/^principal:\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool\.[A-Za-z0-9_]+\.name\}\/subject\/arn:aws:iam::111122223333:role\/etl$/);
    expectKeylessError(() => pool.principalFor(ARN('admin')), { rule: 'gcp.role-admitted', property: 'roleArn', path: 'Keyless/P' });
  });

  test('the same impersonation grant twice is one resource', () => {
    const stack = gcpStack();
    const pool = new GcpWorkloadIdentityPool(stack, 'P', base);
    const a = pool.grantImpersonation('etl-loader@data-platform.iam.gserviceaccount.com', ARN('etl'));
    expect(pool.grantImpersonation('etl-loader@data-platform.iam.gserviceaccount.com', ARN('etl'))).toBe(a);
    expect(resourcesOf(synth(stack), 'google_service_account_iam_member')).toHaveLength(1);
    expectKeylessError(() => pool.grantImpersonation('not-an-email', ARN('etl')), { rule: 'target.gcp-service-account', property: 'serviceAccountEmail', path: 'Keyless/P' });
  });

  test.each([
    ['a role ARN over 127 bytes', { roleArns: [ARN('r', `/${'p'.repeat(100)}/`)] }, 'roleArns[0]', 'target.gcp-subject-length'],
    ['an assumed-role session ARN', { roleArns: [`arn:aws:sts::${ACCOUNT}:assumed-role/etl/session`] }, 'roleArns[0]', 'role-arn.format'],
    ['no role', { roleArns: [] }, 'roleArns', 'gcp.roles'],
    ['no audience', { audiences: [] }, 'audiences', 'gcp.audiences'],
    ['eleven audiences', { audiences: Array.from({ length: 11 }, (_, i) => `aud-${i}`) }, 'audiences', 'gcp.audiences'],
    ['an audience over 256 characters', { audiences: ['a'.repeat(257)] }, 'audiences[0]', 'gcp.audience-length'],
    ['an issuer with a trailing slash', { issuerUrl: `${ISSUER}/` }, 'issuerUrl', 'issuer.trailing-slash'],
    ['a pool id with the reserved prefix', { poolId: 'gcp-pool' }, 'poolId', 'gcp.id'],
    ['a provider id with capitals', { providerId: 'AWS-Prov' }, 'providerId', 'gcp.id'],
    ['a display name over 32 characters', { displayName: 'x'.repeat(33) }, 'displayName', 'gcp.display-name'],
  ])('refuses %s, naming the property and rule, and builds nothing', (_, override, property, rule) => {
    const stack = gcpStack();
    expectKeylessError(() => new GcpWorkloadIdentityPool(stack, 'P', { ...base, ...override }), { rule, property, path: 'Keyless/P' });
    expectNoResources(stack);
  });

  test('a 127-byte role ARN is accepted (the limit is inclusive)', () => {
    const prefix = `arn:aws:iam::${ACCOUNT}:role/`;
    const arn = `${prefix}${'p'.repeat(127 - prefix.length - 2)}/r`;
    expect(arn).toHaveLength(127);
    const stack = gcpStack();
    expect(() => new GcpWorkloadIdentityPool(stack, 'P', { ...base, roleArns: [arn] })).not.toThrow();
  });

  test('a condition over 4096 characters is refused with the number of roles', () => {
    const roles = Array.from({ length: 60 }, (_, i) => ARN(`workload-role-with-a-long-name-${i}`, '/team/'));
    const e = errorOf(() => new GcpWorkloadIdentityPool(gcpStack(), 'P', { ...base, roleArns: roles }));
    expect(e.rule).toBe('gcp.condition-length');
    expect(e.reason).toContain('these 60 roles');
  });

  test('the issuer and role ARNs cannot be tokens; the pool id can (with a warning)', () => {
    const stack = gcpStack();
    const v = new TerraformVariable(stack, 'v', { type: 'string' });
    expectKeylessError(() => new GcpWorkloadIdentityPool(stack, 'A', { ...base, issuerUrl: v.stringValue }), { rule: 'keyless.token', property: 'issuerUrl', path: 'Keyless/A' });
    expectKeylessError(() => new GcpWorkloadIdentityPool(stack, 'B', { ...base, roleArns: [v.stringValue] }), { rule: 'keyless.token', property: 'roleArns[0]', path: 'Keyless/B' });
    const ok = new GcpWorkloadIdentityPool(stack, 'C', { ...base, poolId: v.stringValue });
    expect(ok.node.metadata.map((m) => m.data)).toContain('cdk-keyless could not check poolId at synth time because they are tokens; resolve them to literals to have them validated');
  });
});
