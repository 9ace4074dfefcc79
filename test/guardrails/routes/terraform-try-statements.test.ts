/**
 * A function module in the shape of terraform-aws-lambda: the caller passes `policy_statements` (an untyped map), the
 * module renders them as `dynamic "statement"` blocks of its inline policy document, each with `dynamic "principals"`
 * and `dynamic "condition"` blocks whose `for_each` is `try(statement.value.principals, [])` (a statement without
 * principals has none). Before `try` was read, the statements of every call were one note ("dynamic "statement"
 * blocks ... are not expanded") and the statement letting the function mint tokens for any audience was not judged;
 * it is KL-TR-03 now, on the call's policy, and a call whose statements mint for one audience with a lifetime bound
 * is clean. Route: `keyless check` over HCL.
 */
import { hclRoutes } from './harness';

const FUNCTION_MODULE = [
  'variable "function_name" {}',
  'variable "policy_statements" {',
  '  type    = any',
  '  default = {}',
  '}',
  '',
  'data "aws_iam_policy_document" "additional_inline" {',
  '  dynamic "statement" {',
  '    for_each = var.policy_statements',
  '    content {',
  '      sid       = try(statement.value.sid, replace(statement.key, "/[^0-9A-Za-z]*/", ""))',
  '      effect    = try(statement.value.effect, null)',
  '      actions   = try(statement.value.actions, null)',
  '      resources = try(statement.value.resources, null)',
  '',
  '      dynamic "principals" {',
  '        for_each = try(statement.value.principals, [])',
  '        content {',
  '          type        = principals.value.type',
  '          identifiers = principals.value.identifiers',
  '        }',
  '      }',
  '',
  '      dynamic "condition" {',
  '        for_each = try(statement.value.condition, [])',
  '        content {',
  '          test     = condition.value.test',
  '          variable = condition.value.variable',
  '          values   = condition.value.values',
  '        }',
  '      }',
  '    }',
  '  }',
  '}',
  '',
  'resource "aws_iam_role" "lambda" {',
  '  name               = var.function_name',
  '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })',
  '}',
  '',
  'resource "aws_iam_role_policy" "additional_inline" {',
  '  name   = "${var.function_name}-inline"',
  '  role   = aws_iam_role.lambda.id',
  '  policy = data.aws_iam_policy_document.additional_inline.json',
  '}',
  '',
].join('\n');

const CALLS = [
  'module "exporter" {',
  '  source        = "./modules/function"',
  '  function_name = "exporter"',
  '  policy_statements = {',
  '    reports = { effect = "Allow", actions = ["s3:PutObject"], resources = ["arn:aws:s3:::reports/*"] }',
  '    tokens  = { actions = ["sts:GetWebIdentityToken"], resources = ["*"] }',
  '  }',
  '}',
  '',
  'module "loader" {',
  '  source        = "./modules/function"',
  '  function_name = "loader"',
  '  policy_statements = {',
  '    snowflake = {',
  '      actions   = ["sts:GetWebIdentityToken"]',
  '      resources = ["*"]',
  '      condition = [',
  '        { test = "ForAllValues:StringEquals", variable = "sts:IdentityTokenAudience", values = ["snowflakecomputing.com"] },',
  '        { test = "Null", variable = "sts:IdentityTokenAudience", values = ["false"] },',
  '        { test = "NumericLessThanEquals", variable = "sts:DurationSeconds", values = ["900"] },',
  '      ]',
  '    }',
  '  }',
  '}',
  '',
].join('\n');

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({ 'app/main.tf': CALLS, 'app/modules/function/main.tf': FUNCTION_MODULE });
});

test('the call whose statement mints tokens for any audience is KL-TR-03 (and KL-TR-04, no lifetime bound); the pinned call is not', () => {
  const inCalls = cli.hits.filter((h) => h.resource.startsWith('module.')).map((h) => [h.ruleId, h.resource]).sort();
  expect(inCalls).toEqual([
    ['KL-TR-03', 'module.exporter.aws_iam_role_policy.additional_inline'],
    ['KL-TR-04', 'module.exporter.aws_iam_role_policy.additional_inline'],
  ]);
  expect(cli.code).toBe(1);
});

test('every call\'s statements are expanded: no note about their dynamic blocks', () => {
  const aboutCalls = (cli.notes ?? []).filter((n) => /module\.(exporter|loader)\./.test(n));
  expect(aboutCalls.filter((n) => /dynamic|not known statically/.test(n))).toEqual([]);
  // what is left is that the roles' account is not written anywhere (no provider block), said once per role
  expect(aboutCalls.map((n) => n.replace(/^.*?: /, ''))).toEqual([
    'module.exporter.aws_iam_role.lambda may mint tokens, but its ARN is not known before deployment (its stack or configuration has no known account): no trust can be checked against it',
    'module.loader.aws_iam_role.lambda may mint tokens, but its ARN is not known before deployment (its stack or configuration has no known account): no trust can be checked against it',
  ]);
});
