import { Token } from 'aws-cdk-lib';
import { fail } from '../../core/errors';

export {
  ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION, DISABLE_OUTBOUND_FEDERATION_OPERATION, GET_WEB_IDENTITY_TOKEN_OPERATION,
  LONG_LIVED_CREDENTIAL_OPERATIONS,
} from '../../core/credential-operations';

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
