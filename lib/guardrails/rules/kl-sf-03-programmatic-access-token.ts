import { Rule } from '../model';
import { snowflakeUserKey } from '../policy/identity';

/** KL-SF-03: a Snowflake programmatic access token. */
export const KL_SF_03: Rule = {
  id: 'KL-SF-03',
  severity: 'error',
  category: 'credential',
  title: 'Snowflake programmatic access token',
  fix: 'Remove the programmatic access token and give the user WORKLOAD_IDENTITY = (TYPE = AWS ...) so the workload logs in with a token its AWS role mints for minutes, not days.',
  appliesTo: ['snowflake_user_programmatic_access_token'],
  reads: {},
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const identity = snowflakeUserKey(resource.properties.user, context);
    return [{
      message: `${resource.address} creates a programmatic access token${identity ? ` for ${identity}` : ''}: `
        + 'the token secret is a bearer credential that lives in state and works for days to a year from wherever it is copied, so it is a fallback path around workload identity federation. '
        + `Fix: ${KL_SF_03.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
