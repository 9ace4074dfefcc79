import { KL_AZ_04 } from '../../../lib/guardrails/rules/kl-az-04-provider-login';
import { check, tfProvider } from './helpers';

describe('KL-AZ-04 azuread provider login', () => {
  test.each([
    [{ client_id: 'x', client_secret: '${var.client_secret}' }, /client_secret \(a client secret from var\.client_secret\)/],
    [{ client_certificate_path: 'ci.pfx', client_certificate_password: 'pw' }, /client_certificate_path .*client_certificate_password/],
    [{ client_certificate: '${filebase64("ci.pfx")}' }, /client_certificate \(a client certificate, set in the configuration\)/],
  ])('%j', (properties, message) => {
    const hits = check(KL_AZ_04, tfProvider('azuread', properties));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/^provider\.azuread logs in with /);
    expect(hits[0].message).toMatch(message);
    expect(hits[0].message).toMatch(/Fix: .*use_oidc/);
    expect(KL_AZ_04.severity).toBe('warning');
  });

  test('clean: use_oidc / use_msi', () => {
    expect(check(KL_AZ_04, tfProvider('azuread', { use_oidc: true, tenant_id: 't', client_id: 'c' }))).toEqual([]);
    expect(check(KL_AZ_04, tfProvider('azuread', { use_msi: true }))).toEqual([]);
  });
});
