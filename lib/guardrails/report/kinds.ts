/**
 * Which kind of long-lived credential a credential rule's finding is about, and how the scoreboard names it.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { CredentialKind } from './model';

const KIND_OF_RULE: Readonly<Record<string, CredentialKind>> = {
  'KL-AWS-01': 'iam-access-key',
  'KL-AWS-02': 'iam-console-password',
  'KL-AWS-03': 'iam-user-credential',
  'KL-AWS-05': 'static-credential-in-compute',
  'KL-AWS-06': 'secret-literal',
  'KL-SF-01': 'snowflake-password',
  'KL-SF-02': 'snowflake-key-pair',
  'KL-SF-03': 'snowflake-pat',
  'KL-SF-04': 'snowflake-legacy-service-user',
  // SQL sets a password, a key or a PAT; the statement says which, the rule does not.
  'KL-SF-06': 'other',
  'KL-SF-07': 'snowflake-provider-login',
  'KL-AZ-01': 'entra-secret',
  'KL-AZ-02': 'entra-secret',
  'KL-AZ-03': 'entra-certificate',
  'KL-AZ-04': 'entra-provider-login',
  'KL-GCP-01': 'gcp-service-account-key',
  'KL-GCP-02': 'gcp-hmac-key',
};

/** People-readable names of the kinds, for tables and chart legends. */
export const CREDENTIAL_KIND_LABELS: Readonly<Record<CredentialKind, string>> = {
  'iam-access-key': 'IAM access key',
  'iam-console-password': 'IAM console password',
  'iam-user-credential': 'IAM user credential (service-specific, SSH, signing)',
  'static-credential-in-compute': 'static credential in compute',
  'secret-literal': 'secret literal in a secret store',
  'snowflake-password': 'Snowflake password',
  'snowflake-key-pair': 'Snowflake key pair',
  'snowflake-pat': 'Snowflake PAT',
  'snowflake-legacy-service-user': 'Snowflake legacy service user',
  'snowflake-provider-login': 'Snowflake provider login',
  'entra-secret': 'Entra client secret',
  'entra-certificate': 'Entra certificate',
  'entra-provider-login': 'Entra provider login',
  'gcp-service-account-key': 'Google service account key',
  'gcp-hmac-key': 'Google HMAC key',
  'other': 'other credential',
};

/** The kind of credential a credential rule's finding is about (`other` for a rule id it does not know). */
export function credentialKindOf(ruleId: string): CredentialKind {
  return KIND_OF_RULE[ruleId] ?? 'other';
}
