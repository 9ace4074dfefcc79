import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { buildCdkApp } from '../../examples/github-actions-deploy/cdk-app';
import { deployment } from '../../examples/github-actions-deploy/plan';
import { checkOutputs, errors, NOW, readJson, roleNamed, stableTemplate, tempDir } from './support';

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
    const workflow = parseYaml(fs.readFileSync(path.join(__dirname, '../../examples/github-actions-deploy/deploy.yml'), 'utf8'));
    expect(workflow.permissions['id-token']).toBe('write');
    expect(workflow.jobs.deploy.environment).toBe(deployment.environment);
    const configure = workflow.jobs.deploy.steps.find((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'));
    expect(configure.with['role-to-assume']).toBe(`arn:aws:iam::${deployment.account}:role/${deployment.roleName}`);
    expect(configure.with['aws-region']).toBe(deployment.region);
    expect(JSON.stringify(workflow)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });

  test('guardrails: zero findings', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out')]);
    expect(errors(evaluation)).toEqual([]);
    expect(evaluation.findings).toEqual([]);
  });
});
