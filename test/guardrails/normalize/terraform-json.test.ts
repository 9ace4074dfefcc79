import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../../../lib/guardrails/normalize/input-error';
import { looksLikeTerraformJson, normalizeTerraformJson } from '../../../lib/guardrails/normalize/terraform-json';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'inputs');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const tf = { engine: 'terraform' as const };

describe('Terraform JSON with array-form blocks, provider aliases, locals and a policy document', () => {
  const set = normalizeTerraformJson(read('terraform-json/main.tf.json'), 'main.tf.json');
  const file = 'main.tf.json';

  test('exact resources: addresses, kinds, provider types and resolved properties', () => {
    expect(set).toEqual({
      file,
      engine: 'terraform',
      resources: [
        { ...tf, kind: 'resource', type: 'aws_iam_user', address: 'aws_iam_user.ci', file, properties: { name: 'ci', tags: { team: 'data', env: 'prod' } } },
        { ...tf, kind: 'resource', type: 'aws_iam_access_key', address: 'aws_iam_access_key.ci', file, properties: { user: '${aws_iam_user.ci.name}' } },
        {
          ...tf, kind: 'resource', type: 'aws_iam_role', address: 'aws_iam_role.deploy', file,
          properties: {
            name: 'deploy',
            provider: 'aws.west',
            assume_role_policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{
                Effect: 'Allow',
                Action: 'sts:AssumeRoleWithWebIdentity',
                Principal: { Federated: '${aws_iam_openid_connect_provider.gh.arn}' },
                Condition: {
                  StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
                  StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/app:ref:refs/heads/main', 'repo:acme/app:environment:prod'] },
                },
              }],
            }),
          },
        },
        {
          ...tf, kind: 'resource', type: 'aws_iam_role', address: 'aws_iam_role.worker', file,
          properties: {
            name: 'worker',
            assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"}}]}',
          },
        },
        {
          ...tf, kind: 'data', type: 'aws_iam_policy_document', address: 'data.aws_iam_policy_document.assume', file,
          properties: read('terraform-json/main.tf.json').data.aws_iam_policy_document.assume,
        },
        { ...tf, kind: 'provider', type: 'aws', address: 'provider.aws', file, properties: { region: 'us-east-1' } },
        { ...tf, kind: 'provider', type: 'aws', address: 'provider.aws.west', file, properties: { alias: 'west', region: 'us-west-2' } },
        {
          ...tf, kind: 'provider', type: 'azuread', address: 'provider.azuread', file,
          properties: { client_id: '${var.client_id}', client_secret: '${var.client_secret}', tenant_id: 't' },
        },
      ],
    });
  });
});

describe('cdktf.out cdk.tf.json', () => {
  const set = normalizeTerraformJson(read('synth-cdktf/stacks/etl/cdk.tf.json'), 'cdktf.out/stacks/etl/cdk.tf.json');
  const byAddress = new Map(set.resources.map((r) => [r.address, r]));

  test('construct paths come from "//" metadata, which is removed from the properties', () => {
    expect(set.resources.map((r) => [r.address, r.constructPath])).toEqual([
      ['aws_iam_role.etl', 'etl/etl-role'],
      ['aws_iam_role_policy.mint', 'etl/mint-policy'],
      ['snowflake_service_user.etl', 'etl/etl-user/user'],
      ['data.aws_iam_policy_document.mint', 'etl/mint'],
      ['provider.aws', undefined],
      ['provider.snowflake', undefined],
      ['provider.snowflake.admin', undefined],
    ]);
    for (const r of set.resources) expect(r.properties).not.toHaveProperty('//');
    expect(byAddress.get('snowflake_service_user.etl')!.properties).toEqual({
      name: 'ETL_SVC', rsa_public_key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
    });
  });

  test("cdktf's Fn.jsonencode output is read as the JSON Terraform would produce", () => {
    expect(byAddress.get('aws_iam_role.etl')!.properties).toEqual({
      name: 'etl-${var.env}',
      assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}',
    });
  });

  test('a reference to an aws_iam_policy_document becomes the policy JSON the provider renders', () => {
    expect(JSON.parse(byAddress.get('aws_iam_role_policy.mint')!.properties.policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'MintSnowflake',
        Effect: 'Allow',
        Action: 'sts:GetWebIdentityToken',
        Resource: '*',
        Condition: {
          'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': 'snowflakecomputing.com' },
          'Null': { 'sts:IdentityTokenAudience': 'false' },
        },
      }],
    });
    expect(byAddress.get('aws_iam_role_policy.mint')!.properties.role).toBe('${aws_iam_role.etl.id}');
  });

  test('providers: one set of arguments per alias', () => {
    expect(byAddress.get('provider.snowflake')).toMatchObject({ kind: 'provider', type: 'snowflake', properties: { password: '${var.snowflake_password}' } });
    expect(byAddress.get('provider.snowflake.admin')).toMatchObject({ kind: 'provider', type: 'snowflake', properties: { alias: 'admin', private_key: '${var.snowflake_private_key}' } });
  });
});

describe('static reading', () => {
  const resolve = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const set = normalizeTerraformJson({ resource: { t_x: { a: properties } }, ...extra }, 'x.tf.json');
    return { properties: set.resources[0].properties, notes: set.notes };
  };

  test('jsonencode with non-literal parts keeps them as ${...} strings inside the JSON', () => {
    expect(resolve({ p: '${jsonencode({a = var.x, b = "arn:${var.y}", c = [1, true, null], d = aws_s3_bucket.b.arn})}' }).properties.p)
      .toBe('{"a":"${var.x}","b":"arn:${var.y}","c":[1,true,null],"d":"${aws_s3_bucket.b.arn}"}');
  });

  test('jsonencode of a non-literal stays the expression', () => {
    expect(resolve({ p: '${jsonencode(var.policy)}' }).properties.p).toBe('${jsonencode(var.policy)}');
    expect(resolve({ p: '${jsonencode(merge(local.a, local.b))}' }).properties.p).toBe('${jsonencode(merge(local.a, local.b))}');
  });

  test('jsonencode of a local holding an object is read', () => {
    expect(resolve({ p: '${jsonencode(local.doc)}' }, { locals: { doc: { Statement: [{ Effect: 'Deny' }] } } }).properties.p)
      .toBe('{"Statement":[{"Effect":"Deny"}]}');
  });

  test('nested jsonencode is read at every level', () => {
    expect(resolve({ p: '${jsonencode({inner = jsonencode({a = 1})})}' }).properties.p).toBe('{"inner":"{\\"a\\":1}"}');
  });

  test('jsonencode that is only part of a string is interpolated like any known value; with a variable it stays as written', () => {
    expect(resolve({ p: 'x${jsonencode({a = 1})}' }).properties.p).toBe('x{"a":1}');
    expect(resolve({ p: 'x${jsonencode(var.a)}' }).properties.p).toBe('x${jsonencode(var.a)}');
  });

  test('unreadable jsonencode (cdktf writes unescaped quotes) stays as written and leaves a note', () => {
    const { properties, notes } = resolve({ p: '${jsonencode({"a" = "c"d"})}' });
    expect(properties.p).toBe('${jsonencode({"a" = "c"d"})}');
    expect(notes).toEqual(['x.tf.json: t_x.a: could not read jsonencode(...) statically; rules see the expression text']);
  });

  test('locals are substituted, also inside text; unknown ones stay; cycles do not loop', () => {
    const { properties } = resolve(
      { a: '${local.name}', b: 'pre-${local.name}', c: '${local.one}', d: '${local.missing}' },
      { locals: [{ name: 'etl', one: '${local.two}' }, { two: '${local.one}' }] },
    );
    expect(properties).toEqual({ a: 'etl', b: 'pre-etl', c: '${local.one}', d: '${local.missing}' });
  });

  test('policy document references with an index or minified_json resolve; unknown documents stay', () => {
    const doc = { data: { aws_iam_policy_document: { d: { statement: { actions: ['s3:GetObject'], resources: ['*'] } } } } };
    const expected = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const { properties } = resolve({
      a: '${data.aws_iam_policy_document.d.json}',
      b: '${data.aws_iam_policy_document.d[0].minified_json}',
      c: '${data.aws_iam_policy_document.other.json}',
      d: ['${data.aws_iam_policy_document.d.json}'],
    }, doc);
    expect(properties).toEqual({ a: expected, b: expected, c: '${data.aws_iam_policy_document.other.json}', d: [expected] });
  });

  test('a reference to another block stays as written; names the reader knows are still read after one', () => {
    const doc = { data: { aws_iam_policy_document: { d: { statement: { actions: ['s3:GetObject'], resources: ['*'] } } } } };
    const expected = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const { properties, notes } = resolve({
      ref: '${aws_iam_role.r.arn}',
      spaced: '${ aws_iam_role.r.arn }',
      suffix: '${aws_iam_role.r.arn}/x',
      then: '${aws_iam_role.r.arn}-${local.name}',
      json: '{"Resource":"${aws_dynamodb_table.t.arn}","Name":"${local.name}"}',
      escaped: '${aws_iam_role.r.arn}/$${local.name}',
      both: '${aws_iam_role.r.arn}/${aws_s3_bucket.b.id}',
      variable: '${var.unbound}',
      iterator: '${count.index}',
      doc: '${data.aws_iam_policy_document.d.json}',
      call: '${jsonencode ({a = 1})}',
      upper: '${upper("x")}',
    }, { locals: { name: 'etl' }, ...doc });
    expect(properties).toEqual({
      ref: '${aws_iam_role.r.arn}',
      spaced: '${ aws_iam_role.r.arn }',
      suffix: '${aws_iam_role.r.arn}/x',
      then: '${aws_iam_role.r.arn}-etl',
      json: '{"Resource":"${aws_dynamodb_table.t.arn}","Name":"etl"}',
      escaped: '${aws_iam_role.r.arn}/$${local.name}',
      both: '${aws_iam_role.r.arn}/${aws_s3_bucket.b.id}',
      variable: '${var.unbound}',
      iterator: '${count.index}',
      doc: expected,
      call: '{"a":1}',
      upper: 'X',
    });
    expect(notes).toBeUndefined();
  });

  test('count.index and each.key of an instance are read; the same names outside an instance stay', () => {
    const set = normalizeTerraformJson({
      resource: { t_x: { a: { count: 2, name: 'n-${count.index}', index: '${count.index}' }, b: { for_each: { k: 'v' }, key: '${each.key}', ref: '${each.value}' } } },
    }, 'x.tf.json');
    expect(set.resources.map((r) => [r.address, r.properties])).toEqual([
      ['t_x.a[0]', { name: 'n-0', index: 0 }],
      ['t_x.a[1]', { name: 'n-1', index: 1 }],
      ['t_x.b["k"]', { key: 'k', ref: 'v' }],
    ]);
  });

  test('$${ escapes are kept as Terraform JSON writes them', () => {
    expect(resolve({ p: '$${literal}' }).properties.p).toBe('$${literal}');
  });

  test('module calls are reported as not expanded', () => {
    const set = normalizeTerraformJson({ module: { net: { source: './net' } } }, 'm.tf.json');
    expect(set.resources).toEqual([]);
    expect(set.notes).toEqual(['m.tf.json: module.net is a module call and is not expanded; check the module\'s own directory or the synthesized configuration']);
  });
});

describe('shape errors', () => {
  test.each([
    [[], 'x.tf.json: not a Terraform JSON configuration: expected an object, got an array'],
    [{ resource: {}, outputs: {} }, 'x.tf.json: not a Terraform JSON configuration: unknown top-level block "outputs"'],
    [{ resource: { aws_iam_user: 'oops' } }, 'x.tf.json: resource.aws_iam_user must be an object, got a string'],
    [{ resource: { aws_iam_user: { a: [1] } } }, 'x.tf.json: resource.aws_iam_user.a must be an object, got a number'],
    [{ provider: { aws: [null] } }, 'x.tf.json: provider.aws must be an object, got null'],
    [{ data: 'x' }, 'x.tf.json: data must be an object, got a string'],
  ])('%j → InputError', (doc, message) => {
    expect(() => normalizeTerraformJson(doc, 'x.tf.json')).toThrow(InputError);
    expect(() => normalizeTerraformJson(doc, 'x.tf.json')).toThrow(message);
  });

  test('an empty configuration is an empty set', () => {
    expect(normalizeTerraformJson({}, 'e.tf.json')).toEqual({ file: 'e.tf.json', engine: 'terraform', resources: [] });
  });

  test('looksLikeTerraformJson accepts only Terraform top-level blocks', () => {
    expect(looksLikeTerraformJson({ resource: {} })).toBe(true);
    expect(looksLikeTerraformJson({ '//': {}, provider: {} })).toBe(true);
    expect(looksLikeTerraformJson({ '//': {} })).toBe(false);
    expect(looksLikeTerraformJson({ name: 'pkg', data: {} })).toBe(false);
    expect(looksLikeTerraformJson({ Resources: {} })).toBe(false);
  });
});
