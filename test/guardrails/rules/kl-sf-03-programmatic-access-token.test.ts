import { KL_SF_03 } from '../../../lib/guardrails/rules/kl-sf-03-programmatic-access-token';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-SF-03 Snowflake programmatic access token', () => {
  test('snowflake_user_programmatic_access_token with the user resolved', () => {
    const u = tf('snowflake_service_user', 'etl', { name: 'ETL' });
    const pat = tf('snowflake_user_programmatic_access_token', 'ci', { user: '${snowflake_service_user.etl.name}', name: 'CI', days_to_expiry: 30 });
    const hits = check(KL_SF_03, pat, setOf(u, pat));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ identity: 'snowflake_service_user.etl' });
    expect(hits[0].message).toMatch(/creates a programmatic access token for snowflake_service_user\.etl/);
    expect(hits[0].message).toMatch(/bearer credential/);
    expect(KL_SF_03.severity).toBe('error');
  });

  test('users without tokens are clean', () => {
    expect(checkSet(KL_SF_03, setOf(tf('snowflake_service_user', 'etl', { name: 'ETL' })))).toEqual([]);
  });
});
