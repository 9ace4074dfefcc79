/**
 * Static reading of Terraform expressions in HCL and Terraform JSON: functions over known values, locals and
 * indexing, file()/templatefile() next to the module (never outside it), and dynamic blocks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { normalizeTerraformModule } from '../../../lib/guardrails/normalize/hcl';
import { evaluate } from '../../../lib/guardrails/evaluate';
import { normalizeTerraformJson } from '../../../lib/guardrails/normalize/terraform-json';

function moduleDir(files: { [name: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-static-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function hcl(dir: string, text: string) {
  const file = path.join(dir, 'main.tf');
  const set = await normalizeTerraformModule([{ file, hcl: text }], file);
  const get = (address: string) => set.resources.find((r) => r.address === address)!.properties;
  return { set, get, notes: (set.notes ?? []).map((n) => n.replace(`${file}: `, '')) };
}

describe('functions over known values, after resolving locals', () => {
  test('join, format, lower/upper, replace, concat, element and indexing in HCL', async () => {
    const { get, notes } = await hcl(moduleDir({}), `
locals {
  user = "etl_loader"
  sqls = ["GRANT ROLE ETL TO USER ETL_LOADER", "ALTER USER ETL_LOADER SET RSA_PUBLIC_KEY = 'MIIB'"]
  envs = { prod = "PROD", dev = "DEV" }
}
resource "snowflake_execute" "e" {
  execute = local.sqls[1]
  revert  = join("; ", concat(["SELECT 1"], [element(local.sqls, 0)]))
  query   = format("SHOW USERS LIKE '%s'", upper(local.user))
}
resource "snowflake_service_user" "u" {
  name    = replace(upper(local.user), "_", "-")
  comment = "owner: \${lower(local.envs["prod"])} \${local.envs.dev}"
  login_name = lower(var.login)
}
`);
    expect(get('snowflake_execute.e')).toEqual({
      execute: "ALTER USER ETL_LOADER SET RSA_PUBLIC_KEY = 'MIIB'",
      revert: 'SELECT 1; GRANT ROLE ETL TO USER ETL_LOADER',
      query: "SHOW USERS LIKE 'ETL_LOADER'",
    });
    // a variable argument keeps the expression unresolved, as before
    expect(get('snowflake_service_user.u')).toEqual({ name: 'ETL-LOADER', comment: 'owner: prod DEV', login_name: '${lower(var.login)}' });
    expect(notes).toEqual([]);
  });

  test('the same in Terraform JSON (cdktf writes Fn.join / Fn.lower as ${...} calls)', () => {
    const set = normalizeTerraformJson({
      locals: { sqls: ['SELECT 1', "ALTER USER X SET PASSWORD = 'p'"] },
      resource: { snowflake_execute: { e: { execute: '${local.sqls[1]}', revert: '${join(";", ["SELECT 1", lower("SELECT 2")])}' } } },
    }, 'cdk.tf.json');
    expect(set.resources[0].properties).toEqual({ execute: "ALTER USER X SET PASSWORD = 'p'", revert: 'SELECT 1;select 2' });
  });
});

describe('file() and templatefile() read next to the module, never outside it', () => {
  test('file() and templatefile() relative to the module directory (also through path.module)', async () => {
    const dir = moduleDir({ 'keys/etl.pub': 'MIIBIjANBgkqhkiG9w0B\n', 'sql/grant.sql.tftpl': "ALTER USER ${user} SET RSA_PUBLIC_KEY = '${key}'\n" });
    const { get, notes } = await hcl(dir, `
resource "snowflake_service_user" "u" {
  name           = "ETL"
  rsa_public_key = trimspace(file("\${path.module}/keys/etl.pub"))
}
resource "snowflake_execute" "e" {
  execute = templatefile("sql/grant.sql.tftpl", { user = "ETL", key = "MIIB" })
  revert  = "SELECT 1"
}
`);
    expect(get('snowflake_service_user.u').rsa_public_key).toBe('MIIBIjANBgkqhkiG9w0B');
    expect(get('snowflake_execute.e').execute).toBe("ALTER USER ETL SET RSA_PUBLIC_KEY = 'MIIB'\n");
    expect(notes).toEqual([]);
  });

  test('Terraform JSON: the module directory is the file\'s directory', () => {
    const dir = moduleDir({ 'tf.p8': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' });
    const set = normalizeTerraformJson({ provider: { snowflake: { private_key: '${file("tf.p8")}' } } }, path.join(dir, 'cdk.tf.json'));
    expect(set.resources[0].properties.private_key).toBe('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
    expect(set.notes).toBeUndefined();
  });

  test('outside the module (.., absolute, symbolic link) is refused, a missing file is not read: each says so in a note and stays the expression', async () => {
    const outside = moduleDir({ 'secret.pem': 'TOP SECRET' });
    const dir = moduleDir({});
    fs.symlinkSync(path.join(outside, 'secret.pem'), path.join(dir, 'link.pem'));
    const { get, notes } = await hcl(dir, `
resource "snowflake_service_user" "a" {
  rsa_public_key = file("../\${basename("${outside}")}/secret.pem")
}
resource "snowflake_service_user" "b" {
  rsa_public_key = file("${path.join(outside, 'secret.pem')}")
}
resource "snowflake_service_user" "c" {
  rsa_public_key = file("link.pem")
}
resource "snowflake_service_user" "d" {
  rsa_public_key = file("missing.pub")
}
resource "snowflake_service_user" "e" {
  rsa_public_key = file("../x/../../etc/passwd")
}
`);
    for (const name of ['a', 'b', 'c', 'd', 'e']) expect(get(`snowflake_service_user.${name}`).rsa_public_key).toMatch(/^\$\{file\(/);
    expect(notes).toEqual([
      `snowflake_service_user.b: file(${JSON.stringify(path.join(outside, 'secret.pem'))}) could not be read (refused: the path is not relative to the module directory); rules see the expression text`,
      'snowflake_service_user.c: file("link.pem") could not be read (refused: the path leaves the module directory (symbolic link)); rules see the expression text',
      'snowflake_service_user.d: file("missing.pub") could not be read (no such file or directory); rules see the expression text',
      'snowflake_service_user.e: file("../x/../../etc/passwd") could not be read (refused: the path leaves the module directory); rules see the expression text',
    ]);
  });

  test('a ../ path built with a literal is refused too', async () => {
    const { notes } = await hcl(moduleDir({}), 'resource "snowflake_service_user" "a" {\n  rsa_public_key = file("../keys/etl.pub")\n}\n');
    expect(notes).toEqual(['snowflake_service_user.a: file("../keys/etl.pub") could not be read (refused: the path leaves the module directory); rules see the expression text']);
  });
});

describe('dynamic blocks expand to the blocks they generate', () => {
  test('unknown for_each: one instance; known list: one per element; empty: none; static blocks kept first; nested too', async () => {
    const { get } = await hcl(moduleDir({}), `
resource "azuread_application" "a" {
  display_name = "etl"
  password {
    display_name = "static"
  }
  dynamic "password" {
    for_each = var.secrets
    content {
      display_name = password.value
    }
  }
}
resource "azuread_application" "b" {
  display_name = "two"
  dynamic "password" {
    for_each = ["ci", "cd"]
    content {
      display_name = "generated"
    }
  }
}
resource "azuread_application" "c" {
  display_name = "none"
  dynamic "password" {
    for_each = []
    content {
      display_name = "never"
    }
  }
}
resource "snowflake_service_user" "u" {
  name = "ETL"
  dynamic "default_workload_identity" {
    for_each = var.wif_type == "aws" ? [1] : []
    content {
      aws {
        arn = var.role_arn
      }
    }
  }
}
`);
    expect(get('azuread_application.a')).toEqual({ display_name: 'etl', password: [{ display_name: 'static' }, { display_name: '${password.value}' }] });
    expect(get('azuread_application.b')).toEqual({ display_name: 'two', password: [{ display_name: 'generated' }, { display_name: 'generated' }] });
    expect(get('azuread_application.c')).toEqual({ display_name: 'none' });
    expect(get('snowflake_service_user.u')).toEqual({ name: 'ETL', default_workload_identity: [{ aws: [{ arn: '${var.role_arn}' }] }] });
  });

  test('Terraform JSON / cdktf shape (object form) expands the same way', () => {
    const set = normalizeTerraformJson({
      resource: { azuread_application: { a: { display_name: 'etl', dynamic: { password: { for_each: '${var.secrets}', content: { display_name: 'ci' } } } } } },
    }, 'cdk.tf.json');
    expect(set.resources[0].properties).toEqual({ display_name: 'etl', password: [{ display_name: 'ci' }] });
  });

  test('a dynamic "statement" in a policy document whose for_each is a root variable is not expanded: the note stays', async () => {
    const { set, notes } = await hcl(moduleDir({}), `
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.statements
    content {
      actions   = ["sts:GetWebIdentityToken"]
      resources = ["*"]
    }
  }
}
resource "aws_iam_role_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
`);
    expect(set.resources.find((r) => r.address === 'aws_iam_role_policy.p')!.properties.policy).toBe('{"Version":"2012-10-17","Statement":[]}');
    expect(notes).toEqual(['data.aws_iam_policy_document.d: dynamic "statement" blocks whose for_each is not known statically are not expanded; the rest of the document was read']);
  });
});

describe('what the rules see through expanded dynamic blocks', () => {
  test('a dynamic "environment" on a Lambda function is read: a literal password in it is KL-AWS-05; the neighbour taking an ARN is clean', async () => {
    const { set } = await hcl(moduleDir({}), `
resource "aws_lambda_function" "etl" {
  function_name = "etl"
  role          = aws_iam_role.etl.arn
  dynamic "environment" {
    for_each = var.enabled ? [1] : []
    content {
      variables = {
        DB_PASSWORD = "Winter2026!Sup3r"
      }
    }
  }
}
resource "aws_lambda_function" "clean" {
  function_name = "clean"
  role          = aws_iam_role.etl.arn
  dynamic "environment" {
    for_each = var.enabled ? [1] : []
    content {
      variables = {
        DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
      }
    }
  }
}
`);
    const findings = evaluate([set]).findings.map((f) => [f.ruleId, f.resource, f.severity]);
    expect(findings).toEqual([['KL-AWS-05', 'aws_lambda_function.etl', 'error']]);
    expect(JSON.stringify(evaluate([set]).findings)).not.toContain('Winter2026');
  });
});
