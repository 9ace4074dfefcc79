/**
 * How modules switch their optional resources on and off, as terraform-aws-modules' iam-user module does: defaults
 * for what the caller leaves out (`create = true`, `create_access_key = true`, `create_login_profile = false`) and
 * `count` switches over them (`var.create && var.create_access_key ? 1 : 0`, `local.create_inline_policy ? 1 : 0`
 * with `create_inline_policy = var.create && length(var.policy_statements) > 0`). A called module's variables are set
 * only by its call, so a default is the value; a switch that is off is no resource, one that is on is the
 * instance `[0]`. Routes: `keyless check` over HCL, and the cdktf aspect over the same module (`TerraformHclModule`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformHclModule, TerraformStack } from 'cdktf';
import { cdktfRoutes, hclRoutes, RouteResult } from './harness';

const MODULE: { [file: string]: string } = {
  'variables.tf': [
    'variable "create" {',
    '  type    = bool',
    '  default = true',
    '}',
    'variable "create_access_key" {',
    '  type    = bool',
    '  default = true',
    '}',
    'variable "create_login_profile" {',
    '  type    = bool',
    '  default = false',
    '}',
    'variable "name" {',
    '  type = string',
    '}',
    'variable "policy_statements" {',
    '  type    = list(any)',
    '  default = []',
    '}',
    '',
  ].join('\n'),
  'main.tf': [
    'locals {',
    '  create_inline_policy = var.create && length(var.policy_statements) > 0',
    '}',
    '',
    'resource "aws_iam_user" "this" {',
    '  count = var.create ? 1 : 0',
    '  name  = var.name',
    '}',
    '',
    'resource "aws_iam_access_key" "this" {',
    '  count = var.create && var.create_access_key ? 1 : 0',
    '  user  = aws_iam_user.this[0].name',
    '}',
    '',
    'resource "aws_iam_user_login_profile" "this" {',
    '  count = var.create && var.create_login_profile ? 1 : 0',
    '  user  = aws_iam_user.this[0].name',
    '}',
    '',
    'resource "aws_iam_user_policy" "inline" {',
    '  count  = local.create_inline_policy ? 1 : 0',
    '  user   = aws_iam_user.this[0].name',
    '  policy = jsonencode({ Version = "2012-10-17", Statement = var.policy_statements })',
    '}',
    '',
  ].join('\n'),
};

/** The credential resources a run reports for the module's calls (not the module read on its own). */
function credentials(result: RouteResult): string[][] {
  return result.hits.filter((h) => h.resource.startsWith('module.')).map((h) => [h.ruleId, h.resource]).sort();
}

let cli: Awaited<ReturnType<typeof hclRoutes>>;
let tf: RouteResult;

beforeAll(async () => {
  const files: { [file: string]: string } = {
    'infra/main.tf': [
      '# defaults: a user with an access key',
      'module "ci" {',
      '  source = "./modules/iam-user"',
      '  name   = "ci"',
      '}',
      '# switched off as a whole',
      'module "disabled" {',
      '  source = "./modules/iam-user"',
      '  name   = "old"',
      '  create = false',
      '}',
      '# a console user: no key, a login profile',
      'module "ops" {',
      '  source               = "./modules/iam-user"',
      '  name                 = "ops"',
      '  create_access_key    = false',
      '  create_login_profile = true',
      '}',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(MODULE)) files[`infra/modules/iam-user/${name}`] = text;
  cli = await hclRoutes(files);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-switches-'));
  for (const [name, text] of Object.entries(MODULE)) fs.writeFileSync(path.join(root, name), text);
  tf = cdktfRoutes((app) => {
    const stack = new TerraformStack(app, 'users');
    new TerraformHclModule(stack, 'ci', { source: root, variables: { name: 'ci' } });
    new TerraformHclModule(stack, 'disabled', { source: root, variables: { name: 'old', create: false } });
    new TerraformHclModule(stack, 'ops', { source: root, variables: { name: 'ops', create_access_key: false, create_login_profile: true } });
  });
});

test('keyless check: the key behind a default switch is KL-AWS-01 at [0]; a call switched off has none; the console user is KL-AWS-02', () => {
  expect(credentials(cli)).toEqual([
    ['KL-AWS-01', 'module.ci.aws_iam_access_key.this[0]'],
    ['KL-AWS-02', 'module.ops.aws_iam_user_login_profile.this[0]'],
  ]);
  expect(cli.code).toBe(1);
  // the calls' switches are read: no note says their count could not be
  expect(cli.notes).not.toEqual(expect.arrayContaining([expect.stringMatching(/module\.(ci|disabled|ops)\.[^ ]* count = .* is not known statically/)]));
});

test('keyless check: the module read on its own is a root module (tfvars set its variables): its switches are not judged, and a note says so', () => {
  expect(cli.hits.filter((h) => h.resource === 'aws_iam_access_key.this').map((h) => h.ruleId)).toEqual(['KL-AWS-01']);
  expect(cli.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/aws_iam_access_key\.this: count = \$\{var\.create && var\.create_access_key \? 1 : 0\} is not known statically/),
  ]));
});

test('cdktf aspect, TerraformHclModule over the same module: the same findings', () => {
  expect(credentials(tf)).toEqual([
    ['KL-AWS-01', 'module.ci.aws_iam_access_key.this[0]'],
    ['KL-AWS-02', 'module.ops.aws_iam_user_login_profile.this[0]'],
  ]);
  expect(tf.errors.users).toMatch(/KL-AWS-01/);
});
