/**
 * The CloudFormation templates a set deploys, as `loadPath` reads them. An `AWS::CloudFormation::StackSet`'s
 * `TemplateBody` (JSON or YAML text) is a set of its own after the outer template's, its resources at their own
 * logical ids with construct path `<StackSet>/TemplateBody/<id>`; a `TemplateURL` naming a file asset of the assembly
 * is read from the asset; a Terraform stack set or stack's `template_body` is a set at `<address>/template_body/<id>`;
 * what cannot be read is a note on the outer set. Shapes follow the organization rollouts AWS's StackSet samples
 * show (a role or a user in every account of an OU).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPath } from '../../../lib/guardrails/normalize/load';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-stacksets-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const INNER_JSON = JSON.stringify({
  Resources: {
    CiUser: { Type: 'AWS::IAM::User', Properties: { UserName: 'org-ci' } },
    CiUserKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'CiUser' } } },
  },
});

const INNER_YAML = [
  'Resources:',
  '  AuditRole:',
  '    Type: AWS::IAM::Role',
  '    Properties:',
  '      RoleName: org-audit',
  '      AssumeRolePolicyDocument:',
  '        Statement:',
  '          - Effect: Allow',
  '            Principal: {AWS: !Sub "arn:aws:iam::${AuditAccount}:root"}',
  '            Action: sts:AssumeRole',
  'Parameters:',
  '  AuditAccount: {Type: String}',
  '',
].join('\n');

function write(name: string, template: object): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(template, null, 1));
  return file;
}

const stackSet = (properties: object) => ({ Type: 'AWS::CloudFormation::StackSet', Properties: { StackSetName: 'org', PermissionModel: 'SERVICE_MANAGED', ...properties } });

test('a JSON and a YAML TemplateBody are sets of their own, in the same file, after the outer one', async () => {
  const file = write('org.template.json', {
    Resources: {
      CiUsers: stackSet({ TemplateBody: INNER_JSON, StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-abcd-12345678'] }, Regions: ['eu-west-1'] }] }),
      AuditRoles: { ...stackSet({ TemplateBody: INNER_YAML }), Metadata: { 'aws:cdk:path': 'Org/AuditRoles' } },
      Queue: { Type: 'AWS::SQS::Queue' },
    },
  });
  const sets = await loadPath(file);
  expect(sets.map((s) => [s.file, s.resources.map((r) => [r.address, r.type, r.constructPath])])).toEqual([
    [file, [['CiUsers', 'AWS::CloudFormation::StackSet', undefined], ['AuditRoles', 'AWS::CloudFormation::StackSet', 'Org/AuditRoles'], ['Queue', 'AWS::SQS::Queue', undefined]]],
    [file, [['CiUser', 'AWS::IAM::User', 'CiUsers/TemplateBody/CiUser'], ['CiUserKey', 'AWS::IAM::AccessKey', 'CiUsers/TemplateBody/CiUserKey']]],
    [file, [['AuditRole', 'AWS::IAM::Role', 'Org/AuditRoles/TemplateBody/AuditRole']]],
  ]);
  // references inside a StackSet template are to its own resources; its parameters are its own
  expect(sets[1].resources[1].properties).toEqual({ UserName: { Ref: 'CiUser' } });
  expect(sets[2].parameters).toEqual({ AuditAccount: { Type: 'String' } });
  expect(sets.map((s) => s.notes)).toEqual([undefined, undefined, undefined]);
});

test('a TemplateURL, an intrinsic TemplateBody and a TemplateBody that is no template are notes on the outer set', async () => {
  const file = write('org.template.json', {
    Resources: {
      FromS3: stackSet({ TemplateURL: 'https://s3.amazonaws.com/org-templates/baseline.yaml' }),
      Substituted: stackSet({ TemplateBody: { 'Fn::Sub': INNER_JSON } }),
      Broken: stackSet({ TemplateBody: '{"Resources": ' }),
      NotATemplate: stackSet({ TemplateBody: '["a list"]' }),
    },
  });
  const sets = await loadPath(file);
  expect(sets).toHaveLength(1);
  expect(sets[0].notes).toEqual([
    `${file}: FromS3 (AWS::CloudFormation::StackSet) deploys the template at TemplateURL https://s3.amazonaws.com/org-templates/baseline.yaml, which is not read: its resources are not checked`,
    `${file}: Substituted (AWS::CloudFormation::StackSet): its TemplateBody is not a literal string (Fn::Sub): the template it deploys is not checked`,
    expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Broken \\(AWS::CloudFormation::StackSet\\): its TemplateBody is not a template \\(.+\\): the template it deploys is not checked$`)),
    `${file}: NotATemplate (AWS::CloudFormation::StackSet): its TemplateBody is not a template (not a CloudFormation template: expected a JSON/YAML object, got an array): the template it deploys is not checked`,
  ]);
});

test('a StackSet template holding a StackSet: both templates are read, construct paths nested', async () => {
  const innermost = JSON.stringify({ Resources: { Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'legacy' } } } });
  const middle = JSON.stringify({ Resources: { Again: stackSet({ TemplateBody: innermost }) } });
  const sets = await loadPath(write('org.template.json', { Resources: { Outer: stackSet({ TemplateBody: middle }) } }));
  expect(sets.map((s) => s.resources.map((r) => r.constructPath ?? r.address))).toEqual([['Outer'], ['Outer/TemplateBody/Again'], ['Outer/TemplateBody/Again/TemplateBody/Key']]);
});

/**
 * A TemplateURL naming a file asset of the cloud assembly, as the CDK's synthesizers write it (cdk-stacksets'
 * `StackSetStack` lists its `<id>.stackset.template.json` in the stack's `*.assets.json`).
 */
describe('a TemplateURL naming a file asset of the assembly', () => {
  const HASH = 'a1'.repeat(32);
  const assetManifest = (files: object) => ({ version: '55.0.0', files, dockerImages: {} });
  const fileAsset = (source: string, objectKey = `${HASH}.json`) => ({
    source: { path: source, packaging: 'file' },
    destinations: { 'current_account-current_region': { bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', objectKey } },
  });
  const SUB_URL = { 'Fn::Sub': `https://s3.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${HASH}.json` };

  test('Fn::Sub, Fn::Join and string URLs: the asset is a set in its own file; metadata construct paths are kept, else <StackSet>/TemplateURL/<id>', async () => {
    fs.writeFileSync(path.join(tmp, 'Org.assets.json'), JSON.stringify(assetManifest({ [HASH]: fileAsset('OrgBaseline.stackset.template.json') })));
    const inner = write('OrgBaseline.stackset.template.json', {
      Resources: {
        CiUser: { Type: 'AWS::IAM::User', Metadata: { 'aws:cdk:path': 'Org/Baseline/CiUser/Resource' } },
        CiUserKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'CiUser' } } },
      },
    });
    const file = write('Org.template.json', {
      Resources: {
        BySub: { ...stackSet({ TemplateURL: SUB_URL }), Metadata: { 'aws:cdk:path': 'Org/BaselineSet/Resource' } },
        ByJoin: stackSet({ TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'AssetBucket' }, `/${HASH}.json`]] } }),
        BySlashJoin: stackSet({ TemplateURL: { 'Fn::Join': ['/', [{ 'Fn::Sub': 'https://s3.${AWS::Region}.amazonaws.com' }, 'org-assets', `${HASH}.json`]] } }),
        ByString: stackSet({ TemplateURL: `https://s3.eu-west-1.amazonaws.com/org-assets/${HASH}.json` }),
      },
    });
    const sets = await loadPath(file);
    expect(sets.map((s) => [s.file, s.account, s.resources.map((r) => r.constructPath)])).toEqual([
      [file, undefined, ['Org/BaselineSet/Resource', undefined, undefined, undefined]],
      [inner, undefined, ['Org/Baseline/CiUser/Resource', 'Org/BaselineSet/Resource/TemplateURL/CiUserKey']],
      [inner, undefined, ['Org/Baseline/CiUser/Resource', 'ByJoin/TemplateURL/CiUserKey']],
      [inner, undefined, ['Org/Baseline/CiUser/Resource', 'BySlashJoin/TemplateURL/CiUserKey']],
      [inner, undefined, ['Org/Baseline/CiUser/Resource', 'ByString/TemplateURL/CiUserKey']],
    ]);
    expect(sets[0].notes).toBeUndefined();
  });

  test('what names no asset, a missing asset, an asset that is no template and an asset manifest that is not JSON are notes', async () => {
    fs.writeFileSync(path.join(tmp, 'Org.assets.json'), JSON.stringify(assetManifest({
      [HASH]: fileAsset('Gone.stackset.template.json'),
      other: fileAsset('Broken.stackset.template.json', 'b2.json'),
      zipped: { source: { path: 'asset.c3', packaging: 'zip' }, destinations: { d: { objectKey: 'c3.zip' } } },
    })));
    fs.writeFileSync(path.join(tmp, 'Broken.stackset.template.json'), '["not", "a", "template"]');
    fs.writeFileSync(path.join(tmp, 'Bad.assets.json'), '{"files": ');
    const file = write('Org.template.json', {
      Resources: {
        Missing: stackSet({ TemplateURL: SUB_URL }),
        Broken: stackSet({ TemplateURL: 'https://s3.amazonaws.com/org-assets/b2.json' }),
        // a literal tail that a parameter could extend is no object key: `${Prefix}b2.json`
        Prefixed: stackSet({ TemplateURL: { 'Fn::Join': ['', [{ Ref: 'Prefix' }, 'b2.json']] } }),
        Zipped: stackSet({ TemplateURL: 'https://s3.amazonaws.com/org-assets/c3.zip' }),
      },
    });
    const sets = await loadPath(file);
    expect(sets).toHaveLength(1);
    expect(sets[0].notes).toEqual([
      expect.stringMatching(new RegExp(`^${path.join(tmp, 'Bad.assets.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not an asset manifest \\(.+\\): a StackSet TemplateURL it may list is not read$`)),
      `${file}: Missing (AWS::CloudFormation::StackSet) deploys the asset ${path.join(tmp, 'Gone.stackset.template.json')} (listed in ${path.join(tmp, 'Org.assets.json')}), which is missing: the template it deploys is not checked`,
      `${file}: Broken (AWS::CloudFormation::StackSet): the template ${path.join(tmp, 'Broken.stackset.template.json')} is not a template (not a CloudFormation template: expected a JSON/YAML object, got an array): the template it deploys is not checked`,
      `${file}: Prefixed (AWS::CloudFormation::StackSet) deploys the template at TemplateURL, which is not read: its resources are not checked`,
      `${file}: Zipped (AWS::CloudFormation::StackSet) deploys the template at TemplateURL https://s3.amazonaws.com/org-assets/c3.zip, which is not read: its resources are not checked`,
    ]);
  });

  test('an asset template whose StackSet deploys that same template is read once', async () => {
    fs.writeFileSync(path.join(tmp, 'Org.assets.json'), JSON.stringify(assetManifest({ [HASH]: fileAsset('Loop.stackset.template.json') })));
    const inner = write('Loop.stackset.template.json', { Resources: { Again: stackSet({ TemplateURL: SUB_URL }), Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'legacy' } } } });
    const file = write('Org.template.json', { Resources: { Outer: stackSet({ TemplateURL: SUB_URL }) } });
    const sets = await loadPath(file);
    expect(sets.map((s) => [s.file, s.resources.map((r) => r.address)])).toEqual([[file, ['Outer']], [inner, ['Again', 'Key']]]);
  });
});

/**
 * The `template_body` of a Terraform `aws_cloudformation_stack_set` / `aws_cloudformation_stack`, as the shapes
 * terraform-aws-modules' and the provider's examples write it: `jsonencode({...})` with `$${...}` escapes for
 * CloudFormation's own substitutions, a heredoc, Terraform JSON (cdktf), a plan's values.
 */
describe('a Terraform stack set or stack\'s template_body', () => {
  const hclFile = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };

  test('HCL jsonencode and heredoc: sets of their own in the .tf file, at <address>/template_body/<id>; $${ is read as ${', async () => {
    const file = hclFile('main.tf', [
      'resource "aws_cloudformation_stack_set" "audit" {',
      '  name             = "audit"',
      '  permission_model = "SERVICE_MANAGED"',
      '  template_body = jsonencode({',
      '    Resources = {',
      '      AuditRole = {',
      '        Type = "AWS::IAM::Role"',
      '        Properties = {',
      '          RoleName = "org-audit-${var.env}"',
      '          AssumeRolePolicyDocument = { Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = { "Fn::Sub" = "arn:aws:iam::$${AuditAccount}:root" } } }] }',
      '        }',
      '      }',
      '    }',
      '  })',
      '}',
      '',
      'resource "aws_cloudformation_stack" "ci" {',
      '  name          = "ci"',
      '  template_body = <<-YAML',
      '    Resources:',
      '      CiUser:',
      '        Type: AWS::IAM::User',
      '      CiUserKey:',
      '        Type: AWS::IAM::AccessKey',
      '        Properties:',
      '          UserName: !Ref CiUser',
      '  YAML',
      '}',
      '',
    ].join('\n'));
    const sets = await loadPath(file);
    expect(sets.map((s) => [s.file, s.engine, s.account, s.resources.map((r) => [r.address, r.constructPath])])).toEqual([
      [file, 'terraform', undefined, [['aws_cloudformation_stack.ci', undefined], ['aws_cloudformation_stack_set.audit', undefined]]],
      [file, 'cloudformation', undefined, [['CiUser', 'aws_cloudformation_stack.ci/template_body/CiUser'], ['CiUserKey', 'aws_cloudformation_stack.ci/template_body/CiUserKey']]],
      [file, 'cloudformation', undefined, [['AuditRole', 'aws_cloudformation_stack_set.audit/template_body/AuditRole']]],
    ]);
    expect(sets[1].resources[1].properties).toEqual({ UserName: { Ref: 'CiUser' } });
    // CloudFormation's substitution as deployed; Terraform's own interpolation stays an interpolation
    expect(sets[2].resources[0].properties).toEqual({
      RoleName: 'org-audit-${var.env}',
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AuditAccount}:root' } } }] },
    });
    expect(sets.map((s) => s.notes)).toEqual([undefined, undefined, undefined]);
  });

  test('Terraform JSON (cdktf): the construct path of the deploying resource is the prefix', async () => {
    const file = hclFile('cdk.tf.json', JSON.stringify({
      resource: {
        aws_cloudformation_stack_set: {
          Baseline_1A2B3C4D: {
            '//': { metadata: { path: 'org/Baseline', uniqueId: 'Baseline_1A2B3C4D' } },
            name: 'baseline', permission_model: 'SERVICE_MANAGED', template_body: INNER_JSON,
          },
        },
      },
    }));
    const sets = await loadPath(file);
    expect(sets.map((s) => s.resources.map((r) => r.constructPath))).toEqual([
      ['org/Baseline'], ['org/Baseline/template_body/CiUser', 'org/Baseline/template_body/CiUserKey'],
    ]);
  });

  test('a plan\'s values (terraform show -json): the planned template_body is read', async () => {
    const file = hclFile('state.json', JSON.stringify({
      format_version: '1.0', terraform_version: '1.9.5',
      values: { root_module: { resources: [{
        address: 'aws_cloudformation_stack_set.baseline', mode: 'managed', type: 'aws_cloudformation_stack_set', name: 'baseline',
        provider_name: 'registry.terraform.io/hashicorp/aws', values: { name: 'baseline', permission_model: 'SERVICE_MANAGED', template_body: INNER_JSON },
      }] } },
    }));
    const sets = await loadPath(file);
    expect(sets.map((s) => [s.engine, s.resources.map((r) => r.address)])).toEqual([
      ['terraform', ['aws_cloudformation_stack_set.baseline']], ['cloudformation', ['CiUser', 'CiUserKey']],
    ]);
  });

  test('a template_url, a body known only at apply, a body that is no template: notes; a stack with neither is left to the provider', async () => {
    const file = hclFile('main.tf', [
      'resource "aws_cloudformation_stack_set" "s3" {',
      '  name         = "s3"',
      '  template_url = "https://s3.amazonaws.com/org-templates/baseline.yaml"',
      '}',
      'resource "aws_cloudformation_stack" "rendered" {',
      '  name          = "rendered"',
      '  template_body = jsonencode(var.template)',
      '}',
      'resource "aws_cloudformation_stack" "list" {',
      '  name          = "list"',
      '  template_body = jsonencode(["not", "a", "template"])',
      '}',
      'resource "aws_cloudformation_stack" "neither" {',
      '  name = "neither"',
      '}',
      '',
    ].join('\n'));
    const sets = await loadPath(file);
    expect(sets).toHaveLength(1);
    expect(sets[0].notes).toEqual([
      `${file}: aws_cloudformation_stack.list: its template_body is not a template (not a CloudFormation template: expected a JSON/YAML object, got an array): the template it deploys is not checked`,
      `${file}: aws_cloudformation_stack.rendered: its template_body \${jsonencode(var.template)} is not statically known: the template it deploys is not checked`,
      `${file}: aws_cloudformation_stack_set.s3 deploys the template at template_url https://s3.amazonaws.com/org-templates/baseline.yaml, which is not read: its resources are not checked`,
    ]);
  });
});
