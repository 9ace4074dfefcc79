import { Rule } from '../model';
import { gcpServiceAccountKey } from '../policy/gcp';

/** KL-GCP-01: a Google Cloud service account key. */
export const KL_GCP_01: Rule = {
  id: 'KL-GCP-01',
  severity: 'error',
  category: 'credential',
  title: 'Google Cloud service account key',
  fix: 'Delete the key and let the workload federate: a workload identity pool with an OIDC provider trusting the AWS account\'s issuer (attribute_condition pinning the role ARN) and roles/iam.workloadIdentityUser on the service account for the role\'s principal:// member (GcpWorkloadIdentityPool builds both).',
  appliesTo: ['google_service_account_key'],
  reads: { google_service_account_key: ['service_account_id', 'public_key_data'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const identity = gcpServiceAccountKey(resource.properties.service_account_id, context);
    const what = resource.properties.public_key_data !== undefined
      ? 'uploads a public key: whoever holds the matching private key signs in as the service account'
      : 'creates a private key that signs in as the service account';
    return [{
      message: `${resource.address} ${what}${identity ? ` (${identity})` : ''} from anywhere until the key is deleted or expires, so it is a fallback path around workload identity federation. Fix: ${KL_GCP_01.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
