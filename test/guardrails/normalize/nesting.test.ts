/**
 * Deep input never crashes a reader (issue 11, robustness): every format is refused past the same bound,
 * MAX_NESTING = 512 levels, with an InputError naming the file and "nested deeper than 512 levels".
 */
import { MAX_NESTING, NestingError, nestsDeeperThan } from '../../../lib/guardrails/nesting';
import { normalizeCloudFormation } from '../../../lib/guardrails/normalize/cloudformation';
import { parseCloudFormationYaml } from '../../../lib/guardrails/normalize/cloudformation-yaml';
import { normalizeHcl, parseHcl } from '../../../lib/guardrails/normalize/hcl';
import { readHclExpression, singleCallArgument } from '../../../lib/guardrails/normalize/hcl-expression';
import { InputError, parseJson } from '../../../lib/guardrails/normalize/input-error';
import { normalizeTerraformJson } from '../../../lib/guardrails/normalize/terraform-json';

const DEEP = 100_000;
const list = (levels: number, inner = ''): string => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
/** A value nested `levels` deep (arrays), built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

async function asyncInputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

test('the bound is 512 levels', () => {
  expect(MAX_NESTING).toBe(512);
  expect(nestsDeeperThan(nested(512))).toBe(false);
  expect(nestsDeeperThan(nested(513))).toBe(true);
  expect(nestsDeeperThan(nested(DEEP))).toBe(true);
  expect(nestsDeeperThan({ a: { b: 'x' } }, 2)).toBe(false);
  expect(nestsDeeperThan({ a: { b: {} } }, 2)).toBe(true);
  expect(nestsDeeperThan('scalar', 0)).toBe(false);
});

describe('JSON (CloudFormation and Terraform JSON files, manifests, exemptions)', () => {
  test('a document nested 100,000 levels deep is refused naming the file', () => {
    const text = `{"Resources": {"U": {"Type": "AWS::IAM::User", "Properties": {"Tags": ${list(DEEP)}}}}}`;
    expect(inputError(() => parseJson(text, 'deep.json')).message).toBe('deep.json: nested deeper than 512 levels');
  });

  test('512 levels are read, 513 are not', () => {
    expect(parseJson(list(512), 'ok.json')).toEqual(nested(512));
    expect(inputError(() => parseJson(list(513), 'deep.json')).message).toBe('deep.json: nested deeper than 512 levels');
  });

  test('properties handed over as objects (the CDK plugin, library callers) are bounded by the normalizer', () => {
    const template = { Resources: { U: { Type: 'AWS::IAM::User', Properties: { Tags: nested(DEEP) } } } };
    expect(inputError(() => normalizeCloudFormation(template, 't.json')).message)
      .toBe('t.json: nested deeper than 512 levels (Resources.U.Properties)');
    const fits = { Resources: { U: { Type: 'AWS::IAM::User', Properties: { Tags: nested(511) } } } };
    expect(normalizeCloudFormation(fits, 't.json').resources).toHaveLength(1);
  });
});

describe('custom resource SDK calls (JSON text in a property, read by the normalizer)', () => {
  test('a call nested 100,000 levels deep names the file and the resource', () => {
    const call = `{"service": "IAM", "action": "createAccessKey", "parameters": {"UserName": ${list(DEEP)}}}`;
    const template = { Resources: { C: { Type: 'Custom::AWS', Properties: { ServiceToken: 'arn:x', Create: call } } } };
    expect(inputError(() => normalizeCloudFormation(template, 't.json')).message).toBe('t.json: nested deeper than 512 levels (Resources.C)');
  });

  test('built with Fn::Join', () => {
    const create = { 'Fn::Join': ['', [`{"service": "IAM", "action": "createAccessKey", "parameters": {"UserName": ${list(DEEP)}}}`, '']] };
    const template = { Resources: { C: { Type: 'Custom::AWS', Properties: { ServiceToken: 'arn:x', Create: create } } } };
    expect(inputError(() => normalizeCloudFormation(template, 't.json')).message).toBe('t.json: nested deeper than 512 levels (Resources.C)');
  });

  test('a call within the bound is read', () => {
    const call = `{"service": "IAM", "action": "createAccessKey", "parameters": {"UserName": "u", "Tags": ${list(500)}}}`;
    const template = { Resources: { C: { Type: 'Custom::AWS', Properties: { ServiceToken: 'arn:x', Create: call } } } };
    expect(normalizeCloudFormation(template, 't.json').resources).toHaveLength(1);
  });
});

describe('CloudFormation YAML', () => {
  test('a flow sequence nested 100,000 levels deep (the parser runs out of stack) is refused naming the file', () => {
    const text = `Resources:\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      Tags: ${list(DEEP)}\n`;
    expect(inputError(() => parseCloudFormationYaml(text, 'deep.yaml')).message).toBe('deep.yaml: nested deeper than 512 levels');
  });

  test('block sequences nested 3,000 levels deep are refused the same way', () => {
    let text = '';
    for (let i = 0; i < 3000; i++) text += `${' '.repeat(i)}-\n`;
    expect(inputError(() => parseCloudFormationYaml(text, 'deep.yaml')).message).toBe('deep.yaml: nested deeper than 512 levels');
  });

  test('512 levels are read, 513 are not (the bound, not the parser, decides)', () => {
    expect(parseCloudFormationYaml(`a: ${list(511)}\n`, 'ok.yaml')).toEqual({ a: nested(511) });
    expect(inputError(() => parseCloudFormationYaml(`a: ${list(512)}\n`, 'deep.yaml')).message).toBe('deep.yaml: nested deeper than 512 levels');
  });

  test('ordinary malformed YAML keeps its message', () => {
    expect(inputError(() => parseCloudFormationYaml('a: [1\n', 'bad.yaml')).message).toMatch(/^bad\.yaml: malformed YAML: Flow sequence/);
  });
});

describe('HCL (measured on the text before hcl2json, whose runtime a stack overflow would break)', () => {
  const attribute = (expression: string) => `resource "aws_iam_user" "u" {\n  tags = ${expression}\n}\n`;

  test.each([
    ['a list', list(DEEP)],
    ['an object', `${'{a = '.repeat(DEEP)}1${'}'.repeat(DEEP)}`],
    ['parentheses', `${'('.repeat(DEEP)}1${')'.repeat(DEEP)}`],
    ['function calls', `${'f('.repeat(DEEP)}1${')'.repeat(DEEP)}`],
    ['template interpolations', `${'"${'.repeat(DEEP)}1${'}"'.repeat(DEEP)}`],
    ['a jsonencode argument', `jsonencode(${list(DEEP)})`],
    ['unary operators', `${'!'.repeat(DEEP)}true`],
    ['chained conditionals', `${'a ? b : '.repeat(DEEP)}c`],
  ])('%s nested 100,000 levels deep is refused naming the file and the line', async (_, expression) => {
    const error = await asyncInputError(parseHcl(attribute(expression), 'deep.tf'));
    expect(error.message).toBe('deep.tf: nested deeper than 512 levels (line 2)');
  });

  test('blocks nested 100,000 levels deep', async () => {
    const error = await asyncInputError(parseHcl(`${'a {\n'.repeat(DEEP)}${'}\n'.repeat(DEEP)}`, 'deep.tf'));
    expect(error.message).toBe('deep.tf: nested deeper than 512 levels (line 513)');
  });

  test('after a refused file the parser still works', async () => {
    await asyncInputError(parseHcl(attribute(list(DEEP)), 'deep.tf'));
    const set = await normalizeHcl(attribute('["a"]'), 'ok.tf');
    expect(set.resources[0].properties).toEqual({ tags: ['a'] });
  });

  test('the parsed value is bounded too: blocks become lists of objects, so it nests deeper than the text', async () => {
    // {resource: {aws_iam_user: {u: [{tags: ...}]}}}: 5 levels around the list
    expect((await normalizeHcl(attribute(list(507)), 'ok.tf')).resources).toHaveLength(1);
    expect((await asyncInputError(parseHcl(attribute(list(508)), 'deep.tf'))).message).toBe('deep.tf: nested deeper than 512 levels');
  });

  test('brackets in strings, heredocs and comments are not nesting', async () => {
    const text = [
      `# ${'['.repeat(600)}`,
      `/* ${'{'.repeat(600)} */`,
      'resource "aws_iam_user" "u" {',
      `  name = "${'['.repeat(600)}"`,
      '  path = <<EOT',
      `${'('.repeat(600)}`,
      'EOT',
      `  tags = { a = var.x ? "y" : "z" }`,
      '}',
      '',
    ].join('\n');
    const set = await normalizeHcl(text, 'ok.tf');
    expect(set.resources[0].properties.name).toBe('['.repeat(600));
  });
});

describe('Terraform JSON values made deeper by static reading', () => {
  test('a jsonencode argument nested 100,000 levels deep names the file and the resource', () => {
    const config = { resource: { aws_iam_role: { r: { assume_role_policy: `\${jsonencode(${list(DEEP)})}` } } } };
    expect(inputError(() => normalizeTerraformJson(config, 'main.tf.json')).message).toBe('main.tf.json: nested deeper than 512 levels (aws_iam_role.r)');
  });

  test('locals that nest each other', () => {
    const locals: Record<string, unknown> = { l3000: 'x' };
    for (let i = 0; i < 3000; i++) locals[`l${i}`] = [`\${local.l${i + 1}}`];
    const config = { locals, resource: { aws_iam_user: { u: { name: '${local.l0}' } } } };
    expect(inputError(() => normalizeTerraformJson(config, 'main.tf.json')).message).toBe('main.tf.json: nested deeper than 512 levels (aws_iam_user.u)');
  });

  test('a chain of 3,000 locals naming each other', () => {
    const locals: Record<string, unknown> = { l3000: 'x' };
    for (let i = 0; i < 3000; i++) locals[`l${i}`] = `\${local.l${i + 1}}`;
    const config = { locals, resource: { aws_iam_user: { u: { name: '${local.l0}' } } } };
    expect(inputError(() => normalizeTerraformJson(config, 'main.tf.json')).message).toBe('main.tf.json: nested deeper than 512 levels (aws_iam_user.u)');
  });

  test('a source policy document nested 100,000 levels deep names the resource that reads it', () => {
    const source = `{"Statement": [{"Effect": "Allow", "Action": ${list(DEEP, '"s3:*"')}}]}`;
    const config = {
      data: { aws_iam_policy_document: { d: { source_policy_documents: [source] } } },
      resource: { aws_iam_role: { r: { assume_role_policy: '${data.aws_iam_policy_document.d.json}' } } },
    };
    expect(inputError(() => normalizeTerraformJson(config, 'main.tf.json')).message).toBe('main.tf.json: nested deeper than 512 levels (aws_iam_role.r)');
  });

  test('the HCL expression reader refuses deep text with a NestingError (not a stack overflow)', () => {
    expect(() => readHclExpression(list(DEEP))).toThrow(NestingError);
    expect(() => singleCallArgument(`\${jsonencode(${list(DEEP)})}`, 'jsonencode')).toThrow(NestingError);
    expect(readHclExpression(list(512))).toEqual(nested(512));
    expect(() => readHclExpression(list(513))).toThrow('nested deeper than 512 levels');
  });
});
