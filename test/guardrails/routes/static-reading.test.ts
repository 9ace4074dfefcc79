/**
 * What static reading of Terraform expressions changes for the rules, through the cdktf aspect and HCL through the
 * CLI: dynamic blocks (a dynamic "password" on a federated application), Snowflake's native
 * default_workload_identity, snowflake_execute's query, functions over literals and locals, file()/templatefile()
 * next to the module, and the provider's workload identity token.
 */
import { ServiceUser } from '@cdktf/provider-snowflake/lib/service-user';
import { Execute } from '@cdktf/provider-snowflake/lib/execute';
import { SnowflakeProvider, SnowflakeProviderConfig } from '@cdktf/provider-snowflake/lib/provider';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { App, Fn, TerraformStack } from 'cdktf';
import { EntraWorkloadApplication } from '../../../lib/terraform';
import { anyInCase, cdktfRoutes, hclRoutes, inCase, ISSUER, ROLE_ARN, RouteResult } from './harness';

const PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAstaticreading';
const FOREVER = { justification: 'the nightly loader still needs it until the migration', owner: 'data@example.com', expires: '2099-01-01' };

let tf: RouteResult;
let hcl: RouteResult;

function entraStack(app: App, id: string): EntraWorkloadApplication {
  const stack = new TerraformStack(app, id);
  new AzureadProvider(stack, 'azuread', { useOidc: true });
  const entra = new EntraWorkloadApplication(stack, 'Etl', { displayName: 'etl-app' });
  entra.trust({ credentialName: 'etl-role', issuerUrl: ISSUER, roleArn: ROLE_ARN });
  return entra;
}

function snowflakeStack(app: App, id: string, provider: SnowflakeProviderConfig = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  new SnowflakeProvider(stack, 'snowflake', provider);
  return stack;
}

const FEDERATED_APP = [
  'resource "azuread_application" "etl" {',
  '  display_name = "etl"',
  '  %BLOCK%',
  '}',
  'resource "azuread_application_federated_identity_credential" "etl" {',
  '  application_id = azuread_application.etl.id',
  '  display_name   = "etl-role"',
  `  issuer         = "${ISSUER}"`,
  `  subject        = "${ROLE_ARN}"`,
  '  audiences      = ["api://AzureADTokenExchange"]',
  '}',
].join('\n');

beforeAll(async () => {
  tf = cdktfRoutes((app) => {
    // a dynamic "password" block on the federated application cdk-keyless builds
    entraStack(app, 'az-dynamic').application.addOverride('dynamic.password', { for_each: '${var.secrets}', content: { display_name: '${password.key}' } });
    entraStack(app, 'az-dynamic-clean').application.addOverride('dynamic.required_resource_access', {
      for_each: '${var.apis}', content: { resource_app_id: '${required_resource_access.value}', resource_access: { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' } },
    });
    // Snowflake native workload identity (provider 2.11.0's binding has no attribute for it: an override)
    const native = snowflakeStack(app, 'sf-native');
    new ServiceUser(native, 'etl', { name: 'ETL_USER', rsaPublicKey: PUBLIC_KEY }).addOverride('default_workload_identity', { aws: { arn: ROLE_ARN } });
    // snowflake_execute: the query argument, and SQL built with Fn.join / locals
    const sql = snowflakeStack(app, 'sf-sql');
    new Execute(sql, 'refresh', { execute: 'SELECT 1', revert: 'SELECT 1', query: 'ALTER USER ETL_USER ADD PROGRAMMATIC ACCESS TOKEN refresh' });
    new Execute(sql, 'joined', { execute: Fn.join(' ', ['ALTER USER ETL_USER SET', Fn.lower("PASSWORD = 'Winter2026!'")]), revert: 'SELECT 1' });
    new Execute(snowflakeStack(app, 'sf-sql-clean'), 'grant', { execute: Fn.join(' ', ['GRANT ROLE ETL', 'TO USER ETL_USER']), revert: 'SELECT 1', query: 'SHOW GRANTS TO USER ETL_USER' });
    // the provider's workload identity token read from a file is not a static token
    snowflakeStack(app, 'sf07-wif-token', { organizationName: 'ORG', accountName: 'ACC', user: 'TF', authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'OIDC', token: Fn.file('token.jwt') });
  }, {
    exemptions: [
      { ruleId: 'KL-AZ-01', resource: 'az-dynamic/Etl/Application', ...FOREVER },
      { ruleId: 'KL-SF-02', resource: 'sf-native/etl', ...FOREVER },
    ],
  });

  hcl = await hclRoutes({
    'az-dynamic/main.tf': FEDERATED_APP.replace('%BLOCK%', 'dynamic "password" {\n    for_each = toset(var.secret_names)\n    content {\n      display_name = password.value\n    }\n  }'),
    'az-dynamic-clean/main.tf': FEDERATED_APP.replace('%BLOCK%', 'dynamic "password" {\n    for_each = []\n    content {\n      display_name = "never"\n    }\n  }'),
    'sf-native/main.tf': `resource "snowflake_service_user" "etl" {\n  name           = "ETL_USER"\n  rsa_public_key = trimspace(file("\${path.module}/etl.pub"))\n  default_workload_identity {\n    aws {\n      arn = "${ROLE_ARN}"\n    }\n  }\n}\n`,
    'sf-native/etl.pub': `${PUBLIC_KEY}\n`,
    'sf-native-dynamic/main.tf': [
      'resource "snowflake_service_user" "etl" {',
      '  name = "ETL_USER"',
      '  dynamic "default_workload_identity" {',
      '    for_each = var.wif_type == "aws" ? [1] : []',
      '    content {',
      '      aws {',
      '        arn = var.role_arn',
      '      }',
      '    }',
      '  }',
      '}',
      'resource "snowflake_user_programmatic_access_token" "ci" {',
      '  user = snowflake_service_user.etl.name',
      '  name = "ci"',
      '}',
    ].join('\n'),
    'sf-sql/main.tf': [
      'locals {',
      '  user = "ETL_USER"',
      '  sqls = ["GRANT ROLE ETL TO USER ETL_USER", "ALTER USER ETL_USER SET RSA_PUBLIC_KEY = \'MIIB\'"]',
      '}',
      'resource "snowflake_execute" "indexed" {',
      '  execute = local.sqls[1]',
      '  revert  = "SELECT 1"',
      '}',
      'resource "snowflake_execute" "templated" {',
      '  execute = templatefile("${path.module}/sql/rotate.sql.tftpl", { user = local.user })',
      '  revert  = "SELECT 1"',
      '}',
      'resource "snowflake_execute" "formatted" {',
      '  execute = "SELECT 1"',
      '  revert  = "SELECT 1"',
      '  query   = format("ALTER USER %s ADD PAT %s", local.user, "refresh")',
      '}',
    ].join('\n'),
    'sf-sql/sql/rotate.sql.tftpl': "ALTER USER ${user} SET PASSWORD = 'Winter2026!'\n",
    'sf-sql-clean/main.tf': 'locals {\n  sqls = ["GRANT ROLE ETL TO USER ETL_USER"]\n}\nresource "snowflake_execute" "grant" {\n  execute = element(local.sqls, 0)\n  revert  = replace(local.sqls[0], "GRANT", "REVOKE")\n  query   = "SHOW GRANTS TO USER ETL_USER"\n}\n',
    'sf07-wif-token/main.tf': 'provider "snowflake" {\n  organization_name          = "ORG"\n  account_name               = "ACC"\n  user                       = "TF"\n  authenticator              = "WORKLOAD_IDENTITY"\n  workload_identity_provider = "OIDC"\n  token                      = file("token.jwt")\n}\n',
    'sf07-escape/main.tf': 'provider "snowflake" {\n  organization_name = "ORG"\n  account_name      = "ACC"\n  user              = "TF"\n  private_key       = file("../shared/tf.p8")\n}\n',
    'shared/tf.p8': '-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n',
  });
}, 60_000);

describe('dynamic blocks', () => {
  test('cdktf: a dynamic "password" on a federated application is KL-AZ-01, an error whose exemption is refused', () => {
    const hits = inCase(tf, 'KL-AZ-01', 'az-dynamic');
    expect(hits.map((h) => [h.resource.split('.')[0], h.severity, h.constructPath])).toEqual([['azuread_application', 'error', 'az-dynamic/Etl/Application']]);
    const [hit] = hits;
    expect(hit.message).toContain('has a password block (client secret)');
    expect(hit.message).toContain('is federated (federated identity credential');
    expect(hit.message).toContain('The exemption for it is refused');
    expect(tf.errors['az-dynamic']).toContain('[KL-AZ-01]');
  });

  test('cdktf: another dynamic block on the federated application is no finding', () => {
    expect(anyInCase(tf, 'az-dynamic-clean')).toEqual([]);
    expect(tf.errors['az-dynamic-clean']).toBeUndefined();
  });

  test('HCL: dynamic "password" with an unknown for_each counts as a password block on the federated application', () => {
    expect(inCase(hcl, 'KL-AZ-01', 'az-dynamic').map((h) => [h.resource, h.severity])).toEqual([['azuread_application.etl', 'error']]);
    expect(inCase(hcl, 'KL-AZ-01', 'az-dynamic')[0].message).toContain('azuread_application.etl is federated');
  });

  test('HCL: a dynamic "password" over an empty list generates none: no finding', () => {
    expect(anyInCase(hcl, 'az-dynamic-clean')).toEqual([]);
  });
});

describe('Snowflake default_workload_identity', () => {
  test('cdktf: an RSA key next to default_workload_identity is an unexemptable KL-SF-02; KL-SF-05 applies (warning: no policy)', () => {
    expect(anyInCase(tf, 'sf-native').map((h) => [h.ruleId, h.resource, h.severity])).toEqual([
      ['KL-SF-02', 'snowflake_service_user.etl', 'error'],
      ['KL-SF-05', 'snowflake_service_user.etl', 'warning'],
    ]);
    const [key] = inCase(tf, 'KL-SF-02', 'sf-native');
    expect(key.message).toContain(`snowflake_service_user.etl is federated (WORKLOAD_IDENTITY (TYPE = AWS, ARN = ${ROLE_ARN}) set by snowflake_service_user.etl.default_workload_identity)`);
    expect(key.message).toContain('The exemption for it is refused');
    expect(key.message).not.toContain(PUBLIC_KEY);
  });

  test('HCL: rsa_public_key = trimspace(file(...)) next to default_workload_identity', () => {
    expect(anyInCase(hcl, 'sf-native').map((h) => [h.ruleId, h.resource, h.severity])).toEqual([
      ['KL-SF-02', 'snowflake_service_user.etl', 'error'],
      ['KL-SF-05', 'snowflake_service_user.etl', 'warning'],
    ]);
    expect(inCase(hcl, 'KL-SF-02', 'sf-native')[0].message).toContain('snowflake_service_user.etl is federated');
  });

  test('HCL: a dynamic default_workload_identity federates the user too (a token for it is a fallback)', () => {
    expect(anyInCase(hcl, 'sf-native-dynamic').map((h) => [h.ruleId, h.resource, h.severity]).sort()).toEqual([
      ['KL-SF-03', 'snowflake_user_programmatic_access_token.ci', 'error'],
      ['KL-SF-05', 'snowflake_service_user.etl', 'warning'],
    ]);
    expect(inCase(hcl, 'KL-SF-03', 'sf-native-dynamic')[0].message).toContain('snowflake_service_user.etl is federated (WORKLOAD_IDENTITY (TYPE = AWS, ARN = ${var.role_arn})');
  });
});

describe('snowflake_execute SQL: query, functions over literals, locals, templatefile', () => {
  test('cdktf: a PAT added in query, a PASSWORD set through Fn.join/Fn.lower', () => {
    expect(inCase(tf, 'KL-SF-06', 'sf-sql').map((h) => [h.resource, h.severity, h.message.split(':')[0]])).toEqual([
      ['snowflake_execute.refresh', 'error', 'snowflake_execute.refresh query adds a PROGRAMMATIC ACCESS TOKEN for ETL_USER through SQL'],
      ['snowflake_execute.joined', 'error', 'snowflake_execute.joined execute sets a PASSWORD for ETL_USER through SQL'],
    ]);
    expect(inCase(tf, 'KL-SF-06', 'sf-sql').map((h) => h.message).join(' ')).not.toMatch(/winter2026/i);
  });

  test('cdktf: the clean neighbour (GRANT built with Fn.join, a SHOW query)', () => {
    expect(anyInCase(tf, 'sf-sql-clean')).toEqual([]);
  });

  test('HCL: local.sqls[1], templatefile(...) next to the module, format(...) in query', () => {
    expect(inCase(hcl, 'KL-SF-06', 'sf-sql').map((h) => [h.resource, h.severity, h.message.split(':')[0]]).sort()).toEqual([
      ['snowflake_execute.formatted', 'error', 'snowflake_execute.formatted query adds a PROGRAMMATIC ACCESS TOKEN for ETL_USER through SQL'],
      ['snowflake_execute.indexed', 'error', 'snowflake_execute.indexed execute sets RSA_PUBLIC_KEY (a key pair) for ETL_USER through SQL'],
      ['snowflake_execute.templated', 'error', 'snowflake_execute.templated execute sets a PASSWORD for ETL_USER through SQL'],
    ]);
  });

  test('HCL: the clean neighbour (element, replace over a GRANT local)', () => {
    expect(anyInCase(hcl, 'sf-sql-clean')).toEqual([]);
  });
});

describe('provider login and file() outside the module', () => {
  test('cdktf and HCL: token = file(...) under authenticator WORKLOAD_IDENTITY is not a static token', () => {
    expect(anyInCase(tf, 'sf07-wif-token')).toEqual([]);
    expect(anyInCase(hcl, 'sf07-wif-token')).toEqual([]);
  });

  test('cdktf: a file() the aspect cannot read (not next to the synthesized stack) says so in a note', () => {
    expect(tf.notes?.some((n) => /provider\.snowflake: file\("token\.jwt"\) could not be read \(no such file or directory\)/.test(n))).toBe(true);
  });

  test('HCL: file("../shared/tf.p8") is refused (outside the module) with a note; the private key is still KL-SF-07', () => {
    expect(inCase(hcl, 'KL-SF-07', 'sf07-escape').map((h) => [h.resource, h.severity])).toEqual([['provider.snowflake', 'warning']]);
    expect(hcl.notes?.filter((n) => n.endsWith('/sf07-escape/main.tf: provider.snowflake: file("../shared/tf.p8") could not be read (refused: the path leaves the module directory); rules see the expression text'))).toHaveLength(1);
    expect(JSON.stringify(hcl)).not.toContain('not a real key');
  });
});
