/**
 * The cdktf aspect reads a stack's module calls (`TerraformHclModule`, or `module` blocks added by escape hatch)
 * synchronously: a local module is followed, Terraform JSON (`.tf.json`) as it is and HCL (`.tf`) parsed in a worker
 * thread, its resources at their module address with the call's variables bound; malformed HCL fails the stack's
 * check naming the file; a registry source, or a path naming no directory, is named in a note (keyless check on the
 * synthesized cdktf.out reads what the aspect cannot).
 * `TerraformHclModule` keeps an absolute source as given until it copies the module as an asset, so that is the path
 * the aspect follows; shapes follow a terraform-aws-modules-style iam-user module.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformHclModule, TerraformStack } from 'cdktf';
import { anyInCase, cdktfRoutes, RouteResult } from './harness';

let tf: RouteResult;
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cdktf-modules-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('iam-user/main.tf.json', JSON.stringify({
    variable: { user_name: {}, create_access_key: { default: false } },
    resource: {
      aws_iam_user: { this: { name: '${var.user_name}' } },
      aws_iam_access_key: { this: { count: '${var.create_access_key ? 1 : 0}', user: '${aws_iam_user.this.name}' } },
    },
  }));
  write('hcl-user/main.tf', 'variable "user_name" {}\nresource "aws_iam_access_key" "this" {\n  user = var.user_name\n}\n');
  write('hcl-user/variables.tf', 'variable "unused" {\n  default = "x"\n}\n');
  write('broken/main.tf', 'resource "aws_iam_user" "u" {\n  name = \n}\n');
  tf = cdktfRoutes((app) => {
    const json = new TerraformStack(app, 'json-module');
    new TerraformHclModule(json, 'etl', { source: path.join(root, 'iam-user'), variables: { user_name: 'etl', create_access_key: true } });
    new TerraformHclModule(json, 'reporting', { source: path.join(root, 'iam-user'), variables: { user_name: 'reporting', create_access_key: false } });
    const hcl = new TerraformStack(app, 'hcl-module');
    new TerraformHclModule(hcl, 'legacy', { source: path.join(root, 'hcl-user'), variables: { user_name: 'legacy' } });
    // the same module again: its files are parsed once and read with this call's variables
    new TerraformHclModule(hcl, 'archive', { source: path.join(root, 'hcl-user'), variables: { user_name: 'archive' } });
    new TerraformHclModule(hcl, 'iam', { source: 'terraform-aws-modules/iam/aws//modules/iam-user', variables: { name: 'ci' } });
    const broken = new TerraformStack(app, 'broken-module');
    new TerraformHclModule(broken, 'broken', { source: path.join(root, 'broken') });
  });
});

describe('cdktf aspect: module calls', () => {
  test('a Terraform JSON module is followed: the key the call switches on is KL-AWS-01 at its module address, naming the bound user', () => {
    // Findings inside a module carry the module's file (the harness's `where`), not the stack's.
    const inModule = tf.hits.filter((h) => h.where === path.join(root, 'iam-user', 'main.tf.json'));
    expect(inModule.map((h) => [h.ruleId, h.resource, /for user module\.etl\.aws_iam_user\.this:/.test(h.message)])).toEqual([
      ['KL-AWS-01', 'module.etl.aws_iam_access_key.this[0]', true],
    ]);
    expect(anyInCase(tf, 'json-module')).toEqual([]);
  });

  test('a module in HCL is parsed and followed (all its .tf files as one module): its access key is KL-AWS-01 at its module address, once per call', () => {
    const inModule = tf.hits.filter((h) => h.where === path.join(root, 'hcl-user', 'main.tf'));
    expect(inModule.map((h) => [h.ruleId, h.resource, h.severity]).sort()).toEqual([
      ['KL-AWS-01', 'module.archive.aws_iam_access_key.this', 'error'],
      ['KL-AWS-01', 'module.legacy.aws_iam_access_key.this', 'error'],
    ]);
    expect((tf.notes ?? []).filter((n) => n.includes('module.legacy') || n.includes('module.archive'))).toEqual([]);
  });

  test('a registry module is not read by the aspect: a note names it, nothing passes silently', () => {
    expect(tf.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/module\.iam: module source "terraform-aws-modules\/iam\/aws\/\/modules\/iam-user" is not a local path \(\.\/ or \.\.\/\) and downloaded modules are not read by the cdktf aspect/),
    ]));
  });

  test('malformed HCL in a module fails the stack\'s check, naming the file and the line (fail closed)', () => {
    expect(tf.errors['broken-module']).toMatch(new RegExp(`could not check the synthesized Terraform of stack broken-module: ${path.join(root, 'broken', 'main.tf').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: malformed HCL: line 2, column`));
  });
});
