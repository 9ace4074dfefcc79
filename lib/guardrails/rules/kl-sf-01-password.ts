import { Rule } from '../model';
import { origin } from '../policy/origin';

/** KL-SF-01: a Snowflake user password. */
export const KL_SF_01: Rule = {
  id: 'KL-SF-01',
  severity: 'error',
  category: 'credential',
  title: 'Snowflake password',
  fix: 'Remove the password and use a snowflake_service_user (TYPE = SERVICE, which cannot hold a password) with WORKLOAD_IDENTITY = (TYPE = AWS ...) so the workload logs in with a token minted by its AWS role.',
  appliesTo: ['snowflake_user', 'snowflake_legacy_service_user'],
  reads: { snowflake_user: ['password'], snowflake_legacy_service_user: ['password'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const o = origin(resource.properties.password, resource, context);
    if (o.kind === 'absent') return [];
    const from = o.kind === 'literal' ? 'a literal password (value not shown)' : o.kind === 'parameter' ? `a password from ${o.name}` : 'a password';
    return [{
      message: `${resource.address} sets ${from}: a password is a long-lived credential anyone who learns it can use from anywhere the network policy allows, so it is a fallback path around workload identity federation. Fix: ${KL_SF_01.fix}`,
      identity: resource.address,
    }];
  },
};
