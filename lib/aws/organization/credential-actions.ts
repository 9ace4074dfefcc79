import { Token } from 'aws-cdk-lib';
import { fail } from '../../core/errors';

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

/** The region where IAM (a global service) delivers its CloudTrail events to EventBridge in the aws partition. */
export const IAM_EVENTS_REGION = 'us-east-1';

/** An AWS region name as written in a CloudTrail event's awsRegion, e.g. `eu-west-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Validates the detection constructs' `allowedRegions` (a non-empty list of literal region names). */
export function validateAllowedRegions(regions: readonly string[], path: string): void {
  if (!Array.isArray(regions) || regions.length === 0) {
    fail({ path, property: 'allowedRegions' }, regions, 'detection.regions', 'list at least one region, or omit allowedRegions');
  }
  regions.forEach((r, i) => {
    if (Token.isUnresolved(r) || typeof r !== 'string' || !REGION.test(r)) {
      fail({ path, property: `allowedRegions[${i}]` }, r, 'detection.region', 'a region is written literally, e.g. "eu-west-1"');
    }
  });
}
