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

  test('workload identity: token = file(...) is the federated token, not a static one', () => {
    const wif = { organization_name: 'o', account_name: 'a', user: 'TF', authenticator: 'WORKLOAD_IDENTITY', workload_identity_provider: 'OIDC', token: '${file("/var/run/secrets/snowflake/token")}' };
    expect(check(KL_SF_07, tfProvider('snowflake', wif))).toEqual([]);
    expect(check(KL_SF_07, tfProvider('snowflake', { ...wif, authenticator: ' workload_identity ' }))).toEqual([]);
    // the same token argument under another authenticator is still a static token
    const pat = check(KL_SF_07, tfProvider('snowflake', { ...wif, authenticator: 'PROGRAMMATIC_ACCESS_TOKEN' }));
    expect(pat.map((h) => h.message.match(/token \(a static token/) !== null)).toEqual([true]);
    // workload identity does not excuse a password or private key next to it
    expect(check(KL_SF_07, tfProvider('snowflake', { ...wif, private_key: '${var.key}' }))[0].message).toMatch(/private_key \(a private key \(key-pair login\) from var\.key\)/);
  });
});
