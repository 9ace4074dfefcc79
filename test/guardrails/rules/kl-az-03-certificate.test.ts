import { KL_AZ_03 } from '../../../lib/guardrails/rules/kl-az-03-certificate';
import { checkSet, setOf, tf } from './helpers';

describe('KL-AZ-03 Entra certificate credential', () => {
  test('application and service principal certificates', () => {
    const set = setOf(
      tf('azuread_application', 'etl', { display_name: 'etl' }),
      tf('azuread_service_principal', 'etl', { client_id: '${azuread_application.etl.client_id}' }),
      tf('azuread_application_certificate', 'c', { application_id: '${azuread_application.etl.id}', type: 'AsymmetricX509Cert', value: '-----BEGIN CERTIFICATE-----' }),
      tf('azuread_service_principal_certificate', 's', { service_principal_id: '${azuread_service_principal.etl.id}', value: '${file("c.pem")}' }),
    );
    const hits = checkSet(KL_AZ_03, set);
    expect(hits.map((h) => [h.resource, h.hit.identity])).toEqual([
      ['azuread_application_certificate.c', 'azuread_application.etl'],
      ['azuread_service_principal_certificate.s', 'azuread_application.etl'],
    ]);
    expect(hits[0].hit.message).toMatch(/adds a certificate credential to azuread_application\.etl: whoever holds the private key/);
  });

  test('no certificate, no finding', () => {
    expect(checkSet(KL_AZ_03, setOf(tf('azuread_application', 'etl', { display_name: 'etl' })))).toEqual([]);
  });
});
