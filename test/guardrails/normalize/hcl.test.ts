import * as fs from 'fs';
import * as path from 'path';
import { normalizeHcl, normalizeTerraformModule } from '../../../lib/guardrails/normalize/hcl';
import { InputError } from '../../../lib/guardrails/normalize/input-error';
import { NormalizedSet } from '../../../lib/guardrails/normalize/set';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'hcl', 'etl');
const FILES = ['extra.tf.json', 'iam.tf', 'main.tf', 'providers.tf', 'variables.tf'];

describe('an HCL module read as one set (all .tf and .tf.json files of the directory)', () => {
  let set: NormalizedSet;
  beforeAll(async () => {
    set = await normalizeTerraformModule(FILES.map((name) => {
      const file = path.join(DIR, name);
      const text = fs.readFileSync(file, 'utf8');
      return name.endsWith('.json') ? { file, json: JSON.parse(text) } : { file, hcl: text };
    }), DIR);
  });
  const get = (address: string) => set.resources.find((r) => r.address === address)!;

  test('every block, with its kind, type and the file it was declared in', () => {
    expect(set.file).toBe(DIR);
    expect(set.resources.map((r) => [r.address, r.kind, r.type, path.basename(r.file)])).toEqual([
      ['aws_iam_user_login_profile.legacy', 'resource', 'aws_iam_user_login_profile', 'extra.tf.json'],
      ['aws_iam_policy.from_local', 'resource', 'aws_iam_policy', 'iam.tf'],
      ['aws_iam_policy.from_variable', 'resource', 'aws_iam_policy', 'iam.tf'],
      ['aws_iam_policy.heredoc', 'resource', 'aws_iam_policy', 'iam.tf'],
      ['aws_iam_role.etl', 'resource', 'aws_iam_role', 'iam.tf'],
      ['aws_iam_role_policy.combined', 'resource', 'aws_iam_role_policy', 'iam.tf'],
      ['aws_iam_role_policy.mint', 'resource', 'aws_iam_role_policy', 'iam.tf'],
      ['data.aws_iam_policy_document.combined', 'data', 'aws_iam_policy_document', 'iam.tf'],
      ['data.aws_iam_policy_document.dynamic', 'data', 'aws_iam_policy_document', 'iam.tf'],
      ['data.aws_iam_policy_document.mint', 'data', 'aws_iam_policy_document', 'iam.tf'],
      ['aws_ecs_task_definition.etl', 'resource', 'aws_ecs_task_definition', 'main.tf'],
      ['aws_iam_openid_connect_provider.github', 'resource', 'aws_iam_openid_connect_provider', 'main.tf'],
      ['aws_lambda_function.loader', 'resource', 'aws_lambda_function', 'main.tf'],
      ['provider.aws', 'provider', 'aws', 'providers.tf'],
      ['provider.aws.replica', 'provider', 'aws', 'providers.tf'],
      ['provider.snowflake', 'provider', 'snowflake', 'providers.tf'],
    ]);
    for (const r of set.resources) expect(r.constructPath).toBeUndefined();
  });

  test('jsonencode({...}) becomes the JSON string, references inside stay ${...}', () => {
    expect(JSON.parse(get('aws_iam_role.etl').properties.assume_role_policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: '${aws_iam_openid_connect_provider.github.arn}' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' },
        },
      }],
    });
    expect(get('aws_iam_role.etl').properties.name).toBe('etl-${var.env}');
  });

  test('a policy document declared in another file is substituted as the provider renders it', () => {
    expect(get('aws_iam_role_policy.mint').properties).toEqual({
      name: 'mint',
      role: '${aws_iam_role.etl.id}',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'MintSnowflake',
          Effect: 'Allow',
          Action: 'sts:GetWebIdentityToken',
          Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': 'snowflakecomputing.com' },
            'Null': { 'sts:IdentityTokenAudience': 'false' },
            'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
          },
        }],
      }),
    });
  });

  test('source documents, same-Sid replacement, principals and variables in a composed document', () => {
    expect(JSON.parse(get('aws_iam_role_policy.combined').properties.policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'MintSnowflake',
        Effect: 'Allow',
        Action: ['sts:GetWebIdentityToken', 'sts:TagGetWebIdentityToken'],
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': '${var.audiences}' } },
      }, {
        Sid: 'ReadBucket',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::etl-${var.env}/*',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        NotPrincipal: '*',
      }],
    });
  });

  test('heredoc JSON is a string, <<- indentation stripped', () => {
    expect(get('aws_iam_policy.heredoc').properties.policy).toBe(
      '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]\n}\n',
    );
  });

  test('a local holding jsonencode(...) resolves; a variable stays a ${...} string', () => {
    expect(get('aws_iam_policy.from_local').properties.policy).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}');
    expect(get('aws_iam_policy.from_variable').properties.policy).toBe('${var.extra_policy}');
  });

  test('container_definitions = jsonencode([...]) becomes the JSON array string', () => {
    expect(JSON.parse(get('aws_ecs_task_definition.etl').properties.container_definitions as string)).toEqual([{
      name: 'etl',
      image: 'acme/etl:1.2.3',
      environment: [
        { name: 'SNOWFLAKE_PASSWORD', value: '${var.snowflake_password}' },
        { name: 'API_KEY', value: 'sk-live-0123456789abcdef' },
        { name: 'REGION', value: 'us-east-1' },
      ],
      memory: 512,
      essential: true,
    }]);
  });

  test('nested blocks are arrays of objects; map attributes are objects; expressions are ${...}', () => {
    expect(get('aws_lambda_function.loader').properties.environment).toEqual([{
      variables: {
        DB_PASSWORD: '${var.snowflake_password}',
        MODE: '${var.env == "prod" ? "strict" : "lax"}',
        RETRIES: 3,
      },
    }]);
    expect(get('data.aws_iam_policy_document.dynamic').properties).toEqual({
      dynamic: { statement: [{ for_each: '${var.audiences}', content: [{ actions: ['sts:GetWebIdentityToken'], resources: ['*'] }] }] },
    });
  });

  test('providers with aliases; a password from a variable stays a variable reference', () => {
    expect(get('provider.snowflake').properties).toEqual({
      organization_name: 'acme', account_name: 'etl', user: 'TERRAFORM', password: '${var.snowflake_password}',
    });
    expect(get('provider.aws.replica').properties).toEqual({ alias: 'replica', region: 'eu-west-1' });
  });

  test('notes say what could not be read statically', () => {
    expect(set.notes).toEqual([
      `${path.join(DIR, 'iam.tf')}: data.aws_iam_policy_document.combined: override policy document \${var.extra_policy} is not statically known; the rest of the document was read`,
      `${path.join(DIR, 'main.tf')}: module.network is a module call and is not expanded; check the module's own directory or the synthesized configuration`,
    ]);
  });
});

describe('normalizeHcl (one file)', () => {
  test('references to blocks of other files stay as written', async () => {
    const set = await normalizeHcl('resource "aws_iam_role_policy" "p" {\n  policy = data.aws_iam_policy_document.elsewhere.json\n}\n', 'p.tf');
    expect(set.resources).toEqual([{
      engine: 'terraform', kind: 'resource', type: 'aws_iam_role_policy', address: 'aws_iam_role_policy.p', file: 'p.tf',
      properties: { policy: '${data.aws_iam_policy_document.elsewhere.json}' },
    }]);
  });

  test('a for_each known statically is one resource per instance, at its instance address, each.key substituted', async () => {
    const set = await normalizeHcl('resource "aws_iam_access_key" "k" {\n  for_each = toset(["b", "a", "b"])\n  user = each.key\n}\n', 'k.tf');
    expect(set.resources.map((r) => [r.address, r.properties])).toEqual([['aws_iam_access_key.k["a"]', { user: 'a' }], ['aws_iam_access_key.k["b"]', { user: 'b' }]]);
  });

  test('a syntax error is an InputError with the line and column', async () => {
    const error = await normalizeHcl('resource "aws_iam_user" "a" {\n  name = \n}\n', 'dir/bad.tf').catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('dir/bad.tf: malformed HCL: line 2, column 10: Invalid expression; Expected the start of an expression, but found an invalid expression token.');
  });

  test('an unknown top-level block is an InputError', async () => {
    await expect(normalizeHcl('resources "a" "b" {}\n', 'x.tf')).rejects.toThrow('x.tf: not a Terraform configuration: unknown top-level block "resources"');
  });

  test('an empty file is an empty set', async () => {
    expect(await normalizeHcl('# nothing\n', 'e.tf')).toEqual({ file: 'e.tf', engine: 'terraform', resources: [] });
  });
});
