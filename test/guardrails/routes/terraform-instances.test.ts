/**
 * Terraform `count` / `for_each` known statically: each instance is a resource of its own, reported at its instance
 * address (`aws_iam_access_key.ci[0]`, `aws_iam_access_key.ci["build"]`), with `count.index`, `each.key` and
 * `each.value` substituted, and a reference indexed by the iterator (`aws_iam_user.ci[each.key].name`) naming that
 * instance. A count or for_each not known statically (a variable) stays one resource at its address, with a note.
 * Zero / empty still means no resource. Shapes follow terraform-aws-modules' iam-user module (a key behind
 * `count = var.create ? 1 : 0`) and checkov's fixtures (users and keys over `toset([...])`, Snowflake users over a map).
 * Routes: HCL and Terraform JSON through `keyless check`, and the cdktf aspect (escape hatch and TerraformIterator).
 */
import { TerraformIterator, TerraformResource, TerraformStack } from 'cdktf';
import { anyInCase, cdktfRoutes, hclRoutes, inCase, RouteResult } from './harness';

const PASSWORD = 'Summer2026-loader-pw';

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({
    'keys/main.tf': [
      'resource "aws_iam_user" "ci" {',
      '  for_each = toset(["deploy", "build"])',
      '  name     = "ci-${each.key}"',
      '}',
      'resource "aws_iam_access_key" "ci" {',
      '  for_each = toset(["deploy", "build"])',
      '  user     = aws_iam_user.ci[each.key].name',
      '}',
      'resource "aws_iam_user_login_profile" "ops" {',
      '  count = 2',
      '  user  = "ops-${count.index}"',
      '}',
      'resource "aws_iam_access_key" "off" {',
      '  count = 0',
      '  user  = "nobody"',
      '}',
      '',
    ].join('\n'),
    'snowflake/main.tf': [
      'locals {',
      `  loaders = { etl = "${PASSWORD}", reporting = "${PASSWORD}-2" }`,
      '}',
      'resource "snowflake_legacy_service_user" "loader" {',
      '  for_each = local.loaders',
      '  name     = upper(each.key)',
      '  password = each.value',
      '}',
      '',
    ].join('\n'),
    // terraform-aws-modules' iam-user module checked on its own: the switch is a variable.
    'module/main.tf': [
      'variable "create_iam_access_key" { default = true }',
      'resource "aws_iam_access_key" "this" {',
      '  count = var.create_iam_access_key ? 1 : 0',
      '  user  = "svc"',
      '}',
      '',
    ].join('\n'),
    // Module calls with count / for_each: one module instance per key, as Terraform addresses them
    // (`module.ci_users[0].aws_iam_access_key.this`); shapes after terraform-aws-modules' iam-user and
    // iam-github-oidc-role modules called once per team or environment.
    'calls/main.tf': [
      'module "ci_users" {',
      '  source = "../calls-user"',
      '  count  = 2',
      '  name   = "ci-${count.index}"',
      '}',
      'module "bots" {',
      '  source   = "../calls-user"',
      '  for_each = { etl = "etl-bot", bi = "bi-bot" }',
      '  name     = each.value',
      '}',
      'module "maybe" {',
      '  source = "../calls-user"',
      '  count  = var.enabled ? 1 : 0',
      '  name   = "maybe"',
      '}',
      'module "off" {',
      '  source = "../calls-user"',
      '  count  = 0',
      '  name   = "off"',
      '}',
      'module "deploy" {',
      '  source   = "../calls-role"',
      '  for_each = { staging = "repo:*", prod = "repo:acme/app:environment:prod" }',
      '  subject  = each.value',
      '  env      = each.key',
      '}',
      '',
    ].join('\n'),
    'calls-user/main.tf': [
      'variable "name" {}',
      'resource "aws_iam_user" "this" {',
      '  name = var.name',
      '}',
      'resource "aws_iam_access_key" "this" {',
      '  user = aws_iam_user.this.name',
      '}',
      '',
    ].join('\n'),
    'calls-role/main.tf': [
      'variable "subject" {}',
      'variable "env" {}',
      'data "aws_iam_policy_document" "trust" {',
      '  statement {',
      '    actions = ["sts:AssumeRoleWithWebIdentity"]',
      '    principals {',
      '      type        = "Federated"',
      '      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]',
      '    }',
      '    condition {',
      '      test     = "StringEquals"',
      '      variable = "token.actions.githubusercontent.com:aud"',
      '      values   = ["sts.amazonaws.com"]',
      '    }',
      '    condition {',
      '      test     = "StringLike"',
      '      variable = "token.actions.githubusercontent.com:sub"',
      '      values   = [var.subject]',
      '    }',
      '  }',
      '}',
      'resource "aws_iam_role" "this" {',
      '  name               = "deploy-${var.env}"',
      '  assume_role_policy = data.aws_iam_policy_document.trust.json',
      '}',
      '',
    ].join('\n'),
    // A count from a local, above the 100 instances a resource is expanded to.
    'many/main.tf': 'locals {\n  runners = 150\n}\nresource "aws_iam_access_key" "runner" {\n  count = local.runners\n  user  = "runner-${count.index}"\n}\n',
    'json/main.tf.json': JSON.stringify({
      resource: {
        aws_iam_access_key: { svc: { count: 2, user: 'svc-${count.index}' } },
        aws_ssm_parameter: {
          settings: {
            for_each: { build: { type: 'SecureString', value: 'tok-live-5f2a9c71e0b84d3a' }, docs: { type: 'String', value: 'orders' } },
            name: '/ci/${each.key}', type: '${each.value.type}', value: '${each.value.value}',
          },
        },
      },
    }),
  });
});

describe('keyless check: count / for_each instances (HCL and Terraform JSON)', () => {
  test('for_each over toset([...]): one KL-AWS-01 per key at its instance address, naming the user of that key', () => {
    expect(inCase(cli, 'KL-AWS-01', 'keys').map((h) => [h.resource, /for user aws_iam_user\.ci\["(\w+)"\]/.exec(h.message)?.[1]]).sort()).toEqual([
      ['aws_iam_access_key.ci["build"]', 'build'],
      ['aws_iam_access_key.ci["deploy"]', 'deploy'],
    ]);
  });

  test('count = 2: KL-AWS-02 at [0] and [1]; count = 0 is no resource', () => {
    expect(inCase(cli, 'KL-AWS-02', 'keys').map((h) => h.resource).sort()).toEqual(['aws_iam_user_login_profile.ops[0]', 'aws_iam_user_login_profile.ops[1]']);
    expect(anyInCase(cli, 'keys').map((h) => h.resource)).not.toContain('aws_iam_access_key.off');
  });

  test('for_each over a map from a local: each.value is the literal password of that instance (KL-SF-01), each.key its name', () => {
    expect(inCase(cli, 'KL-SF-01', 'snowflake').map((h) => [h.resource, h.severity, /literal password \(value not shown\)/.test(h.message)])).toEqual([
      ['snowflake_legacy_service_user.loader["etl"]', 'error', true],
      ['snowflake_legacy_service_user.loader["reporting"]', 'error', true],
    ]);
  });

  test('a count from a variable stays one resource at its address, and a note says the count could not be read', () => {
    expect(inCase(cli, 'KL-AWS-01', 'module').map((h) => h.resource)).toEqual(['aws_iam_access_key.this']);
    expect(cli.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/module\/main\.tf: aws_iam_access_key\.this: count = \$\{var\.create_iam_access_key \? 1 : 0\} is not known statically: the resource is checked once, at aws_iam_access_key\.this without an instance key$/),
    ]));
  });

  test('a count from a local expands too, to at most 100 instances, and a note says how many were not checked', () => {
    const runners = inCase(cli, 'KL-AWS-01', 'many').map((h) => h.resource);
    expect([runners.length, runners.includes('aws_iam_access_key.runner[0]'), runners.includes('aws_iam_access_key.runner[99]'), runners.includes('aws_iam_access_key.runner[100]')])
      .toEqual([100, true, true, false]);
    expect(cli.notes).toEqual(expect.arrayContaining([expect.stringMatching(/many\/main\.tf: aws_iam_access_key\.runner: 150 instances; only the first 100 are checked$/)]));
  });

  test('Terraform JSON: count and a for_each map expand; each.value.type / each.value.value per instance: only the SecureString holding a literal is KL-AWS-06', () => {
    expect(inCase(cli, 'KL-AWS-01', 'json').map((h) => h.resource).sort()).toEqual(['aws_iam_access_key.svc[0]', 'aws_iam_access_key.svc[1]']);
    expect(inCase(cli, 'KL-AWS-06', 'json').map((h) => h.resource)).toEqual(['aws_ssm_parameter.settings["build"]']);
  });

  test('a module call with count / for_each: each instance\'s resources at module.NAME[KEY]., references inside naming that instance', () => {
    const keys = inCase(cli, 'KL-AWS-01', 'calls-user').filter((h) => h.resource.startsWith('module.'));
    expect(keys.map((h) => [h.resource, /for user ([^\s:]+)/.exec(h.message)?.[1]]).sort()).toEqual([
      ['module.bots["bi"].aws_iam_access_key.this', 'module.bots["bi"].aws_iam_user.this'],
      ['module.bots["etl"].aws_iam_access_key.this', 'module.bots["etl"].aws_iam_user.this'],
      ['module.ci_users[0].aws_iam_access_key.this', 'module.ci_users[0].aws_iam_user.this'],
      ['module.ci_users[1].aws_iam_access_key.this', 'module.ci_users[1].aws_iam_user.this'],
      // count = var.enabled ? 1 : 0 with nothing binding var.enabled: expanded once, without a key, and a note says so
      ['module.maybe.aws_iam_access_key.this', 'module.maybe.aws_iam_user.this'],
    ]);
    expect(cli.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/calls\/main\.tf: module\.maybe: count = \$\{var\.enabled \? 1 : 0\} is not known statically: the module is expanded once, at module\.maybe without an instance key$/),
    ]));
  });

  test('a module instance reads its policy documents with its own arguments: only the staging instance\'s wildcard subject is KL-TR-02', () => {
    const roles = inCase(cli, 'KL-TR-02', 'calls-role').filter((h) => h.resource.startsWith('module.'));
    expect(roles.map((h) => [h.resource, /"repo:\*"/.test(h.message)])).toEqual([['module.deploy["staging"].aws_iam_role.this', true]]);
    expect(anyInCase(cli, 'calls-role').map((h) => h.resource)).not.toContain('module.deploy["prod"].aws_iam_role.this');
    expect((cli.notes ?? []).filter((n) => n.includes('module.deploy['))).toEqual([]);
  });

  test('no message prints a secret', () => {
    for (const h of cli.hits) {
      expect(h.message).not.toContain(PASSWORD);
      expect(h.message).not.toContain('tok-live-5f2a9c71e0b84d3a');
    }
  });
});

let tf: RouteResult;

beforeAll(() => {
  tf = cdktfRoutes((app) => {
    // Escape hatch: count on a raw resource.
    const counted = new TerraformStack(app, 'counted');
    const key = new TerraformResource(counted, 'key', { terraformResourceType: 'aws_iam_access_key' });
    key.addOverride('user', 'svc-${count.index}');
    key.addOverride('count', 3);
    // TerraformIterator over a literal list (cdktf writes for_each = toset([...]) and each.value).
    const iterated = new TerraformStack(app, 'iterated');
    const users = TerraformIterator.fromList(['etl', 'bi']);
    const profile = new TerraformResource(iterated, 'profile', { terraformResourceType: 'aws_iam_user_login_profile', forEach: users });
    profile.addOverride('user', users.value);
  });
});

describe('cdktf aspect: count / for_each instances', () => {
  test('count = 3 on a raw resource: KL-AWS-01 at [0], [1], [2]', () => {
    expect(inCase(tf, 'KL-AWS-01', 'counted').map((h) => h.resource).sort()).toEqual(['aws_iam_access_key.key[0]', 'aws_iam_access_key.key[1]', 'aws_iam_access_key.key[2]']);
  });

  test('TerraformIterator.fromList: KL-AWS-02 per element at its instance address', () => {
    expect(inCase(tf, 'KL-AWS-02', 'iterated').map((h) => h.resource).sort()).toEqual(['aws_iam_user_login_profile.profile["bi"]', 'aws_iam_user_login_profile.profile["etl"]']);
  });
});
