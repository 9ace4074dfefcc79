import { KL_SF_04 } from '../../../lib/guardrails/rules/kl-sf-04-legacy-service-user';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-SF-04 legacy service user', () => {
  test('snowflake_legacy_service_user is reported on itself', () => {
    const hits = check(KL_SF_04, tf('snowflake_legacy_service_user', 'old', { name: 'OLD' }));
    expect(hits).toEqual([expect.objectContaining({ identity: 'snowflake_legacy_service_user.old' })]);
    expect(hits[0].message).toMatch(/LEGACY_SERVICE user.*password/);
    expect(hits[0].message).toMatch(/Fix: Use snowflake_service_user/);
  });

  test('snowflake_service_user is not in scope', () => {
    expect(KL_SF_04.appliesTo).toEqual(['snowflake_legacy_service_user']);
    expect(checkSet(KL_SF_04, setOf(tf('snowflake_service_user', 'etl', { name: 'ETL' })))).toEqual([]);
  });
});
