/**
 * The paved-road CDK apps pass aws-cdk-lib's built-in CloudFormation validation (the resource schemas), as a user's
 * `cdk synth` runs it. The rest of the suite synthesizes with it off (test/support/cdk-validation-off.js: the
 * engine costs ~6 s of CPU per test file); this file turns it back on and synthesizes every example once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { EXAMPLES } from '../../examples/synth-all';
import { NOW, readJson, tempDir } from './support';

const stages = EXAMPLES.flatMap((example) => example.stages
  .filter((stage) => stage.cdk !== undefined)
  .map((stage) => [stage.dir === '' ? example.name : `${example.name}/${stage.dir}`, stage] as const));

describe('the examples\' CloudFormation templates pass aws-cdk-lib\'s built-in validation', () => {
  let dir: string;
  const previous = process.env.CDK_VALIDATION;

  beforeAll(() => {
    dir = tempDir('cfn-validation');
    delete process.env.CDK_VALIDATION;
    jest.spyOn(console, 'error').mockImplementation(() => undefined); // the legacy stage prints its exempted warnings
  });
  afterAll(() => {
    jest.restoreAllMocks();
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every paved-road CDK app is validated', () => {
    expect(stages.map(([name]) => name)).toEqual([
      'lambda-snowflake-entra', 'ecs-openai-anthropic', 'gcp-kubernetes-workload', 'github-actions-deploy', 'organization-guardrails',
      'migration/legacy', 'migration/bridged', 'migration/federated',
    ]);
  });

  /** What the built-in plugin reported (aws-cdk-lib writes a plugin's entry only when it has violations). */
  const builtinViolations = (outdir: string): unknown[] => readJson(path.join(outdir, 'validation-report.json')).pluginReports
    .filter((r: any) => r.pluginName === 'CloudFormation Validate')
    .flatMap((r: any) => r.violations.map((v: any) => `${v.ruleName}: ${v.description}`));

  test('the validation is on here: a property the resource schema does not have is reported', () => {
    const outdir = path.join(dir, 'bad', 'cdk.out');
    const app = new App({ outdir });
    new CfnResource(new Stack(app, 'Bad'), 'Topic', { type: 'AWS::SNS::Topic', properties: { NotATopicProperty: 'x' } });
    app.synth();
    expect(builtinViolations(outdir)).not.toEqual([]);
  });

  test.each(stages)('%s: no CloudFormation Validate violation', (name, stage) => {
    const outdir = path.join(dir, name, 'cdk.out');
    stage.cdk!(outdir, { now: NOW }).synth();
    expect(builtinViolations(outdir)).toEqual([]);
  });
});
