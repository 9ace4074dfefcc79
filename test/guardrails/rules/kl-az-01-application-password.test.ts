import { KL_AZ_01 } from '../../../lib/guardrails/rules/kl-az-01-application-password';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-AZ-01 Entra application password', () => {
  const app = tf('azuread_application', 'etl', { display_name: 'etl' });

  test('azuread_application_password: identity from ${azuread_application.etl.id}', () => {
    const pw = tf('azuread_application_password', 'etl', { application_id: '${azuread_application.etl.id}', display_name: 'ci' });
    const hits = check(KL_AZ_01, pw, setOf(app, pw));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('azuread_application.etl');
    expect(hits[0].message).toMatch(/azuread_application_password\.etl creates a client secret for azuread_application\.etl/);
    expect(hits[0].message).toMatch(/Fix: .*azuread_application_federated_identity_credential/);
  });

  test('a literal application id is kept as the identity key', () => {
    const pw = tf('azuread_application_password', 'x', { application_id: '/applications/00000000-0000-0000-0000-000000000001' });
    expect(check(KL_AZ_01, pw)[0].identity).toBe('/applications/00000000-0000-0000-0000-000000000001');
  });

  test('password block on azuread_application (object or list)', () => {
    for (const password of [{ display_name: 'ci' }, [{ display_name: 'ci' }]]) {
      const a = tf('azuread_application', 'legacy', { display_name: 'legacy', password });
      expect(check(KL_AZ_01, a)).toEqual([expect.objectContaining({ identity: 'azuread_application.legacy', message: expect.stringMatching(/has a password block/) })]);
    }
  });

  test('an application without secrets is clean', () => {
    expect(checkSet(KL_AZ_01, setOf(app))).toEqual([]);
  });
});
