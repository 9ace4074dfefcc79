/**
 * One Terraform configuration deploying to two accounts (a default `provider "aws"` pinned with
 * `allowed_account_ids`, an aliased one assuming a role in another account), with workload roles at the root and in
 * local modules (`providers = { aws = aws.prod }`), and a Snowflake user trusting each role. The federation graph
 * joins each role in the account of the provider configuration it is created with, and leaves a role whose
 * provider says no account unjoined, with a note. Two of the trusts name the account as
 * `${data.aws_caller_identity.NAME.account_id}`, read as the account of that data source's provider.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../../lib/cli/main';
import { NOW } from '../../examples/support';

const SHARED = '111122223333';
const PROD = '444455556666';
const SHARED_ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
const PROD_ISSUER = 'https://9f8e7d6c-5b4a-4321-8fed-cba987654321.tokens.sts.global.api.aws';

/** A workload role that may mint ES384 tokens for Snowflake, created with `provider` when given. */
function workloadRole(local: string, name: string, provider?: string): string {
  const using = provider ? `  provider = ${provider}\n` : '';
  return [
    `resource "aws_iam_role" "${local}" {`,
    using + `  name = ${name}`,
    '  path = "/workloads/"',
    '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })',
    '  inline_policy {',
    '    name = "snowflake-tokens"',
    '    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:GetWebIdentityToken", Resource = "*", Condition = {',
    '      "ForAllValues:StringEquals" = { "sts:IdentityTokenAudience" = ["snowflakecomputing.com"] }',
    '      "Null" = { "sts:IdentityTokenAudience" = "false" }',
    '      "StringEquals" = { "sts:SigningAlgorithm" = "ES384" }',
    '      "NumericLessThanEquals" = { "sts:DurationSeconds" = 900 }',
    '    } }] })',
    '  }',
    '}',
    '',
  ].join('\n');
}

function snowflakeTrust(local: string, roleArn: string, issuer: string): string {
  return [
    `resource "snowflake_service_user" "${local}" {`,
    `  name = "${local.toUpperCase()}"`,
    '}',
    `resource "snowflake_execute" "${local}" {`,
    `  execute = "ALTER USER \${snowflake_service_user.${local}.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${roleArn}' ISSUER = '${issuer}')"`,
    `  revert  = "ALTER USER IF EXISTS \${snowflake_service_user.${local}.fully_qualified_name} UNSET WORKLOAD_IDENTITY"`,
    '}',
    '',
  ].join('\n');
}

const FILES: { [file: string]: string } = {
  'modules/workload-role/main.tf': 'variable "name" {}\n' + workloadRole('this', 'var.name'),
  // a module whose role uses an aliased provider its caller never passes (Terraform would ask for it)
  'modules/aliased-role/main.tf': workloadRole('this', '"aliased-etl"', 'aws.extra'),
  'main.tf': [
    'provider "aws" {',
    '  region              = "eu-west-1"',
    `  allowed_account_ids = ["${SHARED}"]`,
    '}',
    'provider "aws" {',
    '  alias  = "prod"',
    '  region = "eu-west-1"',
    '  assume_role {',
    `    role_arn = "arn:aws:iam::${PROD}:role/terraform-deploy"`,
    '  }',
    '}',
    'provider "aws" {',
    '  alias  = "west"',
    '  region = "us-west-2"',
    '}',
    'module "shared" {',
    '  source = "./modules/workload-role"',
    '  name   = "shared-etl"',
    '}',
    'module "prod" {',
    '  source    = "./modules/workload-role"',
    '  name      = "prod-etl"',
    '  providers = { aws = aws.prod }',
    '}',
    'module "aliased" {',
    '  source = "./modules/aliased-role"',
    '}',
    '',
    workloadRole('root_prod', '"root-prod"', 'aws.prod'),
    workloadRole('west', '"west-etl"', 'aws.west'),
    // the account as Terraform configurations often write it: the caller identity of a provider configuration
    'data "aws_caller_identity" "current" {}',
    'data "aws_caller_identity" "prod" {',
    '  provider = aws.prod',
    '}',
    snowflakeTrust('shared', 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/workloads/shared-etl', SHARED_ISSUER),
    snowflakeTrust('prod', `arn:aws:iam::${PROD}:role/workloads/prod-etl`, PROD_ISSUER),
    snowflakeTrust('root_prod', 'arn:aws:iam::${data.aws_caller_identity.prod.account_id}:role/workloads/root-prod', PROD_ISSUER),
  ].join('\n'),
};

let result: { code: number; json: any };

beforeAll(async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-provider-accounts-'));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(cwd, 'infra', name)), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'infra', name), text);
  }
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
  const code = await main(['check', 'infra/main.tf', '--issuer', `${SHARED}=${SHARED_ISSUER}`, '--issuer', `${PROD}=${PROD_ISSUER}`, '--format', 'json'], io);
  fs.rmSync(cwd, { recursive: true, force: true });
  if (code === 2) throw new Error(stderr);
  result = { code, json: JSON.parse(stdout) };
});

describe('keyless check: roles of one configuration in the accounts of their provider configurations', () => {
  test('each role is joined in its provider\'s account: default (allowed_account_ids), alias (assume_role), module call (providers)', () => {
    expect(result.json.federation.map((p: any) => [p.workload, p.target, p.reachable]).sort()).toEqual([
      [`arn:aws:iam::${SHARED}:role/workloads/shared-etl`, 'snowflake_execute.shared', true],
      [`arn:aws:iam::${PROD}:role/workloads/prod-etl`, 'snowflake_execute.prod', true],
      [`arn:aws:iam::${PROD}:role/workloads/root-prod`, 'snowflake_execute.root_prod', true],
    ]);
    expect(result.json.findings.filter((f: any) => f.ruleId.startsWith('KL-FED-'))).toEqual([]);
  });

  test('a provider that says no account, and an alias a module call does not pass, leave the role\'s ARN unknown, with a note', () => {
    const unknown = (address: string) => expect.stringMatching(new RegExp(`: ${address.replace(/[.[\]]/g, '\\$&')} may mint tokens, but its ARN is not known before deployment`));
    expect(result.json.summary.notes).toEqual(expect.arrayContaining([unknown('aws_iam_role.west'), unknown('module.aliased.aws_iam_role.this')]));
    expect(result.json.summary.notes.filter((n: string) => /shared-etl|prod-etl|root_prod|module\.(shared|prod)\./.test(n) && n.includes('ARN is not known'))).toEqual([]);
  });
});

describe('keyless check: trusts that name their role by reference (subject = aws_iam_role.etl.arn)', () => {
  test('the Entra credential\'s subject and the Snowflake ARN read as the role\'s ARN: both pairs reachable', async () => {
    const entraGrant = workloadRole('etl', '"orders-etl"').replace('"snowflakecomputing.com"', '"snowflakecomputing.com", "api://AzureADTokenExchange"')
      .replace('"sts:SigningAlgorithm" = "ES384"', '"sts:SigningAlgorithm" = ["ES384", "RS256"]');
    const files: { [file: string]: string } = {
      'main.tf': [
        `provider "aws" {\n  allowed_account_ids = ["${SHARED}"]\n}`,
        entraGrant,
        snowflakeTrust('etl', '${aws_iam_role.etl.arn}', SHARED_ISSUER),
        'resource "azuread_application" "etl" {\n  display_name = "orders-etl"\n}',
        'resource "azuread_application_federated_identity_credential" "etl" {',
        '  application_id = azuread_application.etl.id',
        '  display_name   = "orders-etl"',
        `  issuer         = "${SHARED_ISSUER}"`,
        '  subject        = aws_iam_role.etl.arn',
        '  audiences      = ["api://AzureADTokenExchange"]',
        '}',
        '',
      ].join('\n'),
    };
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-role-reference-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(cwd, name), text);
    let stdout = '';
    const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: () => undefined, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
    await main(['check', '.', '--issuer', `${SHARED}=${SHARED_ISSUER}`, '--format', 'json'], io);
    fs.rmSync(cwd, { recursive: true, force: true });
    const json = JSON.parse(stdout);
    const arn = `arn:aws:iam::${SHARED}:role/workloads/orders-etl`;
    expect(json.federation.map((p: any) => [p.workload, p.target, p.algorithm, p.reachable]).sort()).toEqual([
      [arn, 'azuread_application_federated_identity_credential.etl', 'RS256', true],
      [arn, 'snowflake_execute.etl', 'ES384', true],
    ]);
    expect(json.findings.filter((f: any) => f.ruleId.startsWith('KL-FED-'))).toEqual([]);
  });
});
