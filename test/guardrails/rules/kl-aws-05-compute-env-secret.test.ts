import { KL_AWS_05 } from '../../../lib/guardrails/rules/kl-aws-05-compute-env-secret';
import { sdkCall } from './custom-resource-fixtures';
import { cfn, check, setOf, tf } from './helpers';

const CLEAN_VARS = {
  KEYLESS_SNOWFLAKE_AUDIENCE: 'snowflakecomputing.com',
  TOKEN_AUDIENCE: 'api://AzureADTokenExchange',
  SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf',
  PASSWORD_SECRET_NAME: 'prod/db/password',
  TOKEN_DURATION_SECONDS: '300',
  OPENAI_BASE_URL: 'https://api.openai.com/v1',
  ROLE_ARN: 'arn:aws:iam::111122223333:role/etl',
  MAX_TOKENS: '4096',
  DB_PASSWORD: '{{resolve:secretsmanager:prod/db:SecretString:password}}',
  API_KEY_SSM: '/prod/openai/api-key',
};

describe('KL-AWS-05 static credential in a compute environment', () => {
  describe('CloudFormation Lambda', () => {
    const role = cfn('AWS::IAM::Role', 'FnRole', {});
    const secret = cfn('AWS::SecretsManager::Secret', 'DbSecret', { GenerateSecretString: {} });
    const fn = (vars: Record<string, unknown>) => cfn('AWS::Lambda::Function', 'Fn', { Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] }, Environment: { Variables: vars } });

    test('a secret-named variable with a literal', () => {
      const f = fn({ DB_PASSWORD: 'hunter2' });
      const hits = check(KL_AWS_05, f, setOf(role, secret, f));
      expect(hits).toHaveLength(1);
      expect(hits[0].message).toMatch(/Lambda environment variable DB_PASSWORD of Fn holds a literal secret \(value not shown\)/);
      expect(hits[0].message).not.toMatch(/hunter2/);
      expect(hits[0].message).toMatch(/Fix: .*GetWebIdentityToken/);
      expect(hits[0].identity).toBe('FnRole');
    });

    test('a secret-named variable from a Parameter (Ref to a name that is no resource)', () => {
      const f = fn({ OPENAI_API_KEY: { Ref: 'OpenAiKey' } });
      const hits = check(KL_AWS_05, f, setOf(role, f));
      expect(hits[0].message).toMatch(/OPENAI_API_KEY of Fn is set from the parameter OpenAiKey/);
    });

    test('any variable holding a known key shape, whatever its name', () => {
      const f = fn({ CONFIG: 'AKIAIOSFODNN7EXAMPLE', NOTES: { 'Fn::Join': ['', ['sk-ant-api03-', 'abcdefghijklmnopqrstuvwxyz']] } });
      const hits = check(KL_AWS_05, f, setOf(role, f));
      expect(hits.map((h) => h.message.match(/holds (an? [^(]+)/)?.[1].trim())).toEqual(['an AWS access key id', 'an Anthropic API key']);
    });

    test('the secret an AwsCustomResource createAccessKey call returns, injected with getResponseField (Fn::GetAtt [Call, AccessKey.SecretAccessKey])', () => {
      const call = sdkCall('CiKey', 'IAM', 'createAccessKey', { UserName: 'ci' }, ['Create']);
      const f = fn({ CI_SECRET: { 'Fn::GetAtt': ['CiKey', 'AccessKey.SecretAccessKey'] }, KEY_ID: { 'Fn::GetAtt': ['CiKey', 'AccessKey.AccessKeyId'] } });
      const hits = check(KL_AWS_05, f, setOf(role, call, f));
      expect(hits).toHaveLength(1);
      expect(hits[0].message).toMatch(/CI_SECRET of .* injects the secret that custom resource CiKey's IAM createAccessKey call returns \(AccessKey\.SecretAccessKey\)/);
      // A response field of a call that returns no secret is just a reference.
      const get = sdkCall('Get', 'SSM', 'getParameter', { Name: '/x' }, ['Create']);
      const g = fn({ VALUE: { 'Fn::GetAtt': ['Get', 'Parameter.SecretAccessKey'] } });
      expect(check(KL_AWS_05, g, setOf(role, get, g))).toEqual([]);
    });

    test('the secret of an access key injected with Fn::GetAtt', () => {
      const key = cfn('AWS::IAM::AccessKey', 'Key', { UserName: 'u' });
      const f = fn({ AWS_SECRET: { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] } });
      expect(check(KL_AWS_05, f, setOf(role, key, f))[0].message).toMatch(/injects the secret of IAM access key Key/);
    });

    test('clean: ARNs, audiences, names, durations, dynamic references, Refs to resources', () => {
      const f = fn({ ...CLEAN_VARS, DB_SECRET: { Ref: 'DbSecret' }, SECRET_ARN2: { 'Fn::GetAtt': ['DbSecret', 'Id'] }, REGION: { Ref: 'AWS::Region' } });
      expect(check(KL_AWS_05, f, setOf(role, secret, f))).toEqual([]);
    });
  });

  describe('Terraform Lambda', () => {
    test('environment as an object and as an array of one block', () => {
      for (const environment of [{ variables: { GITHUB_TOKEN: 'not-a-real-token' } }, [{ variables: { GITHUB_TOKEN: 'not-a-real-token' } }]]) {
        const f = tf('aws_lambda_function', 'fn', { environment });
        expect(check(KL_AWS_05, f).map((h) => h.message)).toEqual([expect.stringMatching(/GITHUB_TOKEN of aws_lambda_function\.fn holds a literal secret/)]);
      }
    });

    test('a variable is a parameter; a resource attribute is not', () => {
      const f = tf('aws_lambda_function', 'fn', { role: '${aws_iam_role.fn.arn}', environment: { variables: { DB_PASSWORD: '${var.db_password}', DB_PASSWORD_FROM_RANDOM: '${random_password.db.result}' } } });
      const role = tf('aws_iam_role', 'fn', {});
      const hits = check(KL_AWS_05, f, setOf(role, f));
      expect(hits).toHaveLength(1);
      expect(hits[0].message).toMatch(/DB_PASSWORD of aws_lambda_function\.fn is set from the parameter var\.db_password/);
      expect(hits[0].identity).toBe('aws_iam_role.fn');
    });

    test('clean variables', () => {
      expect(check(KL_AWS_05, tf('aws_lambda_function', 'fn', { environment: { variables: CLEAN_VARS } }))).toEqual([]);
    });
  });

  describe('ECS task definitions', () => {
    test('CloudFormation ContainerDefinitions[].Environment', () => {
      const td = cfn('AWS::ECS::TaskDefinition', 'Task', {
        ContainerDefinitions: [{ Name: 'app', Environment: [{ Name: 'SLACK_BOT_TOKEN', Value: 'xoxb-1234567890-abcdefghij' }, { Name: 'TOKEN_AUDIENCE', Value: 'snowflakecomputing.com' }], Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }] }],
      });
      const hits = check(KL_AWS_05, td);
      expect(hits).toHaveLength(1);
      expect(hits[0].message).toMatch(/container "app" environment variable SLACK_BOT_TOKEN of Task holds a Slack token/);
    });

    test('Terraform container_definitions as a JSON string', () => {
      const td = tf('aws_ecs_task_definition', 'task', {
        container_definitions: JSON.stringify([{ name: 'worker', environment: [{ name: 'DB_PASSWORD', value: 'p@ss' }, { name: 'SECRET_ARN', value: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }] }]),
      });
      expect(check(KL_AWS_05, td).map((h) => h.message)).toEqual([expect.stringMatching(/container "worker" environment variable DB_PASSWORD of aws_ecs_task_definition\.task holds a literal secret/)]);
    });

    test('an unparsable container_definitions string is skipped, not thrown', () => {
      expect(check(KL_AWS_05, tf('aws_ecs_task_definition', 't', { container_definitions: '${jsonencode(local.containers)}' }))).toEqual([]);
    });
  });

  describe('other compute', () => {
    test('CodeBuild PLAINTEXT variables only', () => {
      const p = cfn('AWS::CodeBuild::Project', 'Build', { Environment: { EnvironmentVariables: [
        { Name: 'NPM_TOKEN', Value: 'literal-token' },
        { Name: 'GH_TOKEN', Value: '/ci/gh-token', Type: 'PARAMETER_STORE' },
      ] } });
      expect(check(KL_AWS_05, p).map((h) => h.message)).toEqual([expect.stringMatching(/CodeBuild environment variable NPM_TOKEN/)]);
    });

    test('App Runner (Terraform runtime_environment_variables map)', () => {
      const s = tf('aws_apprunner_service', 'api', { source_configuration: { image_repository: { image_configuration: { runtime_environment_variables: { STRIPE_SECRET_KEY: 'sk_live_abcdefghijklmnop1234' } } } } });
      expect(check(KL_AWS_05, s)[0].message).toMatch(/App Runner environment variable STRIPE_SECRET_KEY of aws_apprunner_service\.api holds a Stripe secret key/);
    });
  });
});
