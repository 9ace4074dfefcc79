/**
 * A role module that builds its trust policy from `dynamic "statement"` / `dynamic "condition"` blocks behind
 * switches, in the shape of terraform-aws-modules' iam-role (`enable_github_oidc`, `oidc_subjects`): what the trust
 * allows depends on what each call passes, so the trust rules judge each call's rendered trust. A call that turns
 * GitHub OIDC on without subjects has a trust with no sub condition (KL-TR-02); one that pins its subjects has none;
 * one with a subject wildcard across repositories is KL-TR-02 too; subjects go through the module's `for` expression
 * (`"repo:${trimprefix(subject, "repo:")}"`), and its policy attachments are one per policy
 * (`for_each = { for k, v in var.policies : k => v if var.create }`), so an AdministratorAccess attachment is KL-TR-03
 * and one switched off is none. A statement per other OIDC provider (`for_each = var.enable_oidc ? local.oidc_providers
 * : []`, the local a `for` expression over the call's URLs) is expanded too: a CircleCI call without subjects is
 * KL-TR-02. Routes: `keyless check` over HCL, and the cdktf
 * aspect over the same module (`TerraformHclModule`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformHclModule, TerraformStack } from 'cdktf';
import { cdktfRoutes, GITHUB_PROVIDER_ARN, hclRoutes, RouteResult } from './harness';

const MODULE: { [file: string]: string } = {
  'variables.tf': [
    'variable "name" {',
    '  type = string',
    '}',
    'variable "enable_github_oidc" {',
    '  type    = bool',
    '  default = false',
    '}',
    'variable "oidc_subjects" {',
    '  type    = list(string)',
    '  default = []',
    '}',
    'variable "create" {',
    '  type    = bool',
    '  default = true',
    '}',
    'variable "policies" {',
    '  type    = map(string)',
    '  default = {}',
    '}',
    'variable "enable_oidc" {',
    '  type    = bool',
    '  default = false',
    '}',
    'variable "oidc_provider_urls" {',
    '  type    = list(string)',
    '  default = []',
    '}',
    'variable "oidc_audiences" {',
    '  type    = list(string)',
    '  default = []',
    '}',
    'variable "provider_subjects" {',
    '  type    = list(string)',
    '  default = []',
    '}',
    '',
  ].join('\n'),
  'locals.tf': [
    'locals {',
    '  oidc_providers = [for url in var.oidc_provider_urls : replace(url, "https://", "")]',
    '}',
    '',
  ].join('\n'),
  'main.tf': [
    'data "aws_iam_policy_document" "trust" {',
    '  statement {',
    '    actions = ["sts:AssumeRole"]',
    '    principals {',
    '      type        = "Service"',
    '      identifiers = ["ecs-tasks.amazonaws.com"]',
    '    }',
    '  }',
    '',
    '  dynamic "statement" {',
    '    for_each = var.enable_github_oidc ? [1] : []',
    '    content {',
    '      sid     = "GithubActions"',
    '      actions = ["sts:AssumeRoleWithWebIdentity"]',
    '      principals {',
    '        type        = "Federated"',
    `        identifiers = ["${GITHUB_PROVIDER_ARN}"]`,
    '      }',
    '      condition {',
    '        test     = "StringEquals"',
    '        variable = "token.actions.githubusercontent.com:aud"',
    '        values   = ["sts.amazonaws.com"]',
    '      }',
    '      dynamic "condition" {',
    '        for_each = length(var.oidc_subjects) > 0 ? [1] : []',
    '        content {',
    '          test     = "StringLike"',
    '          variable = "token.actions.githubusercontent.com:sub"',
    '          # the module accepts subjects with or without the repo: prefix',
    '          values   = [for subject in var.oidc_subjects : "repo:${trimprefix(subject, "repo:")}"]',
    '        }',
    '      }',
    '    }',
    '  }',
    '',
    '  # any other OIDC provider, one statement per provider URL the call passes',
    '  dynamic "statement" {',
    '    for_each = var.enable_oidc ? local.oidc_providers : []',
    '    content {',
    '      actions = ["sts:AssumeRoleWithWebIdentity"]',
    '      principals {',
    '        type        = "Federated"',
    '        identifiers = ["arn:aws:iam::111122223333:oidc-provider/${statement.value}"]',
    '      }',
    '      condition {',
    '        test     = "StringEquals"',
    '        variable = "${statement.value}:aud"',
    '        values   = var.oidc_audiences',
    '      }',
    '      dynamic "condition" {',
    '        for_each = length(var.provider_subjects) > 0 ? [1] : []',
    '        content {',
    '          test     = "StringEquals"',
    '          variable = "${statement.value}:sub"',
    '          values   = var.provider_subjects',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    '',
    'resource "aws_iam_role" "this" {',
    '  name               = var.name',
    '  assume_role_policy = data.aws_iam_policy_document.trust.json',
    '}',
    '',
    'resource "aws_iam_role_policy_attachment" "this" {',
    '  for_each   = { for k, v in var.policies : k => v if var.create }',
    '  role       = aws_iam_role.this.name',
    '  policy_arn = each.value',
    '}',
    '',
  ].join('\n'),
};

const CALLS: Array<{ name: string; variables: Record<string, unknown> }> = [
  {
    name: 'deploy',
    variables: { name: 'deploy', enable_github_oidc: true, oidc_subjects: ['acme/infra:ref:refs/heads/main'], policies: { S3ReadOnly: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' } },
  },
  { name: 'open', variables: { name: 'open', enable_github_oidc: true } },
  { name: 'org_wide', variables: { name: 'org-wide', enable_github_oidc: true, oidc_subjects: ['acme/*'] } },
  // an administrator role for people, and its attachment allows minting tokens for any audience
  { name: 'admin', variables: { name: 'admin', policies: { Admin: 'arn:aws:iam::aws:policy/AdministratorAccess' } } },
  { name: 'admin_off', variables: { name: 'admin-off', create: false, policies: { Admin: 'arn:aws:iam::aws:policy/AdministratorAccess' } } },
  { name: 'service', variables: { name: 'service' } },
  // a CircleCI organization's issuer: the provider comes from a `for` expression over the URLs the call passes,
  // behind the `enable_oidc` switch; without subjects, every project of the organization can assume the role
  { name: 'circleci_open', variables: { name: 'circleci-open', enable_oidc: true, oidc_provider_urls: ['https://oidc.circleci.com/org/0f1e2d3c'], oidc_audiences: ['0f1e2d3c'] } },
  {
    name: 'circleci_pinned',
    variables: {
      name: 'circleci-pinned', enable_oidc: true, oidc_provider_urls: ['https://oidc.circleci.com/org/0f1e2d3c'], oidc_audiences: ['0f1e2d3c'],
      provider_subjects: ['org/0f1e2d3c/project/4a5b6c7d/user/8e9f0a1b'],
    },
  },
];

function hclValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${k} = ${hclValue(v)}`).join(', ')} }`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The trust findings a run reports for the module's calls (not the module read on its own). */
function trustFindings(result: RouteResult): string[][] {
  return result.hits.filter((h) => h.resource.startsWith('module.') && h.ruleId.startsWith('KL-TR-')).map((h) => [h.ruleId, h.resource]).sort();
}

let cli: Awaited<ReturnType<typeof hclRoutes>>;
let tf: RouteResult;

beforeAll(async () => {
  const calls = CALLS.map(({ name, variables }) => [
    `module "${name}" {`,
    '  source = "./modules/oidc-role"',
    ...Object.entries(variables).map(([k, v]) => `  ${k} = ${hclValue(v)}`),
    '}',
  ].join('\n'));
  const files: { [file: string]: string } = { 'infra/main.tf': calls.join('\n\n') + '\n' };
  for (const [name, text] of Object.entries(MODULE)) files[`infra/modules/oidc-role/${name}`] = text;
  cli = await hclRoutes(files);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-dynamic-trust-'));
  for (const [name, text] of Object.entries(MODULE)) fs.writeFileSync(path.join(root, name), text);
  tf = cdktfRoutes((app) => {
    const stack = new TerraformStack(app, 'roles');
    for (const { name, variables } of CALLS) new TerraformHclModule(stack, name, { source: root, variables });
  });
});

const EXPECTED = [
  ['KL-TR-02', 'module.circleci_open.aws_iam_role.this'],
  ['KL-TR-02', 'module.open.aws_iam_role.this'],
  ['KL-TR-02', 'module.org_wide.aws_iam_role.this'],
  ['KL-TR-03', 'module.admin.aws_iam_role_policy_attachment.this["Admin"]'],
];

test('keyless check: the call without subjects and the call with a wildcard are KL-TR-02, the AdministratorAccess attachment KL-TR-03; the pinned call, the service role and the switched-off attachment are clean', () => {
  expect(trustFindings(cli)).toEqual(EXPECTED);
  expect(cli.hits.find((h) => h.resource === 'module.open.aws_iam_role.this')!.message).toMatch(/has no token\.actions\.githubusercontent\.com:sub condition/);
  // the for expression normalized the subjects: the pinned one passes as written, the wildcard is named with its prefix
  expect(cli.hits.find((h) => h.resource === 'module.org_wide.aws_iam_role.this')!.message).toMatch(/"repo:acme\/\*" has a wildcard in the repository/);
  expect(cli.hits.find((h) => h.resource === 'module.circleci_open.aws_iam_role.this')!.message).toMatch(/has no oidc\.circleci\.com\/org\/0f1e2d3c:sub condition/);
  expect(cli.code).toBe(1);
  // every call's trust was rendered: no note says a dynamic statement of a call was not expanded
  expect(cli.notes).not.toEqual(expect.arrayContaining([expect.stringMatching(/module\.\w+\.data\.aws_iam_policy_document\.trust: dynamic "statement"/)]));
});

test('keyless check: the module read on its own is a root module: its switch is not known, the statement is not expanded and a note says so', () => {
  expect(cli.hits.filter((h) => h.resource === 'aws_iam_role.this')).toEqual([]);
  expect(cli.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/ data\.aws_iam_policy_document\.trust: dynamic "statement" blocks whose for_each is not known statically are not expanded/),
  ]));
});

test('cdktf aspect, TerraformHclModule over the same module: the same findings', () => {
  expect(trustFindings(tf)).toEqual(EXPECTED);
  expect(tf.errors.roles).toMatch(/KL-TR-02/);
});
