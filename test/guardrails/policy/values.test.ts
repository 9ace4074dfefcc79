import { analysisContext } from '../../../lib/guardrails/analysis';
import { interpolations, isStaticExpression, qualifyReferences, tfReferences } from '../../../lib/guardrails/policy/interpolation';
import { alternatives, cfnReferences, mapValues } from '../../../lib/guardrails/policy/intrinsics';
import { origin } from '../../../lib/guardrails/policy/origin';
import { referencedAddress } from '../../../lib/guardrails/policy/resource-index';
import { flatten, literalFragments } from '../../../lib/guardrails/policy/static-value';
import { cfn, setOf, tf } from '../rules/helpers';

describe('Terraform interpolations', () => {
  test('finds balanced ${...} expressions and skips the $${ escape', () => {
    expect(interpolations('a ${aws_iam_role.x.arn} b ${jsonencode({a = "}"})} $${not.this}')).toEqual(['aws_iam_role.x.arn', 'jsonencode({a = "}"})']);
  });

  test('resource and data references, not var/local/each', () => {
    expect(tfReferences('aws_iam_role.etl.arn')).toEqual([{ address: 'aws_iam_role.etl', attribute: 'arn' }]);
    expect(tfReferences('data.aws_iam_policy_document.mint.json')).toEqual([{ address: 'data.aws_iam_policy_document.mint', attribute: 'json' }]);
    expect(tfReferences('var.password')).toEqual([]);
    expect(tfReferences('local.x.y')).toEqual([]);
    expect(tfReferences('each.value.name')).toEqual([]);
    expect(tfReferences('snowflake_service_user.etl_1A2B.fully_qualified_name')).toEqual([{ address: 'snowflake_service_user.etl_1A2B', attribute: 'fully_qualified_name' }]);
  });

  test('references inside a called module carry its module address, read back by tfReferences', () => {
    expect(qualifyReferences('arn:${aws_iam_user.this.arn}/${var.path}-${data.aws_iam_policy_document.trust.json}', 'module.etl.'))
      .toBe('arn:${module.etl.aws_iam_user.this.arn}/${var.path}-${module.etl.data.aws_iam_policy_document.trust.json}');
    // outside ${...}, inside quotes, escaped, var/local/each, and already qualified: unchanged
    expect(qualifyReferences('my_bucket.logs/${format("%s", "aws_iam_user.x")}$${aws_iam_user.y}', 'module.etl.')).toBe('my_bucket.logs/${format("%s", "aws_iam_user.x")}$${aws_iam_user.y}');
    expect(qualifyReferences('${local.a.b}${each.value.name}${module.etl.aws_iam_user.this.name}', 'module.etl.')).toBe('${local.a.b}${each.value.name}${module.etl.aws_iam_user.this.name}');
    expect(qualifyReferences('${length(aws_iam_user.this) > 0 ? aws_iam_user.this[0].name : ""}', 'module.a.module.b.'))
      .toBe('${length(module.a.module.b.aws_iam_user.this) > 0 ? module.a.module.b.aws_iam_user.this[0].name : ""}');
    expect(tfReferences('module.a.module.b.aws_iam_user.this[0].name')).toEqual([{ address: 'module.a.module.b.aws_iam_user.this', attribute: 'name', instance: '[0]' }]);
    expect(tfReferences('aws_iam_user.u["c i"].name')).toEqual([{ address: 'aws_iam_user.u', attribute: 'name', instance: '["c i"]' }]);
    expect(tfReferences('aws_iam_user.u[var.i].name')).toEqual([{ address: 'aws_iam_user.u', attribute: 'name' }]);
    expect(tfReferences('module.etl.data.aws_iam_policy_document.trust.json')).toEqual([{ address: 'module.etl.data.aws_iam_policy_document.trust', attribute: 'json' }]);
    expect(tfReferences('module.etl.role_arn')).toEqual([]);
  });

  test('static expressions refer to nothing', () => {
    expect(isStaticExpression('jsonencode({password = "x"})')).toBe(true);
    expect(isStaticExpression('file("key.pem")')).toBe(true);
    expect(isStaticExpression('random_password.x.result')).toBe(false);
    expect(isStaticExpression('var.x')).toBe(false);
    expect(isStaticExpression('local.secret')).toBe(false);
  });
});

describe('CloudFormation references', () => {
  test('Ref, GetAtt (both forms) and Sub', () => {
    expect(cfnReferences({ Ref: 'User' })).toEqual([{ id: 'User' }]);
    expect(cfnReferences({ 'Fn::GetAtt': ['Role', 'Arn'] })).toEqual([{ id: 'Role', attribute: 'Arn' }]);
    expect(cfnReferences({ 'Fn::GetAtt': 'Key.SecretAccessKey' })).toEqual([{ id: 'Key', attribute: 'SecretAccessKey' }]);
    expect(cfnReferences({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}-${!Literal}' }).map((r) => r.id)).toEqual(['AWS::Partition', 'AWS::AccountId', 'Role']);
  });

  test('referencedAddress resolves only resources in the set and of the wanted type', () => {
    const user = cfn('AWS::IAM::User', 'Bob');
    const set = setOf(user);
    expect(referencedAddress({ Ref: 'Bob' }, analysisContext(set), ['AWS::IAM::User'])).toBe('Bob');
    expect(referencedAddress({ Ref: 'Bob' }, analysisContext(set), ['AWS::IAM::Role'])).toBeUndefined();
    expect(referencedAddress({ Ref: 'Missing' }, analysisContext(set))).toBeUndefined();
  });
});

describe('origin', () => {
  const lambda = cfn('AWS::Lambda::Function', 'Fn');
  const secret = cfn('AWS::SecretsManager::Secret', 'Secret');
  const cset = setOf(lambda, secret);
  const t = tf('aws_lambda_function', 'fn');
  const tset = setOf(t);

  test.each([
    ['a literal', 'hunter2', 'literal'],
    ['a number', 42, 'literal'],
    ['absent', undefined, 'absent'],
    ['empty', '', 'absent'],
    ['a Ref to a Parameter', { Ref: 'DbPassword' }, 'parameter'],
    ['a Ref to a resource', { Ref: 'Secret' }, 'reference'],
    ['a pseudo parameter', { Ref: 'AWS::Region' }, 'reference'],
    ['a GetAtt', { 'Fn::GetAtt': ['Secret', 'Id'] }, 'reference'],
    ['a dynamic reference', '{{resolve:secretsmanager:db:SecretString:password}}', 'dynamic-reference'],
    ['a Join building a dynamic reference', { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:::}}']] }, 'dynamic-reference'],
    ['a Join of literals', { 'Fn::Join': ['-', ['a', 'b']] }, 'literal'],
    ['a Join mixing a parameter', { 'Fn::Join': ['', ['Bearer ', { Ref: 'Token' }]] }, 'parameter'],
    ['a Sub with a parameter', { 'Fn::Sub': 'Bearer ${Token}' }, 'parameter'],
    ['a Sub with a resource attribute', { 'Fn::Sub': '${Secret.Id}' }, 'reference'],
    ['an If with a literal branch (either may deploy)', { 'Fn::If': ['Prod', { Ref: 'Secret' }, 'devpassword'] }, 'literal'],
    ['an If with AWS::NoValue', { 'Fn::If': ['Prod', { Ref: 'Secret' }, { Ref: 'AWS::NoValue' }] }, 'reference'],
  ])('CloudFormation: %s', (_, value, kind) => {
    expect(origin(value, lambda, analysisContext(cset)).kind).toBe(kind);
  });

  test.each([
    ['a variable', '${var.db_password}', 'parameter'],
    ['text around a variable', 'Bearer ${var.token}', 'parameter'],
    ['a resource attribute', '${random_password.db.result}', 'reference'],
    ['a local', '${local.pw}', 'reference'],
    ['a constant expression', '${jsonencode({password = "x"})}', 'literal'],
    ['plain text', 'hunter2', 'literal'],
  ])('Terraform: %s', (_, value, kind) => {
    expect(origin(value, t, analysisContext(tset)).kind).toBe(kind);
  });
});

describe('literalFragments and flatten', () => {
  test('literal text of intrinsics and interpolations only', () => {
    expect(literalFragments({ 'Fn::Join': ['', ['AKIA', 'IOSFODNN7EXAMPLE', { Ref: 'X' }, 'tail']] })).toEqual(['AKIAIOSFODNN7EXAMPLE', 'tail']);
    expect(literalFragments('pre ${var.x} post')).toEqual(['pre ', ' post']);
    expect(literalFragments({ Ref: 'X' })).toEqual([]);
  });

  test('flatten joins and fills placeholders', () => {
    expect(flatten({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::1:oidc-provider/token.actions.githubusercontent.com']] }, '#'))
      .toBe('arn:#:iam::1:oidc-provider/token.actions.githubusercontent.com');
    expect(flatten({ 'Fn::Sub': 'arn:${AWS::Partition}:x' }, '#')).toBe('arn:#:x');
    expect(flatten('arn:aws:iam::${data.aws_caller_identity.c.account_id}:x', '#')).toBe('arn:aws:iam::#:x');
  });
});

describe('template sections: Parameters, Mappings, Fn::If around blocks', () => {
  const fn = cfn('AWS::Lambda::Function', 'Fn');
  const set = {
    ...setOf(fn),
    parameters: { Env: { Type: 'String' }, DbUser: { Type: 'String' }, DbPassword: { Type: 'String', NoEcho: true } },
    mappings: { Settings: { prod: { Token: 'tok-live-5f2a9c71e0b84d3a', Table: 'orders' }, dev: { Token: '{{resolve:ssm-secure:/dev/token}}', Table: 'orders-dev' } } },
  };

  test('Fn::FindInMap with literal keys is the one value; with a Ref key, any value it can select (the worst counts)', () => {
    expect(mapValues(['Settings', 'prod', 'Table'], set)).toEqual(['orders']);
    expect(mapValues(['Settings', { Ref: 'Env' }, 'Token'], set)).toEqual(['tok-live-5f2a9c71e0b84d3a', '{{resolve:ssm-secure:/dev/token}}']);
    expect(mapValues(['Settings', 'test', 'Table', { DefaultValue: 'orders-test' }], set)).toEqual(['orders-test']);
    expect(mapValues(['Missing', 'prod', 'Table'], set)).toBeUndefined();
    expect(origin({ 'Fn::FindInMap': ['Settings', 'prod', 'Table'] }, fn, analysisContext(set))).toEqual({ kind: 'literal', text: 'orders' });
    expect(origin({ 'Fn::FindInMap': ['Settings', { Ref: 'Env' }, 'Token'] }, fn, analysisContext(set))).toEqual({ kind: 'literal', text: 'tok-live-5f2a9c71e0b84d3a' });
    expect(origin({ 'Fn::FindInMap': ['Settings', 'dev', 'Token'] }, fn, analysisContext(set))).toMatchObject({ kind: 'dynamic-reference' });
    expect(literalFragments({ 'Fn::FindInMap': ['Settings', { Ref: 'Env' }, 'Table'] }, set)).toEqual(['orders', 'orders-dev']);
  });

  test('a ${Name} the template neither declares nor defines is not a parameter; of several parameters the NoEcho one is named', () => {
    expect(origin({ 'Fn::Sub': '/cdk-bootstrap/${Qualifier}/version' }, fn, analysisContext(set))).toEqual({ kind: 'reference', refs: [] });
    expect(origin({ 'Fn::Sub': '/cdk-bootstrap/${Qualifier}/version' }, fn, analysisContext(setOf(fn)))).toEqual({ kind: 'parameter', name: 'Qualifier' });
    expect(origin({ 'Fn::Sub': '{"username":"${DbUser}","password":"${DbPassword}"}' }, fn, analysisContext(set))).toEqual({ kind: 'parameter', name: 'DbPassword', noEcho: true });
    expect(origin({ 'Fn::Sub': '{"username":"${DbUser}","password":"${DbPassword}"}' }, fn, analysisContext(setOf(fn)))).toEqual({ kind: 'parameter', name: 'DbPassword' });
  });

  test('alternatives: both branches of nested Fn::If, nothing for AWS::NoValue', () => {
    const a = { Variables: { A: '1' } };
    const b = { Variables: { B: '2' } };
    expect(alternatives({ 'Fn::If': ['C', a, { 'Fn::If': ['D', b, { Ref: 'AWS::NoValue' }] }] })).toEqual([a, b]);
    expect(alternatives(a)).toEqual([a]);
  });
});
