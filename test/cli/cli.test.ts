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

  test('--format json prints {findings:[{ruleId,severity,file,resource,message}], summary}', () => {
    const r = results.json;
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['findings', 'summary']);
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
    expect(r.stderr).toBe('keyless check: unknown option "--frobnicate" (options: --format, --exemptions, --help; see keyless --help)\n');
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
    ['a JSON file that is not a template', ['check', 'package.json'], /^keyless: .*package\.json: not a CloudFormation template .* or a Terraform JSON configuration/],
    ['an invalid exemptions file', ['check', 'cdk.out', '--exemptions', 'bad-exemptions.json'], /^keyless: bad-exemptions\.json: exemptions\[0\]\.owner "TODO": must name the team or person/],
    ['a missing exemptions file', ['check', 'cdk.out', '--exemptions', 'missing.json'], /^keyless: missing\.json: no such file or directory\n$/],
    ['an unknown format', ['check', 'cdk.out', '--format', 'xml'], /^keyless check: --format "xml" is not one of text, json, sarif, markdown\n$/],
    ['a missing option value', ['check', 'cdk.out', '--format'], /^keyless check: option --format needs a value\n$/],
    ['an option given twice', ['check', 'cdk.out', '--format', 'json', '--format', 'text'], /^keyless check: option --format given twice\n$/],
    ['no PATH', ['check'], /^keyless check: no PATH given \(see keyless --help\)\n$/],
    ['no command', [], /^keyless: no command given; expected "check" or "report"/],
    ['an unknown command', ['scan', 'x'], /^keyless: unknown command "scan"; expected "check" or "report"/],
    ['a report-only option on check', ['check', 'cdk.out', '--baseline', 'x.json'], /^keyless check: unknown option "--baseline"/],
    ['a bad KEYLESS_NOW', ['check', 'cdk.out'], /^keyless: KEYLESS_NOW "soon" is not an ISO date/],
  ])('%s: exit 2 with one stderr line', async (_name, args, stderr) => {
    const r = await run(args as string[], { env: { KEYLESS_NOW: _name === 'a bad KEYLESS_NOW' ? 'soon' : '' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line + the final newline
  });

  test('"--" ends options (a PATH starting with a dash)', async () => {
    write('-odd/t.yaml', 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n');
    expect((await run(['check', '--', '-odd'])).code).toBe(0);
  });

  test('--help prints the usage with every flag and exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const text of ['keyless check PATH... [--format text|json|sarif|markdown] [--exemptions FILE]', '--baseline', '--output-dir', 'Exit status: 0 no error findings; 1 error findings; 2 unusable input']) {
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
