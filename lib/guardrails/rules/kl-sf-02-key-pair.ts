import { Rule, RuleHit } from '../model';
import { snowflakeUserKey } from '../policy/identity';
import { origin } from '../policy/origin';

const ATTRIBUTES = ['rsa_public_key', 'rsa_public_key_2'];

/** KL-SF-02: a Snowflake key pair (`rsa_public_key`, `rsa_public_key_2`). */
export const KL_SF_02: Rule = {
  id: 'KL-SF-02',
  severity: 'error',
  category: 'credential',
  title: 'Snowflake key pair',
  fix: 'Remove the public key (and destroy the private key) and give the user WORKLOAD_IDENTITY = (TYPE = AWS ARN = \'<role arn>\' ISSUER = \'<account issuer>\') so the workload logs in with a short-lived token minted by its AWS role.',
  appliesTo: ['snowflake_user', 'snowflake_service_user', 'snowflake_legacy_service_user', 'snowflake_user_public_keys'],
  reads: { snowflake_user: ATTRIBUTES, snowflake_service_user: ATTRIBUTES, snowflake_legacy_service_user: ATTRIBUTES, snowflake_user_public_keys: ATTRIBUTES },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const identity = resource.type === 'snowflake_user_public_keys' ? snowflakeUserKey(resource.properties.name, context) : resource.address;
    const hits: RuleHit[] = [];
    for (const attr of ATTRIBUTES) {
      if (origin(resource.properties[attr], resource, context).kind === 'absent') continue;
      hits.push({
        message: `${resource.address} sets ${attr}${identity && identity !== resource.address ? ` on ${identity}` : ''}: `
          + 'the matching private key is a long-lived credential that signs logins wherever it is copied, so it is a fallback path around workload identity federation. '
          + `Fix: ${KL_SF_02.fix}`,
        ...(identity ? { identity } : {}),
      });
    }
    return hits;
  },
};
