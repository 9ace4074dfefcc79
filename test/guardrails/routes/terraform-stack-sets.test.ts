/**
 * CloudFormation templates a Terraform configuration deploys: an `aws_cloudformation_stack_set` rolling IAM out to
 * every account of an OU, an `aws_cloudformation_stack` in the provider's account. The template in `template_body` is
 * checked like any template. Routes: cdktf with the provider's `CloudformationStackSet` / `CloudformationStack`
 * (the body from `Fn.jsonencode`, from `JSON.stringify`, set by an escape hatch), and `keyless check` over HCL (the
 * body written with `jsonencode` and a `$${AWS::AccountId}` escape, read with `file()` / `templatefile()`, passed
 * into a module through a variable); a `template_url` and a body known only at apply are notes.
 */
import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, TerraformStack, Testing } from 'cdktf';
import { KeylessTerraformGuardrails } from '../../../lib/guardrails';
import { at, cdktfRoutes, hclRoutes, inCase, RouteResult, GITHUB, GITHUB_PROVIDER_ARN } from './harness';

/** An IAM user with an access key in every target account. */
const CI_USERS = {
  Resources: {
    CiUser: { Type: 'AWS::IAM::User', Properties: { UserName: 'org-ci' } },
    CiUserKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'CiUser' } } },
  },
};

/** A GitHub deploy role trusting the provider with the audience pinned and `sub` as given (none: any repository). */
function deployRoles(sub?: string): object {
  const condition: Record<string, unknown> = { StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com', ...(sub ? { [`${GITHUB}:sub`]: sub } : {}) } };
  return {
    Resources: {
      DeployRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'github-deploy',
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Federated: GITHUB_PROVIDER_ARN }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
          },
        },
      },
    },
  };
}

let tf: RouteResult;
let hcl: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  tf = cdktfRoutes((app) => {
    new CloudformationStackSet(new TerraformStack(app, 'ss-jsonencode'), 'Baseline', {
      name: 'org-ci-users', permissionModel: 'SERVICE_MANAGED', autoDeployment: { enabled: true }, templateBody: Fn.jsonencode(CI_USERS),
    });
    new CloudformationStack(new TerraformStack(app, 'stack-json'), 'Roles', { name: 'github-deploy', templateBody: JSON.stringify(deployRoles()) });
    const hatch = new CloudformationStackSet(new TerraformStack(app, 'ss-hatch'), 'Baseline', {
      name: 'harmless', permissionModel: 'SELF_MANAGED', templateBody: JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }),
    });
    hatch.addOverride('template_body', JSON.stringify(CI_USERS));
    const clean = new TerraformStack(app, 'ss-clean');
    new AwsProvider(clean, 'aws', { region: 'eu-west-1' });
    new CloudformationStackSet(clean, 'Roles', {
      name: 'github-deploy', permissionModel: 'SERVICE_MANAGED', templateBody: JSON.stringify(deployRoles('repo:acme/deploy:environment:prod')),
    });
    new CloudformationStackSet(clean, 'FromS3', { name: 'from-s3', permissionModel: 'SERVICE_MANAGED', templateUrl: 'https://s3.amazonaws.com/org-templates/baseline.yaml' });
  });

  hcl = await hclRoutes({
    'org/main.tf': [
      'resource "aws_cloudformation_stack_set" "github_roles" {',
      '  name             = "github-deploy-roles"',
      '  permission_model = "SERVICE_MANAGED"',
      '  capabilities     = ["CAPABILITY_NAMED_IAM"]',
      '  auto_deployment {',
      '    enabled = true',
      '  }',
      '  template_body = jsonencode({',
      '    Resources = {',
      '      DeployRole = {',
      '        Type = "AWS::IAM::Role"',
      '        Properties = {',
      '          RoleName = "github-deploy"',
      '          AssumeRolePolicyDocument = {',
      '            Statement = [{',
      '              Effect    = "Allow"',
      '              Principal = { Federated = { "Fn::Sub" = "arn:aws:iam::$${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com" } }',
      '              Action    = "sts:AssumeRoleWithWebIdentity"',
      '              Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }',
      '            }]',
      '          }',
      '        }',
      '      }',
      '    }',
      '  })',
      '}',
      '',
      'resource "aws_cloudformation_stack" "ci_users" {',
      '  name          = "ci-users"',
      '  capabilities  = ["CAPABILITY_NAMED_IAM"]',
      '  template_body = templatefile("${path.module}/templates/ci-users.yaml.tftpl", { user_name = "org-ci" })',
      '}',
      '',
      'resource "aws_cloudformation_stack_set" "from_s3" {',
      '  name             = "from-s3"',
      '  permission_model = "SERVICE_MANAGED"',
      '  template_url     = "https://s3.amazonaws.com/org-templates/baseline.yaml"',
      '}',
      '',
      'resource "aws_cloudformation_stack" "rendered" {',
      '  name          = "rendered"',
      '  template_body = data.external.template.result.body',
      '}',
      '',
      'module "baseline" {',
      '  source        = "./modules/stack-set"',
      '  template_body = file("${path.module}/templates/ci-users-plain.yaml")',
      '}',
      '',
    ].join('\n'),
    'org/templates/ci-users.yaml.tftpl': [
      'Resources:',
      '  CiUser:',
      '    Type: AWS::IAM::User',
      '    Properties:',
      '      UserName: ${user_name}',
      '  CiUserKey:',
      '    Type: AWS::IAM::AccessKey',
      '    Properties:',
      '      UserName: !Ref CiUser',
      '',
    ].join('\n'),
    'org/templates/ci-users-plain.yaml': [
      'Resources:',
      '  ModuleUser:',
      '    Type: AWS::IAM::User',
      '  ModuleUserKey:',
      '    Type: AWS::IAM::AccessKey',
      '    Properties:',
      '      UserName: !Ref ModuleUser',
      '',
    ].join('\n'),
    'org/modules/stack-set/main.tf': [
      'variable "template_body" {',
      '  type = string',
      '}',
      '',
      'resource "aws_cloudformation_stack_set" "this" {',
      '  name             = "baseline"',
      '  permission_model = "SERVICE_MANAGED"',
      '  template_body    = var.template_body',
      '}',
      '',
    ].join('\n'),
  });
});

test('cdktf, the provider\'s CloudformationStackSet with Fn.jsonencode: the access key it deploys is KL-AWS-01 at <construct>/template_body/<id>, and fails the synth', () => {
  expect(at(tf, 'KL-AWS-01', 'ss-jsonencode').map((h) => [h.resource, h.constructPath, h.severity, /CiUser\b/.test(h.message)]))
    .toEqual([['CiUserKey', 'ss-jsonencode/Baseline/template_body/CiUserKey', 'error', true]]);
  expect(tf.errors['ss-jsonencode']).toMatch(/\[KL-AWS-01\] CiUserKey at ss-jsonencode\/Baseline\/template_body\/CiUserKey/);
});

test('cdktf: a CloudformationStack (JSON.stringify) deploying an open OIDC trust is KL-TR-02; a body set by an escape hatch is read', () => {
  expect(at(tf, 'KL-TR-02', 'stack-json').map((h) => [h.resource, h.constructPath])).toEqual([['DeployRole', 'stack-json/Roles/template_body/DeployRole']]);
  expect(at(tf, 'KL-AWS-01', 'ss-hatch').map((h) => h.constructPath)).toEqual(['ss-hatch/Baseline/template_body/CiUserKey']);
});

test('cdktf: a deployed trust pinned to one subject has no finding; a template_url is a note', () => {
  expect(tf.hits.filter((h) => h.where === 'ss-clean')).toEqual([]);
  expect(tf.errors['ss-clean']).toBeUndefined();
  expect(tf.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/aws_cloudformation_stack_set\.[A-Za-z0-9_]*FromS3[A-Za-z0-9_]* deploys the template at template_url https:\/\/s3\.amazonaws\.com\/org-templates\/baseline\.yaml, which is not read: its resources are not checked$/),
  ]));
});

test('keyless check, HCL jsonencode with a $${AWS::AccountId} escape: the OIDC role the stack set deploys trusts any repository (KL-TR-02)', () => {
  const hit = inCase(hcl, 'KL-TR-02', 'org');
  expect(hit.map((h) => [h.resource, h.severity])).toEqual([['DeployRole', 'error']]);
  expect(hcl.code).toBe(1);
});

test('keyless check, HCL: templatefile() and a module variable bound to file() deploy access keys (KL-AWS-01); a template_url and a body known at apply are notes', () => {
  expect(inCase(hcl, 'KL-AWS-01', 'org').map((h) => h.resource)).toEqual(['CiUserKey']);
  // the module's stack set, in the module's file; the module read on its own (its variable unbound) is a note
  expect(inCase(hcl, 'KL-AWS-01', 'org/modules/stack-set').map((h) => h.resource)).toEqual(['ModuleUserKey']);
  expect(hcl.notes).toEqual(expect.arrayContaining([
    expect.stringMatching(/org\/main\.tf: aws_cloudformation_stack_set\.from_s3 deploys the template at template_url https:\/\/s3\.amazonaws\.com\/org-templates\/baseline\.yaml, which is not read: its resources are not checked$/),
    expect.stringMatching(/org\/main\.tf: aws_cloudformation_stack\.rendered: its template_body \$\{data\.external\.template\.result\.body\} is not statically known: the template it deploys is not checked$/),
    expect.stringMatching(/org\/modules\/stack-set\/main\.tf: aws_cloudformation_stack_set\.this: its template_body \$\{var\.template_body\} is not statically known/),
  ]));
});

test('cdktf: a warning in a deployed template is printed at the construct that deploys it (no construct has the template\'s paths)', () => {
  const printed = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'ss-warn');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    // a workload role in every account that may mint tokens for 1 hour (no sts:DurationSeconds bound): KL-TR-04
    new CloudformationStackSet(stack, 'Workloads', {
      name: 'workloads', permissionModel: 'SERVICE_MANAGED', templateBody: JSON.stringify({
        Resources: {
          EtlRole: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
              Policies: [{
                PolicyName: 'mint',
                PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: {
                  'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['https://analytics.example.com'] },
                  'Null': { 'sts:IdentityTokenAudience': 'false' },
                  'StringEquals': { 'sts:SigningAlgorithm': 'RS256' },
                } }] },
              }],
            },
          },
        },
      }),
    });
    KeylessTerraformGuardrails.enable(stack, { now: '2026-03-01' });
    app.synth();
    expect(printed.mock.calls.map((c) => String(c[0]))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[Warning at ss-warn\/Workloads\] \[KL-TR-04\] EtlRole at ss-warn\/Workloads\/template_body\/EtlRole: /),
    ]));
  } finally {
    printed.mockRestore();
  }
});
