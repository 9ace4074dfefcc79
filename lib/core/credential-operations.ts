/**
 * The API operations the organization guardrails deny and detect, as plain data shared by the aws-cdk-lib
 * constructs (SCP actions, CloudTrail event names) and the inventory report's reading of them. No CDK imports.
 */

/**
 * The IAM operations that create a long-lived credential, one list for the SCP (as IAM actions) and for the
 * detection rules (as CloudTrail event names, which are the operation names). They cover what the rule
 * catalog's KL-AWS rules catch in infrastructure code:
 * - KL-AWS-01 access keys: CreateAccessKey;
 * - KL-AWS-02 console passwords: CreateLoginProfile, UpdateLoginProfile (sets a new password);
 * - KL-AWS-03 other user credentials: CreateServiceSpecificCredential (e.g. Bedrock API keys, CodeCommit
 *   passwords), ResetServiceSpecificCredential (issues a new password), UploadSSHPublicKey,
 *   UploadSigningCertificate.
 */
export const LONG_LIVED_CREDENTIAL_OPERATIONS: readonly string[] = [
  'CreateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'CreateServiceSpecificCredential',
  'ResetServiceSpecificCredential',
  'UploadSSHPublicKey',
  'UploadSigningCertificate',
];

/** The account-wide switch that stops every workload's outbound tokens. */
export const DISABLE_OUTBOUND_FEDERATION_OPERATION = 'DisableOutboundWebIdentityFederation';

/** STS operations of workload identity federation. */
export const GET_WEB_IDENTITY_TOKEN_OPERATION = 'GetWebIdentityToken';
export const ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION = 'AssumeRoleWithWebIdentity';
