import { fail, ValidationSite } from './errors';

/** Entra rejects issuers longer than this. */
export const MAX_ISSUER_LENGTH = 600;

const AWS_OUTBOUND_ISSUER = /^https:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tokens\.sts\.global\.api\.aws$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/;
const PATH = /^(\/[A-Za-z0-9._~!$&()*+,;=:@%-]+)*$/;

/** True when `value` has the AWS outbound issuer form `https://<uuid>.tokens.sts.global.api.aws`. */
export function isAwsOutboundIssuer(value: string): boolean {
  return AWS_OUTBOUND_ISSUER.test(value);
}

/**
 * Validates an OIDC issuer URL as relying parties compare it: exactly, so
 * https only, no trailing slash, no query or fragment, no whitespace or quotes.
 */
export function validateIssuerUrl(value: string, site: ValidationSite): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(site, value, 'issuer.https', 'an issuer is an https URL such as "https://<uuid>.tokens.sts.global.api.aws"');
  }
  if (!value.startsWith('https://')) {
    fail(site, value, 'issuer.https', 'an issuer must use https (relying parties fetch its keys over TLS and compare the string exactly)');
  }
  if (value.endsWith('/')) {
    fail(site, value, 'issuer.trailing-slash', `the token's iss claim has no trailing slash and relying parties compare it exactly; write ${JSON.stringify(value.replace(/\/+$/, ''))}`);
  }
  if (value.length > MAX_ISSUER_LENGTH) {
    fail(site, value, 'issuer.length', `an issuer is at most ${MAX_ISSUER_LENGTH} characters (Entra's limit)`);
  }
  const rest = value.slice('https://'.length);
  if (/[?#]/.test(rest)) {
    fail(site, value, 'issuer.query', 'an issuer has no query string or fragment');
  }
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  if (!HOST.test(host) || !PATH.test(path)) {
    fail(site, value, 'issuer.characters', 'an issuer is a plain https URL: a DNS host name and an optional path, without spaces, quotes, backslashes or user info');
  }
  return value;
}
