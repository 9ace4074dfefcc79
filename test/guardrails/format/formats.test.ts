import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatEvaluation, formatJson, formatMarkdown, formatSarif, formatText, SourceLines, toJsonOutput, toSarif } from '../../../lib/guardrails/format';
import { MARKDOWN_MAX_BYTES } from '../../../lib/guardrails/format/markdown';
import { SARIF_MAX_RESULTS } from '../../../lib/guardrails/format/sarif';
import { Evaluation, Finding } from '../../../lib/guardrails/model';
import { CATALOG } from '../../../lib/guardrails/rules';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-format-'));
const files: Record<string, string> = {
  'cdk.out/Etl.template.json': JSON.stringify({
    Resources: {
      EtlRole1234: { Type: 'AWS::IAM::Role', Properties: {} },
      DeployKey1234: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'ci' } },
    },
  }, undefined, 1),
  'infra/main.tf': [
    'provider "snowflake" {',
    '  role = "SYSADMIN"',
    '}',
    'provider "snowflake" {',
    '  alias    = "admin"',
    '  password = var.pw',
    '}',
    '',
    'resource "aws_iam_access_key" "ci" {',
    '  user = aws_iam_user.ci.name',
    '}',
  ].join('\n'),
  'infra/json/main.tf.json': JSON.stringify({ resource: { aws_iam_user: { ci: {} }, aws_iam_access_key: { ci: { user: 'ci' }, other: { user: 'x' } } } }, undefined, 2),
  'cfn/legacy.yaml': 'Resources:\n  Other:\n    Type: AWS::SNS::Topic\n  LegacyUser:\n    Type: AWS::IAM::User\n',
  'dir with space/t.json': '{}',
};
for (const [name, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
  fs.writeFileSync(path.join(cwd, name), text);
}
const at = (name: string) => path.join(cwd, name);

function finding(partial: Partial<Finding> & Pick<Finding, 'ruleId' | 'file' | 'resource' | 'resourceType'>): Finding {
  return {
    severity: 'error',
    engine: partial.resourceType.startsWith('AWS::') ? 'cloudformation' : 'terraform',
    message: `${partial.ruleId} on ${partial.resource}. Fix: do the right thing.`,
    ...partial,
  };
}

const ACCESS_KEY = finding({ ruleId: 'KL-AWS-01', file: at('cdk.out/Etl.template.json'), resource: 'DeployKey1234', resourceType: 'AWS::IAM::AccessKey', constructPath: 'Etl/DeployKey' });
const HCL_KEY = finding({ ruleId: 'KL-AWS-01', file: at('infra/main.tf'), resource: 'aws_iam_access_key.ci', resourceType: 'aws_iam_access_key' });
const PROVIDER = finding({ ruleId: 'KL-SF-07', severity: 'warning', file: at('infra/main.tf'), resource: 'provider.snowflake.admin', resourceType: 'snowflake' });
const TF_JSON_KEY = finding({ ruleId: 'KL-AWS-01', file: at('infra/json/main.tf.json'), resource: 'aws_iam_access_key.other', resourceType: 'aws_iam_access_key' });
const YAML_USER = finding({
  ruleId: 'KL-AWS-02', severity: 'warning', file: at('cfn/legacy.yaml'), resource: 'LegacyUser', resourceType: 'AWS::IAM::User',
  message: 'console password. Exempted until 2099-01-01.',
  exemption: { ruleId: 'KL-AWS-02', resource: 'LegacyUser', justification: 'break-glass user until SSO rollout', owner: 'secops@example.com', expires: '2099-01-01', status: 'active' },
});
const SPACED = finding({ ruleId: 'KL-AWS-06', file: at('dir with space/t.json'), resource: 'Secret', resourceType: 'AWS::SecretsManager::Secret' });

const EVALUATION: Evaluation = {
  findings: [PROVIDER, YAML_USER, ACCESS_KEY, HCL_KEY, TF_JSON_KEY, SPACED],
  trusts: [],
  resourceCount: 17,
  notes: ['aws_iam_policy.p: policy is ${var.policy}; not checked'],
};
const OPTIONS = { cwd, files: [at('cdk.out/Etl.template.json'), at('infra'), at('cfn/legacy.yaml'), at('dir with space/t.json')] };

describe('SourceLines', () => {
  const lines = new SourceLines();
  test.each([
    ['CloudFormation JSON logical id', ACCESS_KEY, 7],
    ['HCL resource block', HCL_KEY, 9],
    ['HCL resource block of a count / for_each instance', { ...HCL_KEY, resource: 'aws_iam_access_key.ci["build.eu"]' }, 9],
    ['HCL resource block of a called module\'s instance, in the module\'s file', { ...HCL_KEY, resource: 'module.teams["a.b"].module.inner[0].aws_iam_access_key.ci[1]' }, 9],
    ['HCL aliased provider block', PROVIDER, 4],
    ['Terraform JSON name under its type', TF_JSON_KEY, 10],
    ['CloudFormation YAML logical id', YAML_USER, 4],
  ])('%s', (_name, f, line) => {
    expect(lines.line(f)).toBe(line);
  });

  test('a template a Terraform stack set deploys with jsonencode: the logical id as an HCL object key', () => {
    const tf = ['resource "aws_cloudformation_stack_set" "baseline" {', '  template_body = jsonencode({', '    Resources = {', '      CiUserKey = {', '        Type = "AWS::IAM::AccessKey"'].join('\n');
    const hcl = new SourceLines(() => tf);
    expect(hcl.line({ file: 'main.tf', resource: 'CiUserKey', resourceType: 'AWS::IAM::AccessKey', engine: 'cloudformation' })).toBe(4);
  });

  test('line 1 when the file cannot be read or the resource is not found', () => {
    expect(lines.line({ ...ACCESS_KEY, file: at('missing.json') })).toBe(1);
    expect(lines.line({ ...ACCESS_KEY, resource: 'Nope' })).toBe(1);
  });
});

describe('--format json (DESIGN §4)', () => {
  const out = JSON.parse(formatJson(EVALUATION, OPTIONS));

  test('top level is exactly {findings, summary, federation}', () => {
    expect(Object.keys(out)).toEqual(['findings', 'summary', 'federation']);
  });

  test('federation: one entry per pair with exactly the DESIGN §4 keys, reason only when not reachable', () => {
    const pair = { workload: 'arn:aws:iam::111122223333:role/etl', target: 'snowflake_execute.wif', targetKind: 'snowflake' as const, audience: 'snowflakecomputing.com', algorithm: 'ES384' };
    const federation = [{ ...pair, reachable: true }, { ...pair, target: 'azuread_application_federated_identity_credential.x', reachable: false, reason: 'no role among the inputs has this ARN (KL-FED-01)' }];
    const json = JSON.parse(formatJson({ findings: [], trusts: [], resourceCount: 1, notes: [], federation }, { cwd, files: ['a'] }));
    expect(json.federation).toEqual(federation);
    expect(json.federation.map((p: object) => Object.keys(p))).toEqual([
      ['workload', 'target', 'targetKind', 'audience', 'algorithm', 'reachable'],
      ['workload', 'target', 'targetKind', 'audience', 'algorithm', 'reachable', 'reason'],
    ]);
  });

  test('findings have exactly ruleId, severity, file, resource, message; errors first; files relative to cwd', () => {
    for (const f of out.findings) expect(Object.keys(f)).toEqual(['ruleId', 'severity', 'file', 'resource', 'message']);
    expect(out.findings.map((f: { file: string; resource: string; severity: string }) => `${f.severity} ${f.file} ${f.resource}`)).toEqual([
      'error cdk.out/Etl.template.json DeployKey1234',
      'error dir with space/t.json Secret',
      'error infra/json/main.tf.json aws_iam_access_key.other',
      'error infra/main.tf aws_iam_access_key.ci',
      'warning cfn/legacy.yaml LegacyUser',
      'warning infra/main.tf provider.snowflake.admin',
    ]);
    expect(out.findings[0]).toEqual({
      ruleId: 'KL-AWS-01', severity: 'error', file: 'cdk.out/Etl.template.json', resource: 'DeployKey1234',
      message: 'KL-AWS-01 on DeployKey1234. Fix: do the right thing.',
    });
  });

  test('summary', () => {
    expect(out.summary).toEqual({
      files: 4, resources: 17, findings: 6, errors: 4, warnings: 2, exempted: 1, federatedIdentities: 0,
      byRule: { 'KL-SF-07': 1, 'KL-AWS-02': 1, 'KL-AWS-01': 3, 'KL-AWS-06': 1 },
      notes: ['aws_iam_policy.p: policy is ${var.policy}; not checked'],
    });
  });

  test('a file outside cwd keeps its absolute path', () => {
    expect(toJsonOutput(EVALUATION, { cwd: path.join(cwd, 'infra') }).findings[0].file).toBe(at('cdk.out/Etl.template.json'));
  });

  test('no findings: empty list and zero counts', () => {
    expect(JSON.parse(formatJson({ findings: [], trusts: [], resourceCount: 3, notes: [] }, { cwd, files: ['a'] }))).toEqual({
      findings: [],
      summary: { files: 1, resources: 3, findings: 0, errors: 0, warnings: 0, exempted: 0, federatedIdentities: 0, byRule: {}, notes: [] },
      federation: [],
    });
  });
});

describe('--format sarif (2.1.0, GitHub code scanning)', () => {
  const sarif = JSON.parse(formatSarif(EVALUATION, { ...OPTIONS, version: '1.2.3' }));
  const run = sarif.runs[0];

  test('log: $schema, version 2.1.0, one run with a tool driver', () => {
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'keyless', version: '1.2.3', informationUri: expect.stringMatching(/^https:\/\//) });
  });

  test('driver rules: every catalog rule with the required and GitHub-used fields', () => {
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(CATALOG.map((r) => r.id));
    for (const [i, rule] of run.tool.driver.rules.entries()) {
      const source = CATALOG[i];
      expect(rule.id).toBe(source.id);
      expect(rule.name).toMatch(/^[A-Za-z0-9]+$/);
      expect(rule.shortDescription.text).toBe(source.title);
      expect(rule.fullDescription.text).toContain(source.fix);
      expect(rule.help.text).toContain(source.fix);
      expect(rule.defaultConfiguration.level).toBe(source.severity);
      expect(rule.properties['security-severity']).toMatch(/^\d+\.\d$/);
      expect(rule.properties.tags).toContain('security');
    }
  });

  test('results: ruleId/ruleIndex agree, levels, message, relative location with a line, logical location', () => {
    const rules = run.tool.driver.rules;
    expect(run.results).toHaveLength(6);
    for (const result of run.results) {
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(typeof result.message.text).toBe('string');
      expect(result.locations).toHaveLength(1);
      const physical = result.locations[0].physicalLocation;
      expect(physical.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(physical.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:)/i); // relative
      expect(Number.isInteger(physical.region.startLine) && physical.region.startLine >= 1).toBe(true);
      expect(result.locations[0].logicalLocations[0]).toMatchObject({ kind: 'resource' });
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
    }
    const key = run.results.find((r: { locations: any[] }) => r.locations[0].logicalLocations[0].name === 'DeployKey1234');
    expect(key).toMatchObject({
      ruleId: 'KL-AWS-01',
      level: 'error',
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'cdk.out/Etl.template.json' }, region: { startLine: 7 } },
        logicalLocations: [{ name: 'DeployKey1234', fullyQualifiedName: 'Etl/DeployKey', kind: 'resource' }],
      }],
    });
    const hcl = run.results.find((r: { locations: any[] }) => r.locations[0].logicalLocations[0].name === 'aws_iam_access_key.ci');
    expect(hcl.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 9 } });
    expect(hcl.locations[0].logicalLocations[0].fullyQualifiedName).toBe('aws_iam_access_key/aws_iam_access_key.ci');
  });

  test('a warning is level warning; an exempted finding is a note with an accepted external suppression', () => {
    const provider = run.results.find((r: { ruleId: string }) => r.ruleId === 'KL-SF-07');
    expect(provider.level).toBe('warning');
    expect(provider.suppressions).toBeUndefined();
    const exempted = run.results.find((r: { ruleId: string }) => r.ruleId === 'KL-AWS-02');
    expect(exempted.level).toBe('note');
    expect(exempted.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'break-glass user until SSO rollout (owner secops@example.com, expires 2099-01-01)' }]);
  });

  test('URIs are percent-encoded', () => {
    const spaced = run.results.find((r: { ruleId: string }) => r.ruleId === 'KL-AWS-06');
    expect(spaced.locations[0].physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/t.json');
  });

  test('fingerprints are stable across runs and line moves, and differ per resource', () => {
    const again = toSarif(EVALUATION, { ...OPTIONS, readFile: () => undefined }) as any;
    expect(again.runs[0].results.map((r: any) => r.partialFingerprints)).toEqual(run.results.map((r: any) => r.partialFingerprints));
    const prints = new Set(run.results.map((r: any) => r.partialFingerprints['keylessFinding/v1']));
    expect(prints.size).toBe(6);
  });

  test('notes become tool execution notifications', () => {
    expect(run.invocations[0]).toEqual({ executionSuccessful: true, toolExecutionNotifications: [{ level: 'note', message: { text: 'aws_iam_policy.p: policy is ${var.policy}; not checked' } }] });
  });

  test('a rule id outside the catalog gets a descriptor so ruleIndex stays valid', () => {
    const custom = toSarif({ ...EVALUATION, findings: [{ ...ACCESS_KEY, ruleId: 'ACME-1' }] }, OPTIONS) as any;
    const rules = custom.runs[0].tool.driver.rules;
    expect(rules[custom.runs[0].results[0].ruleIndex].id).toBe('ACME-1');
  });

  test('at most 25,000 results, as GitHub code scanning accepts: the errors kept, the rest counted in a notification', () => {
    const many = (n: number, severity: 'error' | 'warning') => Array.from({ length: n }, (_, i) => ({ ...ACCESS_KEY, severity, resource: `${severity}Key${i}` }));
    const findings = [...many(3, 'warning'), ...many(SARIF_MAX_RESULTS, 'error')];
    const sarif = toSarif({ findings, trusts: [], resourceCount: findings.length, notes: ['a note'] }, { ...OPTIONS, readFile: () => undefined }) as any;
    const run = sarif.runs[0];
    expect(SARIF_MAX_RESULTS).toBe(25_000);
    expect(run.results).toHaveLength(25_000);
    expect(run.results.every((r: any) => r.level === 'error')).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: '3 of 25,003 findings are not in this run (the warnings and exempted findings last): GitHub code scanning rejects a run of more than 25,000 results. keyless check --format json lists every finding; the exit status counts them all.' } },
      { level: 'note', message: { text: 'a note' } },
    ]);
  });

  test('no findings: an empty results array (still a valid log)', () => {
    const empty = toSarif({ findings: [], trusts: [], resourceCount: 0, notes: [] }, OPTIONS) as any;
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].invocations).toBeUndefined();
  });
});

describe('--format markdown', () => {
  const md = formatMarkdown(EVALUATION, OPTIONS);

  test('verdict, counts, a row per finding with file:line, per-rule counts and notes', () => {
    expect(md.split('\n')[0]).toBe('## :x: keyless check failed');
    expect(md).toContain('**4** errors, **2** warnings (1 exempted) in 4 files (17 resources).');
    expect(md).toContain('| error | KL-AWS-01 | `DeployKey1234`<br>Etl/DeployKey | cdk.out/Etl.template.json:7 | KL-AWS-01 on DeployKey1234. Fix: do the right thing. |');
    expect(md).toContain('| warning (exempted until 2099-01-01) | KL-AWS-02 | `LegacyUser` | cfn/legacy.yaml:4 |');
    expect(md).toContain('| KL-AWS-01 | 3 |');
    expect(md).toContain('- aws_iam_policy.p: policy is ${var.policy}; not checked');
  });

  test('a clean run passes', () => {
    expect(formatMarkdown({ findings: [], trusts: [], resourceCount: 2, notes: [] }, { cwd, files: ['x'] })).toContain('## :white_check_mark: keyless check passed');
  });
});

describe('--format markdown within a job summary (GitHub drops one past 1 MiB)', () => {
  test('errors first as many as fit, the counts per rule whole, and a line naming what is not shown', () => {
    const long = 'x'.repeat(250);
    const errors = Array.from({ length: 3000 }, (_, i) => ({ ...ACCESS_KEY, resource: `Key${i}`, message: `error ${i} ${long}` }));
    const warnings = Array.from({ length: 100 }, (_, i) => ({ ...PROVIDER, resource: `provider.snowflake.p${i}` }));
    const notes = Array.from({ length: 50 }, (_, i) => `note ${i}`);
    const md = formatMarkdown({ findings: [...warnings, ...errors], trusts: [], resourceCount: 3100, notes }, { ...OPTIONS, readFile: () => undefined });
    expect(MARKDOWN_MAX_BYTES).toBe(1_000_000);
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    const rows = md.split('\n').filter((l) => l.startsWith('| error |') || l.startsWith('| warning |'));
    expect(rows.length).toBeGreaterThan(2000);
    expect(rows.every((r) => r.startsWith('| error |'))).toBe(true);
    expect(md).toContain('| KL-AWS-01 | 3000 |');
    expect(md).toContain('| KL-SF-07 | 100 |');
    expect(md).not.toContain('Not checked statically');
    expect(md).toContain(`_Not shown: ${(3100 - rows.length).toLocaleString('en-US')} findings, 50 notes (a job summary holds at most 1 MiB; errors and unreachable pairs are shown first). \`keyless check --format json\` lists every one; the exit status counts every finding._`);
  });

  test('output within the limit is whole, with no such line', () => {
    expect(formatMarkdown(EVALUATION, OPTIONS)).not.toContain('Not shown');
  });
});

describe('--format text', () => {
  test('file:line, severity, rule, resource, construct path, message; summary line', () => {
    const text = formatText(EVALUATION, OPTIONS);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('cdk.out/Etl.template.json:7: error KL-AWS-01 DeployKey1234 (Etl/DeployKey)');
    expect(lines[1]).toBe('  KL-AWS-01 on DeployKey1234. Fix: do the right thing.');
    expect(text).toContain('cfn/legacy.yaml:4: exempted KL-AWS-02 LegacyUser\n');
    expect(text).toContain('infra/main.tf:4: warning KL-SF-07 provider.snowflake.admin\n');
    expect(text).toContain('note: aws_iam_policy.p: policy is ${var.policy}; not checked\n');
    expect(lines[lines.length - 1]).toBe('keyless check FAILED: 4 errors, 2 warnings (1 exempted) in 4 files, 17 resources');
  });

  test('formatEvaluation dispatches on the format name', () => {
    expect(formatEvaluation('text', EVALUATION, OPTIONS)).toBe(formatText(EVALUATION, OPTIONS));
    expect(formatEvaluation('json', EVALUATION, OPTIONS)).toBe(formatJson(EVALUATION, OPTIONS));
    expect(formatEvaluation('markdown', EVALUATION, OPTIONS)).toBe(formatMarkdown(EVALUATION, OPTIONS));
    expect(JSON.parse(formatEvaluation('sarif', EVALUATION, OPTIONS)).version).toBe('2.1.0');
  });
});

describe('SARIF locations outside the working directory', () => {
  test('become absolute file:// URIs without a uriBaseId', () => {
    const sarif = toSarif({ findings: [ACCESS_KEY], trusts: [], resourceCount: 1, notes: [] }, { cwd: path.join(cwd, 'infra') }) as any;
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: `file://${at('cdk.out/Etl.template.json').split('/').map(encodeURIComponent).join('/')}` });
  });
});
