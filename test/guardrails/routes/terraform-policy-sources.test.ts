/**
 * A module that assembles its policy from documents its switches attach, in the shape of terraform-aws-modules'
 * iam-role-for-service-accounts: each optional document is a `data "aws_iam_policy_document"` with `count = var.create
 * && var.attach_X ? 1 : 0`, a local joins them (`flatten(concat(data.aws_iam_policy_document.X[*].json, ...))`), the
 * policy exists when that list is not empty (`count = local.create_policy ? 1 : 0`, `create_policy = var.create &&
 * length(local.source_policy_documents) > 0`) and merges them (`source_policy_documents`). A call attaching the
 * document that mints tokens for any audience gets a policy that is KL-TR-03 (and KL-TR-04: no lifetime bound); one attaching only the read document
 * gets a policy that is clean; one attaching nothing gets no policy. Before the splat of a counted data source was
 * read, each call's policy was one resource with an unread count and policy (two notes). Route: `keyless check`
 * over HCL.
 */
import { hclRoutes } from './harness';

const MODULE: { [file: string]: string } = {
  'variables.tf': [
    'variable "create" {',
    '  type    = bool',
    '  default = true',
    '}',
    'variable "attach_read_policy" {',
    '  type    = bool',
    '  default = false',
    '}',
    'variable "attach_token_policy" {',
    '  type    = bool',
    '  default = false',
    '}',
    'variable "source_policy_documents" {',
    '  type    = list(string)',
    '  default = []',
    '}',
    '',
  ].join('\n'),
  'policies.tf': [
    'data "aws_iam_policy_document" "read" {',
    '  count = var.create && var.attach_read_policy ? 1 : 0',
    '  statement {',
    '    actions   = ["s3:GetObject"]',
    '    resources = ["arn:aws:s3:::reports/*"]',
    '  }',
    '}',
    '',
    'data "aws_iam_policy_document" "token" {',
    '  count = var.create && var.attach_token_policy ? 1 : 0',
    '  statement {',
    '    actions   = ["sts:GetWebIdentityToken"]',
    '    resources = ["*"]',
    '  }',
    '}',
    '',
  ].join('\n'),
  'main.tf': [
    'locals {',
    '  create_policy = var.create && length(local.source_policy_documents) > 0',
    '',
    '  source_policy_documents = flatten(concat(',
    '    data.aws_iam_policy_document.read[*].json,',
    '    data.aws_iam_policy_document.token[*].json,',
    '    var.source_policy_documents,',
    '  ))',
    '}',
    '',
    'data "aws_iam_policy_document" "this" {',
    '  count                   = local.create_policy ? 1 : 0',
    '  source_policy_documents = local.source_policy_documents',
    '}',
    '',
    'resource "aws_iam_policy" "this" {',
    '  count  = local.create_policy ? 1 : 0',
    '  name   = "workload"',
    '  policy = data.aws_iam_policy_document.this[0].json',
    '}',
    '',
  ].join('\n'),
};

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  const calls = [
    'module "minting" {\n  source              = "./modules/irsa"\n  attach_token_policy = true\n}',
    'module "reader" {\n  source             = "./modules/irsa"\n  attach_read_policy = true\n}',
    'module "nothing" {\n  source = "./modules/irsa"\n}',
    'module "off" {\n  source              = "./modules/irsa"\n  create              = false\n  attach_token_policy = true\n}',
  ];
  const files: { [file: string]: string } = { 'infra/main.tf': calls.join('\n\n') + '\n' };
  for (const [name, text] of Object.entries(MODULE)) files[`infra/modules/irsa/${name}`] = text;
  cli = await hclRoutes(files);
});

test('the call attaching the minting document has a policy that is KL-TR-03; the reading call\'s policy is clean', () => {
  const calls = cli.hits.filter((h) => h.resource.startsWith('module.')).map((h) => [h.ruleId, h.resource]).sort();
  // any audience (KL-TR-03), and no bound on the token lifetime (KL-TR-04, a warning)
  expect(calls).toEqual([['KL-TR-03', 'module.minting.aws_iam_policy.this[0]'], ['KL-TR-04', 'module.minting.aws_iam_policy.this[0]']]);
  expect(cli.code).toBe(1);
});

test('each call\'s policy count and documents are read: no note about them for any call', () => {
  expect((cli.notes ?? []).filter((n) => /module\.(minting|reader|nothing|off)\./.test(n))).toEqual([]);
});

test('a document whose count reads itself (a cycle Terraform refuses) is not known: the check ends, with a note', async () => {
  const cycle = await hclRoutes({
    'main.tf': [
      'data "aws_iam_policy_document" "loop" {',
      '  count = length(data.aws_iam_policy_document.loop[*].json) > 0 ? 1 : 0',
      '  statement {',
      '    actions   = ["s3:GetObject"]',
      '    resources = ["*"]',
      '  }',
      '}',
      '',
      'resource "aws_iam_policy" "this" {',
      '  count  = length(data.aws_iam_policy_document.loop[*].json)',
      '  policy = data.aws_iam_policy_document.loop[0].json',
      '}',
      '',
    ].join('\n'),
  });
  expect(cycle.notes).toEqual(expect.arrayContaining([expect.stringMatching(/aws_iam_policy\.this: count = .* is not known statically/)]));
});

test('the module read on its own is a root module: its switches are not known, and the notes say so', () => {
  expect(cli.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/ aws_iam_policy\.this: count = \$\{local\.create_policy \? 1 : 0\} is not known statically/),
  ]));
});
