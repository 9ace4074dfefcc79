/**
 * Minting statements built with `range`: one statement per index of a list of audiences
 * (`[for i in range(length(local.audiences)) : {...}]` inside `jsonencode`), as teams write when each audience gets its
 * own Sid. Before `range` was read, the whole Statement list was a note ("the Statement list is not a literal") and a
 * statement letting the role mint tokens for any audience passed; now each statement is judged as if written out.
 * Route: `keyless check` over HCL.
 */
import { hclRoutes } from './harness';

const ROLE = (name: string): string => [
  `resource "aws_iam_role" "${name}" {`,
  `  name = "${name}"`,
  '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })',
  '}',
  '',
].join('\n');

const MAIN = [
  'locals {',
  '  audiences = ["snowflakecomputing.com", "api://AzureADTokenExchange"]',
  '}',
  '',
  ROLE('pinned'),
  // one statement per audience, each pinned to its audience with a lifetime bound
  'resource "aws_iam_role_policy" "pinned_tokens" {',
  '  name = "tokens"',
  '  role = aws_iam_role.pinned.id',
  '  policy = jsonencode({',
  '    Version = "2012-10-17"',
  '    Statement = [for i in range(length(local.audiences)) : {',
  '      Sid      = "Mint${i}"',
  '      Effect   = "Allow"',
  '      Action   = "sts:GetWebIdentityToken"',
  '      Resource = "*"',
  '      Condition = {',
  '        "ForAllValues:StringEquals" = { "sts:IdentityTokenAudience" = [local.audiences[i]] }',
  '        Null                        = { "sts:IdentityTokenAudience" = "false" }',
  '        NumericLessThanEquals       = { "sts:DurationSeconds" = 900 }',
  '      }',
  '    }]',
  '  })',
  '}',
  '',
  ROLE('open'),
  // the same loop without conditions: any audience, any lifetime
  'resource "aws_iam_role_policy" "open_tokens" {',
  '  name = "tokens"',
  '  role = aws_iam_role.open.id',
  '  policy = jsonencode({',
  '    Version = "2012-10-17"',
  '    Statement = [for i in range(2) : {',
  '      Sid      = "Mint${i}"',
  '      Effect   = "Allow"',
  '      Action   = "sts:GetWebIdentityToken"',
  '      Resource = "*"',
  '    }]',
  '  })',
  '}',
  '',
].join('\n');

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({ 'app/main.tf': MAIN });
});

test('each statement of the loop without conditions is KL-TR-03 and KL-TR-04, named by the Sid range gave it; the pinned loop is clean', () => {
  const statement = (message: string): string => /policy statement "([^"]+)"/.exec(message)?.[1] ?? message;
  expect(cli.hits.map((h) => `${h.ruleId} ${h.resource} ${statement(h.message)}`).sort()).toEqual([
    'KL-TR-03 aws_iam_role_policy.open_tokens Mint0',
    'KL-TR-03 aws_iam_role_policy.open_tokens Mint1',
    'KL-TR-04 aws_iam_role_policy.open_tokens Mint0',
    'KL-TR-04 aws_iam_role_policy.open_tokens Mint1',
  ]);
  expect(cli.code).toBe(1);
});

test('both Statement lists are read: no note that a policy could not be checked', () => {
  expect((cli.notes ?? []).filter((n) => /not a literal|could not check/.test(n))).toEqual([]);
});
