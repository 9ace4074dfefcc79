import { KL_GCP_02 } from '../../../lib/guardrails/rules/kl-gcp-02-hmac-key';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-GCP-02 Cloud Storage HMAC key', () => {
  const sa = tf('google_service_account', 'etl', { account_id: 'etl-loader' });

  test('an HMAC key for ${google_service_account.etl.email}', () => {
    const key = tf('google_storage_hmac_key', 'etl', { service_account_email: '${google_service_account.etl.email}' });
    const hits = check(KL_GCP_02, key, setOf(sa, key));
    expect(hits).toEqual([expect.objectContaining({ identity: 'google_service_account.etl' })]);
    expect(hits[0].message).toMatch(/^google_storage_hmac_key\.etl creates a Cloud Storage HMAC key for google_service_account\.etl: its access id and secret sign Cloud Storage requests/);
  });

  test('an HMAC key for a literal email of an account outside the set keeps the email as identity', () => {
    const key = tf('google_storage_hmac_key', 'x', { service_account_email: 'uploader@media-project.iam.gserviceaccount.com' });
    expect(check(KL_GCP_02, key)[0].identity).toBe('uploader@media-project.iam.gserviceaccount.com');
  });

  test('a service account without HMAC keys is clean', () => {
    expect(checkSet(KL_GCP_02, setOf(sa))).toEqual([]);
  });
});
