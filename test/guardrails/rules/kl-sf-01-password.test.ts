import { KL_SF_01 } from '../../../lib/guardrails/rules/kl-sf-01-password';
import { check, tf } from './helpers';

describe('KL-SF-01 Snowflake password', () => {
  test.each([
    ['snowflake_user', 'hunter2', /sets a literal password \(value not shown\)/],
    ['snowflake_legacy_service_user', '${var.sf_password}', /sets a password from var\.sf_password/],
    ['snowflake_user', '${random_password.u.result}', /sets a password:/],
  ])('%s with password %s', (type, password, message) => {
    const u = tf(type, 'etl', { name: 'ETL', password });
    const hits = check(KL_SF_01, u);
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe(`${type}.etl`);
    expect(hits[0].message).toMatch(message);
    expect(hits[0].message).not.toMatch(/hunter2/);
    expect(hits[0].message).toMatch(/Fix: .*snowflake_service_user.*WORKLOAD_IDENTITY/);
  });

  test('a user without password is clean', () => {
    expect(check(KL_SF_01, tf('snowflake_user', 'p', { name: 'P', login_name: 'p' }))).toEqual([]);
  });
});
