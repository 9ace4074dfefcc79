/**
 * A module's outputs through `keyless check`: the root module attaches the token grant to a role a local module
 * creates (`role = module.etl.name`, the shape terraform-aws-modules' IAM role modules are used in), and a Snowflake
 * user trusts that role. The federation graph joins the two only if it reads the output as the module's role.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../../lib/cli/main';
import { NOW } from '../../examples/support';

const ACCOUNT = '111122223333';
const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/orders-etl`;

const ROLE_MODULE = [
  'variable "name" {}',
  'resource "aws_iam_role" "this" {',
  '  name = var.name',
  '  path = "/workloads/"',
  '  assume_role_policy = jsonencode({',
  '    Version   = "2012-10-17"',
  '    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]',
  '  })',
  '}',
  'output "name" {',
  '  value = aws_iam_role.this.name',
  '}',
  '',
].join('\n');

/** The root module: the grant is attached through `grantRole`, the Snowflake side trusts ROLE_ARN. */
function rootModule(grantRole: string): string {
  return [
    'provider "aws" {',
    '  region              = "eu-west-1"',
    `  allowed_account_ids = ["${ACCOUNT}"]`,
    '}',
    'module "etl" {',
    '  source = "./modules/workload-role"',
    '  name   = "orders-etl"',
    '}',
    'resource "aws_iam_role_policy" "tokens" {',
    '  name = "snowflake-tokens"',
    `  role = ${grantRole}`,
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [{',
    '      Effect   = "Allow"',
    '      Action   = "sts:GetWebIdentityToken"',
    '      Resource = "*"',
    '      Condition = {',
    '        "ForAllValues:StringEquals" = { "sts:IdentityTokenAudience" = ["snowflakecomputing.com"] }',
    '        "Null"                      = { "sts:IdentityTokenAudience" = "false" }',
    '        "StringEquals"              = { "sts:SigningAlgorithm" = "ES384" }',
    '        "NumericLessThanEquals"     = { "sts:DurationSeconds" = 900 }',
    '      }',
    '    }]',
    '  })',
    '}',
    'resource "snowflake_service_user" "etl" {',
    '  name = "ORDERS_ETL"',
    '}',
    'resource "snowflake_execute" "etl_workload_identity" {',
    `  execute = "ALTER USER \${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE_ARN}' ISSUER = '${ISSUER}')"`,
    '  revert  = "ALTER USER IF EXISTS ${snowflake_service_user.etl.fully_qualified_name} UNSET WORKLOAD_IDENTITY"',
    '}',
    '',
  ].join('\n');
}

async function checkRoot(grantRole: string): Promise<{ code: number; json: any }> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-module-outputs-'));
  try {
    fs.mkdirSync(path.join(cwd, 'infra', 'modules', 'workload-role'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'infra', 'modules', 'workload-role', 'main.tf'), ROLE_MODULE);
    fs.writeFileSync(path.join(cwd, 'infra', 'main.tf'), rootModule(grantRole));
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
    // Only the root module: the module directory checked on its own would add its unattached role.
    const code = await main(['check', 'infra/main.tf', '--issuer', `${ACCOUNT}=${ISSUER}`, '--format', 'json'], io);
    if (code === 2) throw new Error(stderr);
    return { code, json: JSON.parse(stdout) };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

describe('keyless check: a token grant attached in the root module to a module\'s role', () => {
  test('role = module.etl.name: the module\'s role mints the token the Snowflake user trusts (a reachable pair, no KL-FED finding)', async () => {
    const { json } = await checkRoot('module.etl.name');
    expect(json.federation).toEqual([{
      workload: ROLE_ARN,
      target: 'snowflake_execute.etl_workload_identity',
      targetKind: 'snowflake',
      audience: 'snowflakecomputing.com',
      algorithm: 'ES384',
      reachable: true,
    }]);
    expect(json.findings.filter((f: any) => f.ruleId.startsWith('KL-FED-') || f.ruleId.startsWith('KL-TR-'))).toEqual([]);
  });

  test('an output the module does not declare links no role: a note names it, and the role the Snowflake user trusts cannot mint its token (KL-FED-03)', async () => {
    const { json } = await checkRoot('module.etl.role_name');
    expect(json.summary.notes).toEqual(expect.arrayContaining([expect.stringMatching(/infra\/main\.tf: aws_iam_role_policy\.tokens: module\.etl\.role_name is no output of its module; the value is read as written$/)]));
    expect(json.federation.map((p: any) => [p.workload, p.reachable])).toEqual([[ROLE_ARN, false]]);
    expect(json.findings.filter((f: any) => f.ruleId.startsWith('KL-FED-')).map((f: any) => [f.ruleId, f.resource])).toEqual([['KL-FED-03', 'module.etl.aws_iam_role.this']]);
  });
});
