import { analysisContext } from '../../../lib/guardrails/analysis';
import { federatedIdentities } from '../../../lib/guardrails/identities';
import { KL_GCP_01 } from '../../../lib/guardrails/rules/kl-gcp-01-service-account-key';
import { check, checkSet, setOf, tf, tfData } from './helpers';

describe('KL-GCP-01 Google Cloud service account key', () => {
  const sa = tf('google_service_account', 'etl', { account_id: 'etl-loader', project: 'data-platform' });

  test.each(['name', 'email', 'id', 'unique_id'])('a key on ${google_service_account.etl.%s} belongs to the account', (attribute) => {
    const key = tf('google_service_account_key', 'etl', { service_account_id: `\${google_service_account.etl.${attribute}}` });
    const hits = check(KL_GCP_01, key, setOf(sa, key));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('google_service_account.etl');
    expect(hits[0].message).toMatch(/^google_service_account_key\.etl creates a private key that signs in as the service account \(google_service_account\.etl\) from anywhere/);
    expect(hits[0].message).toContain('Fix: Delete the key');
  });

  test('a literal email (or projects/P/serviceAccounts/EMAIL) matching the account in the set resolves to it; another stays an email', () => {
    for (const written of ['etl-loader@data-platform.iam.gserviceaccount.com', 'projects/-/serviceAccounts/etl-loader@data-platform.iam.gserviceaccount.com']) {
      const key = tf('google_service_account_key', 'k', { service_account_id: written });
      expect(check(KL_GCP_01, key, setOf(sa, key))[0].identity).toBe('google_service_account.etl');
    }
    const other = tf('google_service_account_key', 'k', { service_account_id: 'Reports-Job@other-project.iam.gserviceaccount.com' });
    expect(check(KL_GCP_01, other)[0].identity).toBe('reports-job@other-project.iam.gserviceaccount.com');
  });

  test('an uploaded public key is flagged too, with its own wording', () => {
    const key = tf('google_service_account_key', 'uploaded', { service_account_id: '${google_service_account.etl.name}', public_key_data: '${filebase64("key.pem")}' });
    expect(check(KL_GCP_01, key, setOf(sa, key))[0].message).toContain('uploads a public key: whoever holds the matching private key signs in as the service account');
  });

  test('a data source reading a key, and a service account without keys, are clean', () => {
    expect(checkSet(KL_GCP_01, setOf(sa, tfData('google_service_account_key', 'k', { name: 'x' })))).toEqual([]);
  });

  test('the account is federated when a pool member holds roles/iam.workloadIdentityUser on it (member, binding, policy)', () => {
    const member = tf('google_service_account_iam_member', 'wif', {
      service_account_id: '${google_service_account.etl.name}', role: 'roles/iam.workloadIdentityUser',
      member: 'principal://iam.googleapis.com/${google_iam_workload_identity_pool.aws.name}/subject/arn:aws:iam::111122223333:role/etl',
    });
    expect([...federatedIdentities(analysisContext(setOf(sa, member))).keys()]).toEqual(['google_service_account.etl']);
    const binding = tf('google_service_account_iam_binding', 'wif', {
      service_account_id: 'projects/data-platform/serviceAccounts/etl-loader@data-platform.iam.gserviceaccount.com', role: 'roles/iam.workloadIdentityUser',
      members: ['principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws/attribute.aws_role/x'],
    });
    expect([...federatedIdentities(analysisContext(setOf(sa, binding))).keys()]).toEqual(['google_service_account.etl']);
    const policyDoc = tfData('google_iam_policy', 'wif', { binding: [{ role: 'roles/iam.workloadIdentityUser', members: ['principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/s'] }] });
    const policy = tf('google_service_account_iam_policy', 'wif', { service_account_id: '${google_service_account.etl.name}', policy_data: '${data.google_iam_policy.wif.policy_data}' });
    expect([...federatedIdentities(analysisContext(setOf(sa, policyDoc, policy))).keys()]).toEqual(['google_service_account.etl']);
  });

  test('another role, a user member or a workforce (people) pool member does not federate the account', () => {
    const grants = [
      tf('google_service_account_iam_member', 'a', { service_account_id: '${google_service_account.etl.name}', role: 'roles/iam.serviceAccountUser', member: 'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/s' }),
      tf('google_service_account_iam_member', 'b', { service_account_id: '${google_service_account.etl.name}', role: 'roles/iam.workloadIdentityUser', member: 'user:alice@example.com' }),
      tf('google_service_account_iam_member', 'c', { service_account_id: '${google_service_account.etl.name}', role: 'roles/iam.workloadIdentityUser', member: 'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice' }),
    ];
    expect(federatedIdentities(analysisContext(setOf(sa, ...grants))).size).toBe(0);
  });
});
