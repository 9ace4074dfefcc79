import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { KeylessGuardrails, KeylessGuardrailsProps } from '../../lib';
import { CliIo, main } from '../../lib/cli/main';
import { codeBlocks, readReadme } from '../readme/readme';
import { buildCdkApp as buildLegacyCdkApp } from '../../examples/migration/legacy/cdk-app';
import { sync } from '../../examples/migration/plan';
import { EXAMPLES, Example, synthAll, SynthAllResult } from '../../examples/synth-all';
import { NOW, readJson, roleArnFromTemplate, roleNamed, sqlStringProperty, stableTemplate, stableTerraform, tempDir } from './support';

const migration = EXAMPLES.find((e) => e.name === 'migration')!;

describe('example migration: two long-lived credentials under time-boxed exemptions, then none', () => {
  let root: string;
  let result: SynthAllResult;
  const lines: string[] = [];

  beforeAll(async () => {
    root = tempDir('migration');
    // The CDK plugin prints its validation report (the two exempted warnings); keep the test output clean.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    result = await synthAll({ root, now: new Date(NOW), examples: [migration], log: (l) => lines.push(l) });
  });
  afterAll(() => {
    jest.restoreAllMocks();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const out = (...p: string[]) => path.join(root, 'migration', ...p);

  test('snapshots of the legacy and the federated outputs', () => {
    expect(stableTemplate(readJson(out('legacy', 'cdk.out', 'OrdersSyncLegacy.template.json')))).toMatchSnapshot('legacy CloudFormation');
    expect(stableTerraform(readJson(out('legacy', 'cdktf.out', 'stacks', 'orders-sync-legacy', 'cdk.tf.json')))).toMatchSnapshot('legacy Terraform');
    expect(stableTemplate(readJson(out('federated', 'cdk.out', 'OrdersSync.template.json')))).toMatchSnapshot('federated CloudFormation');
    expect(stableTerraform(readJson(out('federated', 'cdktf.out', 'stacks', 'orders-sync', 'cdk.tf.json')))).toMatchSnapshot('federated Terraform');
  });

  test('snapshots of the bridged outputs (halfway: federated Lambda and Snowflake user, legacy password user)', () => {
    expect(stableTemplate(readJson(out('bridged', 'cdk.out', 'OrdersSync.template.json')))).toMatchSnapshot('bridged CloudFormation');
    expect(stableTerraform(readJson(out('bridged', 'cdktf.out', 'stacks', 'orders-sync', 'cdk.tf.json')))).toMatchSnapshot('bridged Terraform (federated user)');
    expect(stableTerraform(readJson(out('bridged', 'cdktf.out', 'stacks', 'orders-sync-legacy', 'cdk.tf.json')))).toMatchSnapshot('bridged Terraform (legacy user)');
    // halfway is the federated AWS side and Snowflake user, plus the legacy user unchanged
    expect(readJson(out('bridged', 'cdk.out', 'OrdersSync.template.json'))).toEqual(readJson(out('federated', 'cdk.out', 'OrdersSync.template.json')));
    expect(Object.keys(readJson(out('bridged', 'cdk.out', 'OrdersSync.template.json')).Resources).some((id) => id.includes('SyncUserKey'))).toBe(false);
    expect(readJson(out('bridged', 'cdktf.out', 'stacks', 'orders-sync-legacy', 'cdk.tf.json')).resource)
      .toEqual(readJson(out('legacy', 'cdktf.out', 'stacks', 'orders-sync-legacy', 'cdk.tf.json')).resource);
  });

  test('legacy: the access key and the password are the two credentials, both exempted with owner and expiry', () => {
    const report = readJson(out('legacy', 'keyless-report.json'));
    expect(report.summary).toMatchObject({ credentials: 2, errors: 0, exempted: 2, federatedIdentities: 0 });
    expect(report.findings.map((f: any) => [f.ruleId, f.resource, f.severity, f.exemption.status, f.exemption.owner, f.exemption.expires])).toEqual([
      ['KL-AWS-01', 'SyncUserKeyD048EAFF', 'warning', 'active', 'data-platform@acme.example', '2027-03-31'],
      ['KL-SF-01', 'snowflake_user.SyncUser', 'warning', 'active', 'data-platform@acme.example', '2027-03-31'],
    ]);
  });

  test('the summary counts each federated trust once: none before, the Snowflake trust halfway and after', () => {
    expect(result.stages.map((st) => [st.stage, st.trusts])).toEqual([['legacy', 0], ['bridged', 1], ['federated', 1]]);
  });

  test('bridged: the access key is retired, the password remains under its exemption next to the federated user', () => {
    const report = readJson(out('bridged', 'keyless-report.json'));
    expect(report.summary).toMatchObject({ credentials: 1, errors: 0, exempted: 1, federatedIdentities: 1 });
    expect(report.findings.map((f: any) => [f.ruleId, f.resource, f.severity, f.exemption.status, f.exemption.owner])).toEqual([
      ['KL-SF-01', 'snowflake_user.SyncUser', 'warning', 'active', 'data-platform@acme.example'],
    ]);
    // the access key's exemption went with the key: no "matched no finding" note
    expect(report.notes.filter((n: string) => n.includes('matched no finding'))).toEqual([]);
    // the workload by its construct path, the role ARN as the token's subject
    expect(report.identities.map((t: any) => [t.workload, t.subject, t.targetKind])).toEqual([['OrdersSync/Role/Resource', sync.roleArn, 'snowflake']]);
  });

  test('the trend over legacy -> bridged -> federated: per kind, per owner, retired per step, and the chart', () => {
    expect(result.trends.map((t) => [t.example, path.relative(root, t.file)])).toEqual([['migration', path.join('migration', 'keyless-trend.md')]]);
    const trend = readJson(out('keyless-trend.json'));
    expect(trend.points.map((p: any) => [p.label, p.credentials, p.federatedTrusts, p.errors, p.exempted])).toEqual([
      ['legacy', 2, 0, 0, 2], ['bridged', 1, 1, 0, 1], ['federated', 0, 1, 0, 0],
    ]);
    expect(trend.kinds.map((k: any) => [k.label, ...k.counts])).toEqual([['IAM access key', 1, 0, 0], ['Snowflake password', 1, 1, 0]]);
    expect(trend.owners).toEqual([{ owner: 'data-platform@acme.example', counts: [2, 1, 0], change: -2 }]);
    expect(trend.steps.map((st: any) => [st.from, st.to, st.retired.map((f: any) => `${f.ruleId} ${f.resource}`), st.added.length])).toEqual([
      ['legacy', 'bridged', ['KL-AWS-01 SyncUserKeyD048EAFF'], 0],
      ['bridged', 'federated', ['KL-SF-01 snowflake_user.SyncUser'], 0],
    ]);
    const markdown = fs.readFileSync(out('keyless-trend.md'), 'utf8');
    expect(markdown).toContain('**Long-lived credentials: 2 -> 0 over 3 snapshots; federated trusts 0 -> 1**');
    expect(markdown).toContain([
      '```mermaid',
      'xychart-beta',
      '  title "Long-lived credentials and federated trusts"',
      '  x-axis ["legacy", "bridged", "federated"]',
      '  y-axis "count" 0 --> 2',
      '  bar [2, 1, 0]',
      '  line [0, 1, 1]',
      '```',
    ].join('\n'));
    expect(markdown).toContain('| data-platform@acme.example | 2 | 1 | 0 | -2 |');
    expect(markdown).toContain('### legacy -> bridged: 1 retired, 0 added\n\n- retired **KL-AWS-01** `SyncUserKeyD048EAFF` (`OrdersSyncLegacy/SyncUserKey/Resource`): IAM access key, data-platform@acme.example');
  });

  test('the README\'s excerpt of this trend is what npm run synth writes', () => {
    const [excerpt] = codeBlocks(readReadme()).filter((b) => b.heading === 'History: the trend over snapshots' && b.lang === 'markdown');
    const markdown = fs.readFileSync(out('keyless-trend.md'), 'utf8');
    for (const part of excerpt.code.split('\n\n')) expect(markdown).toContain(part);
  });

  test('keyless history over the three reports writes the same trend as npm run synth', async () => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: out(), env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
    const code = await main(['history', 'legacy', 'bridged/keyless-report.json', 'federated', '--output-dir', 'cli'], io);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toBe(fs.readFileSync(out('keyless-trend.md'), 'utf8'));
    expect(readJson(out('cli', 'keyless-trend.json')).points.map((p: any) => p.source)).toEqual(
      ['legacy/keyless-report.json', 'bridged/keyless-report.json', 'federated/keyless-report.json']);
  });

  test('the exemptions of the last point are listed when they lapse within 30 days of KEYLESS_NOW, and once expired', async () => {
    const history = async (now: string) => {
      let stdout = '';
      const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: () => undefined, cwd: out(), env: { KEYLESS_NOW: now }, stderrIsTty: false };
      expect(await main(['history', 'legacy', 'bridged', '--format', 'json'], io)).toBe(0);
      const trend = JSON.parse(stdout);
      return [trend.expiringExemptions.map((e: any) => [e.ruleId, e.daysLeft]), trend.expiredExemptions.map((e: any) => e.ruleId)];
    };
    expect(await history('2027-02-28')).toEqual([[], []]);
    expect(await history('2027-03-01')).toEqual([[['KL-SF-01', 30]], []]);
    expect(await history('2027-04-01')).toEqual([[], ['KL-SF-01']]);
  });

  test('legacy: every remaining credential has an owner (the access key through its IAM user\'s tag, the password through its exemption)', () => {
    const report = readJson(out('legacy', 'keyless-report.json'));
    expect(report.findings.map((f: any) => [f.ruleId, f.owner])).toEqual([
      ['KL-AWS-01', { name: 'data-platform@acme.example', source: 'tag' }],
      ['KL-SF-01', { name: 'data-platform@acme.example', source: 'exemption' }],
    ]);
    expect(report.owners).toEqual([{ owner: 'data-platform@acme.example', credentials: 2, trusts: 0, trustFindings: 0, errors: 0, exempted: 2 }]);
    // the CDK plugin's own report says the same about the access key
    const plugin = readJson(out('legacy', 'cdk.out', 'keyless-report.json'));
    expect(plugin.findings.map((f: any) => [f.ruleId, f.resource, f.owner])).toEqual([
      ['KL-AWS-01', 'SyncUserKeyD048EAFF', { name: 'data-platform@acme.example', source: 'tag' }],
    ]);
    expect(fs.readFileSync(out('legacy', 'keyless-report.md'), 'utf8')).toContain('| data-platform@acme.example | 2 | 2 | 0 | 0 |');
  });

  test('federated: no credential left; the Lambda role is the Snowflake user\'s workload identity', () => {
    const report = readJson(out('federated', 'keyless-report.json'));
    expect(report.summary).toMatchObject({ credentials: 0, errors: 0, warnings: 0, exempted: 0 });
    const template = readJson(out('federated', 'cdk.out', 'OrdersSync.template.json'));
    const roleArn = roleArnFromTemplate(roleNamed(template, sync.roleName), '111122223333');
    const terraform = readJson(out('federated', 'cdktf.out', 'stacks', 'orders-sync', 'cdk.tf.json'));
    const execute = Object.values(terraform.resource.snowflake_execute)[0] as any;
    expect(sqlStringProperty(execute.execute, 'ARN')).toEqual([roleArn]);
    expect(Object.keys(terraform.resource)).not.toContain('snowflake_user');
    expect(Object.keys(resourceTypes(template))).not.toContain('AWS::IAM::AccessKey');
  });

  test('the scoreboard goes from 2 long-lived credentials to 0, retiring exactly the two', () => {
    const federated = result.stages.find((s) => s.stage === 'federated')!;
    expect(federated.scoreboard).toMatchObject({ from: 2, to: 0 });
    const scoreboard = fs.readFileSync(out('scoreboard.md'), 'utf8');
    expect(scoreboard).toContain('| Credentials in baseline | 2 |');
    expect(scoreboard).toContain('| Credentials now | 0 |');
    expect(scoreboard).toContain('- **KL-AWS-01** `SyncUserKeyD048EAFF`');
    expect(scoreboard).toContain('- **KL-SF-01** `snowflake_user.SyncUser`');
    expect([result.failed, result.credentials]).toEqual([0, 0]);
    expect(lines.filter((l) => l.startsWith('ok '))).toHaveLength(3);
    expect(lines.at(-1)).toContain('Long-lived credentials left: 0. Scoreboard: migration went from 2 to 0');
    expect(lines.at(-1)).toMatch(/ Trend: .*migration\/keyless-trend\.md\.$/);
  });

  test('the exemptions are time-boxed: the day after they expire, the legacy synth fails', () => {
    const dir = tempDir('expired');
    try {
      expect(() => buildLegacyCdkApp(path.join(dir, 'cdk.out'), { now: '2027-04-01' }).synth()).toThrow(/The exemption expired on 2027-03-31/);
      const report = readJson(path.join(dir, 'cdk.out', 'keyless-report.json'));
      expect(report.findings.map((f: any) => [f.ruleId, f.severity, f.exemption.status])).toEqual([['KL-AWS-01', 'error', 'expired']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run synth (synthAll)', () => {
  test('builds every example folder', () => {
    const folders = fs.readdirSync(path.join(__dirname, '..', '..', 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(EXAMPLES.map((e) => e.name).sort()).toEqual(folders);
  });

  test('a stage with an unexempted credential fails the run, and the summary says so', async () => {
    const root = tempDir('synth-all');
    const lines: string[] = [];
    const leaky: Example = {
      name: 'leaky',
      stages: [{
        dir: '',
        cdk: (outdir: string, guardrails: KeylessGuardrailsProps) => {
          const app = new App({ outdir });
          KeylessGuardrails.enable(app, guardrails);
          const stack = new Stack(app, 'Leaky');
          new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'User') });
          return app;
        },
      }],
    };
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await synthAll({ root, now: new Date(NOW), examples: [leaky], log: (l) => lines.push(l) });
      expect(result.failed).toBe(1);
      expect(lines[1]).toMatch(/^FAIL leaky +guardrails failed the synth: KL-AWS-01$/);
      expect(lines.at(-1)).toBe('1 example stage failed.');
    } finally {
      jest.restoreAllMocks();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

function resourceTypes(template: any): { [type: string]: number } {
  const counts: { [type: string]: number } = {};
  for (const r of Object.values(template.Resources) as any[]) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}
