/**
 * KL-AWS-01/02/03/05/06 through every route: L2, raw L1, CfnResource, escape hatch on a clean resource, nested
 * stack, nested Stage, cdktf (raw Terraform resources, stack-level overrides) and HCL through the CLI; each with a
 * clean neighbour that must not be flagged.
 */
import {
  CfnResource, NestedStack, SecretValue, Stack, aws_ecs as ecs, aws_iam as iam, aws_lambda as lambda,
  aws_secretsmanager as secretsmanager, aws_ssm as ssm,
} from 'aws-cdk-lib';
import { TerraformResource, TerraformStack } from 'cdktf';
import { anyAt, anyInCase, at, cdkRoutes, cdktfRoutes, hclRoutes, inCase, RouteResult, stageStack } from './harness';

// Literal secrets in fixtures are fake: shaped like the real thing so the rules recognise them.
const OPENAI_KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
const AWS_KEY_ID = 'AKIAZZZZZZZZZZZZZZZZ';
const PASSWORD = 'Winter2026!Sup3r';

const code = lambda.Code.fromInline('exports.handler = async () => {}');
const fnProps = { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code };

let cdk: RouteResult;
let tf: RouteResult;
let hcl: RouteResult & { code: number };

function raw(stack: TerraformStack, type: string, id: string, body: Record<string, unknown>): TerraformResource {
  const r = new TerraformResource(stack, id, { terraformResourceType: type });
  for (const [k, v] of Object.entries(body)) r.addOverride(k, v);
  return r;
}

beforeAll(async () => {
  cdk = cdkRoutes((app) => {
    // KL-AWS-01 -------------------------------------------------------------------------------------------------
    const a1 = new Stack(app, 'AWS01');
    const u1 = new iam.User(a1, 'Deployer');
    new iam.AccessKey(a1, 'L2', { user: u1 });
    new iam.CfnAccessKey(a1, 'L1', { userName: u1.userName });
    new CfnResource(a1, 'Raw', { type: 'AWS::IAM::AccessKey', properties: { UserName: 'deployer' } });
    const topic = new CfnResource(a1, 'Hatch', { type: 'AWS::SNS::Topic' });
    topic.addOverride('Type', 'AWS::IAM::AccessKey');
    topic.addPropertyOverride('UserName', 'deployer');
    new iam.CfnAccessKey(new NestedStack(a1, 'Nested'), 'L1', { userName: 'deployer' });
    new iam.CfnAccessKey(stageStack(app, 'AWS01'), 'L1', { userName: 'deployer' });
    new iam.User(a1, 'CleanUser');

    // KL-AWS-02 -------------------------------------------------------------------------------------------------
    const a2 = new Stack(app, 'AWS02');
    new iam.User(a2, 'L2', { password: SecretValue.unsafePlainText(PASSWORD) });
    new iam.CfnUser(a2, 'L1', { loginProfile: { password: PASSWORD } });
    const clean2 = new iam.User(a2, 'Hatch');
    (clean2.node.defaultChild as iam.CfnUser).addPropertyOverride('LoginProfile', { Password: PASSWORD, PasswordResetRequired: true });
    new iam.CfnUser(new NestedStack(a2, 'Nested'), 'L1', { loginProfile: { password: PASSWORD } });
    new iam.CfnUser(stageStack(app, 'AWS02'), 'L1', { loginProfile: { password: PASSWORD } });
    new iam.User(a2, 'CleanUser');

    // KL-AWS-05 -------------------------------------------------------------------------------------------------
    const a5 = new Stack(app, 'AWS05');
    new lambda.Function(a5, 'L2', { ...fnProps, environment: { DB_PASSWORD: PASSWORD } });
    const task = new ecs.FargateTaskDefinition(a5, 'Task');
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/app:1'), environment: { OPENAI_KEY_VALUE: OPENAI_KEY } });
    new lambda.CfnFunction(a5, 'L1', {
      role: 'arn:aws:iam::111122223333:role/fn', code: { zipFile: 'x' }, runtime: 'nodejs20.x', handler: 'index.handler',
      environment: { variables: { API_TOKEN: PASSWORD } },
    });
    const fn = new lambda.Function(a5, 'Hatch', { ...fnProps, environment: { LOG_LEVEL: 'info' } });
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment.Variables.AWS_ACCESS_KEY_ID', AWS_KEY_ID);
    new lambda.CfnFunction(new NestedStack(a5, 'Nested'), 'L1', {
      role: 'arn:aws:iam::111122223333:role/fn', code: { zipFile: 'x' }, environment: { variables: { SERVICE_SECRET: PASSWORD } },
    });
    new lambda.CfnFunction(stageStack(app, 'AWS05'), 'L1', {
      role: 'arn:aws:iam::111122223333:role/fn', code: { zipFile: 'x' }, environment: { variables: { SERVICE_SECRET: PASSWORD } },
    });
    const secret = new secretsmanager.Secret(a5, 'AppSecret');
    new lambda.Function(a5, 'Clean', { ...fnProps, environment: { LOG_LEVEL: 'debug', TABLE_NAME: 'orders', DB_SECRET_ARN: secret.secretArn } });

    // KL-AWS-06 -------------------------------------------------------------------------------------------------
    const a6 = new Stack(app, 'AWS06');
    new secretsmanager.Secret(a6, 'L2', { secretStringValue: SecretValue.unsafePlainText(PASSWORD) });
    new ssm.StringParameter(a6, 'Ssm', { parameterName: '/app/openai', stringValue: OPENAI_KEY });
    new secretsmanager.CfnSecret(a6, 'L1', { secretString: PASSWORD });
    const generated = new secretsmanager.Secret(a6, 'Hatch');
    (generated.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    (generated.node.defaultChild as secretsmanager.CfnSecret).addPropertyOverride('SecretString', PASSWORD);
    new secretsmanager.CfnSecret(new NestedStack(a6, 'Nested'), 'L1', { secretString: PASSWORD });
    new secretsmanager.CfnSecret(stageStack(app, 'AWS06'), 'L1', { secretString: PASSWORD });
    new secretsmanager.Secret(a6, 'Clean');
    new ssm.StringParameter(a6, 'CleanParam', { parameterName: '/app/table', stringValue: 'orders' });
  });

  tf = cdktfRoutes((app) => {
    const stack = (id: string) => new TerraformStack(app, id);
    // KL-AWS-01
    raw(stack('aws01-raw'), 'aws_iam_access_key', 'key', { user: 'deployer' });
    stack('aws01-hatch').addOverride('resource.aws_iam_access_key.sneaky', { user: 'deployer' });
    raw(stack('aws01-clean'), 'aws_iam_user', 'deployer', { name: 'deployer' });
    // KL-AWS-02
    raw(stack('aws02-raw'), 'aws_iam_user_login_profile', 'profile', { user: 'deployer' });
    stack('aws02-hatch').addOverride('resource.aws_iam_user_login_profile.sneaky', { user: 'deployer' });
    // KL-AWS-03
    const s3 = stack('aws03-raw');
    raw(s3, 'aws_iam_user', 'deployer', { name: 'deployer' });
    raw(s3, 'aws_iam_service_specific_credential', 'bedrock', { service_name: 'bedrock.amazonaws.com', user_name: '${aws_iam_user.deployer.name}' });
    raw(s3, 'aws_iam_user_ssh_key', 'ssh', { username: 'deployer', encoding: 'SSH', public_key: 'ssh-rsa AAAA' });
    raw(s3, 'aws_iam_signing_certificate', 'cert', { user_name: 'deployer', certificate_body: '-----BEGIN CERTIFICATE-----' });
    stack('aws03-hatch').addOverride('resource.aws_iam_user_ssh_key.sneaky', { username: 'deployer', encoding: 'SSH', public_key: 'ssh-rsa AAAA' });
    // KL-AWS-05
    raw(stack('aws05-raw'), 'aws_lambda_function', 'fn', { function_name: 'fn', role: 'arn', environment: { variables: { DB_PASSWORD: PASSWORD } } });
    raw(stack('aws05-ecs'), 'aws_ecs_task_definition', 'task', {
      family: 'app', container_definitions: JSON.stringify([{ name: 'app', image: 'x', environment: [{ name: 'GITHUB_TOKEN', value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }] }]),
    });
    const hatch5 = raw(stack('aws05-hatch'), 'aws_lambda_function', 'fn', { function_name: 'fn', role: 'arn', environment: { variables: { LOG_LEVEL: 'info' } } });
    hatch5.addOverride('environment.variables.AWS_SECRET_ACCESS_KEY', PASSWORD);
    raw(stack('aws05-clean'), 'aws_lambda_function', 'fn', { function_name: 'fn', role: 'arn', environment: { variables: { LOG_LEVEL: 'info', SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x' } } });
    // KL-AWS-06
    raw(stack('aws06-raw'), 'aws_secretsmanager_secret_version', 'v', { secret_id: 'x', secret_string: PASSWORD });
    raw(stack('aws06-ssm'), 'aws_ssm_parameter', 'p', { name: '/app/db', type: 'SecureString', value: PASSWORD });
    const hatch6 = raw(stack('aws06-hatch'), 'aws_ssm_parameter', 'p', { name: '/app/table', type: 'String', value: 'orders' });
    hatch6.addOverride('value', OPENAI_KEY);
    raw(stack('aws06-clean'), 'aws_ssm_parameter', 'p', { name: '/app/table', type: 'String', value: 'orders' });
  });

  hcl = await hclRoutes({
    'aws01/main.tf': 'resource "aws_iam_user" "deployer" {\n  name = "deployer"\n}\n\nresource "aws_iam_access_key" "deployer" {\n  user = aws_iam_user.deployer.name\n}\n',
    'aws01-clean/main.tf': 'resource "aws_iam_user" "deployer" {\n  name = "deployer"\n}\n',
    'aws02/main.tf': 'resource "aws_iam_user_login_profile" "deployer" {\n  user                    = "deployer"\n  password_reset_required = true\n}\n',
    'aws03/main.tf': [
      'resource "aws_iam_service_specific_credential" "bedrock" {',
      '  service_name = "bedrock.amazonaws.com"',
      '  user_name    = var.user',
      '}',
      'resource "aws_iam_user_ssh_key" "ssh" {',
      '  username   = "deployer"',
      '  encoding   = "SSH"',
      '  public_key = file("id_rsa.pub")',
      '}',
      'resource "aws_iam_signing_certificate" "cert" {',
      '  user_name        = "deployer"',
      '  certificate_body = file("cert.pem")',
      '}',
    ].join('\n'),
    'aws05/main.tf': [
      'resource "aws_lambda_function" "fn" {',
      '  function_name = "fn"',
      '  role          = aws_iam_role.fn.arn',
      '  environment {',
      '    variables = {',
      `      DB_PASSWORD = "${PASSWORD}"`,
      '      LOG_LEVEL   = "info"',
      '    }',
      '  }',
      '}',
      'resource "aws_ecs_task_definition" "task" {',
      '  family = "app"',
      '  container_definitions = jsonencode([{',
      '    name        = "app"',
      '    image       = "app:1"',
      `    environment = [{ name = "ANTHROPIC", value = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz" }]`,
      '  }])',
      '}',
    ].join('\n'),
    'aws05-clean/main.tf': 'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  role = "arn"\n  environment {\n    variables = {\n      LOG_LEVEL = "info"\n      DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn\n    }\n  }\n}\n',
    'aws06/main.tf': `resource "aws_secretsmanager_secret_version" "v" {\n  secret_id     = aws_secretsmanager_secret.s.id\n  secret_string = "${PASSWORD}"\n}\nresource "aws_ssm_parameter" "p" {\n  name  = "/app/db_password"\n  type  = "SecureString"\n  value = var.db_password\n}\n`,
    'aws06-clean/main.tf': 'resource "aws_ssm_parameter" "p" {\n  name  = "/app/table"\n  type  = "String"\n  value = "orders"\n}\n',
  });
}, 60_000);

describe('KL-AWS-01 IAM access key', () => {
  test.each([
    ['L2 iam.AccessKey', 'AWS01/L2'],
    ['L1 CfnAccessKey', 'AWS01/L1'],
    ['raw CfnResource', 'AWS01/Raw'],
    ['escape hatch: a topic overridden into an access key', 'AWS01/Hatch'],
    ['nested stack', 'AWS01/Nested/L1'],
    ['nested Stage', 'AWS01Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    expect(at(cdk, 'KL-AWS-01', path)).toHaveLength(1);
    expect(at(cdk, 'KL-AWS-01', path)[0].severity).toBe('error');
  });

  test('CDK: synth fails naming the rule and the construct paths', () => {
    expect(cdk.errors.app).toContain('KL-AWS-01');
    expect(cdk.errors.app).toContain('AWS01/Nested/L1');
    expect(cdk.errors.app).toContain('AWS01Stage/S/L1');
  });

  test('CDK clean neighbour: a user without keys', () => {
    expect(anyAt(cdk, 'AWS01/CleanUser')).toEqual([]);
  });

  test('Terraform JSON (cdktf): raw resource and a stack-level override injecting one; clean user passes', () => {
    expect(inCase(tf, 'KL-AWS-01', 'aws01-raw').map((h) => h.resource)).toEqual(['aws_iam_access_key.key']);
    expect(tf.errors['aws01-raw']).toContain('[KL-AWS-01] aws_iam_access_key.key at aws01-raw/key');
    expect(inCase(tf, 'KL-AWS-01', 'aws01-hatch').map((h) => h.resource)).toEqual(['aws_iam_access_key.sneaky']);
    expect(tf.errors['aws01-hatch']).toContain('[KL-AWS-01] aws_iam_access_key.sneaky');
    expect(anyInCase(tf, 'aws01-clean')).toEqual([]);
    expect(tf.errors['aws01-clean']).toBeUndefined();
  });

  test('HCL through keyless check, the key linked to its user; clean user passes', () => {
    const [hit] = inCase(hcl, 'KL-AWS-01', 'aws01');
    expect(hit.resource).toBe('aws_iam_access_key.deployer');
    expect(hit.message).toContain('for user aws_iam_user.deployer');
    expect(anyInCase(hcl, 'aws01-clean')).toEqual([]);
  });
});

describe('KL-AWS-02 IAM console password', () => {
  test.each([
    ['L2 iam.User with a password', 'AWS02/L2'],
    ['L1 CfnUser with loginProfile', 'AWS02/L1'],
    ['escape hatch: addPropertyOverride(LoginProfile) on a clean user', 'AWS02/Hatch'],
    ['nested stack', 'AWS02/Nested/L1'],
    ['nested Stage', 'AWS02Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    expect(at(cdk, 'KL-AWS-02', path)).toHaveLength(1);
  });

  test('CDK clean neighbour', () => {
    expect(anyAt(cdk, 'AWS02/CleanUser')).toEqual([]);
  });

  test('Terraform JSON (cdktf) raw and stack-level override', () => {
    expect(inCase(tf, 'KL-AWS-02', 'aws02-raw').map((h) => h.resource)).toEqual(['aws_iam_user_login_profile.profile']);
    expect(inCase(tf, 'KL-AWS-02', 'aws02-hatch').map((h) => h.resource)).toEqual(['aws_iam_user_login_profile.sneaky']);
    expect(tf.errors['aws02-raw']).toContain('[KL-AWS-02]');
  });

  test('HCL', () => {
    expect(inCase(hcl, 'KL-AWS-02', 'aws02').map((h) => h.resource)).toEqual(['aws_iam_user_login_profile.deployer']);
  });
});

describe('KL-AWS-03 other IAM user credentials (Terraform only)', () => {
  test('Terraform JSON (cdktf): service-specific credential, SSH key, signing certificate; stack-level override', () => {
    expect(inCase(tf, 'KL-AWS-03', 'aws03-raw').map((h) => h.resource).sort()).toEqual([
      'aws_iam_service_specific_credential.bedrock', 'aws_iam_signing_certificate.cert', 'aws_iam_user_ssh_key.ssh',
    ]);
    expect(inCase(tf, 'KL-AWS-03', 'aws03-raw').find((h) => h.resource.includes('bedrock'))!.message).toContain('for bedrock.amazonaws.com on aws_iam_user.deployer');
    expect(inCase(tf, 'KL-AWS-03', 'aws03-hatch').map((h) => h.resource)).toEqual(['aws_iam_user_ssh_key.sneaky']);
    expect(anyInCase(tf, 'aws03-raw').filter((h) => h.resource === 'aws_iam_user.deployer')).toEqual([]);
  });

  test('HCL (values from variables and file())', () => {
    expect(inCase(hcl, 'KL-AWS-03', 'aws03').map((h) => h.resource).sort()).toEqual([
      'aws_iam_service_specific_credential.bedrock', 'aws_iam_signing_certificate.cert', 'aws_iam_user_ssh_key.ssh',
    ]);
  });
});

describe('KL-AWS-05 static credential in a compute environment', () => {
  test.each([
    ['L2 lambda.Function environment', 'AWS05/L2'],
    ['L2 ECS container environment (key-shaped value)', 'AWS05/Task'],
    ['L1 CfnFunction', 'AWS05/L1'],
    ['escape hatch: addPropertyOverride(Environment.Variables.X) on a clean function', 'AWS05/Hatch'],
    ['nested stack', 'AWS05/Nested/L1'],
    ['nested Stage', 'AWS05Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    expect(at(cdk, 'KL-AWS-05', path)).toHaveLength(1);
  });

  test('CDK: the messages never show the value', () => {
    for (const hit of cdk.hits.filter((h) => h.ruleId === 'KL-AWS-05')) {
      expect(hit.message).not.toContain(PASSWORD);
      expect(hit.message).not.toContain(OPENAI_KEY);
      expect(hit.message).not.toContain(AWS_KEY_ID);
    }
  });

  test('CDK clean neighbour: plain settings and a secret ARN', () => {
    expect(anyAt(cdk, 'AWS05/Clean')).toEqual([]);
  });

  test('Terraform JSON (cdktf): lambda, ECS container_definitions JSON string, override; clean function passes', () => {
    expect(inCase(tf, 'KL-AWS-05', 'aws05-raw').map((h) => h.resource)).toEqual(['aws_lambda_function.fn']);
    expect(inCase(tf, 'KL-AWS-05', 'aws05-ecs')[0].message).toContain('a GitHub token');
    expect(inCase(tf, 'KL-AWS-05', 'aws05-hatch').map((h) => h.message.split(' of ')[0])).toEqual(['Lambda environment variable AWS_SECRET_ACCESS_KEY']);
    expect(anyInCase(tf, 'aws05-clean')).toEqual([]);
  });

  test('HCL: environment block and jsonencode container definitions; clean function passes', () => {
    expect(inCase(hcl, 'KL-AWS-05', 'aws05').map((h) => h.resource).sort()).toEqual(['aws_ecs_task_definition.task', 'aws_lambda_function.fn']);
    expect(anyInCase(hcl, 'aws05-clean')).toEqual([]);
  });
});

describe('KL-AWS-06 plaintext secret literal in a secret store', () => {
  test.each([
    ['L2 Secret with secretStringValue', 'AWS06/L2'],
    ['L2 StringParameter holding a key-shaped value', 'AWS06/Ssm'],
    ['L1 CfnSecret', 'AWS06/L1'],
    ['escape hatch: SecretString override on a generated secret', 'AWS06/Hatch'],
    ['nested stack', 'AWS06/Nested/L1'],
    ['nested Stage', 'AWS06Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    expect(at(cdk, 'KL-AWS-06', path)).toHaveLength(1);
  });

  test('CDK clean neighbours: a generated secret and a plain parameter', () => {
    expect(anyAt(cdk, 'AWS06/Clean')).toEqual([]);
    expect(anyAt(cdk, 'AWS06/CleanParam')).toEqual([]);
  });

  test('Terraform JSON (cdktf): secret version, SecureString, override; clean parameter passes', () => {
    expect(inCase(tf, 'KL-AWS-06', 'aws06-raw').map((h) => h.resource)).toEqual(['aws_secretsmanager_secret_version.v']);
    expect(inCase(tf, 'KL-AWS-06', 'aws06-ssm').map((h) => h.resource)).toEqual(['aws_ssm_parameter.p']);
    expect(inCase(tf, 'KL-AWS-06', 'aws06-hatch').map((h) => h.resource)).toEqual(['aws_ssm_parameter.p']);
    expect(anyInCase(tf, 'aws06-clean')).toEqual([]);
  });

  test('HCL: literal and variable; clean parameter passes', () => {
    expect(inCase(hcl, 'KL-AWS-06', 'aws06').map((h) => h.resource).sort()).toEqual(['aws_secretsmanager_secret_version.v', 'aws_ssm_parameter.p']);
    expect(inCase(hcl, 'KL-AWS-06', 'aws06').find((h) => h.resource === 'aws_ssm_parameter.p')!.message).toContain('var.db_password');
    expect(anyInCase(hcl, 'aws06-clean')).toEqual([]);
  });

  test('the CLI exits 1 on this corpus', () => {
    expect(hcl.code).toBe(1);
  });
});
