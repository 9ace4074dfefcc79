/**
 * `keyless` as CI runs it: a subprocess (`node bin/keyless ...`) over a cdk.out and a cdktf.out synthesized here,
 * plus in-process runs of `main()` for the cases that need no process boundary.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { App as CdkApp, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { App as TfApp, TerraformStack } from 'cdktf';
import { CliIo, main } from '../../lib/cli/main';

const BIN = path.join(__dirname, '..', 'support', 'keyless-from-source.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cli-'));

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the CLI from the TypeScript sources (bin/keyless runs the same entry point compiled; the consumer test runs that). */
function keyless(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: work,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** main() in process with captured output. */
async function run(args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    cwd: work,
    env: options.env ?? {},
    stderrIsTty: options.tty ?? false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function write(name: string, text: string): string {
  const file = path.join(work, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const EXEMPTION = {
  ruleId: 'KL-AWS-01',
  resource: 'Leaky/DeployKey',
  justification: 'the legacy deploy tool needs a key until the Q3 migration',
  owner: 'platform@example.com',
  expires: '2099-12-31',
};

beforeAll(() => {
  // a cdk.out with a leaky stack and a clean stack
  const cdk = new CdkApp({ outdir: path.join(work, 'cdk.out'), builtinCloudFormationValidation: false });
  const leaky = new Stack(cdk, 'Leaky');
  new iam.CfnAccessKey(leaky, 'DeployKey', { userName: new iam.User(leaky, 'Deployer').userName });
  new iam.Role(new Stack(cdk, 'Clean'), 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  cdk.synth();
  // a cdktf.out with an Entra client secret
  const tf = new TfApp({ outdir: path.join(work, 'cdktf.out') });
  const stack = new TerraformStack(tf, 'app');
  new AzureadProvider(stack, 'azuread', { useOidc: true });
  const application = new Application(stack, 'etl', { displayName: 'etl-app' });
  new ApplicationPasswordA(stack, 'ci', { applicationId: application.id });
  tf.synth();

  write('hcl/main.tf', 'resource "aws_iam_user" "ci" {\n  name = "ci"\n}\n\nresource "aws_iam_access_key" "ci" {\n  user = aws_iam_user.ci.name\n}\n');
  write('broken/bad.json', '{"Resources": {"A": ');
  write('broken-hcl/main.tf', 'resource "aws_iam_user" "ci" {\n  name = \n}\n');
  write('clean.yaml', 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
  write('package.json', '{"name": "not-a-template"}');
  write('exemptions.json', JSON.stringify({ exemptions: [EXEMPTION] }));
  write('bad-exemptions.json', JSON.stringify({ exemptions: [{ ...EXEMPTION, owner: 'TODO' }] }));
  fs.mkdirSync(path.join(work, 'empty'));
});

describe('keyless as a subprocess (node bin/keyless)', () => {
  // one batch, run concurrently: each start compiles the TypeScript sources through ts-node
  const results: Record<string, Run> = {};
  beforeAll(async () => {
    const cases: Record<string, string[]> = {
      text: ['check', 'cdk.out'],
      json: ['check', 'cdk.out', '--format', 'json'],
      sarif: ['check', 'cdktf.out', '--format=sarif'],
      malformed: ['check', 'broken/bad.json'],
      empty: ['check', 'empty'],
      unknownFlag: ['check', 'cdk.out', '--frobnicate'],
    };
    const entries = Object.entries(cases);
    for (let i = 0; i < entries.length; i += 3) {
      await Promise.all(entries.slice(i, i + 3).map(async ([name, args]) => { results[name] = await keyless(args); }));
    }
  }, 120_000);

  test('check on a cdk.out with an access key: exit 1, text names file:line, rule, resource, construct path', () => {
    const r = results.text;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^cdk\.out\/Leaky\.template\.json:\d+: error KL-AWS-01 DeployKey \(Leaky\/DeployKey\)\n/);
    expect(r.stdout).toContain('Fix: Delete the access key.');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('keyless check FAILED: 1 error, 0 warnings in 2 files, 3 resources');
  });

  test('--format json prints {findings:[{ruleId,severity,file,resource,message}], summary, federation}', () => {
    const r = results.json;
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['findings', 'summary', 'federation']);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toEqual({
      ruleId: 'KL-AWS-01',
      severity: 'error',
      file: 'cdk.out/Leaky.template.json',
      resource: 'DeployKey',
      message: expect.stringContaining('IAM access key DeployKey'),
    });
    expect(out.summary).toMatchObject({ files: 2, errors: 1, warnings: 0, findings: 1 });
  });

  test('--format sarif on a cdktf.out: SARIF 2.1.0 with the catalog as rules and a relative location', () => {
    const r = results.sarif;
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((x: any) => x.id)).toContain('KL-AZ-01');
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({
      ruleId: 'KL-AZ-01',
      level: 'error',
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'cdktf.out/stacks/app/cdk.tf.json', uriBaseId: '%SRCROOT%' } },
        logicalLocations: [{ name: 'azuread_application_password.ci', fullyQualifiedName: 'app/ci' }],
      }],
    });
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('KL-AZ-01');
  });

  test('a Terraform HCL file', async () => {
    const r = await run(['check', 'hcl/main.tf', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: any) => [f.ruleId, f.file, f.resource])).toEqual([['KL-AWS-01', 'hcl/main.tf', 'aws_iam_access_key.ci']]);
  });

  test('a malformed file: exit 2, one stderr line naming the file and the reason, nothing on stdout', () => {
    const r = results.malformed;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^keyless: .*broken\/bad\.json: malformed JSON: /), '']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('an empty directory: exit 2 "no templates found"', () => {
    const r = results.empty;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^keyless: empty: no templates found \(expected a cdk\.out or cdktf\.out directory, .*\)\n$/);
  });

  test('an unknown flag: exit 2, one line naming it', () => {
    const r = results.unknownFlag;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('keyless check: unknown option "--frobnicate" (options: --format, --exemptions, --follow-downloaded-modules, --plan, --issuer, --codeowners, --owner-tag, --default-owner, --help; see keyless --help)\n');
  });

  test('--version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});

describe('keyless check (in process)', () => {
  test('a clean template passes with exit 0', async () => {
    const r = await run(['check', 'clean.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('keyless check passed: 0 errors, 0 warnings in 1 file, 1 resource\n');
  });

  test('several PATHs are checked together', async () => {
    const r = await run(['check', 'cdk.out', 'cdktf.out', 'clean.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: any) => f.ruleId).sort()).toEqual(['KL-AWS-01', 'KL-AZ-01']);
    expect(out.summary.files).toBe(4);
  });

  test('--exemptions turns the error into an exempted warning: exit 0', async () => {
    const r = await run(['check', 'cdk.out', '--exemptions', 'exemptions.json', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.findings[0]).toMatchObject({ ruleId: 'KL-AWS-01', severity: 'warning' });
    expect(out.findings[0].message).toContain('Exempted until 2099-12-31 (owner platform@example.com)');
    expect(out.summary.exempted).toBe(1);
  });

  describe('an exemption names one resource: the same id in two templates needs "stack"', () => {
    const key = (stack: string) => `{"Resources":{"CiUserKey":{"Type":"AWS::IAM::AccessKey","Properties":{"UserName":"ci-${stack}"}}}}`;
    const entry = { ...EXEMPTION, resource: 'CiUserKey' };
    beforeAll(() => {
      write('envs/Prod.template.json', key('prod'));
      write('envs/Dev.template.json', key('dev'));
      write('ambiguous.json', JSON.stringify({ exemptions: [entry] }));
      write('scoped.json', JSON.stringify({ exemptions: [{ ...entry, stack: 'Prod' }] }));
    });

    test('without "stack", exit 2 naming the file, the entry, the resource, the stacks and the rule', async () => {
      const r = await run(['check', 'envs', '--exemptions', 'ambiguous.json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('keyless: ambiguous.json: exemptions[0].resource "CiUserKey": KL-AWS-01 on CiUserKey matches a resource in 2 stacks (Dev, Prod); '
        + 'an exemption names one resource: add "stack" with the one it is for (e.g. "stack": "Dev"), one entry per stack [rule exemption.ambiguous]\n');
    });

    test('with "stack", only that template\'s key is exempted; an id in one template only needs no "stack"', async () => {
      const r = await run(['check', 'envs', '--exemptions', 'scoped.json', '--format', 'json']);
      expect(r.code).toBe(1);
      const findings = JSON.parse(r.stdout).findings.map((f: any) => [path.basename(f.file), f.severity, /Exempted until/.test(f.message)]);
      expect(findings).toEqual([['Dev.template.json', 'error', false], ['Prod.template.json', 'warning', true]]);
      expect((await run(['check', 'envs/Prod.template.json', '--exemptions', 'ambiguous.json'])).code).toBe(0);
    });
  });

  test('an expired exemption (KEYLESS_NOW after the expiry) fails again', async () => {
    const r = await run(['check', 'cdk.out', '--exemptions', 'exemptions.json'], { env: { KEYLESS_NOW: '2100-01-01' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('The exemption expired on 2099-12-31');
  });

  test('--format markdown', async () => {
    const r = await run(['check', 'cdk.out', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('## :x: keyless check failed');
    expect(r.stdout).toContain('| error | KL-AWS-01 | `DeployKey`<br>Leaky/DeployKey | cdk.out/Leaky.template.json:');
  });

  test.each([
    ['a nonexistent path', ['check', 'nope'], /^keyless: .*nope: no such file or directory\n$/],
    ['malformed HCL (line and column)', ['check', 'broken-hcl/main.tf'], /^keyless: .*broken-hcl\/main\.tf: malformed HCL: line 2, column \d+: /],
    ['a JSON file that is not a template', ['check', 'package.json'], /^keyless: .*package\.json: not a CloudFormation template .*, a Terraform JSON configuration .* or a Terraform plan/],
    ['an invalid exemptions file', ['check', 'cdk.out', '--exemptions', 'bad-exemptions.json'], /^keyless: bad-exemptions\.json: exemptions\[0\]\.owner "TODO": must name the team or person/],
    ['a missing exemptions file', ['check', 'cdk.out', '--exemptions', 'missing.json'], /^keyless: missing\.json: no such file or directory\n$/],
    ['an unknown format', ['check', 'cdk.out', '--format', 'xml'], /^keyless check: --format "xml" is not one of text, json, sarif, markdown\n$/],
    ['a missing option value', ['check', 'cdk.out', '--format'], /^keyless check: option --format needs a value\n$/],
    ['an option given twice', ['check', 'cdk.out', '--format', 'json', '--format', 'text'], /^keyless check: option --format given twice\n$/],
    ['no PATH', ['check'], /^keyless check: no PATH given \(see keyless --help\)\n$/],
    ['no command', [], /^keyless: no command given; expected "check", "report" or "history"/],
    ['an unknown command', ['scan', 'x'], /^keyless: unknown command "scan"; expected "check", "report" or "history"/],
    ['a report-only option on check', ['check', 'cdk.out', '--baseline', 'x.json'], /^keyless check: unknown option "--baseline"/],
    ['a value given to a switch', ['check', 'cdk.out', '--follow-downloaded-modules=yes'], /^keyless check: option --follow-downloaded-modules takes no value\n$/],
    ['a switch given twice', ['check', 'cdk.out', '--follow-downloaded-modules', '--follow-downloaded-modules'], /^keyless check: option --follow-downloaded-modules given twice\n$/],
    ['a bad KEYLESS_NOW', ['check', 'cdk.out'], /^keyless: KEYLESS_NOW "soon" is not an ISO date/],
  ])('%s: exit 2 with one stderr line', async (_name, args, stderr) => {
    const r = await run(args as string[], { env: { KEYLESS_NOW: _name === 'a bad KEYLESS_NOW' ? 'soon' : '' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line + the final newline
  });

  describe('Terraform modules (fixture terraform-modules: a root module calling local modules)', () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'inputs', 'terraform-modules');
    const findings = (r: Run) => (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; resource: string; file: string }> }).findings
      .map((f) => [f.ruleId, f.resource, path.relative(fixture, path.resolve(work, f.file))]);

    test('findings inside modules at their module address; the good neighbours have none; modules checked on their own too', async () => {
      const r = await run(['check', fixture, '--format', 'json']);
      expect(r.code).toBe(1);
      expect(findings(r)).toEqual([
        ['KL-TR-02', 'module.any_repo.aws_iam_role.this', 'modules/github-oidc-role/main.tf'],
        // modules/iam-user checked on its own: its count is not judged, so the key exists
        ['KL-AWS-01', 'aws_iam_access_key.this', 'modules/iam-user/main.tf'],
        ['KL-AWS-01', 'module.etl.aws_iam_access_key.this[0]', 'modules/iam-user/main.tf'],
        ['KL-SF-01', 'module.warehouse.snowflake_user.this', 'modules/snowflake-loader/main.tf'],
        ['KL-SF-01', 'snowflake_user.this', 'modules/snowflake-loader/main.tf'],
        ['KL-SF-06', 'module.warehouse.snowflake_execute.setup', 'modules/snowflake-loader/main.tf'],
      ]);
      const resources = findings(r).map((f) => f[1]);
      expect(resources).not.toContain('module.reporting.aws_iam_access_key.this');
      expect(resources).not.toContain('module.deploy.aws_iam_role.this');
      expect(JSON.parse(r.stdout).summary.notes).toEqual([
        `${path.join(fixture, 'main.tf')}: module.vpc: module source "terraform-aws-modules/vpc/aws" is not a local path (./ or ../) and downloaded modules are not read (after terraform init, pass --follow-downloaded-modules); its resources are not checked`,
        // the module read on its own: its subjects are a root variable, which KL-TR-02 cannot read
        `${path.join(fixture, 'modules/github-oidc-role/main.tf')}: aws_iam_role.this (aws_iam_role): assume_role_policy statement #1 compares <provider>:sub with "\${var.subjects}", known only at plan or deploy time; KL-TR-02 could not check that it pins one workload`,
        `${path.join(fixture, 'modules/iam-user/main.tf')}: aws_iam_access_key.this: count = \${var.create_access_key ? 1 : 0} is not known statically: the resource is checked once, at aws_iam_access_key.this without an instance key`,
      ]);
    });

    test('two calls of one module are two identities: a federated application in one does not escalate a secret in the other', async () => {
      write('entra/modules/app/main.tf', [
        'variable "federated" {}', 'variable "with_secret" {}',
        'resource "azuread_application" "this" {\n  display_name = "etl"\n}',
        'resource "azuread_application_federated_identity_credential" "this" {\n  count          = var.federated ? 1 : 0\n  application_id = azuread_application.this.id\n  display_name   = "github-main"\n  issuer         = "https://token.actions.githubusercontent.com"\n  subject        = "repo:acme/etl:ref:refs/heads/main"\n  audiences      = ["api://AzureADTokenExchange"]\n}',
        'resource "azuread_application_password" "this" {\n  count          = var.with_secret ? 1 : 0\n  application_id = azuread_application.this.id\n}', '',
      ].join('\n'));
      write('entra/main.tf', 'module "federated" {\n  source      = "./modules/app"\n  federated   = true\n  with_secret = false\n}\nmodule "legacy" {\n  source      = "./modules/app"\n  federated   = false\n  with_secret = true\n}\n');
      const r = await run(['check', 'entra/main.tf', '--format', 'json']);
      const found = JSON.parse(r.stdout).findings as Array<{ ruleId: string; resource: string; message: string }>;
      expect(found.map((f) => [f.ruleId, f.resource])).toEqual([['KL-AZ-01', 'module.legacy.azuread_application_password.this[0]']]);
      expect(found[0].message).toContain('creates a client secret for module.legacy.azuread_application.this');
      expect(found[0].message).not.toContain('is federated');
    });

    test('--follow-downloaded-modules reads .terraform/modules through modules.json; an exemption names the module address', async () => {
      write('downloaded/main.tf', 'module "ci_user" {\n  source  = "acme/iam-user/aws"\n  version = "2.0.0"\n  name    = "ci"\n}\n');
      write('downloaded/.terraform/modules/ci_user/main.tf', 'variable "name" {}\nresource "aws_iam_user" "this" {\n  name = var.name\n}\nresource "aws_iam_access_key" "this" {\n  user = aws_iam_user.this.name\n}\n');
      write('downloaded/.terraform/modules/modules.json', JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'ci_user', Source: 'registry.terraform.io/acme/iam-user/aws', Version: '2.0.0', Dir: '.terraform/modules/ci_user' }] }));
      const off = await run(['check', 'downloaded', '--format', 'json']);
      expect(off.code).toBe(0);
      expect(JSON.parse(off.stdout).findings).toEqual([]);
      const on = await run(['check', '--follow-downloaded-modules', 'downloaded', '--format', 'json']);
      expect(on.code).toBe(1);
      expect(JSON.parse(on.stdout).findings.map((f: { ruleId: string; resource: string; file: string }) => [f.ruleId, f.resource, f.file])).toEqual([
        ['KL-AWS-01', 'module.ci_user.aws_iam_access_key.this', 'downloaded/.terraform/modules/ci_user/main.tf'],
      ]);
      write('module-exemptions.json', JSON.stringify({ exemptions: [{ ...EXEMPTION, resource: 'module.ci_user.aws_iam_access_key.this' }] }));
      expect((await run(['check', 'downloaded', '--follow-downloaded-modules', '--exemptions', 'module-exemptions.json'])).code).toBe(0);
    });
  });

  test('"--" ends options (a PATH starting with a dash)', async () => {
    write('-odd/t.yaml', 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n');
    expect((await run(['check', '--', '-odd'])).code).toBe(0);
  });

  test('--help prints the usage with every flag and exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const text of ['keyless check PATH... [--format text|json|sarif|markdown] [--exemptions FILE] [--follow-downloaded-modules]', '--baseline', '--output-dir', 'Exit status: 0 no error findings; 1 error findings; 2 unusable input']) {
      expect(r.stdout).toContain(text);
    }
    expect((await run(['check', '--help'])).stdout).toBe(r.stdout);
  });

  test('a progress line on a terminal when checking many files, cleared before the output', async () => {
    for (let i = 0; i < 12; i++) write(`many/t${i}.yaml`, 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n');
    const tty = await run(['check', 'many'], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toBe('\r\x1b[Kkeyless: checking 12 files (12 resources)\r\x1b[K');
    const pipe = await run(['check', 'many']);
    expect(pipe.stderr).toBe('');
    const few = await run(['check', 'clean.yaml'], { tty: true });
    expect(few.stderr).toBe('');
  });

  test('several PATHs on a terminal show which one is being read', async () => {
    const r = await run(['check', 'clean.yaml', 'hcl/main.tf'], { tty: true });
    expect(r.stderr).toContain('keyless: reading hcl/main.tf (2/2), 1 files so far');
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('keyless report', () => {
  test('--format json is the inventory report, usable as a baseline; --output-dir writes both files', async () => {
    const r = await run(['report', 'cdk.out', 'cdktf.out', '--format', 'json', '--output-dir', 'out'], { env: { KEYLESS_NOW: '2026-03-01' } });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schema).toBe('cdk-keyless/report@1');
    expect(report.generatedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.resource} ${f.file}`)).toEqual([
      'KL-AWS-01 DeployKey cdk.out/Leaky.template.json',
      'KL-AZ-01 azuread_application_password.ci cdktf.out/stacks/app/cdk.tf.json',
    ]);
    expect(report.sources).toEqual(['cdk.out/Clean.template.json', 'cdk.out/Leaky.template.json', 'cdktf.out/stacks/app/cdk.tf.json']);
    expect(JSON.parse(fs.readFileSync(path.join(work, 'out', 'keyless-report.json'), 'utf8'))).toEqual(report);
    expect(fs.readFileSync(path.join(work, 'out', 'keyless-report.md'), 'utf8')).toContain('```mermaid');
    fs.writeFileSync(path.join(work, 'baseline.json'), r.stdout);
  });

  test('--baseline prints the scoreboard: retired, added, expiring exemptions; exit 1 when errors were added', async () => {
    // now: the access key is exempted and expiring soon, the Entra secret is gone, an HCL access key appeared
    write('expiring.json', JSON.stringify({ exemptions: [{ ...EXEMPTION, expires: '2026-03-20' }] }));
    const r = await run(['report', 'cdk.out', 'hcl/main.tf', '--baseline', 'baseline.json', '--exemptions', 'expiring.json'], { env: { KEYLESS_NOW: '2026-03-05' } });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('credentials: 2 in baseline, 2 now (1 retired, 1 added)');
    expect(r.stdout).toContain('retired KL-AZ-01 azuread_application_password.ci (cdktf.out/stacks/app/cdk.tf.json)');
    expect(r.stdout).toContain('added   KL-AWS-01 aws_iam_access_key.ci (hcl/main.tf)');
    expect(r.stdout).toContain('expiring exemption KL-AWS-01 DeployKey: 2026-03-20, 15 day(s) left (owner platform@example.com)');
  });

  test('--baseline with nothing added: exit 0; markdown scoreboard', async () => {
    const r = await run(['report', 'cdk.out', '--baseline', 'baseline.json', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Keyless migration scoreboard');
    expect(r.stdout).toContain('| Credentials retired | 1 |');
    expect(r.stdout).toContain('# Keyless inventory report');
  });

  test('--format markdown with --output-dir prints the same Markdown it writes to keyless-report.md', async () => {
    const r = await run(['report', 'cdk.out', '--format', 'markdown', '--output-dir', 'out-md'], { env: { KEYLESS_NOW: '2026-03-01' } });
    expect(r.code).toBe(0);
    const written = fs.readFileSync(path.join(work, 'out-md', 'keyless-report.md'), 'utf8');
    expect(written).toContain('# Keyless inventory report');
    expect(r.stdout).toBe(written);
  });

  test('a baseline that is not a report: exit 2 naming it', async () => {
    const r = await run(['report', 'cdk.out', '--baseline', 'package.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^keyless: package\.json: not a keyless report: "schema" is undefined/);
  });

  test('sarif is not a report format', async () => {
    const r = await run(['report', 'cdk.out', '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('keyless report: --format "sarif" is not one of text, json, markdown\n');
  });

  test('text inventory', async () => {
    const r = await run(['report', 'cdktf.out']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('0 federated identities, 1 remaining credential, 0 trust findings in 1 file (1 error, 0 warnings, 0 exempted)');
    expect(r.stdout).toContain('error KL-AZ-01 cdktf.out/stacks/app/cdk.tf.json azuread_application_password.ci');
  });
});

describe('deep input (issue 11): exit 2 naming the file, never a stack overflow', () => {
  const DEEP = 100_000;
  const deepList = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
  const results: Record<string, Run> = {};
  beforeAll(async () => {
    write('deep/tf/main.tf.json', `{"resource": {"aws_iam_user": {"u": {"tags": ${deepList}}}}}`);
    write('deep/cfn/template.json', `{"Resources": {"U": {"Type": "AWS::IAM::User", "Properties": {"Tags": ${deepList}}}}}`);
    // as a subprocess: the stack a user's process has (the crash was a RangeError in the CLI itself)
    await Promise.all([
      keyless(['check', 'deep/tf/main.tf.json', '--format', 'json']).then((r) => { results.terraform = r; }),
      keyless(['check', 'deep/cfn/template.json', '--format', 'json']).then((r) => { results.cloudformation = r; }),
    ]);
  }, 120_000);

  test('Terraform JSON nested 100,000 levels deep', () => {
    expect(results.terraform).toEqual({ code: 2, stdout: '', stderr: `keyless: ${path.join(work, 'deep/tf/main.tf.json')}: nested deeper than 512 levels\n` });
  });

  test('CloudFormation JSON nested 100,000 levels deep: the same bound and message', () => {
    expect(results.cloudformation).toEqual({ code: 2, stdout: '', stderr: `keyless: ${path.join(work, 'deep/cfn/template.json')}: nested deeper than 512 levels\n` });
  });

  test('a YAML flow sequence nested 100,000 levels deep', async () => {
    write('deep/yaml/template.yaml', `Resources:\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      Tags: ${deepList}\n`);
    expect(await run(['check', 'deep/yaml/template.yaml'])).toEqual({ code: 2, stdout: '', stderr: `keyless: ${path.join(work, 'deep/yaml/template.yaml')}: nested deeper than 512 levels\n` });
  });

  test('an HCL list nested 100,000 levels deep, in a walked directory, names the file and the line', async () => {
    write('deep/hcl/main.tf', `resource "aws_iam_user" "u" {\n  tags = ${deepList}\n}\n`);
    expect(await run(['check', 'deep/hcl'])).toEqual({ code: 2, stdout: '', stderr: `keyless: ${path.join(work, 'deep/hcl/main.tf')}: nested deeper than 512 levels (line 2)\n` });
  });

  test('an HCL object nested 100,000 levels deep', async () => {
    write('deep/hcl-object/main.tf', `resource "aws_iam_user" "u" {\n  tags = ${'{a = '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n}\n`);
    expect(await run(['check', 'deep/hcl-object/main.tf'])).toEqual({ code: 2, stdout: '', stderr: `keyless: ${path.join(work, 'deep/hcl-object/main.tf')}: nested deeper than 512 levels (line 2)\n` });
  });

  test('an exemptions file nested 100,000 levels deep', async () => {
    write('deep/exemptions.json', `{"exemptions": ${deepList}}`);
    expect(await run(['check', 'clean.yaml', '--exemptions', 'deep/exemptions.json'])).toEqual({ code: 2, stdout: '', stderr: 'keyless: deep/exemptions.json: nested deeper than 512 levels\n' });
  });

  test('nesting within the bound is checked as usual', async () => {
    write('deep/ok/main.tf.json', `{"resource": {"aws_iam_access_key": {"k": {"user": "u", "tags": ${'['.repeat(500)}${']'.repeat(500)}}}}}`);
    const r = await run(['check', 'deep/ok/main.tf.json', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: any) => [f.ruleId, f.resource])).toEqual([['KL-AWS-01', 'aws_iam_access_key.k']]);
  });
});

describe('a FIFO (issue 11): never blocks the run, never skipped silently', () => {
  const fifo = (name: string): string => {
    const file = path.join(work, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    execFileSync('mkfifo', [file]);
    return file;
  };

  test('inside a walked directory: a note in summary.notes, exit status from the rest of the folder (findings: 1)', async () => {
    write('fifo-leaky/main.tf.json', '{"resource": {"aws_iam_access_key": {"k": {"user": "u"}}}}');
    const pipe = fifo('fifo-leaky/sub/template.json');
    const r = await run(['check', 'fifo-leaky', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: any) => f.ruleId)).toEqual(['KL-AWS-01']);
    expect(out.summary.notes).toEqual([`${pipe}: not a regular file (FIFO); skipped, not read`]);
  });

  test('inside a clean walked directory: exit 0, the note in the text output', async () => {
    write('fifo-clean/t.yaml', 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n');
    const pipe = fifo('fifo-clean/main.tf');
    const r = await run(['check', 'fifo-clean']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`note: ${pipe}: not a regular file (FIFO); skipped, not read\n`);
  });

  test('given as PATH: exit 2 with one line', async () => {
    const pipe = fifo('fifo-explicit/main.tf.json');
    expect(await run(['check', 'fifo-explicit/main.tf.json'])).toEqual({ code: 2, stdout: '', stderr: `keyless: ${pipe}: not a regular file (FIFO)\n` });
  });
});

describe('a binary file (issue 11): the message names it and echoes no bytes', () => {
  const BYTES = Buffer.from([0x00, 0x01, 0x02, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x42, 0x41, 0x44, 0x7f, 0xff, 0xfe, 0x9b, 0x07]);
  const binary = (name: string): string => {
    const file = path.join(work, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, BYTES);
    return file;
  };

  test.each([
    ['binary/tf/main.tf.json', 'binary/tf/main.tf.json'],
    ['binary/cfn/template.json', 'binary/cfn/template.json'],
    ['binary/yaml/template.yaml', 'binary/yaml/template.yaml'],
    ['binary/hcl/main.tf', 'binary/hcl/main.tf'],
    ['binary/walked/main.tf.json', 'binary/walked'],
  ])('%s: exit 2, "not a text file (binary content)", printable ASCII only', async (name, given) => {
    const file = binary(name);
    const r = await run(['check', given]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `keyless: ${file}: not a text file (binary content)\n` });
    expect(r.stderr).toMatch(/^[\x20-\x7e]*\n$/);
  });

  test('a control sequence in malformed JSON text is escaped', async () => {
    const file = write('binary/escape/template.json', '{"Resources": \u001b[2J}');
    const r = await run(['check', 'binary/escape/template.json']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `keyless: ${file}: malformed JSON: Unexpected token '\\x1b', "{"Resources": \\x1b[2J}" is not valid JSON\n` });
  });
});
