import { KL_SF_06 } from '../../../lib/guardrails/rules/kl-sf-06-sql-credential';
import { check, setOf, tf } from './helpers';

describe('KL-SF-06 credential set through SQL', () => {
  const user = tf('snowflake_service_user', 'etl', { name: 'ETL' });

  test('ALTER USER ... SET PASSWORD in lower case, user resolved from the interpolation', () => {
    const e = tf('snowflake_execute', 'pw', { execute: "alter user ${snowflake_service_user.etl.fully_qualified_name} set password = 'x'", revert: 'SELECT 1' });
    const hits = check(KL_SF_06, e, setOf(user, e));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('snowflake_service_user.etl');
    expect(hits[0].message).toMatch(/snowflake_execute\.pw execute sets a PASSWORD for snowflake_service_user\.etl through SQL/);
    expect(hits[0].message).toMatch(/Fix: .*WORKLOAD_IDENTITY/);
  });

  test('RSA_PUBLIC_KEY_2 and ADD PROGRAMMATIC ACCESS TOKEN across statements and lines; quoted literal user name', () => {
    const e = tf('snowflake_execute', 'keys', { execute: 'ALTER USER "ETL"\n  SET RSA_PUBLIC_KEY_2=\'MIIB\';\nALTER USER "ETL" ADD\n PROGRAMMATIC   ACCESS TOKEN ci' });
    const hits = check(KL_SF_06, e, setOf(user, e));
    expect(hits.map((h) => h.message.match(/execute (.*?) for/)?.[1])).toEqual(['sets RSA_PUBLIC_KEY_2 (a key pair)', 'adds a PROGRAMMATIC ACCESS TOKEN']);
    expect(hits.every((h) => h.identity === 'snowflake_service_user.etl')).toBe(true);
  });

  test('revert is read too', () => {
    const e = tf('snowflake_execute', 'r', { execute: 'SELECT 1', revert: "ALTER USER etl SET PASSWORD = 'back'" });
    expect(check(KL_SF_06, e)[0].message).toMatch(/revert sets a PASSWORD/);
  });

  test('query is read too: it runs on every read (refresh, plan)', () => {
    const e = tf('snowflake_execute', 'q', { execute: 'SELECT 1', revert: 'SELECT 1', query: 'ALTER USER etl ADD PROGRAMMATIC ACCESS TOKEN refresh_pat' });
    const hits = check(KL_SF_06, e);
    expect(hits.map((h) => h.message.split(':')[0])).toEqual(['snowflake_execute.q query adds a PROGRAMMATIC ACCESS TOKEN for etl through SQL']);
    expect(hits[0].identity).toBe('etl');
    expect(check(KL_SF_06, tf('snowflake_execute', 'show', { execute: 'SELECT 1', revert: 'SELECT 1', query: 'SHOW USERS LIKE \'ETL\'' }))).toEqual([]);
  });

  test('clean: SET WORKLOAD_IDENTITY with UNSET revert', () => {
    const e = tf('snowflake_execute', 'wif', {
      execute: "ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl' ISSUER = 'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws')",
      revert: 'ALTER USER IF EXISTS ${snowflake_service_user.etl.fully_qualified_name} UNSET WORKLOAD_IDENTITY',
    });
    expect(check(KL_SF_06, e, setOf(user, e))).toEqual([]);
  });

  test('clean: removing keys (UNSET) is not setting them', () => {
    const e = tf('snowflake_execute', 'rm', { execute: 'ALTER USER etl UNSET RSA_PUBLIC_KEY; ALTER USER etl UNSET RSA_PUBLIC_KEY_2, PASSWORD' });
    expect(check(KL_SF_06, e)).toEqual([]);
  });
});
