/**
 * The all-Terraform paved road: one CDKTF app builds the AWS side (switch, workload role, minting statements, the
 * GitHub deploy role) and the relying parties (Snowflake user, Entra application) from one plan. Synthesized the way
 * `npm run synth` does (its `terraform-only` entry), then checked by `keyless check` as CI runs it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { EXAMPLES, runStage } from '../../examples/synth-all';
import { invoiceSync, plan } from '../../examples/terraform-only/plan';
import { InvoiceSyncStack } from '../../examples/terraform-only/terraform-app';
import { KeylessTerraformGuardrails } from '../../lib/guardrails/cdktf/guardrails';
import { buildReport } from '../../lib/guardrails/report';
import { checkOutputs, NOW, readJson, sqlStringProperty, stableTerraform, tempDir } from './support';

const ROOT = path.join(__dirname, '..', '..');

function keyless(args: string[]): { code: number | null; json: any; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'test', 'support', 'keyless-from-source.js'), ...args], {
    env: { ...process.env, KEYLESS_NOW: NOW },
    encoding: 'utf8',
  });
  return { code: run.status, json: run.stdout ? JSON.parse(run.stdout) : undefined, stderr: run.stderr };
}

const only = (json: any, type: string): [string, any] => {
  const all = Object.entries(json.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0] as [string, any];
};

describe('example terraform-only: the whole federation in one CDKTF app', () => {
  let root: string;
  let dir: string;
  let stackFile: string;
  let terraform: any;

  beforeAll(async () => {
    root = tempDir('terraform-only');
    const example = EXAMPLES.find((e) => e.name === 'terraform-only')!;
    const result = await runStage(example, example.stages[0], root, new Date(NOW), new Map());
    dir = result.dir;
    stackFile = path.join(dir, 'cdktf.out', 'stacks', 'invoice-sync', 'cdk.tf.json');
    terraform = readJson(stackFile);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('npm run synth writes it to out/terraform-only/ (cdktf.out and the inventory)', () => {
    expect(path.relative(root, dir)).toBe('terraform-only');
    expect(fs.existsSync(path.join(dir, 'keyless-report.json'))).toBe(true);
  });

  test('Terraform JSON snapshot', () => {
    expect(stableTerraform(terraform)).toMatchSnapshot();
  });

  test('the switch needs AWS provider >= 6.26.0, is never destroyed by accident, and insists on the plan\'s issuer', () => {
    expect(terraform.terraform.required_providers.aws.version).toBe('>= 6.26.0');
    const [, federation] = only(terraform, 'aws_iam_outbound_web_identity_federation');
    expect(federation.lifecycle.prevent_destroy).toBe(true);
    expect(federation.lifecycle.postcondition[0].condition).toBe(`\${self.issuer_identifier == "${plan.issuerUrl}"}`);
  });

  test('the ARN Terraform creates is the subject the Entra credential and the Snowflake user trust', () => {
    const role = Object.values(terraform.resource.aws_iam_role).find((r: any) => r.name === invoiceSync.roleName) as any;
    const roleArn = `arn:aws:iam::${plan.account}:role${role.path}${role.name}`;
    expect(roleArn).toBe('arn:aws:iam::444455556666:role/workloads/invoice-sync');
    expect(roleArn).toBe(invoiceSync.roleArn);
    const [, fic] = only(terraform, 'azuread_application_federated_identity_credential');
    expect([fic.subject, fic.issuer, fic.audiences]).toEqual([roleArn, plan.issuerUrl, ['api://AzureADTokenExchange']]);
    const [, execute] = only(terraform, 'snowflake_execute');
    expect(sqlStringProperty(execute.execute, 'ARN')).toEqual([roleArn]);
    expect(sqlStringProperty(execute.execute, 'ISSUER')).toEqual([plan.issuerUrl]);
  });

  test('the role mints only the two planned tokens, each with its own algorithm; the function reads exactly those requests', () => {
    const [, policy] = only(terraform, 'aws_iam_role_policy');
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements.map((s: any) => [s.Sid, s.Action, s.Condition['ForAllValues:StringEquals'], s.Condition.StringEquals, s.Condition.Null])).toEqual([
      ['MintTokenForWarehouse', 'sts:GetWebIdentityToken', { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] }, { 'sts:SigningAlgorithm': 'ES384' }, { 'sts:IdentityTokenAudience': 'false' }],
      ['MintTokenForGraph', 'sts:GetWebIdentityToken', { 'sts:IdentityTokenAudience': ['api://AzureADTokenExchange'] }, { 'sts:SigningAlgorithm': 'RS256' }, { 'sts:IdentityTokenAudience': 'false' }],
    ]);
    const [, fn] = only(terraform, 'aws_lambda_function');
    expect(fn.environment.variables).toEqual({
      KEYLESS_WAREHOUSE_AUDIENCE: 'snowflakecomputing.com',
      KEYLESS_WAREHOUSE_SIGNING_ALGORITHM: 'ES384',
      KEYLESS_WAREHOUSE_DURATION_SECONDS: '300',
      KEYLESS_GRAPH_AUDIENCE: 'api://AzureADTokenExchange',
      KEYLESS_GRAPH_SIGNING_ALGORITHM: 'RS256',
      KEYLESS_GRAPH_DURATION_SECONDS: '300',
      SNOWFLAKE_ACCOUNT: 'ACME-BILLING',
      SNOWFLAKE_USER: 'INVOICE_SYNC_SVC',
      SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN: 'true',
    });
  });

  test('keyless check on out/terraform-only: exit 0, no finding', () => {
    const run = keyless(['check', dir, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json.findings).toEqual([]);
    expect(run.json.summary).toMatchObject({ errors: 0, warnings: 0, exempted: 0 });
  });

  test('the inventory joins the role\'s minting statements with the Entra and Snowflake trusts, and lists the deploy role', async () => {
    const identities = buildReport(await checkOutputs([path.join(dir, 'cdktf.out')]), { now: new Date(NOW) }).identities;
    expect(identities.map((i) => [i.targetKind, i.subject, i.audience])).toEqual(expect.arrayContaining([
      ['entra', invoiceSync.roleArn, 'api://AzureADTokenExchange'],
      ['snowflake', invoiceSync.roleArn, 'snowflakecomputing.com'],
      ['aws-role', 'repo:acme/invoice-platform:environment:prod', 'sts.amazonaws.com'],
    ]));
    expect(identities).toHaveLength(3);
  });

  test('a minting statement weakened to ForAnyValue: keyless check exits 1 with KL-TR-03 on the role policy', () => {
    const [address, policy] = only(terraform, 'aws_iam_role_policy');
    const document = JSON.parse(policy.policy);
    const condition = document.Statement[1].Condition;
    condition['ForAnyValue:StringEquals'] = condition['ForAllValues:StringEquals'];
    delete condition['ForAllValues:StringEquals'];
    delete condition.Null;
    const weakened = JSON.parse(JSON.stringify(terraform));
    weakened.resource.aws_iam_role_policy[address].policy = JSON.stringify(document);
    const file = path.join(root, 'weakened.tf.json');
    fs.writeFileSync(file, JSON.stringify(weakened));

    const run = keyless(['check', file, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.json.findings.map((f: any) => [f.ruleId, f.severity, f.resource])).toEqual([['KL-TR-03', 'error', `aws_iam_role_policy.${address}`]]);
  });

  test('the cdktf aspect fails the synth on the same weakening made with an escape hatch', () => {
    // the guardrails print the finding (and the KL-TR-04 warning on the same statement) while they fail the synth
    for (const method of ['log', 'warn', 'error'] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
    const app = new App({ outdir: path.join(root, 'aspect') });
    KeylessTerraformGuardrails.enable(app, { now: NOW, writeReport: false });
    const stack = new InvoiceSyncStack(app, 'invoice-sync');
    stack.workloadRole.tokenPolicy.addOverride('policy', JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] } } }],
    }));
    expect(() => app.synth()).toThrow(/KL-TR-03/);
    jest.restoreAllMocks();
  });
});
