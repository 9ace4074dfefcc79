import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lexSql } from './support/sql';
import { PLAN, synthKeylessApp } from './fixtures/keyless-app';

describe('a CDKTF app with both constructs synthesizes offline to cdktf.out', () => {
  let outdir: string;
  let config: any;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cdktf-'));
    config = JSON.parse(fs.readFileSync(synthKeylessApp(outdir), 'utf8'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('manifest and stack file are written', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(['keyless']);
  });

  test('every resource type the constructs own, and no credential resource', () => {
    expect(Object.keys(config.resource).sort()).toEqual([
      'azuread_application',
      'azuread_application_federated_identity_credential',
      'azuread_service_principal',
      'snowflake_authentication_policy',
      'snowflake_execute',
      'snowflake_grant_account_role',
      'snowflake_service_user',
      'snowflake_user_authentication_policy_attachment',
    ]);
    expect(Object.keys(config.data)).toEqual(['azuread_client_config']);
    expect(config.terraform.required_providers).toEqual({
      azuread: { source: 'hashicorp/azuread', version: '3.7.0' },
      snowflake: { source: 'snowflakedb/snowflake', version: '2.11.0' },
    });
    expect(config.provider.snowflake[0].preview_features_enabled).toEqual(['snowflake_authentication_policy_resource', 'snowflake_user_authentication_policy_attachment_resource']);
  });

  test('the role ARN and issuer in the SQL and in the credential are the plan values', () => {
    const roleArn = PLAN.workload('etl').roleArn;
    const execute = Object.values(config.resource.snowflake_execute)[0] as any;
    const fic = Object.values(config.resource.azuread_application_federated_identity_credential)[0] as any;
    expect(lexSql(execute.execute.replace(/^ALTER USER \$\{[^}]+\}/, 'ALTER USER U')).literals).toEqual([roleArn, PLAN.issuerUrl]);
    expect([fic.subject, fic.issuer]).toEqual([roleArn, PLAN.issuerUrl]);
  });
});
