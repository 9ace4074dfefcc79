/**
 * Credentials and trusts an organization rolls out with `AWS::CloudFormation::StackSet`: the template a StackSet
 * deploys is checked like any template. Routes: a CDK app through the validation plugin (L1 `CfnStackSet` with a JSON
 * template body, the body set by an escape hatch, a StackSet in a nested Stage; cdk-stacksets' `StackSetStack`, whose
 * template is a file asset the StackSet names by `TemplateURL`, in a stack and in a nested Stage), `keyless check`
 * over that app's cdk.out, and `keyless check` over a hand-written YAML template (the body a YAML block).
 */
import { Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { AccessKey, Role, User, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Capability, DeploymentType, StackSet, StackSetStack, StackSetTarget, StackSetTemplate } from 'cdk-stacksets';
import { Construct } from 'constructs';
import { at, cdkRoutes, checkRoutes, hclRoutes, inCase, RouteResult, stageStack, GITHUB } from './harness';

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

/**
 * cdk-stacksets' paved road: a `StackSetStack` built from L2 constructs (an IAM user with an access key, and a GitHub
 * deploy role trusting any repository of the provider) and the `StackSet` that deploys it to an OU.
 */
function baselineStackSet(parent: Stack): void {
  const baseline = new StackSetStack(parent, 'Baseline');
  new AccessKey(baseline, 'CiKey', { user: new User(baseline, 'CiUser', { userName: 'org-ci' }) });
  new Role(baseline, 'DeployRole', {
    roleName: 'github-deploy',
    assumedBy: new WebIdentityPrincipal(`arn:aws:iam::${parent.account}:oidc-provider/${GITHUB}`, { StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' } }),
  });
  new StackSet(parent as Construct, 'BaselineSet', {
    target: StackSetTarget.fromOrganizationalUnits({ regions: ['eu-west-1'], organizationalUnits: ['ou-abcd-12345678'] }),
    template: StackSetTemplate.fromStackSetStack(baseline),
    deploymentType: DeploymentType.serviceManaged(),
    capabilities: [Capability.NAMED_IAM],
  });
}

let cdk: RouteResult;
let cli: Awaited<ReturnType<typeof hclRoutes>>;
let assemblyCheck: Awaited<ReturnType<typeof checkRoutes>>;

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
    const prod = stageStack(app, 'Prod');
    new CfnStackSet(prod, 'CiUsers', { stackSetName: 'prod-ci-users', permissionModel: 'SELF_MANAGED', templateBody: JSON.stringify(CI_USERS) });
    // cdk-stacksets: the StackSet's template is a file asset (TemplateURL), in a stack and in a nested Stage's stack
    baselineStackSet(stack);
    baselineStackSet(prod);
  });
  assemblyCheck = await checkRoutes(cdk.assembly!, ['.']);
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

test('cdk-stacksets StackSetStack (TemplateURL of a file asset), plugin: the access key and the open OIDC trust it deploys are found at their construct paths', () => {
  expect(at(cdk, 'KL-AWS-01', 'Org/Baseline').map((h) => [h.constructPath, h.severity, h.where])).toEqual([
    ['Org/Baseline/CiKey/Resource', 'error', expect.stringMatching(/^OrgBaseline[0-9A-F]{8}\.stackset\.template\.json$/)],
  ]);
  expect(at(cdk, 'KL-TR-02', 'Org/Baseline').map((h) => [h.constructPath, h.severity])).toEqual([['Org/Baseline/DeployRole/Resource', 'error']]);
  expect(at(cdk, 'KL-AWS-01', 'ProdStage/S/Baseline').map((h) => [h.constructPath, h.where])).toEqual([
    ['ProdStage/S/Baseline/CiKey/Resource', expect.stringMatching(/^assembly-ProdStage\/ProdStageSBaseline[0-9A-F]{8}\.stackset\.template\.json$/)],
  ]);
  expect(cdk.notes ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/TemplateURL/)]));
});

test('cdk-stacksets, keyless check over the same cdk.out: the same findings, in the StackSet template files', () => {
  // the StackSet templates' resources at their logical ids, in the stack's directory and the Stage's
  const hits = (ruleId: string, id: string) => assemblyCheck.hits.filter((h) => h.ruleId === ruleId && h.resource.startsWith(id)).map((h) => [h.where, h.severity]).sort();
  expect(hits('KL-AWS-01', 'CiKey')).toEqual([['.', 'error'], ['assembly-ProdStage', 'error']]);
  expect(hits('KL-TR-02', 'DeployRole')).toEqual([['.', 'error'], ['assembly-ProdStage', 'error']]);
  expect(assemblyCheck.code).toBe(1);
  expect(assemblyCheck.notes).not.toEqual(expect.arrayContaining([expect.stringMatching(/TemplateURL/)]));
});
