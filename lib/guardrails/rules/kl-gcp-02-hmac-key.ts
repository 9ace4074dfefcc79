import { Rule } from '../model';
import { gcpServiceAccountKey } from '../policy/gcp';

/** KL-GCP-02: a Cloud Storage HMAC key. */
export const KL_GCP_02: Rule = {
  id: 'KL-GCP-02',
  severity: 'error',
  category: 'credential',
  title: 'Google Cloud Storage HMAC key',
  fix: 'Delete the HMAC key and call Cloud Storage with short-lived OAuth tokens of the service account, obtained through workload identity federation (a pool provider trusting the AWS account\'s issuer and roles/iam.workloadIdentityUser for the role\'s principal:// member).',
  appliesTo: ['google_storage_hmac_key'],
  reads: { google_storage_hmac_key: ['service_account_email'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const identity = gcpServiceAccountKey(resource.properties.service_account_email, context);
    return [{
      message: `${resource.address} creates a Cloud Storage HMAC key${identity ? ` for ${identity}` : ''}: its access id and secret sign Cloud Storage requests as the service account from anywhere until the key is deactivated and deleted, and Terraform keeps the secret in its state, so it is a fallback path around workload identity federation. Fix: ${KL_GCP_02.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
