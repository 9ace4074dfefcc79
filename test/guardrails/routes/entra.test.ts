/**
 * KL-AZ-01..04 through every route that applies (Terraform only): raw azuread provider classes, escape hatches on
 * cdk-keyless's own clean EntraWorkloadApplication (addOverride, stack-level overrides referencing it) and HCL
 * through the CLI; clean neighbours not flagged.
 */
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationCertificate } from '@cdktf/provider-azuread/lib/application-certificate';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { AzureadProvider, AzureadProviderConfig } from '@cdktf/provider-azuread/lib/provider';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { ServicePrincipalCertificate } from '@cdktf/provider-azuread/lib/service-principal-certificate';
import { ServicePrincipalPassword } from '@cdktf/provider-azuread/lib/service-principal-password';
import { App, TerraformStack } from 'cdktf';
import { EntraWorkloadApplication } from '../../../lib/terraform';
import { anyInCase, cdktfRoutes, hclRoutes, inCase, ISSUER, ROLE_ARN, RouteResult } from './harness';

const CERT = 'MIIC2jCCAcKgAwIBAgIQtestcertificateonly';

let tf: RouteResult;
let hcl: RouteResult;

function entraStack(app: App, id: string, provider: AzureadProviderConfig = { useOidc: true }): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzureadProvider(stack, 'azuread', provider);
  return stack;
}

function federated(stack: TerraformStack): EntraWorkloadApplication {
  const app = new EntraWorkloadApplication(stack, 'Etl', { displayName: 'etl-app' });
  app.trust({ credentialName: 'etl-role', issuerUrl: ISSUER, roleArn: ROLE_ARN });
  return app;
}

beforeAll(async () => {
  tf = cdktfRoutes((app) => {
    // KL-AZ-01
    const s1 = entraStack(app, 'az01-raw');
    new ApplicationPasswordA(s1, 'ci', { applicationId: new Application(s1, 'etl', { displayName: 'etl' }).id });
    new Application(entraStack(app, 'az01-inline'), 'etl', { displayName: 'etl', password: { displayName: 'ci' } });
    federated(entraStack(app, 'az01-hatch')).application.addOverride('password', [{ display_name: 'ci' }]);
    federated(entraStack(app, 'az-clean'));
    // KL-AZ-02
    const s2 = entraStack(app, 'az02-raw');
    new ServicePrincipalPassword(s2, 'ci', { servicePrincipalId: new ServicePrincipal(s2, 'sp', { clientId: '00000000-0000-0000-0000-000000000001' }).id });
    const h2 = entraStack(app, 'az02-hatch');
    const e2 = federated(h2);
    h2.addOverride('resource.azuread_service_principal_password.sneaky', { service_principal_id: e2.servicePrincipal.id });
    // KL-AZ-03
    const s3 = entraStack(app, 'az03-raw');
    const a3 = new Application(s3, 'etl', { displayName: 'etl' });
    new ApplicationCertificate(s3, 'cert', { applicationId: a3.id, type: 'AsymmetricX509Cert', value: CERT });
    new ServicePrincipalCertificate(s3, 'spcert', { servicePrincipalId: new ServicePrincipal(s3, 'sp', { clientId: a3.clientId }).id, value: CERT });
    const h3 = entraStack(app, 'az03-hatch');
    const e3 = federated(h3);
    h3.addOverride('resource.azuread_application_certificate.sneaky', { application_id: e3.applicationResourceId, type: 'AsymmetricX509Cert', value: CERT });
    // KL-AZ-04
    entraStack(app, 'az04-raw', { clientId: '00000000-0000-0000-0000-000000000002', tenantId: '00000000-0000-0000-0000-000000000003', clientSecret: 'not-a-real-secret' });
    (entraStack(app, 'az04-hatch').node.findChild('azuread') as AzureadProvider).addOverride('client_certificate_path', '/secrets/deploy.pfx');
  }, {
    exemptions: [
      { ruleId: 'KL-AZ-01', resource: 'az01-raw/ci', justification: 'the legacy connector reads the secret until it moves to WIF', owner: 'apps@example.com', expires: '2099-01-01' },
      { ruleId: 'KL-AZ-01', resource: 'az01-hatch/Etl/Application', justification: 'the legacy connector reads the secret until it moves to WIF', owner: 'apps@example.com', expires: '2099-01-01' },
    ],
  });

  hcl = await hclRoutes({
    'az01/main.tf': 'resource "azuread_application" "etl" {\n  display_name = "etl"\n  password {\n    display_name = "ci"\n  }\n}\nresource "azuread_application_password" "ci" {\n  application_id = azuread_application.etl.id\n}\n',
    'az02/main.tf': 'resource "azuread_service_principal" "sp" {\n  client_id = var.client_id\n}\nresource "azuread_service_principal_password" "ci" {\n  service_principal_id = azuread_service_principal.sp.id\n}\n',
    'az03/main.tf': 'resource "azuread_application_certificate" "cert" {\n  application_id = azuread_application.etl.id\n  type           = "AsymmetricX509Cert"\n  value          = file("cert.pem")\n}\nresource "azuread_service_principal_certificate" "spcert" {\n  service_principal_id = var.sp\n  value                = file("cert.pem")\n}\n',
    'az04/main.tf': 'provider "azuread" {\n  client_id     = var.client_id\n  client_secret = var.client_secret\n  tenant_id     = var.tenant_id\n}\n',
    'az04-clean/main.tf': 'provider "azuread" {\n  use_oidc = true\n}\n',
    'az-clean/main.tf': `resource "azuread_application" "etl" {\n  display_name = "etl"\n}\nresource "azuread_application_federated_identity_credential" "etl" {\n  application_id = azuread_application.etl.id\n  display_name   = "etl-role"\n  issuer         = "${ISSUER}"\n  subject        = "${ROLE_ARN}"\n  audiences      = ["api://AzureADTokenExchange"]\n}\n`,
  });
}, 60_000);

describe('KL-AZ-01 Entra application password', () => {
  test('raw azuread_application_password: exempted (active), a warning', () => {
    expect(inCase(tf, 'KL-AZ-01', 'az01-raw').map((h) => [h.resource, h.severity])).toEqual([['azuread_application_password.ci', 'warning']]);
    expect(tf.errors['az01-raw']).toBeUndefined();
  });

  test('raw azuread_application with an inline password block', () => {
    expect(inCase(tf, 'KL-AZ-01', 'az01-inline').map((h) => [h.resource, h.severity])).toEqual([['azuread_application.etl', 'error']]);
    expect(tf.errors['az01-inline']).toContain('[KL-AZ-01] azuread_application.etl at az01-inline/etl');
  });

  test('escape hatch on a federated EntraWorkloadApplication: an error naming both, the exemption refused', () => {
    const [hit] = inCase(tf, 'KL-AZ-01', 'az01-hatch');
    expect(hit.severity).toBe('error');
    expect(hit.constructPath).toBe('az01-hatch/Etl/Application');
    expect(hit.message).toContain('is federated (federated identity credential azuread_application_federated_identity_credential.');
    expect(hit.message).toContain('The exemption for it is refused');
    expect(tf.errors['az01-hatch']).toContain('[KL-AZ-01]');
  });

  test('clean neighbour: EntraWorkloadApplication with a trust', () => {
    expect(anyInCase(tf, 'az-clean')).toEqual([]);
    expect(tf.errors['az-clean']).toBeUndefined();
  });

  test('HCL: inline block and resource; clean federated app passes', () => {
    expect(inCase(hcl, 'KL-AZ-01', 'az01').map((h) => h.resource).sort()).toEqual(['azuread_application.etl', 'azuread_application_password.ci']);
    expect(anyInCase(hcl, 'az-clean')).toEqual([]);
  });
});

describe('KL-AZ-02 Entra service principal password', () => {
  test('raw azuread_service_principal_password', () => {
    expect(inCase(tf, 'KL-AZ-02', 'az02-raw').map((h) => h.resource)).toEqual(['azuread_service_principal_password.ci']);
  });

  test('stack-level override adding one to the federated EntraWorkloadApplication\'s service principal', () => {
    const [hit] = inCase(tf, 'KL-AZ-02', 'az02-hatch');
    expect(hit.resource).toBe('azuread_service_principal_password.sneaky');
    expect(hit.severity).toBe('error');
    expect(hit.message).toContain('is federated');
  });

  test('HCL', () => {
    expect(inCase(hcl, 'KL-AZ-02', 'az02').map((h) => h.resource)).toEqual(['azuread_service_principal_password.ci']);
  });
});

describe('KL-AZ-03 Entra certificate credential', () => {
  test('raw application and service principal certificates', () => {
    expect(inCase(tf, 'KL-AZ-03', 'az03-raw').map((h) => h.resource).sort()).toEqual(['azuread_application_certificate.cert', 'azuread_service_principal_certificate.spcert']);
  });

  test('stack-level override adding one to the federated EntraWorkloadApplication', () => {
    const [hit] = inCase(tf, 'KL-AZ-03', 'az03-hatch');
    expect(hit.resource).toBe('azuread_application_certificate.sneaky');
    expect(hit.message).toContain('is federated');
  });

  test('HCL', () => {
    expect(inCase(hcl, 'KL-AZ-03', 'az03').map((h) => h.resource).sort()).toEqual(['azuread_application_certificate.cert', 'azuread_service_principal_certificate.spcert']);
  });
});

describe('KL-AZ-04 provider logs in with a client secret or certificate (warning)', () => {
  test('raw provider with a client secret: a warning; synth passes', () => {
    expect(inCase(tf, 'KL-AZ-04', 'az04-raw').map((h) => [h.resource, h.severity])).toEqual([['provider.azuread', 'warning']]);
    expect(tf.errors['az04-raw']).toBeUndefined();
  });

  test('escape hatch: client_certificate_path added to a use_oidc provider', () => {
    expect(inCase(tf, 'KL-AZ-04', 'az04-hatch')[0].message).toContain('client_certificate_path');
  });

  test('clean neighbour: use_oidc (every other Entra stack here)', () => {
    expect(tf.hits.filter((h) => h.ruleId === 'KL-AZ-04').map((h) => h.where).sort()).toEqual(['az04-hatch', 'az04-raw']);
  });

  test('HCL; use_oidc passes', () => {
    expect(inCase(hcl, 'KL-AZ-04', 'az04').map((h) => h.resource)).toEqual(['provider.azuread']);
    expect(anyInCase(hcl, 'az04-clean')).toEqual([]);
  });
});
