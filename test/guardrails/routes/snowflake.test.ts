/**
 * KL-SF-01..07 through every route that applies (Terraform only): raw provider classes, escape hatches on
 * cdk-keyless's own clean SnowflakeWorkloadUser (addOverride) and stack-level overrides injecting resources, and
 * HCL through the CLI; clean neighbours not flagged.
 */
import { Execute } from '@cdktf/provider-snowflake/lib/execute';
import { LegacyServiceUser } from '@cdktf/provider-snowflake/lib/legacy-service-user';
import { SnowflakeProvider, SnowflakeProviderConfig } from '@cdktf/provider-snowflake/lib/provider';
import { ServiceUser } from '@cdktf/provider-snowflake/lib/service-user';
import { User } from '@cdktf/provider-snowflake/lib/user';
import { UserProgrammaticAccessToken } from '@cdktf/provider-snowflake/lib/user-programmatic-access-token';
import { UserPublicKeys } from '@cdktf/provider-snowflake/lib/user-public-keys';
import { App, TerraformStack } from 'cdktf';
import { FederationPlan } from '../../../lib/core/plan';
import { TargetKind } from '../../../lib/core/target';
import { SnowflakeWorkloadUser } from '../../../lib/terraform';
import { ACCOUNT, anyInCase, cdktfRoutes, hclRoutes, inCase, ISSUER, ROLE_ARN, RouteResult } from './harness';

const PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtestkeyonly';
const plan = new FederationPlan({
  account: ACCOUNT,
  issuerUrl: ISSUER,
  workloads: [{ name: 'etl', roleName: 'etl-role', rolePath: '/workloads/', targets: [{ name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_USER' }] }],
});
const POLICY = { policyDatabase: 'SECURITY', policySchema: 'POLICIES' };
const SET_WIF = `ALTER USER ETL_USER SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE_ARN}' ISSUER = '${ISSUER}')`;

let tf: RouteResult;
let hcl: RouteResult;

function snowflakeStack(app: App, id: string, provider: SnowflakeProviderConfig = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  SnowflakeWorkloadUser.enablePreviewFeatures(new SnowflakeProvider(stack, 'snowflake', provider));
  return stack;
}

function workloadUser(stack: TerraformStack): SnowflakeWorkloadUser {
  return SnowflakeWorkloadUser.fromPlan(stack, 'Etl', plan, 'etl', 'warehouse', POLICY);
}

beforeAll(async () => {
  tf = cdktfRoutes((app) => {
    // KL-SF-01
    new User(snowflakeStack(app, 'sf01-user'), 'legacy', { name: 'LEGACY', password: 'Winter2026!Sup3r' });
    new User(snowflakeStack(app, 'sf01-hatch'), 'legacy', { name: 'LEGACY' }).addOverride('password', '${var.snowflake_password}');
    new User(snowflakeStack(app, 'sf01-clean'), 'person', { name: 'PERSON', loginName: 'person@example.com' });
    // KL-SF-02
    const s2 = snowflakeStack(app, 'sf02-raw');
    new User(s2, 'person', { name: 'PERSON', rsaPublicKey: PUBLIC_KEY });
    new ServiceUser(s2, 'svc', { name: 'SVC', rsaPublicKey2: PUBLIC_KEY });
    new UserPublicKeys(s2, 'keys', { name: 'SVC', rsaPublicKey: PUBLIC_KEY });
    workloadUser(snowflakeStack(app, 'sf02-hatch')).user.addOverride('rsa_public_key', PUBLIC_KEY);
    workloadUser(snowflakeStack(app, 'sf-clean'));
    // KL-SF-03
    new UserProgrammaticAccessToken(snowflakeStack(app, 'sf03-raw'), 'pat', { user: 'REPORTING', name: 'ci' });
    const s3 = snowflakeStack(app, 'sf03-hatch');
    workloadUser(s3);
    s3.addOverride('resource.snowflake_user_programmatic_access_token.sneaky', { user: 'ETL_USER', name: 'ci' });
    // KL-SF-04
    new LegacyServiceUser(snowflakeStack(app, 'sf04-raw'), 'legacy', { name: 'LEGACY_SVC' });
    snowflakeStack(app, 'sf04-hatch').addOverride('resource.snowflake_legacy_service_user.sneaky', { name: 'LEGACY_SVC' });
    new ServiceUser(snowflakeStack(app, 'sf04-clean'), 'svc', { name: 'SVC' });
    // KL-SF-05
    workloadUser(snowflakeStack(app, 'sf05-hatch')).authenticationPolicy.addOverride('authentication_methods', ['WORKLOAD_IDENTITY', 'PASSWORD']);
    const s5 = snowflakeStack(app, 'sf05-nopolicy');
    new ServiceUser(s5, 'etl', { name: 'ETL_USER' });
    new Execute(s5, 'wif', { execute: SET_WIF, revert: 'ALTER USER IF EXISTS ETL_USER UNSET WORKLOAD_IDENTITY' });
    // KL-SF-06
    const s6 = snowflakeStack(app, 'sf06-raw');
    new Execute(s6, 'password', { execute: "ALTER USER ETL SET PASSWORD = 'Winter2026!'", revert: 'ALTER USER ETL UNSET PASSWORD' });
    new Execute(s6, 'key', { execute: `alter   user etl\n  set rsa_public_key='${PUBLIC_KEY}'`, revert: 'select 1' });
    new Execute(s6, 'pat', { execute: 'ALTER USER ETL ADD PROGRAMMATIC ACCESS TOKEN ci DAYS_TO_EXPIRY = 30', revert: 'select 1' });
    const u6 = workloadUser(snowflakeStack(app, 'sf06-hatch'));
    u6.workloadIdentityStatement.addOverride('execute', `${u6.setStatement} RSA_PUBLIC_KEY = '${PUBLIC_KEY}'`);
    new Execute(snowflakeStack(app, 'sf06-clean'), 'grant', { execute: 'GRANT ROLE ETL TO USER ETL_USER', revert: 'REVOKE ROLE ETL FROM USER ETL_USER' });
    // KL-SF-07
    snowflakeStack(app, 'sf07-raw', { organizationName: 'ORG', accountName: 'ACC', user: 'TF', password: 'Winter2026!' });
    const hatch = snowflakeStack(app, 'sf07-hatch', { organizationName: 'ORG', accountName: 'ACC', user: 'TF', authenticator: 'WORKLOAD_IDENTITY' });
    (hatch.node.findChild('snowflake') as SnowflakeProvider).addOverride('private_key', '${var.private_key}');
    snowflakeStack(app, 'sf07-clean', { organizationName: 'ORG', accountName: 'ACC', user: 'TF', authenticator: 'WORKLOAD_IDENTITY' });
  }, {
    exemptions: [
      { ruleId: 'KL-SF-02', resource: 'sf02-hatch/Etl/User', justification: 'the old loader still signs with the key pair', owner: 'data@example.com', expires: '2099-01-01' },
      { ruleId: 'KL-SF-04', resource: 'sf04-raw/legacy', justification: 'vendor BI tool needs a legacy service user until its upgrade', owner: 'bi@example.com', expires: '2099-01-01' },
    ],
  });

  hcl = await hclRoutes({
    'sf01/main.tf': 'resource "snowflake_user" "legacy" {\n  name     = "LEGACY"\n  password = var.password\n}\n',
    'sf02/main.tf': `resource "snowflake_service_user" "svc" {\n  name           = "SVC"\n  rsa_public_key = file("rsa.pub")\n}\nresource "snowflake_user_public_keys" "keys" {\n  name           = snowflake_service_user.svc.name\n  rsa_public_key = "${PUBLIC_KEY}"\n}\n`,
    'sf03/main.tf': 'resource "snowflake_user_programmatic_access_token" "pat" {\n  user = "REPORTING"\n  name = "ci"\n}\n',
    'sf04/main.tf': 'resource "snowflake_legacy_service_user" "legacy" {\n  name = "LEGACY_SVC"\n}\n',
    'sf05/main.tf': [
      'resource "snowflake_service_user" "etl" {',
      '  name = "ETL_USER"',
      '}',
      'resource "snowflake_execute" "wif" {',
      `  execute = "ALTER USER \${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE_ARN}' ISSUER = '${ISSUER}')"`,
      '  revert  = "ALTER USER IF EXISTS ${snowflake_service_user.etl.fully_qualified_name} UNSET WORKLOAD_IDENTITY"',
      '}',
      'resource "snowflake_authentication_policy" "etl" {',
      '  database               = "SECURITY"',
      '  schema                 = "POLICIES"',
      '  name                   = "ETL_ONLY"',
      '  authentication_methods = ["WORKLOAD_IDENTITY", "KEYPAIR"]',
      '}',
      'resource "snowflake_user_authentication_policy_attachment" "etl" {',
      '  user_name                  = snowflake_service_user.etl.name',
      '  authentication_policy_name = snowflake_authentication_policy.etl.fully_qualified_name',
      '}',
    ].join('\n'),
    'sf06/main.tf': 'resource "snowflake_execute" "pw" {\n  execute = <<-SQL\n    ALTER USER etl\n      SET /* rotate */ Password = \'x\'\n  SQL\n  revert = "SELECT 1"\n}\n',
    'sf07/main.tf': 'provider "snowflake" {\n  organization_name = "ORG"\n  account_name      = "ACC"\n  user              = "TF"\n  private_key       = file("tf.p8")\n}\n',
    'sf07-clean/main.tf': 'provider "snowflake" {\n  organization_name = "ORG"\n  account_name      = "ACC"\n  user              = "TF"\n  authenticator     = "WORKLOAD_IDENTITY"\n}\n',
  });
}, 60_000);

describe('KL-SF-01 Snowflake password', () => {
  test('raw snowflake_user with a literal password (value never shown)', () => {
    const [hit] = inCase(tf, 'KL-SF-01', 'sf01-user');
    expect(hit.resource).toBe('snowflake_user.legacy');
    expect(hit.message).not.toContain('Winter2026');
    expect(tf.errors['sf01-user']).toContain('[KL-SF-01] snowflake_user.legacy at sf01-user/legacy');
  });

  test('escape hatch: addOverride("password", var) on a clean user', () => {
    expect(inCase(tf, 'KL-SF-01', 'sf01-hatch')[0].message).toContain('var.snowflake_password');
  });

  test('clean neighbour: a user without a password', () => {
    expect(anyInCase(tf, 'sf01-clean')).toEqual([]);
    expect(tf.errors['sf01-clean']).toBeUndefined();
  });

  test('HCL', () => {
    expect(inCase(hcl, 'KL-SF-01', 'sf01').map((h) => h.resource)).toEqual(['snowflake_user.legacy']);
  });
});

describe('KL-SF-02 Snowflake key pair', () => {
  test('raw: rsa_public_key on a user, rsa_public_key_2 on a service user, snowflake_user_public_keys', () => {
    expect(inCase(tf, 'KL-SF-02', 'sf02-raw').map((h) => h.resource).sort()).toEqual(['snowflake_service_user.svc', 'snowflake_user.person', 'snowflake_user_public_keys.keys']);
  });

  test('escape hatch on SnowflakeWorkloadUser: a key next to workload identity is an error that cannot be exempted', () => {
    const [hit] = inCase(tf, 'KL-SF-02', 'sf02-hatch');
    expect(hit.severity).toBe('error');
    expect(hit.constructPath).toBe('sf02-hatch/Etl/User');
    expect(hit.message).toContain('is federated (WORKLOAD_IDENTITY');
    expect(hit.message).toContain('The exemption for it is refused');
    expect(tf.errors['sf02-hatch']).toContain('[KL-SF-02]');
  });

  test('clean neighbour: SnowflakeWorkloadUser as built', () => {
    expect(anyInCase(tf, 'sf-clean')).toEqual([]);
    expect(tf.errors['sf-clean']).toBeUndefined();
  });

  test('HCL (file() and literal)', () => {
    expect(inCase(hcl, 'KL-SF-02', 'sf02').map((h) => h.resource).sort()).toEqual(['snowflake_service_user.svc', 'snowflake_user_public_keys.keys']);
  });
});

describe('KL-SF-03 Snowflake programmatic access token', () => {
  test('raw snowflake_user_programmatic_access_token', () => {
    expect(inCase(tf, 'KL-SF-03', 'sf03-raw').map((h) => h.resource)).toEqual(['snowflake_user_programmatic_access_token.pat']);
  });

  test('stack-level override injecting a token for the federated workload user', () => {
    const [hit] = inCase(tf, 'KL-SF-03', 'sf03-hatch');
    expect(hit.resource).toBe('snowflake_user_programmatic_access_token.sneaky');
    expect(hit.message).toContain('is federated');
  });

  test('HCL', () => {
    expect(inCase(hcl, 'KL-SF-03', 'sf03').map((h) => h.resource)).toEqual(['snowflake_user_programmatic_access_token.pat']);
  });
});

describe('KL-SF-04 legacy service user', () => {
  test('raw snowflake_legacy_service_user, under an active exemption: a warning, synth passes', () => {
    const [hit] = inCase(tf, 'KL-SF-04', 'sf04-raw');
    expect(hit.severity).toBe('warning');
    expect(hit.message).toContain('Exempted until 2099-01-01 (owner bi@example.com)');
    expect(tf.errors['sf04-raw']).toBeUndefined();
  });

  test('stack-level override injecting one', () => {
    expect(inCase(tf, 'KL-SF-04', 'sf04-hatch').map((h) => [h.resource, h.severity])).toEqual([['snowflake_legacy_service_user.sneaky', 'error']]);
  });

  test('clean neighbour: a TYPE = SERVICE user', () => {
    expect(anyInCase(tf, 'sf04-clean')).toEqual([]);
  });

  test('HCL', () => {
    expect(inCase(hcl, 'KL-SF-04', 'sf04').map((h) => h.resource)).toEqual(['snowflake_legacy_service_user.legacy']);
  });
});

describe('KL-SF-05 authentication policy leaves other methods open', () => {
  test('escape hatch on SnowflakeWorkloadUser: PASSWORD added to the policy is an error on the policy', () => {
    const [hit] = inCase(tf, 'KL-SF-05', 'sf05-hatch');
    expect(hit.severity).toBe('error');
    expect(hit.resource).toMatch(/^snowflake_authentication_policy\./);
    expect(hit.message).toContain('allows PASSWORD besides WORKLOAD_IDENTITY');
  });

  test('raw: a federated user without any policy is reported on the user', () => {
    const hits = inCase(tf, 'KL-SF-05', 'sf05-nopolicy');
    expect(hits.map((h) => h.resource)).toEqual(['snowflake_service_user.etl']);
    expect(hits[0].message).toContain('no authentication policy');
  });

  // A policy finding is not a credential: it never carries the federated-identity escalation.
  test('raw: the missing-policy case stays a warning and is not called a fallback credential', () => {
    const hits = inCase(tf, 'KL-SF-05', 'sf05-nopolicy');
    expect(hits.map((h) => h.severity)).toEqual(['warning']);
    expect(tf.errors['sf05-nopolicy']).toBeUndefined();
    for (const hit of [...hits, ...inCase(tf, 'KL-SF-05', 'sf05-hatch')]) expect(hit.message).not.toContain('defeats the federation');
  });

  test('HCL: a policy allowing KEYPAIR attached to the federated user', () => {
    expect(inCase(hcl, 'KL-SF-05', 'sf05').map((h) => [h.resource, h.severity])).toEqual([['snowflake_authentication_policy.etl', 'error']]);
  });
});

describe('KL-SF-06 credential set through SQL', () => {
  test('raw snowflake_execute: PASSWORD, rsa_public_key in lower case over two lines, ADD PROGRAMMATIC ACCESS TOKEN', () => {
    expect(inCase(tf, 'KL-SF-06', 'sf06-raw').map((h) => h.resource).sort()).toEqual(['snowflake_execute.key', 'snowflake_execute.password', 'snowflake_execute.pat']);
  });

  test('escape hatch: RSA_PUBLIC_KEY appended to SnowflakeWorkloadUser\'s SET WORKLOAD_IDENTITY statement', () => {
    const [hit] = inCase(tf, 'KL-SF-06', 'sf06-hatch');
    expect(hit.message).toContain('sets RSA_PUBLIC_KEY');
    expect(hit.constructPath).toBe('sf06-hatch/Etl/WorkloadIdentity');
  });

  test('clean neighbour: GRANT/REVOKE SQL', () => {
    expect(anyInCase(tf, 'sf06-clean')).toEqual([]);
  });

  test('HCL heredoc with a comment and mixed case', () => {
    expect(inCase(hcl, 'KL-SF-06', 'sf06').map((h) => h.resource)).toEqual(['snowflake_execute.pw']);
  });
});

describe('KL-SF-07 provider logs in with a password or key (warning)', () => {
  test('raw provider with a password: a warning, synth passes', () => {
    const hits = inCase(tf, 'KL-SF-07', 'sf07-raw');
    expect(hits.map((h) => [h.resource, h.severity])).toEqual([['provider.snowflake', 'warning']]);
    expect(tf.errors['sf07-raw']).toBeUndefined();
  });

  test('escape hatch: private_key added to a WORKLOAD_IDENTITY provider', () => {
    expect(inCase(tf, 'KL-SF-07', 'sf07-hatch')[0].message).toContain('private_key');
  });

  test('clean neighbour: authenticator WORKLOAD_IDENTITY', () => {
    expect(anyInCase(tf, 'sf07-clean')).toEqual([]);
  });

  test('HCL; clean provider passes', () => {
    expect(inCase(hcl, 'KL-SF-07', 'sf07').map((h) => h.resource)).toEqual(['provider.snowflake']);
    expect(anyInCase(hcl, 'sf07-clean')).toEqual([]);
  });
});
