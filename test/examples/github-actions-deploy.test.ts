import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { buildCdkApp } from '../../examples/github-actions-deploy/cdk-app';
import { deployment } from '../../examples/github-actions-deploy/plan';
import { checkOutputs, errors, NOW, readJson, roleNamed, stableTemplate, tempDir } from './support';

function workflow(file: string): any {
  return parseYaml(fs.readFileSync(path.join(__dirname, '../../examples/github-actions-deploy', file), 'utf8'));
}

describe('example github-actions-deploy: an environment-pinned deploy role', () => {
  let dir: string;
  let template: any;

  beforeAll(() => {
    dir = tempDir('github');
    buildCdkApp(path.join(dir, 'cdk.out'), { now: NOW }).synth();
    template = readJson(path.join(dir, 'cdk.out', 'OrdersDeployRole.template.json'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CloudFormation snapshot', () => {
    expect(stableTemplate(template)).toMatchSnapshot();
  });

  test('the trust pins the audience and the exact immutable subject of the production environment', () => {
    const statements = roleNamed(template, 'orders-deploy').Properties.AssumeRolePolicyDocument.Statement;
    expect(statements).toEqual([{
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: { Ref: 'GitHubOidcA2A496A3' } },
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme@1234567/orders-service@987654321:environment:production',
        },
      },
    }]);
  });

  test('the role may only hand over to the CDK bootstrap roles of its account', () => {
    const policy = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::IAM::Policy') as any;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'AssumeCdkBootstrapRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/cdk-hnb659fds-*']] },
    }]);
  });

  test('the sample workflow runs in the pinned environment, requests an id token and assumes this role', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.permissions['id-token']).toBe('write');
    expect(deploy.jobs.deploy.environment).toBe(deployment.environment);
    const configure = deploy.jobs.deploy.steps.find((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'));
    expect(configure.with['role-to-assume']).toBe(`arn:aws:iam::${deployment.account}:role/${deployment.roleName}`);
    expect(configure.with['aws-region']).toBe(deployment.region);
    expect(JSON.stringify(deploy)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });

  test('the deploy workflow checks the synthesized assembly before it takes the role, and deploys that assembly', () => {
    const steps: any[] = workflow('deploy.yml').jobs.deploy.steps;
    const index = (match: (s: any) => boolean, what: string) => {
      const i = steps.findIndex(match);
      if (i < 0) throw new Error(`deploy.yml has no ${what} step`);
      return i;
    };
    const synth = index((s) => /^npx cdk synth\b/.test(s.run ?? ''), 'cdk synth');
    const check = index((s) => s.run === 'npx keyless check cdk.out', 'keyless check');
    const credentials = index((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
    const deploy = index((s) => /^npx cdk deploy\b/.test(s.run ?? ''), 'cdk deploy');
    expect(synth).toBeLessThan(check);
    expect(check).toBeLessThan(credentials);
    expect(credentials).toBeLessThan(deploy);
    expect(steps[check].if).toBeUndefined(); // a failed check stops the job
    expect(steps[deploy].run).toContain('--app cdk.out');
  });

  describe('the keyless-check workflow (SARIF to code scanning)', () => {
    const checkWorkflow = () => workflow('keyless-check.yml');
    /** The check step's command as written: `npx keyless <args> > <file>`. */
    function checkCommand(): { args: string[]; output: string } {
      const step = checkWorkflow().jobs.keyless.steps.find((s: any) => /^npx keyless check\b/.test(s.run ?? ''));
      const [command, output] = String(step.run).split('>').map((part) => part.trim());
      return { args: command.split(/\s+/).slice(2), output };
    }
    function runCheck(cwd: string, args: string[]): { code: number | null; stdout: string } {
      const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'support', 'keyless-from-source.js'), ...args], {
        cwd, encoding: 'utf8', env: { ...process.env, KEYLESS_NOW: NOW },
      });
      return { code: run.status, stdout: run.stdout };
    }

    test('has the permissions code scanning needs and nothing that writes to the repository', () => {
      expect(checkWorkflow().permissions).toEqual({ 'contents': 'read', 'security-events': 'write', 'actions': 'read' });
      expect(JSON.stringify(checkWorkflow())).not.toMatch(/id-token|aws-access-key-id|aws-secret-access-key/);
    });

    test('uploads the file the check writes, also when the check failed', () => {
      const steps: any[] = checkWorkflow().jobs.keyless.steps;
      const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif'));
      expect(upload.if).toBe('always()');
      expect(upload.with.sarif_file).toBe(checkCommand().output);
      expect(checkCommand().args).toEqual(['check', 'cdk.out', '--format', 'sarif']);
    });

    test('its command, run on this example\'s cdk.out, prints SARIF 2.1.0 with no results and exits 0', () => {
      const run = runCheck(dir, checkCommand().args);
      expect(run.code).toBe(0);
      const sarif = JSON.parse(run.stdout);
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0].tool.driver.name).toBe('keyless');
      expect(sarif.runs[0].results).toEqual([]);
    });

    test('its command exits 1 with a KL-AWS-01 result once the stack holds an access key', () => {
      const bad = tempDir('github-bad');
      fs.cpSync(path.join(dir, 'cdk.out'), path.join(bad, 'cdk.out'), { recursive: true });
      const file = path.join(bad, 'cdk.out', 'OrdersDeployRole.template.json');
      const leaky = readJson(file);
      leaky.Resources.DeployUserKey = { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'orders-deploy-user' } };
      fs.writeFileSync(file, JSON.stringify(leaky, null, 1));
      const run = runCheck(bad, checkCommand().args);
      expect(run.code).toBe(1);
      const results = JSON.parse(run.stdout).runs[0].results;
      expect(results.map((r: any) => [r.ruleId, r.level])).toEqual([['KL-AWS-01', 'error']]);
      expect(results[0].locations[0].logicalLocations[0].name).toBe('DeployUserKey');
    });
  });

  test('guardrails: zero findings', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out')]);
    expect(errors(evaluation)).toEqual([]);
    expect(evaluation.findings).toEqual([]);
  });
});
