import { fail, ValidationSite } from './errors';

const ACCOUNT_ID = /^\d{12}$/;
const PARTITION = /^aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?$/;

/** Validates a 12-digit AWS account id and returns it. */
export function validateAccountId(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
    fail(site, value, 'account.format', 'an AWS account id is exactly 12 digits, e.g. "111122223333"');
  }
  return value;
}

/** Validates an AWS partition name (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export function validatePartition(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || !PARTITION.test(value)) {
    fail(site, value, 'partition.known', 'the partition must be one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc');
  }
  return value;
}
