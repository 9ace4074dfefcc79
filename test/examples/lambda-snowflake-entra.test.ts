import * as fs from 'fs';
import * as path from 'path';
import { buildCdkApp } from '../../examples/lambda-snowflake-entra/cdk-app';
import { etl, plan } from '../../examples/lambda-snowflake-entra/plan';
import { buildTerraformApp } from '../../examples/lambda-snowflake-entra/terraform-app';
import { buildReport } from '../../lib/guardrails/report';
import { checkOutputs, errors, NOW, onlyResource, readJson, roleArnFromTemplate, roleNamed, sqlStringProperty, stableTemplate, stableTerraform, tempDir } from './support';

describe('example lambda-snowflake-entra: one plan, a CDK app and a CDKTF app', () => {
  let dir: string;
  let template: any;
  let terraform: any;

  beforeAll(() => {
    dir = tempDir('lambda');
    // Both synths run the guardrails (CDK validation plugin, cdktf aspect): an error finding would throw here.
    buildCdkApp(path.join(dir, 'cdk.out'), { now: NOW }).synth();
    buildTerraformApp(path.join(dir, 'cdktf.out'), { now: NOW }).synth();
    template = readJson(path.join(dir, 'cdk.out', 'OrdersEtl.template.json'));
    terraform = readJson(path.join(dir, 'cdktf.out', 'stacks', 'orders-etl-trust', 'cdk.tf.json'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CloudFormation snapshot', () => {
    expect(stableTemplate(template)).toMatchSnapshot();
  });

  test('Terraform JSON snapshot', () => {
    expect(stableTerraform(terraform)).toMatchSnapshot();
  });

  test('the role ARN CloudFormation creates is the subject the Entra credential and the Snowflake user trust', () => {
    const roleArn = roleArnFromTemplate(roleNamed(template, etl.roleName), plan.account);
    expect(roleArn).toBe('arn:aws:iam::111122223333:role/workloads/orders-etl');
    expect(roleArn).toBe(etl.roleArn);

    const fics = Object.values(terraform.resource.azuread_application_federated_identity_credential) as any[];
    expect(fics.map((f) => [f.subject, f.issuer, f.audiences])).toEqual([[roleArn, plan.issuerUrl, ['api://AzureADTokenExchange']]]);

    const executes = Object.values(terraform.resource.snowflake_execute) as any[];
    expect(executes).toHaveLength(1);
    expect(sqlStringProperty(executes[0].execute, 'ARN')).toEqual([roleArn]);
    expect(sqlStringProperty(executes[0].execute, 'ISSUER')).toEqual([plan.issuerUrl]);
    expect(executes[0].execute).toMatch(/^ALTER USER \$\{snowflake_service_user\.[^}]+\.fully_qualified_name\} SET WORKLOAD_IDENTITY = \(TYPE = AWS /);
  });

  test('the account switch insists on the issuer the relying parties trust', () => {
    const federation = onlyResource(template, 'Custom::KeylessOutboundWebIdentityFederation');
    expect(federation.Properties.ExpectedIssuerUrl).toBe(plan.issuerUrl);
    expect(federation.Properties.DisableOnDelete).toBe(false);
  });

  test('the function reads exactly the token requests the role may mint, and no secret', () => {
    const fn = template.Resources.Function76856677;
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['Role1ABCC5F0', 'Arn'] });
    expect(fn.Properties.Environment.Variables).toEqual({
      KEYLESS_WAREHOUSE_AUDIENCE: 'snowflakecomputing.com',
      KEYLESS_WAREHOUSE_SIGNING_ALGORITHM: 'ES384',
      KEYLESS_WAREHOUSE_DURATION_SECONDS: '300',
      KEYLESS_GRAPH_AUDIENCE: 'api://AzureADTokenExchange',
      KEYLESS_GRAPH_SIGNING_ALGORITHM: 'RS256',
      KEYLESS_GRAPH_DURATION_SECONDS: '300',
      SNOWFLAKE_ACCOUNT: 'ACME-ORDERS',
      SNOWFLAKE_USER: 'ORDERS_ETL_SVC',
      SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN: 'true',
      ENTRA_TENANT_ID: '00000000-0000-0000-0000-000000000000',
      ENTRA_CLIENT_ID: '00000000-0000-0000-0000-000000000000',
    });
    expect(fn.Properties.Code.ZipFile).toContain('sts.get_web_identity_token(');
    expect(Buffer.byteLength(fn.Properties.Code.ZipFile)).toBeLessThanOrEqual(4096);
  });

  test('the providers log in without a password, key or client secret', () => {
    expect(terraform.provider.snowflake).toEqual([expect.objectContaining({ authenticator: 'WORKLOAD_IDENTITY', workload_identity_provider: 'AWS' })]);
    expect(terraform.provider.azuread).toEqual([expect.objectContaining({ use_oidc: true })]);
    const providerKeys = [...Object.keys(terraform.provider.snowflake[0]), ...Object.keys(terraform.provider.azuread[0])];
    expect(providerKeys.filter((k) => /password|private_key|secret|certificate|token/.test(k))).toEqual([]);
  });

  test('the root cdk.json runs this app with notices and version reporting off', () => {
    const cdkJson = readJson(path.join(__dirname, '..', '..', 'cdk.json'));
    expect(cdkJson.app).toBe('npx ts-node --prefer-ts-exts examples/lambda-snowflake-entra/cdk-app.ts');
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'examples', 'lambda-snowflake-entra', 'cdk-app.ts'))).toBe(true);
    expect([cdkJson.notices, cdkJson.versionReporting]).toEqual([false, false]);
  });

  test('over both outputs, each trust is one identity: the IAM grant and the relying party are joined', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out'), path.join(dir, 'cdktf.out')]);
    const identities = buildReport(evaluation, { now: new Date(NOW) }).identities;
    expect(identities.map((i) => [i.targetKind, i.subject, i.audience])).toEqual(expect.arrayContaining([
      ['entra', plan.workload(etl.name).roleArn, 'api://AzureADTokenExchange'],
      ['snowflake', plan.workload(etl.name).roleArn, 'snowflakecomputing.com'],
    ]));
    expect(identities).toHaveLength(2); // not 4: the role's two minting statements are the same two trusts
  });

  test('guardrails: zero error findings over both outputs, and each app wrote its inventory report', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out'), path.join(dir, 'cdktf.out')]);
    expect(errors(evaluation)).toEqual([]);
    expect(evaluation.findings).toEqual([]);
    for (const out of ['cdk.out', 'cdktf.out']) {
      const report = readJson(path.join(dir, out, 'keyless-report.json'));
      expect([report.summary.errors, report.summary.credentials]).toEqual([0, 0]);
    }
  });
});
