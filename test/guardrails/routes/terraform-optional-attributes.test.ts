/**
 * Typed module variables, in the shape of terraform-aws-modules' eks module: the root passes a map of node groups that
 * leave most attributes out (`default = {}`); the cluster module types it `map(object({ create = optional(bool), ...
 * }))` and calls its node-group module once per group with `create = each.value.create`; the node-group module's
 * `create` is `nullable = false` with default true, so a group that says nothing is created. Terraform converts the
 * map to the type before the module reads it (absent optional attributes become null, or their declared default),
 * and a null argument to a `nullable = false` variable is its default. Before these were read, every group's
 * switches were not known: each group's resources were checked once, unkeyed, with a note, and a group that turns
 * its access key on through an optional default (`access = optional(object({...}), {...})`) was judged only as that
 * unkeyed resource. Routes: `keyless check` over HCL, and the cdktf aspect over a `TerraformHclModule` call.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformHclModule, TerraformStack } from 'cdktf';
import { cdktfRoutes, hclRoutes } from './harness';

const CLUSTER = [
  'variable "create" {',
  '  type     = bool',
  '  default  = true',
  '  nullable = false',
  '}',
  '',
  'variable "node_groups" {',
  '  description = "Map of node group definitions to create"',
  '  type = map(object({',
  '    create = optional(bool) # the node group module decides',
  '    name   = optional(string)',
  '    /* machine access for the bootstrap scripts */',
  '    access = optional(object({',
  '      create_access_key = optional(bool, false)',
  '      user_path         = optional(string, "/nodes/")',
  '    }), { create_access_key = true })',
  '  }))',
  '  default = null',
  '}',
  '',
  'module "node_group" {',
  '  source   = "./modules/node-group"',
  '  for_each = var.create && var.node_groups != null ? var.node_groups : {}',
  '',
  '  create            = each.value.create',
  '  name              = coalesce(each.value.name, each.key)',
  '  create_access_key = each.value.access.create_access_key',
  '  user_path         = lookup(each.value.access, "user_path", "/")',
  '}',
  '',
].join('\n');

const NODE_GROUP = [
  'variable "create" {',
  '  type     = bool',
  '  default  = true',
  '  nullable = false',
  '}',
  'variable "name" {',
  '  type = string',
  '}',
  'variable "create_access_key" {',
  '  type     = bool',
  '  default  = false',
  '  nullable = false',
  '}',
  'variable "user_path" {',
  '  type    = string',
  '  default = "/"',
  '}',
  '',
  'resource "aws_iam_user" "bootstrap" {',
  '  count = var.create ? 1 : 0',
  '  name  = "${var.name}-bootstrap"',
  '  path  = var.user_path',
  '}',
  '',
  'resource "aws_iam_access_key" "bootstrap" {',
  '  count = var.create && var.create_access_key ? 1 : 0',
  '  user  = aws_iam_user.bootstrap[0].name',
  '}',
  '',
].join('\n');

const ROOT = [
  'module "cluster" {',
  '  source = "./modules/cluster"',
  '  node_groups = {',
  '    default = {}',
  '    spot    = { create = false }',
  '    batch   = { name = "batch-workers", access = { create_access_key = false } }',
  '    legacy  = { access = null }',
  '  }',
  '}',
  '',
].join('\n');

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({
    'infra/main.tf': ROOT,
    'infra/modules/cluster/main.tf': CLUSTER,
    'infra/modules/cluster/modules/node-group/main.tf': NODE_GROUP,
  });
});

const inCluster = () => cli.hits.filter((h) => h.resource.startsWith('module.cluster.'));

test('a group that leaves access out gets the optional default (an access key): KL-AWS-01 at its own instance', () => {
  expect(inCluster().map((h) => [h.ruleId, h.resource]).sort()).toEqual([
    ['KL-AWS-01', 'module.cluster.module.node_group["default"].aws_iam_access_key.bootstrap[0]'],
    // access = null is the default too (Terraform 1.3+: an optional attribute set to null takes its default)
    ['KL-AWS-01', 'module.cluster.module.node_group["legacy"].aws_iam_access_key.bootstrap[0]'],
  ]);
  expect(cli.code).toBe(1);
});

test('every group of the map is read with its own attributes: no note about any of them', () => {
  expect((cli.notes ?? []).filter((n) => n.includes('module.cluster.'))).toEqual([]);
});

test('the cdktf aspect reads the same call the same way (a TerraformHclModule passing the map)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-optional-attributes-'));
  try {
    fs.mkdirSync(path.join(root, 'cluster', 'modules', 'node-group'), { recursive: true });
    fs.writeFileSync(path.join(root, 'cluster', 'main.tf'), CLUSTER);
    fs.writeFileSync(path.join(root, 'cluster', 'modules', 'node-group', 'main.tf'), NODE_GROUP);
    const tf = cdktfRoutes((app) => {
      const stack = new TerraformStack(app, 'platform');
      new TerraformHclModule(stack, 'cluster', {
        source: path.join(root, 'cluster'),
        variables: { node_groups: { default: {}, spot: { create: false }, batch: { access: { create_access_key: false } } } },
      });
    });
    expect(tf.hits.map((h) => [h.ruleId, h.resource])).toEqual([
      ['KL-AWS-01', 'module.cluster.module.node_group["default"].aws_iam_access_key.bootstrap[0]'],
    ]);
    expect((tf.notes ?? []).filter((n) => n.includes('module.cluster.'))).toEqual([]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
