/**
 * One `loadPath` parses each HCL file once: a module called from several roots, called several times or also read as
 * a root of its own (the terraform-aws-modules layout: `examples/*` calling `../..`, `modules/*` called by the root
 * module) is parsed by hcl2json once, and each call still reads it with its own arguments.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPath } from '../../../lib/guardrails/normalize/load';
import type { NormalizedSet } from '../../../lib/guardrails/normalize/set';

jest.mock('@cdktf/hcl2json', () => {
  const actual = jest.requireActual('@cdktf/hcl2json');
  return { __esModule: true, ...actual, parse: jest.fn((name: string, text: string) => actual.parse(name, text)) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parse = (require('@cdktf/hcl2json') as { parse: jest.Mock }).parse;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-parsed-once-'));
  parse.mockClear();
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const MACHINE_USER = [
  'variable "user_name" {}',
  'variable "create_access_key" {',
  '  default = true',
  '}',
  'resource "aws_iam_user" "this" {',
  '  name = var.user_name',
  '}',
  'resource "aws_iam_access_key" "this" {',
  '  count = var.create_access_key ? 1 : 0',
  '  user  = aws_iam_user.this.name',
  '}',
  '',
].join('\n');

/** How many times hcl2json was given exactly this text. */
const parsesOf = (text: string) => parse.mock.calls.filter(([, source]) => source === text).length;
const byFile = (sets: NormalizedSet[]) => new Map(sets.map((s) => [path.relative(tmp, s.file), s.resources.map((r) => r.address).sort()]));

describe('each HCL file is parsed once per loadPath', () => {
  test('a module called twice from each of two roots, and read as a root itself, is parsed once; every call reads its own arguments', async () => {
    write('modules/machine-user/main.tf', MACHINE_USER);
    const caller = (root: string) => [
      `module "${root}_loader" {`,
      '  source    = "../modules/machine-user"',
      `  user_name = "${root}-loader"`,
      '}',
      `module "${root}_reader" {`,
      '  source            = "../modules/machine-user"',
      `  user_name         = "${root}-reader"`,
      '  create_access_key = false',
      '}',
      '',
    ].join('\n');
    write('etl/main.tf', caller('etl'));
    write('reporting/main.tf', caller('reporting'));

    const sets = await loadPath(tmp);

    expect(parsesOf(MACHINE_USER)).toBe(1);
    expect(parse).toHaveBeenCalledTimes(3); // the module and the two roots
    expect(byFile(sets)).toEqual(new Map([
      ['etl/main.tf', ['module.etl_loader.aws_iam_access_key.this[0]', 'module.etl_loader.aws_iam_user.this', 'module.etl_reader.aws_iam_user.this']],
      ['modules/machine-user/main.tf', ['aws_iam_access_key.this', 'aws_iam_user.this']],
      ['reporting/main.tf', ['module.reporting_loader.aws_iam_access_key.this[0]', 'module.reporting_loader.aws_iam_user.this', 'module.reporting_reader.aws_iam_user.this']],
    ]));
    const reporting = sets.find((s) => s.file.endsWith(path.join('reporting', 'main.tf')))!;
    expect(reporting.resources.find((r) => r.address === 'module.reporting_reader.aws_iam_user.this')?.properties).toEqual({ name: 'reporting-reader' });
  });

  test('two files of the same text are parsed once; each resource keeps its own file', async () => {
    const topic = 'resource "aws_sns_topic" "alerts" {\n  name = "keyless-alerts"\n}\n';
    write('etl/alerts.tf', topic);
    write('reporting/alerts.tf', topic);

    const sets = await loadPath(tmp);

    expect(parsesOf(topic)).toBe(1);
    expect(sets.map((s) => s.resources.map((r) => [r.address, path.relative(tmp, r.file), r.properties]))).toEqual([
      [['aws_sns_topic.alerts', path.join('etl', 'alerts.tf'), { name: 'keyless-alerts' }]],
      [['aws_sns_topic.alerts', path.join('reporting', 'alerts.tf'), { name: 'keyless-alerts' }]],
    ]);
  });

  test('the next loadPath reads the file again: an edit between two checks is seen', async () => {
    write('modules/machine-user/main.tf', MACHINE_USER);
    write('main.tf', 'module "etl" {\n  source    = "./modules/machine-user"\n  user_name = "etl"\n}\n');
    const before = await loadPath(tmp);
    expect(before[0].resources.map((r) => r.address).sort()).toEqual(['module.etl.aws_iam_access_key.this[0]', 'module.etl.aws_iam_user.this']);

    const withoutKey = MACHINE_USER.replace('default = true', 'default = false');
    write('modules/machine-user/main.tf', withoutKey);
    const after = await loadPath(tmp);

    expect(parsesOf(withoutKey)).toBe(1);
    expect(after[0].resources.map((r) => r.address)).toEqual(['module.etl.aws_iam_user.this']);
  });
});
