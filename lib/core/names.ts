import { fail, ValidationSite } from './errors';

const PLAN_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const SNOWFLAKE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;
const DISPLAY_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,119}$/;

/** Workload and target names: a letter, then up to 63 letters, digits, `-` or `_`. Used in construct ids and statement ids. */
export function validatePlanName(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || !PLAN_NAME.test(value)) {
    fail(site, value, 'name.format', 'a workload or target name starts with a letter and has at most 64 letters, digits, "-" or "_"');
  }
  return value;
}

/**
 * A Snowflake identifier written unquoted: a letter or `_`, then letters, digits, `_` or `$`,
 * at most 255 characters. Stricter than Snowflake so that no value needs quoting rules to be safe.
 */
export function validateSnowflakeIdentifier(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || !SNOWFLAKE_IDENTIFIER.test(value)) {
    fail(site, value, 'snowflake.identifier', 'a Snowflake identifier starts with a letter or "_" and has at most 255 letters, digits, "_" or "$"');
  }
  return value;
}

/** An Entra application display name as this library creates it: 1-120 plain characters. */
export function validateDisplayName(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || !DISPLAY_NAME.test(value)) {
    fail(site, value, 'entra.display-name', 'an application display name is 1 to 120 letters, digits, spaces or . _ ( ) -, starting with a letter or digit');
  }
  return value;
}
