/**
 * One cloud assembly reader for both routes (issue 16): `keyless check cdk.out` and the CDK validation plugin read
 * the same app's stacks, nested stacks (nested twice) and Stages (nested twice) and find the same resources, under
 * the same construct paths.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { CliIo, main } from '../../../lib/cli/main';
import { evaluate } from '../../../lib/guardrails/evaluate';
import { KeylessGuardrails } from '../../../lib/guardrails';
import { loadStackTemplates } from '../../../lib/guardrails/normalize/assembly';
import { loadPath } from '../../../lib/guardrails/normalize/load';

/** The construct path of each access key the app holds. */
const KEYS = [
  'Top/TopKey',
  'Top/Child/ChildKey',
  'Top/Child/Grandchild/GrandchildKey',
  'Prod/Inner/InnerKey',
  'Prod/Inner/InnerChild/InnerChildKey',
  'Prod/Eu/Deep/DeepKey',
];

/** An app with a key at every level; `plugin` is registered on the App or on the Stage `Prod`. */
function synthesize(pluginOn: 'app' | 'Prod'): { app: App; error: string } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-assembly-')), builtinCloudFormationValidation: false });
  const key = (scope: Stack, id: string) => new iam.CfnAccessKey(scope, id, { userName: 'ci' });
  const top = new Stack(app, 'Top');
  key(top, 'TopKey');
  const child = new NestedStack(top, 'Child');
  key(child, 'ChildKey');
  key(new NestedStack(child, 'Grandchild'), 'GrandchildKey');
  const prod = new Stage(app, 'Prod');
  const inner = new Stack(prod, 'Inner');
  key(inner, 'InnerKey');
  key(new NestedStack(inner, 'InnerChild'), 'InnerChildKey');
  key(new Stack(new Stage(prod, 'Eu'), 'Deep'), 'DeepKey');
  Validations.of(pluginOn === 'app' ? app : prod).addPlugins(new KeylessGuardrails({ writeReport: false }));
  try {
    app.synth();
  } catch (e) {
    return { app, error: (e as Error).message };
  }
  throw new Error('expected synth to fail');
}

/** [construct path, template file relative to the assembly, logical id] of each plugin violation. */
function pluginFindings(app: App): string[][] {
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const ours = report.pluginReports.find((r: any) => r.pluginName === 'cdk-keyless');
  return ours.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => [
    c.constructPath, c.cloudFormationResource.templatePath, c.cloudFormationResource.logicalId,
  ]))
    .sort((a: string[], b: string[]) => a[0].localeCompare(b[0]));
}

beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

describe('nested stacks and Stages, through the CDK plugin and through keyless check', () => {
  let app: App;
  let error: string;
  beforeAll(() => ({ app, error } = synthesize('app')));

  test('the plugin on the App finds the key at every level: stacks, nested stacks twice down, Stages twice down', () => {
    const found = pluginFindings(app);
    expect(found.map(([constructPath]) => constructPath)).toEqual([...KEYS].sort());
    for (const keyPath of KEYS) expect(error).toContain(keyPath);
    // every template is its own set: a nested stack's key is reported in the nested stack's template
    const byPath = new Map(found.map(([constructPath, file]) => [constructPath, file]));
    expect(byPath.get('Top/TopKey')).toBe('Top.template.json');
    expect(byPath.get('Top/Child/ChildKey')).toMatch(/^TopChild[0-9A-F]{8}\.nested\.template\.json$/);
    expect(byPath.get('Top/Child/Grandchild/GrandchildKey')).toMatch(/^TopChildGrandchild[0-9A-F]{8}\.nested\.template\.json$/);
    expect(byPath.get('Prod/Inner/InnerChild/InnerChildKey')).toMatch(/^assembly-Prod\/ProdInnerInnerChild[0-9A-F]{8}\.nested\.template\.json$/);
    expect(byPath.get('Prod/Eu/Deep/DeepKey')).toMatch(/^assembly-Prod\/assembly-Prod-Eu\/ProdEuDeep[0-9A-F]{8}\.template\.json$/);
  });

  test('loadPath(cdk.out) reads the same templates and finds the same resources under the same construct paths', async () => {
    const evaluation = evaluate(await loadPath(app.outdir));
    const viaCli = evaluation.findings.filter((f) => f.ruleId === 'KL-AWS-01')
      .map((f) => [f.constructPath, path.relative(app.outdir, f.file), f.resource])
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(viaCli).toEqual(pluginFindings(app));
  });

  test('keyless check cdk.out exits 1 naming each key with its template', async () => {
    let stdout = '';
    const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: () => undefined, cwd: app.outdir, env: {}, stderrIsTty: false };
    expect(await main(['check', '.', '--format', 'json'], io)).toBe(1);
    const keys = JSON.parse(stdout).findings.filter((f: any) => f.ruleId === 'KL-AWS-01').map((f: any) => [f.file, f.resource]).sort();
    expect(keys).toEqual(pluginFindings(app).map(([, file, logicalId]) => [file, logicalId]).sort());
  });
});

test('a plugin on a Stage checks that Stage, its nested Stage and their nested stacks, and nothing outside it', () => {
  const { app } = synthesize('Prod');
  expect(pluginFindings(app).map(([constructPath]) => constructPath)).toEqual([
    'Prod/Eu/Deep/DeepKey', 'Prod/Inner/InnerChild/InnerChildKey', 'Prod/Inner/InnerKey',
  ]);
});

describe('loadStackTemplates', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-stack-templates-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, doc: unknown) => fs.writeFileSync(path.join(dir, name), JSON.stringify(doc));
  const user = { Type: 'AWS::IAM::User' };

  test('a nested template found only through aws:asset:path metadata (another name, another directory) is read once', () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    write('assets/child.json', { Resources: { ChildUser: user } });
    write('S.template.json', { Resources: {
      Nested: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'assets/child.json' } },
      Again: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': './assets/child.json' } },
    } });
    const sets = loadStackTemplates([path.join(dir, 'S.template.json')]);
    expect(sets.map((s) => [path.relative(dir, s.file), s.resources.map((r) => r.address)])).toEqual([
      ['S.template.json', ['Nested', 'Again']],
      ['assets/child.json', ['ChildUser']],
    ]);
  });

  test('listed templates first, then the nested templates of their directory, sorted; construct paths by template', () => {
    write('B.nested.template.json', { Resources: { BUser: user } });
    write('A.nested.template.json', { Resources: { AUser: user } });
    write('S.template.json', { Resources: { SUser: user } });
    const sets = loadStackTemplates([path.join(dir, 'S.template.json')], {
      constructPaths: (file) => (path.basename(file) === 'A.nested.template.json' ? new Map([['AUser', 'S/A/AUser']]) : undefined),
    });
    expect(sets.map((s) => path.basename(s.file))).toEqual(['S.template.json', 'A.nested.template.json', 'B.nested.template.json']);
    expect(sets.flatMap((s) => s.resources.map((r) => [r.address, r.constructPath]))).toEqual([
      ['SUser', undefined], ['AUser', 'S/A/AUser'], ['BUser', undefined],
    ]);
  });

  test('a listed template that is missing is unusable input naming it', () => {
    const missing = path.join(dir, 'Gone.template.json');
    expect(() => loadStackTemplates([missing])).toThrow(`${missing}: listed in manifest.json but missing`);
  });
});
