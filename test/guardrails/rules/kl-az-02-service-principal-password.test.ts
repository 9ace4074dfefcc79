import { KL_AZ_02 } from '../../../lib/guardrails/rules/kl-az-02-service-principal-password';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-AZ-02 Entra service principal password', () => {
  const app = tf('azuread_application', 'etl', { display_name: 'etl' });
  const sp = tf('azuread_service_principal', 'etl', { client_id: '${azuread_application.etl.client_id}' });

  test('identity is the application behind the service principal', () => {
    const pw = tf('azuread_service_principal_password', 'etl', { service_principal_id: '${azuread_service_principal.etl.id}' });
    const hits = check(KL_AZ_02, pw, setOf(app, sp, pw));
    expect(hits).toEqual([expect.objectContaining({ identity: 'azuread_application.etl' })]);
    expect(hits[0].message).toMatch(/creates a service principal password for azuread_application\.etl/);
  });

  test('falls back to the service principal when its application is not in the set', () => {
    const lone = tf('azuread_service_principal', 'ext', { client_id: '00000000-0000-0000-0000-000000000002' });
    const pw = tf('azuread_service_principal_password', 'ext', { service_principal_id: '${azuread_service_principal.ext.id}' });
    expect(check(KL_AZ_02, pw, setOf(lone, pw))[0].identity).toBe('azuread_service_principal.ext');
  });

  test('a service principal without password is clean', () => {
    expect(checkSet(KL_AZ_02, setOf(app, sp))).toEqual([]);
  });
});
