import * as fs from 'fs';
import * as path from 'path';
import { buildCdkApp, writeTrustManifests } from '../../examples/ecs-openai-anthropic/cdk-app';
import { assistant, plan } from '../../examples/ecs-openai-anthropic/plan';
import { checkOutputs, errors, NOW, onlyResource, readJson, roleArnFromTemplate, roleNamed, stableTemplate, tempDir } from './support';

describe('example ecs-openai-anthropic: a Fargate task, its token grants and a trust manifest per vendor', () => {
  let dir: string;
  let template: any;
  let files: string[];

  beforeAll(() => {
    dir = tempDir('ecs');
    buildCdkApp(path.join(dir, 'cdk.out'), { now: NOW }).synth();
    files = writeTrustManifests(path.join(dir, 'trust-manifests'));
    template = readJson(path.join(dir, 'cdk.out', 'SupportAssistant.template.json'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CloudFormation snapshot', () => {
    expect(stableTemplate(template)).toMatchSnapshot();
  });

  test('the task runs as the plan role and mints one token per vendor: audience, algorithm and lifetime pinned', () => {
    const task = onlyResource(template, 'AWS::ECS::TaskDefinition');
    const [roleId] = Object.entries(template.Resources).find(([, r]: [string, any]) => r.Properties?.RoleName === assistant.roleName)!;
    expect(task.Properties.TaskRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    const policy = { Properties: template.Resources[roleId].Properties.Policies.find((p: any) => p.PolicyName === 'WebIdentityTokens') }; // inline: one resource per workload
    expect(policy.Properties.PolicyDocument.Statement.map((s: any) => [s.Action, s.Condition['ForAllValues:StringEquals']['sts:IdentityTokenAudience'], s.Condition.StringEquals['sts:SigningAlgorithm']]))
      .toEqual([
        ['sts:GetWebIdentityToken', ['https://api.openai.com/v1'], 'RS256'],
        ['sts:GetWebIdentityToken', ['https://api.anthropic.com'], 'RS256'],
      ]);
    const env = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map((e: any) => [e.Name, e.Value]));
    expect(env).toMatchObject({
      KEYLESS_OPENAI_AUDIENCE: 'https://api.openai.com/v1',
      KEYLESS_OPENAI_SIGNING_ALGORITHM: 'RS256',
      KEYLESS_OPENAI_DURATION_SECONDS: '300',
      KEYLESS_ANTHROPIC_AUDIENCE: 'https://api.anthropic.com',
      KEYLESS_ANTHROPIC_SIGNING_ALGORITHM: 'RS256',
      KEYLESS_ANTHROPIC_DURATION_SECONDS: '300',
      ANTHROPIC_IDENTITY_TOKEN_FILE: '/tmp/keyless/anthropic-token',
    });
    expect(Object.keys(env).filter((k) => /API_KEY|SECRET|PASSWORD/.test(k))).toEqual([]);
  });

  test('a JSON and a Markdown manifest per target, whose subject is the role ARN CloudFormation creates', () => {
    expect(files.map((f) => path.basename(f))).toEqual([
      'support-assistant-openai.json', 'support-assistant-openai.md',
      'support-assistant-anthropic.json', 'support-assistant-anthropic.md',
    ]);
    const roleArn = roleArnFromTemplate(roleNamed(template, assistant.roleName), plan.account);
    expect(roleArn).toBe('arn:aws:iam::111122223333:role/workloads/support-assistant');
    const openai = readJson(files[0]);
    const anthropic = readJson(files[2]);
    expect([openai.vendor, openai.subject, openai.issuer.url, openai.audience]).toEqual(['openai', roleArn, plan.issuerUrl, 'https://api.openai.com/v1']);
    expect([anthropic.vendor, anthropic.subject, anthropic.issuer.url, anthropic.audience]).toEqual(['anthropic', roleArn, plan.issuerUrl, 'https://api.anthropic.com']);
    expect(anthropic.steps[2].fields.find((f: any) => f.name === 'Subject').value).toBe(roleArn);
    expect(fs.readFileSync(files[3], 'utf8')).toContain(`| Subject (\`sub\`) | \`${roleArn}\` |`);
  });

  test('the account switch pins the issuer the manifests register', () => {
    expect(onlyResource(template, 'Custom::KeylessOutboundWebIdentityFederation').Properties.ExpectedIssuerUrl).toBe(plan.issuerUrl);
  });

  test('guardrails: zero findings', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out')]);
    expect(errors(evaluation)).toEqual([]);
    expect(evaluation.findings).toEqual([]);
  });
});
