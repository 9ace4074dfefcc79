import { KL_SF_07 } from '../../../lib/guardrails/rules/kl-sf-07-provider-login';
import { check, tfProvider } from './helpers';

describe('KL-SF-07 Snowflake provider login', () => {
  test.each([
    [{ user: 'TF', password: '${var.sf_password}' }, /password \(a password from var\.sf_password\)/],
    [{ user: 'TF', authenticator: 'SNOWFLAKE_JWT', private_key: '${file("tf.p8")}' }, /private_key \(a private key \(key-pair login\), set in the configuration\)/],
    [{ user: 'TF', private_key_path: '~/.ssh/tf.p8' }, /private_key_path/],
    [{ user: 'TF', authenticator: 'SNOWFLAKE_JWT' }, /key-pair login \(authenticator SNOWFLAKE_JWT\)/],
    [{ user: 'TF', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: '${var.pat}' }, /token \(a static token/],
  ])('%j', (properties, message) => {
    const hits = check(KL_SF_07, tfProvider('snowflake', properties));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/^provider\.snowflake logs in with /);
    expect(hits[0].message).toMatch(message);
    expect(hits[0].message).toMatch(/Fix: .*WORKLOAD_IDENTITY/);
    expect(KL_SF_07.severity).toBe('warning');
  });

  test('aliased provider address', () => {
    expect(check(KL_SF_07, tfProvider('snowflake', { password: 'x' }, 'admin'))[0].message).toMatch(/^provider\.snowflake\.admin /);
  });

  test('clean: WORKLOAD_IDENTITY, or nothing in the configuration (env/TOML not visible)', () => {
    expect(check(KL_SF_07, tfProvider('snowflake', { authenticator: 'WORKLOAD_IDENTITY', workload_identity_provider: 'AWS', organization_name: 'o', account_name: 'a', user: 'TF' }))).toEqual([]);
    expect(check(KL_SF_07, tfProvider('snowflake', { organization_name: 'o', account_name: 'a' }))).toEqual([]);
  });
});
