/**
 * Credentials and trusts an organization rolls out with `AWS::CloudFormation::StackSet`: the StackSet's
 * `TemplateBody` is checked like any template. Routes: a CDK app through the validation plugin (L1 `CfnStackSet`
 * with a JSON template body, the body set by an escape hatch, a StackSet in a nested Stage) and `keyless check` over
 * a hand-written YAML template (the body a YAML block).
 */
import { Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { at, cdkRoutes, hclRoutes, inCase, RouteResult, stageStack } from './harness';

/** An IAM user with an access key in every target account: the fallback path a StackSet multiplies. */
const CI_USERS = {
  Resources: {
    CiUser: { Type: 'AWS::IAM::User', Properties: { UserName: 'org-ci' } },
    CiUserKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'CiUser' } } },
  },
};

/** A GitHub OIDC role in every account, trusting any repository (no subject condition). */
const OIDC_ROLES_YAML = [
  '        Resources:',
  '          DeployRole:',
  '            Type: AWS::IAM::Role',
  '            Properties:',
  '              RoleName: github-deploy',
  '              AssumeRolePolicyDocument:',
  '                Statement:',
  '                  - Effect: Allow',
  '                    Principal: {Federated: !Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"}',
  '                    Action: sts:AssumeRoleWithWebIdentity',
  '                    Condition:',
  '                      StringEquals: {"token.actions.githubusercontent.com:aud": sts.amazonaws.com}',
].join('\n');

let cdk: RouteResult;
let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cdk = cdkRoutes((app) => {
    const stack = new Stack(app, 'Org');
    new CfnStackSet(stack, 'CiUsers', {
      stackSetName: 'org-ci-users',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: ['ou-abcd-12345678'] }, regions: ['eu-west-1'] }],
      templateBody: JSON.stringify(CI_USERS),
    });
    // escape hatch: the body written over a harmless one
    const patched = new CfnStackSet(stack, 'Patched', { stackSetName: 'patched', permissionModel: 'SELF_MANAGED', templateBody: JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }) });
    patched.addPropertyOverride('TemplateBody', JSON.stringify(CI_USERS));
    // a nested Stage's stack
    new CfnStackSet(stageStack(app, 'Prod'), 'CiUsers', { stackSetName: 'prod-ci-users', permissionModel: 'SELF_MANAGED', templateBody: JSON.stringify(CI_USERS) });
  });
  cli = await hclRoutes({
    'org/baseline.yaml': [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  GithubRoles:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties:',
      '      StackSetName: github-deploy-roles',
      '      PermissionModel: SERVICE_MANAGED',
      '      StackInstancesGroup:',
      '        - DeploymentTargets: {OrganizationalUnitIds: [ou-abcd-12345678]}',
      '          Regions: [eu-west-1]',
      '      TemplateBody: |',
      OIDC_ROLES_YAML,
      '  FromS3:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties:',
      '      StackSetName: from-s3',
      '      PermissionModel: SERVICE_MANAGED',
      '      TemplateURL: https://s3.amazonaws.com/org-templates/baseline.yaml',
      '',
    ].join('\n'),
  });
});

test('CDK, L1 CfnStackSet: the access key its template deploys is KL-AWS-01 at <StackSet>/TemplateBody/<id>, naming the user', () => {
  const hits = at(cdk, 'KL-AWS-01', 'Org/CiUsers/TemplateBody');
  expect(hits.map((h) => [h.resource, h.constructPath, h.severity, /CiUser\b/.test(h.message)])).toEqual([['CiUserKey', 'Org/CiUsers/TemplateBody/CiUserKey', 'error', true]]);
  expect(cdk.errors.app).toMatch(/KL-AWS-01/);
});

test('CDK: a body set by an escape hatch and a StackSet in a nested Stage are read the same way', () => {
  expect(at(cdk, 'KL-AWS-01', 'Org/Patched/TemplateBody').map((h) => h.constructPath)).toEqual(['Org/Patched/TemplateBody/CiUserKey']);
  expect(at(cdk, 'KL-AWS-01', 'ProdStage/S/CiUsers/TemplateBody').map((h) => h.constructPath)).toEqual(['ProdStage/S/CiUsers/TemplateBody/CiUserKey']);
});

test('keyless check, a YAML template: the OIDC role its StackSet deploys trusts any repository (KL-TR-02); a TemplateURL is a note', () => {
  expect(inCase(cli, 'KL-TR-02', 'org').map((h) => [h.resource, h.severity])).toEqual([['DeployRole', 'error']]);
  expect(cli.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/org\/baseline\.yaml: FromS3 \(AWS::CloudFormation::StackSet\) deploys the template at TemplateURL https:\/\/s3\.amazonaws\.com\/org-templates\/baseline\.yaml, which is not read: its resources are not checked$/),
  ]));
});
