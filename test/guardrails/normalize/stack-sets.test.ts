/**
 * `AWS::CloudFormation::StackSet` templates as `loadPath` reads them: a `TemplateBody` (JSON or YAML text) is a set
 * of its own after the outer template's, its resources at their own logical ids with construct path
 * `<StackSet>/TemplateBody/<id>`; what cannot be read is a note on the outer set. Shapes follow the organization
 * rollouts AWS's StackSet samples show (a role or a user in every account of an OU).
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
