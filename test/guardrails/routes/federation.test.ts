/**
 * The federation graph through its routes: `keyless check` over the two engines' real outputs (the paved road's
 * cdk.out + cdktf.out, synthesized as `npm run synth` does), one break at a time, with --issuer and --plan; and the
 * cdktf aspect at synth, where one app holds both sides (examples/terraform-only).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { EXAMPLES, runStage } from '../../../examples/synth-all';
import { plan as invoicePlan } from '../../../examples/terraform-only/plan';
import { plan as lambdaPlan } from '../../../examples/lambda-snowflake-entra/plan';
import { OrdersEtlTrustStack } from '../../../examples/lambda-snowflake-entra/terraform-app';
import { InvoiceSyncStack } from '../../../examples/terraform-only/terraform-app';
import { TerraformFederatedWorkloadRole } from '../../../lib/terraform/aws/workload-role';
import { TerraformOutboundWebIdentityFederation } from '../../../lib/terraform/aws/outbound-federation';
import { CliIo, main } from '../../../lib/cli/main';
import { KeylessTerraformGuardrails } from '../../../lib/guardrails/cdktf/guardrails';
import { NOW, readJson, tempDir } from '../../examples/support';

const ROLE = 'arn:aws:iam::111122223333:role/workloads/orders-etl';
const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
const OTHER_ISSUER = 'https://9f8e7d6c-5b4a-4321-8fed-cba987654321.tokens.sts.global.api.aws';

async function check(cwd: string, args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
  const code = await main(['check', ...args, '--format', 'json'], io);
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

const fed = (json: any): [string, string, string][] => json.findings.filter((f: any) => f.ruleId.startsWith('KL-FED-')).map((f: any) => [f.ruleId, f.severity, f.resource]);

describe('keyless check cdk.out cdktf.out: the paved road and one break at a time', () => {
  let root: string;
  let pristine: string;
  let work: string;
  const files = (dir: string) => ({
    template: path.join(dir, 'cdk.out', 'OrdersEtl.template.json'),
    terraform: path.join(dir, 'cdktf.out', 'stacks', 'orders-etl-trust', 'cdk.tf.json'),
  });
  const edit = (file: string, change: (json: any) => void): void => {
    const json = readJson(file);
    change(json);
    fs.writeFileSync(file, JSON.stringify(json));
  };
  const role = (t: any) => Object.values(t.Resources).find((r: any) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'orders-etl') as any;
  const statements = (t: any) => role(t).Properties.Policies[0].PolicyDocument.Statement as any[];
  const fic = (tf: any) => Object.values(tf.resource.azuread_application_federated_identity_credential)[0] as any;
  const sql = (tf: any) => Object.values(tf.resource.snowflake_execute)[0] as any;
  const FIC = (tf: any) => `azuread_application_federated_identity_credential.${Object.keys(tf.resource.azuread_application_federated_identity_credential)[0]}`;
  const SF = (tf: any) => `snowflake_execute.${Object.keys(tf.resource.snowflake_execute)[0]}`;

  beforeAll(async () => {
    root = tempDir('federation-routes');
    const example = EXAMPLES.find((e) => e.name === 'lambda-snowflake-entra')!;
    pristine = (await runStage(example, example.stages[0], root, new Date(NOW), new Map())).dir;
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    work = path.join(root, `work-${Math.random().toString(36).slice(2)}`);
    fs.cpSync(pristine, work, { recursive: true });
  });

  test('the paved road: exit 0, both pairs reachable, no KL-FED finding', async () => {
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    expect(r.code).toBe(0);
    const tf = readJson(files(work).terraform);
    expect(r.json.federation).toEqual([
      { workload: ROLE, target: FIC(tf), targetKind: 'entra', audience: 'api://AzureADTokenExchange', algorithm: 'RS256', reachable: true },
      { workload: ROLE, target: SF(tf), targetKind: 'snowflake', audience: 'snowflakecomputing.com', algorithm: 'ES384', reachable: true },
    ]);
    expect(fed(r.json)).toEqual([]);
  });

  test('KL-FED-01: the Entra subject has a typo', async () => {
    edit(files(work).terraform, (tf) => { fic(tf).subject = `${ROLE}-typo`; });
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    expect(r.code).toBe(1);
    const tf = readJson(files(work).terraform);
    expect(fed(r.json)).toEqual([['KL-FED-01', 'error', FIC(tf)], ['KL-FED-04', 'warning', 'Role1ABCC5F0']]);
    expect(r.json.federation.find((p: any) => p.targetKind === 'entra')).toMatchObject({ workload: `${ROLE}-typo`, reachable: false });
  });

  test('KL-FED-02: Snowflake names another account\'s issuer', async () => {
    edit(files(work).terraform, (tf) => { sql(tf).execute = sql(tf).execute.replace(ISSUER, OTHER_ISSUER); });
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    expect(r.code).toBe(1);
    expect(fed(r.json)).toEqual([['KL-FED-02', 'error', SF(readJson(files(work).terraform))]]);
  });

  test('KL-FED-03: the Snowflake grant is signed RS256', async () => {
    edit(files(work).template, (t) => { statements(t)[0].Condition.StringEquals['sts:SigningAlgorithm'] = 'RS256'; });
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    expect(r.code).toBe(1);
    expect(fed(r.json)).toEqual([['KL-FED-03', 'error', 'Role1ABCC5F0']]);
    expect(r.json.federation.find((p: any) => p.targetKind === 'snowflake')).toMatchObject({ algorithm: 'RS256', reachable: false });
  });

  test('KL-FED-03: the Entra grant was removed', async () => {
    edit(files(work).template, (t) => { role(t).Properties.Policies[0].PolicyDocument.Statement = [statements(t)[0]]; });
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    expect(fed(r.json)).toEqual([['KL-FED-03', 'error', 'Role1ABCC5F0']]);
    expect(r.json.findings.find((f: any) => f.ruleId === 'KL-FED-03').message).toContain('for audience "api://AzureADTokenExchange"');
  });

  test('KL-FED-03: the Entra credential expects another audience than the role may mint', async () => {
    edit(files(work).terraform, (tf) => { fic(tf).audiences = ['api://AzureADTokenExchangeUSGov']; });
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    expect(r.code).toBe(1);
    expect(fed(r.json)).toEqual([['KL-FED-03', 'error', 'Role1ABCC5F0'], ['KL-FED-04', 'warning', 'Role1ABCC5F0']]);
    expect(r.json.findings.find((f: any) => f.ruleId === 'KL-FED-03').message).toContain('no statement of its identity policies lets it mint a token for audience "api://AzureADTokenExchangeUSGov"');
  });

  test('KL-FED-01 twice: the role\'s path changed', async () => {
    edit(files(work).template, (t) => { role(t).Properties.Path = '/apps/'; });
    const r = await check(work, ['cdk.out', 'cdktf.out']);
    const tf = readJson(files(work).terraform);
    expect(fed(r.json).filter(([id]) => id === 'KL-FED-01')).toEqual([['KL-FED-01', 'error', FIC(tf)], ['KL-FED-01', 'error', SF(tf)]]);
  });

  test('one side only: no KL-FED finding, a note says which side was not checked', async () => {
    const r = await check(work, ['cdktf.out']);
    expect(r.code).toBe(0);
    expect(r.json.federation).toEqual([]);
    expect(r.json.summary.notes).toEqual(expect.arrayContaining([expect.stringMatching(/trusts arn:aws:iam::111122223333:role\/workloads\/orders-etl, but no role of account 111122223333 is among the inputs/)]));
  });

  test('--issuer: another issuer for the account is a note, not a guess; a malformed one is a usage error', async () => {
    const r = await check(work, ['cdk.out', 'cdktf.out', `--issuer=111122223333=${OTHER_ISSUER}`]);
    expect(r.code).toBe(0);
    expect(r.json.summary.notes.join('\n')).toContain('account 111122223333 is given more than one issuer');
    const bad = await check(work, ['cdk.out', '--issuer', `1111=${ISSUER}`]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^keyless check: --issuer 1111=https:\/\/\S+: .*12 digits/)]);
    const slash = await check(work, ['cdk.out', '--issuer', `111122223333=${ISSUER}/`]);
    expect([slash.code, slash.stderr]).toEqual([2, expect.stringContaining('trailing slash')]);
  });

  test('a trust manifest given as a PATH joins the graph; a malformed one is unusable input', async () => {
    const manifest = path.join(work, 'etl-openai.json');
    const body = { schema: 'cdk-keyless/trust-manifest@1', vendor: 'openai', workload: 'orders-etl', target: 'openai', account: '111122223333', issuer: { url: ISSUER }, subject: ROLE, audience: 'https://api.openai.com/v1', signingAlgorithm: 'RS256', tokenLifetimeSeconds: 300 };
    fs.writeFileSync(manifest, JSON.stringify(body));
    const r = await check(work, ['cdk.out', 'cdktf.out', 'etl-openai.json']);
    // the role has no grant for OpenAI's audience: the manifest's trust cannot be used
    expect(fed(r.json)).toEqual([['KL-FED-03', 'error', 'Role1ABCC5F0']]);
    expect(r.json.federation.find((p: any) => p.targetKind === 'openai')).toMatchObject({ target: 'orders-etl-openai', reachable: false });
    fs.writeFileSync(manifest, JSON.stringify({ ...body, vendor: 'acme' }));
    const bad = await check(work, ['cdk.out', 'etl-openai.json']);
    expect([bad.code, bad.stderr]).toEqual([2, `keyless: ${manifest}: trust manifest vendor must be one of openai, anthropic, got "acme"\n`]);
  });
});

describe('the all-Terraform road: --plan, and the cdktf aspect at synth', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = tempDir('federation-terraform');
    const example = EXAMPLES.find((e) => e.name === 'terraform-only')!;
    dir = (await runStage(example, example.stages[0], root, new Date(NOW), new Map())).dir;
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('keyless check cdktf.out: every pair reachable, the issuer read from the switch\'s postcondition', async () => {
    const r = await check(dir, ['cdktf.out']);
    expect(r.code).toBe(0);
    expect(r.json.federation.map((p: any) => [p.workload, p.targetKind, p.reachable])).toEqual([
      [invoicePlan.workloads[0].roleArn, 'entra', true],
      [invoicePlan.workloads[0].roleArn, 'snowflake', true],
    ]);
  });

  test('--plan names the issuer when no switch is among the inputs, and a broken plan is unusable input', async () => {
    const stack = path.join(dir, 'cdktf.out', 'stacks', 'invoice-sync', 'cdk.tf.json');
    const tf = readJson(stack);
    delete tf.resource.aws_iam_outbound_web_identity_federation;
    const copy = path.join(root, 'no-switch.tf.json');
    fs.writeFileSync(copy, JSON.stringify(tf));
    const without = await check(root, ['no-switch.tf.json']);
    expect(without.json.summary.notes.join('\n')).toContain('the issuer of account 444455556666 is not known to this check');
    const planFile = path.join(root, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify({ account: invoicePlan.account, issuerUrl: invoicePlan.issuerUrl, workloads: [] }));
    const withPlan = await check(root, ['no-switch.tf.json', '--plan', 'plan.json']);
    expect(withPlan.code).toBe(0);
    expect(withPlan.json.summary.notes.join('\n')).not.toContain('is not known to this check');
    fs.writeFileSync(planFile, JSON.stringify({ account: invoicePlan.account, issuerUrl: `${invoicePlan.issuerUrl}/`, workloads: [] }));
    const bad = await check(root, ['no-switch.tf.json', '--plan', 'plan.json']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^keyless: plan\.json: .*trailing slash/)]);
  });

  test('the cdktf aspect fails the synth on a dangling Entra credential added next to the paved one', () => {
    for (const method of ['log', 'warn', 'error'] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
    const app = new App({ outdir: path.join(root, 'aspect') });
    KeylessTerraformGuardrails.enable(app, { now: NOW, writeReport: false });
    const stack = new InvoiceSyncStack(app, 'invoice-sync');
    new ApplicationFederatedIdentityCredential(stack, 'Typo', {
      applicationId: stack.entraApplication.application.id,
      displayName: 'invoice-sync-typo',
      audiences: ['api://AzureADTokenExchange'],
      issuer: invoicePlan.issuerUrl,
      subject: `${invoicePlan.workloads[0].roleArn}-typo`,
    });
    expect(() => app.synth()).toThrow(/KL-FED-01/);
    jest.restoreAllMocks();
  });
});

describe('the cdktf aspect joins every stack of the App', () => {
  /** The AWS side in its own stack, the lambda paved road's trust stack beside it, in one CDKTF app. */
  function twoStackApp(root: string, breakTrust: boolean): App {
    const app = new App({ outdir: path.join(root, `two-stacks-${breakTrust}`) });
    KeylessTerraformGuardrails.enable(app, { now: NOW, writeReport: false });
    const aws = new TerraformStack(app, 'aws-side');
    new AwsProvider(aws, 'aws', { region: 'eu-west-1', allowedAccountIds: [lambdaPlan.account] });
    const federation = TerraformOutboundWebIdentityFederation.fromPlan(aws, 'Federation', lambdaPlan);
    TerraformFederatedWorkloadRole.fromPlan(aws, 'Role', lambdaPlan, 'orders-etl', { federation });
    const trusts = new OrdersEtlTrustStack(app, 'orders-etl-trust');
    if (breakTrust) {
      new ApplicationFederatedIdentityCredential(trusts, 'Typo', {
        applicationId: trusts.entraApplication.application.id,
        displayName: 'orders-etl-typo',
        audiences: ['api://AzureADTokenExchange'],
        issuer: lambdaPlan.issuerUrl,
        subject: `${ROLE}-typo`,
      });
    }
    return app;
  }

  test('a role in one stack and its trusts in another: the synth passes; a dangling trust in the other stack fails it with KL-FED-01', () => {
    for (const method of ['log', 'warn', 'error'] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
    const root = tempDir('federation-two-stacks');
    try {
      expect(() => twoStackApp(root, false).synth()).not.toThrow();
      expect(() => twoStackApp(root, true).synth()).toThrow(/KL-FED-01[\s\S]*orders-etl-typo|orders-etl-trust[\s\S]*KL-FED-01/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      jest.restoreAllMocks();
    }
  });
});
