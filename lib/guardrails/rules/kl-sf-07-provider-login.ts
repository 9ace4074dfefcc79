import { Rule } from '../model';
import { origin } from '../policy/origin';
import { staticString } from '../policy/static-value';

const SECRET_ARGUMENTS: [string, string][] = [
  ['password', 'a password'],
  ['private_key', 'a private key (key-pair login)'],
  ['private_key_path', 'a private key file (key-pair login)'],
  ['private_key_passphrase', 'a private key passphrase (key-pair login)'],
  ['token', 'a static token (OAuth access token or programmatic access token)'],
  ['oauth_client_secret', 'an OAuth client secret'],
  ['passcode', 'an MFA passcode (password login)'],
];

const AUTHENTICATORS: Record<string, string> = {
  SNOWFLAKE: 'password login (authenticator SNOWFLAKE)',
  USERNAMEPASSWORDMFA: 'password login (authenticator USERNAMEPASSWORDMFA)',
  USERNAME_PASSWORD_MFA: 'password login (authenticator USERNAME_PASSWORD_MFA)',
  SNOWFLAKE_JWT: 'key-pair login (authenticator SNOWFLAKE_JWT)',
  JWT: 'key-pair login (authenticator JWT)',
  PROGRAMMATIC_ACCESS_TOKEN: 'programmatic access token login',
  OAUTH_CLIENT_CREDENTIALS: 'OAuth client-secret login',
};

/**
 * KL-SF-07 (warning): the Snowflake provider logs in with a password, a private key or a static
 * token. A provider block without any login argument is not reported (its credentials come from the
 * environment or a TOML profile, which the configuration does not show). Under
 * `authenticator = "WORKLOAD_IDENTITY"` the `token` argument is the federated token itself (e.g. an OIDC ID token
 * read with `file(...)` from where the platform writes it), not a static token, so it is not reported.
 */
export const KL_SF_07: Rule = {
  id: 'KL-SF-07',
  severity: 'warning',
  category: 'credential',
  title: 'provider logs in with a password or private key',
  fix: 'Run Terraform with authenticator = "WORKLOAD_IDENTITY" (workload_identity_provider = "AWS" on AWS compute or CI with an AWS role) so the deployment itself holds no Snowflake secret.',
  appliesTo: ['snowflake'],
  reads: { snowflake: SECRET_ARGUMENTS.map(([argument]) => argument) },
  check(resource, context) {
    if (resource.kind !== 'provider') return [];
    const p = resource.properties;
    const authenticator = staticString(p.authenticator)?.trim().toUpperCase();
    const found: string[] = [];
    for (const [arg, what] of SECRET_ARGUMENTS) {
      if (arg === 'token' && authenticator === 'WORKLOAD_IDENTITY') continue;
      const o = origin(p[arg], resource, context);
      if (o.kind === 'absent') continue;
      found.push(`${arg} (${what}${o.kind === 'parameter' ? ` from ${o.name}` : o.kind === 'literal' ? ', set in the configuration' : ''})`);
    }
    if (authenticator && AUTHENTICATORS[authenticator] && found.length === 0) found.push(AUTHENTICATORS[authenticator]);
    if (found.length === 0) return [];
    return [{
      message: `${resource.address} logs in with ${found.join(', ')}: a deployment credential is long-lived, usually highly privileged, and a fallback path around the federation it deploys. Fix: ${KL_SF_07.fix}`,
    }];
  },
};
