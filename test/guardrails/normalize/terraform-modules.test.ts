/**
 * Terraform module calls as `loadPath` follows them: local modules with the caller's arguments bound to the
 * module's variables, resources at their module address, `count`/`for_each` that is statically zero, modules
 * `terraform init` downloaded (opt-in), and what cannot be followed named in a note.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError, loadPath } from '../../../lib/guardrails/normalize/load';
import type { NormalizedSet } from '../../../lib/guardrails/normalize/set';

const ROOT = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'terraform-modules');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-modules-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const addresses = (set: NormalizedSet) => set.resources.map((r) => r.address);
const get = (set: NormalizedSet, address: string) => {
  const found = set.resources.find((r) => r.address === address);
  if (!found) throw new Error(`${address} not in ${addresses(set).join(', ')}`);
  return found;
};

describe('a root module calling local modules (fixture terraform-modules)', () => {
  let sets: NormalizedSet[];
  let root: NormalizedSet;
  beforeAll(async () => {
    sets = await loadPath(ROOT);
    root = sets[0];
  });

  test('resources inside modules join the root set at their module address, each with its own file', () => {
    expect(root.file).toBe(path.join(ROOT, 'main.tf'));
    // hcl2json gives blocks by type and name, not in file order
    expect(root.resources.map((r) => [r.address, path.relative(ROOT, r.file)]).sort()).toEqual([
      ['aws_iam_openid_connect_provider.github', 'main.tf'],
      ['module.etl.aws_iam_user.this', 'modules/iam-user/main.tf'],
      ['module.etl.aws_iam_access_key.this[0]', 'modules/iam-user/main.tf'],
      ['module.reporting.aws_iam_user.this', 'modules/iam-user/main.tf'],
      ['module.warehouse.snowflake_user.this', 'modules/snowflake-loader/main.tf'],
      ['module.warehouse.snowflake_execute.setup', 'modules/snowflake-loader/main.tf'],
      ['module.warehouse.snowflake_execute.grant', 'modules/snowflake-loader/main.tf'],
      ['module.deploy.data.aws_iam_policy_document.trust', 'modules/github-oidc-role/main.tf'],
      ['module.deploy.aws_iam_role.this', 'modules/github-oidc-role/main.tf'],
      ['module.any_repo.data.aws_iam_policy_document.trust', 'modules/github-oidc-role/main.tf'],
      ['module.any_repo.aws_iam_role.this', 'modules/github-oidc-role/main.tf'],
    ].sort());
  });

  test('count = var.create_access_key ? 1 : 0 bound to false, and count = 0 on the call, mean no resource', () => {
    expect(addresses(root)).not.toContain('module.reporting.aws_iam_access_key.this');
    expect(addresses(root).filter((a) => a.startsWith('module.legacy'))).toEqual([]);
    // bound to true: count is 1, the one instance at its instance address
    expect(get(root, 'module.etl.aws_iam_access_key.this[0]').properties).toEqual({ user: '${module.etl.aws_iam_user.this.name}' });
  });

  test('arguments bound to literals are those literals, whole or inside a template; caller expressions stay as written', () => {
    expect(get(root, 'module.warehouse.snowflake_user.this').properties).toEqual({ name: 'LOADER', password: 'Loader-2026-rotate-me' });
    expect(get(root, 'module.warehouse.snowflake_execute.setup').properties).toEqual({
      execute: 'ALTER USER LOADER SET RSA_PUBLIC_KEY = \'${var.loader_key}\'', revert: 'SELECT 1',
    });
    expect(get(root, 'module.warehouse.snowflake_execute.grant').properties).toEqual({
      execute: 'GRANT ROLE LOADER_ROLE TO USER LOADER', revert: 'REVOKE ROLE LOADER_ROLE FROM USER LOADER',
    });
  });

  test('references between the blocks of a module name their module addresses; the caller\'s keep the caller\'s', () => {
    expect(get(root, 'module.deploy.aws_iam_role.this').properties.name).toBe('deploy');
    expect(get(root, 'module.deploy.data.aws_iam_policy_document.trust').properties.statement).toMatchObject([{
      principals: [{ type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.github.arn}'] }],
    }]);
  });

  test('a list passed in (subjects) reaches the policy document the module renders', () => {
    const trust = (module: string) => JSON.parse(get(root, `module.${module}.aws_iam_role.this`).properties.assume_role_policy as string);
    expect(trust('deploy').Statement[0]).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: '${aws_iam_openid_connect_provider.github.arn}' },
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' },
      },
    });
    expect(trust('any_repo').Statement[0].Condition.StringLike).toEqual({ 'token.actions.githubusercontent.com:sub': 'repo:*' });
  });

  test('a registry module without --follow-downloaded-modules is named in a note', () => {
    expect(root.notes).toEqual([
      `${path.join(ROOT, 'main.tf')}: module.vpc: module source "terraform-aws-modules/vpc/aws" is not a local path (./ or ../) and downloaded modules are not read (after terraform init, pass --follow-downloaded-modules); its resources are not checked`,
    ]);
  });

  test('each module directory is also read on its own (a root module: variables unbound, defaults unused), besides its calls', () => {
    expect(sets.map((s) => path.relative(ROOT, s.file))).toEqual([
      'main.tf', 'modules/github-oidc-role/main.tf', 'modules/iam-user/main.tf', 'modules/snowflake-loader/main.tf',
    ]);
    const iamUser = sets[2];
    expect(addresses(iamUser).sort()).toEqual(['aws_iam_access_key.this', 'aws_iam_user.this']);
    // not deduplicated: the same block, once as written and once per call
    const key = get(iamUser, 'aws_iam_access_key.this');
    expect(get(root, 'module.etl.aws_iam_access_key.this[0]').file).toBe(key.file);
    expect(get(iamUser, 'aws_iam_user.this').properties).toEqual({ name: '${var.user_name}' });
    expect(get(sets[3], 'snowflake_user.this').properties).toEqual({ name: '${var.user_name}', password: '${var.password}' });
  });
});

describe('binding', () => {
  test('in a called module, a variable the caller does not pass is its default (only the call sets it): count = 0 leaves the key out', async () => {
    write('modules/user/main.tf', 'variable "create_key" {\n  default = false\n}\nvariable "name" {\n  default = "svc"\n}\nresource "aws_iam_access_key" "k" {\n  count = var.create_key ? 1 : 0\n  user  = var.name\n}\n');
    write('main.tf', 'module "svc" {\n  source = "./modules/user"\n}\n');
    const [root, own] = await loadPath(tmp);
    expect(root.resources).toEqual([]);
    // the module read on its own is a root module: tfvars and -var set its variables, so defaults are not used
    expect(own.resources.map((r) => [r.address, r.properties])).toEqual([
      ['aws_iam_access_key.k', { count: '${var.create_key ? 1 : 0}', user: '${var.name}' }],
    ]);
  });

  test('a typed variable is converted as Terraform does: optional attributes absent or null become their default or null; null to a nullable = false variable is its default', async () => {
    write('modules/group/main.tf', [
      'variable "create" {',
      '  type     = bool',
      '  default  = true',
      '  nullable = false',
      '}',
      'variable "name" {}',
      'variable "path" {',
      '  default = "/"',
      '}',
      'resource "aws_iam_user" "this" {',
      '  count = var.create ? 1 : 0',
      '  name  = var.name',
      '  path  = var.path',
      '}',
      '',
    ].join('\n'));
    write('modules/cluster/main.tf', [
      'variable "groups" {',
      '  type = map(object({',
      '    create = optional(bool)',
      '    path   = optional(string, "/nodes/")',
      '  }))',
      '}',
      'module "group" {',
      '  source   = "../group"',
      '  for_each = var.groups != null ? var.groups : {}',
      '  create   = each.value.create',
      '  name     = each.key',
      '  path     = each.value.path',
      '}',
      '',
    ].join('\n'));
    write('main.tf', 'module "cluster" {\n  source = "./modules/cluster"\n  groups = {\n    a   = {}\n    b   = { create = false }\n    c   = { path = null }\n    etl = { path = "/etl/" }\n  }\n}\n');
    const [root] = await loadPath(tmp);
    expect(root.resources.map((r) => [r.address, r.properties])).toEqual([
      ['module.cluster.module.group["a"].aws_iam_user.this[0]', { name: 'a', path: '/nodes/' }],
      ['module.cluster.module.group["c"].aws_iam_user.this[0]', { name: 'c', path: '/nodes/' }],
      ['module.cluster.module.group["etl"].aws_iam_user.this[0]', { name: 'etl', path: '/etl/' }],
    ]);
    expect(root.notes).toBeUndefined();
  });

  test('defaults fill in what the caller leaves out, also inside templates and in Terraform JSON; a variable without a default stays ${var.NAME}', async () => {
    write('modules/user/variables.tf.json', JSON.stringify({ variable: { create_key: { default: true }, name: { default: 'svc' }, path: { type: 'string' } } }));
    write('modules/user/main.tf', 'resource "aws_iam_access_key" "k" {\n  count = var.create_key ? 1 : 0\n  user  = var.name\n}\nresource "aws_iam_user" "u" {\n  name = "ci-${var.name}"\n  path = var.path\n}\n');
    write('main.tf', 'module "svc" {\n  source = "./modules/user"\n}\nmodule "named" {\n  source = "./modules/user"\n  name   = "etl"\n}\n');
    const [root] = await loadPath(tmp);
    expect(root.resources.map((r) => [r.address, r.properties])).toEqual([
      ['module.named.aws_iam_access_key.k[0]', { user: 'etl' }],
      ['module.named.aws_iam_user.u', { name: 'ci-etl', path: '${var.path}' }],
      ['module.svc.aws_iam_access_key.k[0]', { user: 'svc' }],
      ['module.svc.aws_iam_user.u', { name: 'ci-svc', path: '${var.path}' }],
    ]);
  });

  test('arguments are read in the caller: its locals and jsonencode; a module\'s jsonencode sees the bound value', async () => {
    write('role/main.tf', [
      'variable "subjects" {}',
      'resource "aws_iam_role" "this" {',
      '  assume_role_policy = jsonencode({',
      '    Statement = [{ Action = "sts:AssumeRoleWithWebIdentity", Condition = { StringLike = { "token.actions.githubusercontent.com:sub" = var.subjects } } }]',
      '  })',
      '}',
      '',
    ].join('\n'));
    write('main.tf', 'locals {\n  repos = ["repo:acme/app:environment:prod"]\n}\nmodule "ci" {\n  source   = "./role"\n  subjects = local.repos\n}\n');
    const [root] = await loadPath(tmp);
    expect(JSON.parse(get(root, 'module.ci.aws_iam_role.this').properties.assume_role_policy as string)).toEqual({
      Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/app:environment:prod'] } } }],
    });
  });

  test('nested modules get nested addresses and pass values down; a Terraform JSON caller works the same', async () => {
    write('outer/main.tf', 'variable "pw" {}\nmodule "inner" {\n  source   = "../inner"\n  password = var.pw\n}\n');
    write('inner/main.tf', 'variable "password" {}\nresource "snowflake_user" "u" {\n  password = var.password\n}\n');
    write('app/main.tf.json', JSON.stringify({ module: { etl: { source: '../outer', pw: 'hunter2-literal' } } }));
    const [app] = await loadPath(path.join(tmp, 'app'));
    expect(app.resources.map((r) => [r.address, r.properties])).toEqual([
      ['module.etl.module.inner.snowflake_user.u', { password: 'hunter2-literal' }],
    ]);
    expect(app.notes).toBeUndefined();
  });

  test('count 0 and for_each {} / [] at the root mean the resource does not exist; an expression does not', async () => {
    write('main.tf', [
      'resource "aws_iam_access_key" "off" {\n  count = 0\n  user = "a"\n}',
      'resource "aws_iam_access_key" "none" {\n  for_each = {}\n  user = each.key\n}',
      'resource "aws_iam_access_key" "empty" {\n  for_each = []\n  user = each.key\n}',
      'resource "aws_iam_access_key" "on" {\n  count = 1\n  user = "b"\n}',
      'resource "aws_iam_access_key" "unknown" {\n  count = var.n\n  user = "c"\n}',
      '',
    ].join('\n'));
    expect(addresses((await loadPath(tmp))[0])).toEqual(['aws_iam_access_key.on[0]', 'aws_iam_access_key.unknown']);
  });
});

describe('a module\'s outputs as its caller reads them (module.NAME.OUTPUT)', () => {
  const roleModule = [
    'variable "name" {}',
    'resource "aws_iam_role" "this" {',
    '  name               = var.name',
    '  assume_role_policy = "{}"',
    '}',
    'output "name" {',
    '  value = aws_iam_role.this.name',
    '}',
    'output "arn" {',
    '  value = aws_iam_role.this.arn',
    '}',
    'output "role" {',
    '  value = aws_iam_role.this',
    '}',
    'output "fixed" {',
    '  value = "etl-fixed"',
    '}',
    'output "bound" {',
    '  value = var.name',
    '}',
    'output "joined" {',
    '  value = "${aws_iam_role.this.name}-x"',
    '}',
    '',
  ].join('\n');

  test('a reference to an output reads as the output\'s value, in the module\'s scope', async () => {
    write('modules/role/main.tf', roleModule);
    write('main.tf', [
      'module "etl" {',
      '  source = "./modules/role"',
      '  name   = "orders-etl"',
      '}',
      'resource "aws_iam_role_policy" "p" {',
      '  role   = module.etl.name',
      '  policy = "{}"',
      '  tags = {',
      '    arn       = "${module.etl.arn}/*"',
      '    attribute = module.etl.role.arn',
      '    fixed     = module.etl.fixed',
      '    bound     = module.etl.bound',
      '    in_text   = "team-${module.etl.fixed}"',
      '    joined    = module.etl.joined',
      '    in_call   = "${upper(module.etl.joined)}"',
      '    undeclared = module.etl.nothing',
      '    other     = module.other.name',
      '  }',
      '}',
      '',
    ].join('\n'));
    const [root] = await loadPath(tmp);
    expect(get(root, 'aws_iam_role_policy.p').properties).toEqual({
      role: '${module.etl.aws_iam_role.this.name}',
      policy: '{}',
      tags: {
        arn: '${module.etl.aws_iam_role.this.arn}/*',
        attribute: '${module.etl.aws_iam_role.this.arn}',
        fixed: 'etl-fixed',
        bound: 'orders-etl',
        // an output that is not a plain reference is not spliced into a longer expression
        in_text: 'team-${module.etl.fixed}',
        joined: '${module.etl.aws_iam_role.this.name}-x',
        in_call: '${upper(module.etl.joined)}',
        undeclared: '${module.etl.nothing}',
        other: '${module.other.name}',
      },
    });
    // Terraform refuses an output the module does not declare; a module that is not called is no module of this set
    expect(root.notes).toEqual([`${path.join(tmp, 'main.tf')}: aws_iam_role_policy.p: module.etl.nothing is no output of its module; the value is read as written`]);
  });

  test('instances, nesting and a Terraform JSON caller: each call\'s own outputs, forwarded outputs followed to the resource', async () => {
    write('modules/role/main.tf', roleModule);
    write('outer/main.tf', 'module "inner" {\n  source = "../modules/role"\n  name   = "inner"\n}\noutput "inner_name" {\n  value = module.inner.name\n}\n');
    write('app/main.tf.json', JSON.stringify({
      module: {
        etl: { source: '../modules/role', count: 2, name: 'etl-${count.index}' },
        outer: { source: '../outer' },
      },
      resource: {
        aws_iam_role_policy: {
          second: { role: '${module.etl[1].name}', policy: '{}' },
          forwarded: { role: '${module.outer.inner_name}', policy: '{}' },
        },
      },
    }));
    const [app] = await loadPath(path.join(tmp, 'app'));
    expect(get(app, 'aws_iam_role_policy.second').properties.role).toBe('${module.etl[1].aws_iam_role.this.name}');
    expect(get(app, 'module.etl[1].aws_iam_role.this').properties.name).toBe('etl-1');
    expect(get(app, 'aws_iam_role_policy.forwarded').properties.role).toBe('${module.outer.module.inner.aws_iam_role.this.name}');
  });
});

describe('what cannot be followed is a note', () => {
  test('a module that calls itself, directly or through another, ends with a note', async () => {
    write('a/main.tf', 'module "again" {\n  source = "./"\n}\nmodule "b" {\n  source = "../b"\n}\nresource "aws_iam_user" "a" {\n  name = "a"\n}\n');
    write('b/main.tf', 'module "back" {\n  source = "../a"\n}\n');
    write('root/main.tf', 'module "a" {\n  source = "../a"\n}\nmodule "self" {\n  source = "../root"\n}\n');
    const [root] = await loadPath(path.join(tmp, 'root'));
    expect(addresses(root)).toEqual(['module.a.aws_iam_user.a']);
    const a = path.join(tmp, 'a', 'main.tf');
    expect(root.notes).toEqual([
      `${a}: module.a.module.again: module source "./" is module.a, which is already being expanded (a module that calls itself); not expanded again`,
      `${path.join(tmp, 'b', 'main.tf')}: module.a.module.b.module.back: module source "../a" is module.a, which is already being expanded (a module that calls itself); not expanded again`,
      `${path.join(tmp, 'root', 'main.tf')}: module.self: module source "../root" is the root module, which is already being expanded (a module that calls itself); not expanded again`,
    ]);
  });

  test('a missing or empty local module directory and a non-literal source', async () => {
    fs.mkdirSync(path.join(tmp, 'modules', 'empty'), { recursive: true });
    const main = write('main.tf', 'module "gone" {\n  source = "./modules/gone"\n}\nmodule "empty" {\n  source = "./modules/empty"\n}\nmodule "picked" {\n  source = var.module_path\n}\n');
    expect((await loadPath(main))[0].notes).toEqual([
      `${main}: module.empty: module source "./modules/empty" names a directory with no .tf or .tf.json files; its resources are not checked`,
      `${main}: module.gone: module source "./modules/gone" names no directory; its resources are not checked`,
      `${main}: module.picked: module source is not a literal string; its resources are not checked`,
    ]);
  });

  test('a malformed file inside a module is unusable input naming that file', async () => {
    const bad = write('modules/bad/main.tf', 'resource "aws_iam_user" "u" {\n  name = \n}\n');
    write('root/main.tf', 'module "bad" {\n  source = "../modules/bad"\n}\n');
    const error = await loadPath(path.join(tmp, 'root')).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: malformed HCL: line 2, column 10: `));
  });
});

describe('modules terraform init downloaded (followDownloadedModules)', () => {
  function downloaded(): string {
    write('main.tf', 'module "keys" {\n  source  = "acme/iam-user/aws"\n  version = "1.2.0"\n  name    = "ci"\n}\n');
    write('.terraform/modules/keys/main.tf', 'variable "name" {}\nresource "aws_iam_access_key" "this" {\n  user = var.name\n}\nmodule "sub" {\n  source = "acme/sub/aws"\n}\nmodule "local" {\n  source = "./local"\n}\n');
    write('.terraform/modules/keys/local/main.tf', 'resource "aws_iam_user_login_profile" "p" {\n  user = "ci"\n}\n');
    write('.terraform/modules/modules.json', JSON.stringify({
      Modules: [
        { Key: '', Source: '', Dir: '.' },
        { Key: 'keys', Source: 'registry.terraform.io/acme/iam-user/aws', Version: '1.2.0', Dir: '.terraform/modules/keys' },
        { Key: 'keys.local', Source: './local', Dir: '.terraform/modules/keys/local' },
      ],
    }));
    return path.join(tmp, 'main.tf');
  }

  test('off (the default): the registry call is a note and the hidden .terraform directory is not walked', async () => {
    const main = downloaded();
    const sets = await loadPath(tmp);
    expect(sets).toHaveLength(1);
    expect(sets[0].resources).toEqual([]);
    expect(sets[0].notes).toEqual([
      `${main}: module.keys: module source "acme/iam-user/aws" is not a local path (./ or ../) and downloaded modules are not read (after terraform init, pass --follow-downloaded-modules); its resources are not checked`,
    ]);
  });

  test('on: read through modules.json, keys nested; a call missing from modules.json is a note', async () => {
    downloaded();
    const [root] = await loadPath(tmp, { followDownloadedModules: true });
    expect(root.resources.map((r) => [r.address, path.relative(tmp, r.file), r.properties])).toEqual([
      ['module.keys.aws_iam_access_key.this', '.terraform/modules/keys/main.tf', { user: 'ci' }],
      ['module.keys.module.local.aws_iam_user_login_profile.p', '.terraform/modules/keys/local/main.tf', { user: 'ci' }],
    ]);
    expect(root.notes).toEqual([
      `${path.join(tmp, '.terraform/modules/keys/main.tf')}: module.keys.module.sub: module source "acme/sub/aws" is not a local path (./ or ../) and is not listed in ${path.join(tmp, '.terraform/modules/modules.json')} (run terraform init again); its resources are not checked`,
    ]);
  });

  test('on, but terraform init has not run: a note', async () => {
    const main = write('main.tf', 'module "keys" {\n  source = "acme/iam-user/aws"\n}\n');
    expect((await loadPath(main, { followDownloadedModules: true }))[0].notes).toEqual([
      `${main}: module.keys: module source "acme/iam-user/aws" is not a local path (./ or ../) and ${path.join(tmp, '.terraform/modules/modules.json')} does not exist (run terraform init in ${tmp}); its resources are not checked`,
    ]);
  });

  test('on, with a modules.json that is not one: unusable input naming it', async () => {
    write('main.tf', 'module "keys" {\n  source = "acme/iam-user/aws"\n}\n');
    const manifest = write('.terraform/modules/modules.json', '{"Modules": {}}');
    await expect(loadPath(tmp, { followDownloadedModules: true })).rejects.toThrow(`${manifest}: not a terraform init modules manifest: expected {"Modules": [...]}`);
    fs.writeFileSync(manifest, '{"Modules": [');
    await expect(loadPath(tmp, { followDownloadedModules: true })).rejects.toThrow(new RegExp(`^${manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: malformed JSON`));
  });
});
