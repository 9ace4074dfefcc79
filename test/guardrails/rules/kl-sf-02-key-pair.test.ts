import { KL_SF_02 } from '../../../lib/guardrails/rules/kl-sf-02-key-pair';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-SF-02 Snowflake key pair', () => {
  test('rsa_public_key and rsa_public_key_2 on a service user: one hit each, identity = the user', () => {
    const u = tf('snowflake_service_user', 'etl', { name: 'ETL', rsa_public_key: 'MIIBIjAN', rsa_public_key_2: 'MIIBIjAO' });
    const hits = check(KL_SF_02, u);
    expect(hits.map((h) => h.message.match(/sets (rsa_public_key(_2)?)/)?.[1])).toEqual(['rsa_public_key', 'rsa_public_key_2']);
    expect(hits.every((h) => h.identity === 'snowflake_service_user.etl')).toBe(true);
    expect(hits[0].message).toMatch(/Fix: .*WORKLOAD_IDENTITY/);
  });

  test('snowflake_user_public_keys resolves the user it names', () => {
    const u = tf('snowflake_service_user', 'etl', { name: 'ETL' });
    const k = tf('snowflake_user_public_keys', 'etl', { name: '${snowflake_service_user.etl.name}', rsa_public_key: '${var.pub}' });
    const hits = check(KL_SF_02, k, setOf(u, k));
    expect(hits).toEqual([expect.objectContaining({ identity: 'snowflake_service_user.etl', message: expect.stringMatching(/sets rsa_public_key on snowflake_service_user\.etl/) })]);
  });

  test('a literal user name matches the user resource (unquoted, case-insensitive)', () => {
    const u = tf('snowflake_legacy_service_user', 'old', { name: 'LEGACY_ETL' });
    const k = tf('snowflake_user_public_keys', 'old', { name: 'legacy_etl', rsa_public_key: 'MII' });
    expect(check(KL_SF_02, k, setOf(u, k))[0].identity).toBe('snowflake_legacy_service_user.old');
  });

  test('a TYPE=SERVICE user without keys is clean', () => {
    expect(checkSet(KL_SF_02, setOf(tf('snowflake_service_user', 'etl', { name: 'ETL', default_role: 'ETL' })))).toEqual([]);
  });
});
