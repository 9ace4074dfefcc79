/**
 * `Fn::If` around policy containers: a whole trust policy (`AssumeRolePolicyDocument`), a whole `Statement` list, one
 * statement, a statement's `Condition` block, a whole `Policies` list or one policy. Each branch is a possible
 * deployment, so KL-TR-01..04 judge both and the message names the condition outcome that deploys the finding;
 * `AWS::NoValue` removes the statement (or, for a `Condition` block, leaves the statement unconditional).
 * Shapes follow AWS's GitHub OIDC sample templates (`Conditions` choosing an optional statement or a looser trust for
 * a sandbox account) and templates with a per-environment minting grant. Routes: CDK (L1, escape hatch on an L2,
 * nested Stage) and `keyless check` over YAML templates.
 */
import { App, Aws, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { anyAt, anyInCase, at, cdkRoutes, GITHUB, GITHUB_PROVIDER_ARN, hclRoutes, inCase, RouteResult, stageStack } from './harness';

const AUD = `${GITHUB}:aud`;
const SUB = `${GITHUB}:sub`;
const PINNED = 'repo:acme/app:ref:refs/heads/main';

const statement = (condition?: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: { Federated: GITHUB_PROVIDER_ARN },
  Action: 'sts:AssumeRoleWithWebIdentity',
  ...(condition ? { Condition: condition } : {}),
});
const PINNED_STATEMENT = statement({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: PINNED } });
const ANY_REPO_STATEMENT = statement({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:*' } });
const doc = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
const STRICT = {
  'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
  'Null': { 'sts:IdentityTokenAudience': 'false' },
  'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
  'NumericLessThanEquals': { 'sts:DurationSeconds': 900 },
};
const strictMint = { Sid: 'Warehouse', Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: STRICT };
const unboundMint = { Sid: 'Anything', Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' };

let cdk: RouteResult;

beforeAll(() => {
  cdk = cdkRoutes((app: App) => {
    const stack = new Stack(app, 'Trusts');
    const sandbox = new CfnCondition(stack, 'IsSandbox', { expression: Fn.conditionEquals(Aws.ACCOUNT_ID, '444455556666') });
    // L1: the whole trust policy chosen by a condition; the sandbox branch lets any repository in.
    new iam.CfnRole(stack, 'Deploy', {
      assumeRolePolicyDocument: Fn.conditionIf(sandbox.logicalId, doc(ANY_REPO_STATEMENT), doc(PINNED_STATEMENT)),
    });
    new iam.CfnRole(stack, 'DeployClean', {
      assumeRolePolicyDocument: Fn.conditionIf(sandbox.logicalId, doc(statement({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:acme/app:environment:sandbox' } })), doc(PINNED_STATEMENT)),
    });

    const staged = stageStack(app, 'Conditional');
    const dev = new CfnCondition(staged, 'IsDev', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    // Escape hatch on an L2 role: the Statement list replaced by an Fn::If; the dev branch has no audience pin.
    const role = new iam.Role(staged, 'Loader', { assumedBy: new iam.WebIdentityPrincipal(GITHUB_PROVIDER_ARN) });
    (role.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument.Statement',
      Fn.conditionIf(dev.logicalId, [statement({ StringEquals: { [SUB]: PINNED } })], [PINNED_STATEMENT]));
    // L1 managed policy: an extra statement only in dev, unbound.
    new iam.CfnManagedPolicy(staged, 'Mint', {
      policyDocument: doc(strictMint, Fn.conditionIf(dev.logicalId, unboundMint, Aws.NO_VALUE)),
    });
    new iam.CfnManagedPolicy(staged, 'MintClean', {
      policyDocument: doc(strictMint, Fn.conditionIf(dev.logicalId, { ...strictMint, Sid: 'Dev' }, Aws.NO_VALUE)),
    });
  });
});

describe('CDK: Fn::If around a trust policy, a Statement list and a statement', () => {
  test('the whole AssumeRolePolicyDocument (L1): the sandbox branch is KL-TR-02, named by its condition', () => {
    expect(at(cdk, 'KL-TR-02', 'Trusts/Deploy').map((h) => [h.resource, h.severity, h.message.split(' (OIDC provider')[0]])).toEqual([
      ['Deploy', 'error', 'role Deploy AssumeRolePolicyDocument (deployed when condition IsSandbox is true) statement #1'],
    ]);
    expect(at(cdk, 'KL-TR-01', 'Trusts/Deploy')).toEqual([]);
    expect(anyAt(cdk, 'Trusts/DeployClean')).toEqual([]);
  });

  test('the Statement list (escape hatch on an L2 role, nested Stage): the dev branch without aud is KL-TR-01', () => {
    expect(at(cdk, 'KL-TR-01', 'ConditionalStage/S/Loader').map((h) => [h.resource, h.severity, /^role Loader\w* AssumeRolePolicyDocument statement #1 \(deployed when condition IsDev is true\) lets the OIDC provider token\.actions\.githubusercontent\.com assume it/.test(h.message)]))
      .toEqual([[expect.stringMatching(/^Loader/), 'error', true]]);
    expect(at(cdk, 'KL-TR-02', 'ConditionalStage/S/Loader')).toEqual([]);
  });

  test('one statement (L1 managed policy): the dev-only unbound grant is KL-TR-03 and KL-TR-04, the strict neighbour is not', () => {
    expect(at(cdk, 'KL-TR-03', 'ConditionalStage/S/Mint').map((h) => [h.severity, /^Mint PolicyDocument statement "Anything" \(deployed when condition IsDev is true\) allows sts:GetWebIdentityToken but has no condition on sts:IdentityTokenAudience/.test(h.message)]))
      .toEqual([['error', true]]);
    expect(at(cdk, 'KL-TR-04', 'ConditionalStage/S/Mint').map((h) => [h.severity, /statement "Anything" \(deployed when condition IsDev is true\)/.test(h.message)])).toEqual([['warning', true]]);
    expect(anyAt(cdk, 'ConditionalStage/S/MintClean')).toEqual([]);
  });
});

const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\n';

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({
    // The GitHub OIDC sample's shape: an optional statement for pull requests, a Condition block a flag removes.
    'github/template.yaml': HEADER + [
      'Parameters:',
      '  AllowForks: {Type: String, AllowedValues: ["true", "false"], Default: "false"}',
      '  Strict: {Type: String, AllowedValues: ["true", "false"], Default: "true"}',
      'Conditions:',
      '  ForksAllowed: !Equals [!Ref AllowForks, "true"]',
      '  IsStrict: !Equals [!Ref Strict, "true"]',
      'Resources:',
      '  GitHubDeploy:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      `            Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}`,
      '            Action: sts:AssumeRoleWithWebIdentity',
      '            Condition:',
      `              StringEquals: {"${AUD}": sts.amazonaws.com, "${SUB}": "${PINNED}"}`,
      '          - !If',
      '            - ForksAllowed',
      '            - Sid: PullRequests',
      '              Effect: Allow',
      `              Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}`,
      '              Action: sts:AssumeRoleWithWebIdentity',
      '              Condition:',
      `                StringEquals: {"${AUD}": sts.amazonaws.com}`,
      `                StringLike: {"${SUB}": "repo:acme/*"}`,
      '            - !Ref AWS::NoValue',
      '  Relaxed:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      `            Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}`,
      '            Action: sts:AssumeRoleWithWebIdentity',
      '            Condition: !If',
      '              - IsStrict',
      `              - StringEquals: {"${AUD}": sts.amazonaws.com, "${SUB}": "${PINNED}"}`,
      '              - !Ref AWS::NoValue',
      '  Shared:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: !If',
      '        - IsStrict',
      `        - {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}, Action: sts:AssumeRoleWithWebIdentity, Condition: {StringEquals: {"${AUD}": sts.amazonaws.com, "${SUB}": "${PINNED}"}}}]}`,
      '        - !ImportValue shared-github-trust',
      '  Pinned:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: !If',
      '        - IsStrict',
      `        - {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}, Action: sts:AssumeRoleWithWebIdentity, Condition: {StringEquals: {"${AUD}": sts.amazonaws.com, "${SUB}": "${PINNED}"}}}]}`,
      `        - {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}, Action: sts:AssumeRoleWithWebIdentity, Condition: {StringEquals: {"${AUD}": sts.amazonaws.com, "${SUB}": "repo:acme/app:environment:prod"}}}]}`,
      '',
    ].join('\n'),
    // terraform-aws-modules' iam-policy module checked on its own: the document is a variable.
    'tf-policy/main.tf': 'variable "policy" {}\nresource "aws_iam_policy" "policy" {\n  name   = "ci"\n  policy = var.policy\n}\n',
    // A per-environment minting grant: the Policies list, one policy, the Statement list each chosen by a condition.
    'minting/template.yaml': HEADER + [
      'Conditions:',
      '  IsProd: !Equals [!Ref "AWS::AccountId", "111122223333"]',
      'Resources:',
      '  Worker:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}',
      '      Policies: !If',
      '        - IsProd',
      `        - - {PolicyName: mint, PolicyDocument: {Version: "2012-10-17", Statement: [${JSON.stringify(strictMint)}]}}`,
      `        - - {PolicyName: mint, PolicyDocument: {Version: "2012-10-17", Statement: [${JSON.stringify(unboundMint)}]}}`,
      '  Batch:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: batch.amazonaws.com}, Action: sts:AssumeRole}]}',
      '      Policies:',
      '        - PolicyName: mint',
      '          PolicyDocument:',
      '            Version: "2012-10-17"',
      '            Statement: !If',
      '              - IsProd',
      `              - [${JSON.stringify(strictMint)}]`,
      `              - [${JSON.stringify({ ...strictMint, Sid: 'Long', Condition: { ...STRICT, NumericLessThanEquals: { 'sts:DurationSeconds': 7200 } } })}]`,
      '  WorkerClean:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}',
      '      Policies:',
      '        - !If',
      '          - IsProd',
      `          - {PolicyName: mint, PolicyDocument: {Version: "2012-10-17", Statement: [${JSON.stringify(strictMint)}]}}`,
      '          - !Ref AWS::NoValue',
      '',
    ].join('\n'),
  });
});

describe('keyless check: Fn::If around statements, Condition blocks, trust policies and Policies (YAML)', () => {
  test('an optional statement a condition adds is KL-TR-02 when it is deployed; the unconditional pinned statement is clean', () => {
    expect(inCase(cli, 'KL-TR-02', 'github').filter((h) => h.resource === 'GitHubDeploy').map((h) => [h.severity, h.message.split(' does not pin')[0]])).toEqual([
      ['error', `role GitHubDeploy AssumeRolePolicyDocument statement "PullRequests" (deployed when condition ForksAllowed is true) (OIDC provider ${GITHUB})`],
    ]);
    expect(inCase(cli, 'KL-TR-01', 'github').filter((h) => h.resource === 'GitHubDeploy')).toEqual([]);
  });

  test('a Condition block AWS::NoValue removes leaves the statement unconditional: KL-TR-01 and KL-TR-02 for that branch only', () => {
    const relaxed = anyInCase(cli, 'github').filter((h) => h.resource === 'Relaxed');
    expect(relaxed.map((h) => [h.ruleId, h.severity, /AssumeRolePolicyDocument statement #1 \(deployed when condition IsStrict is false\)/.test(h.message)]).sort())
      .toEqual([['KL-TR-01', 'error', true], ['KL-TR-02', 'error', true]]);
  });

  test('a branch (or a whole document) that cannot be read is not passed silently: a note names the resource, the branch and the rules', () => {
    expect(anyInCase(cli, 'github').filter((h) => h.resource === 'Shared')).toEqual([]);
    expect(cli.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/github\/template\.yaml: Shared \(AWS::IAM::Role\): AssumeRolePolicyDocument \(deployed when condition IsStrict is false\): the policy document is built with an intrinsic function; KL-TR-01 and KL-TR-02 could not check/),
      expect.stringMatching(/tf-policy\/main\.tf: aws_iam_policy\.policy \(aws_iam_policy\): policy: the policy is an expression \(\$\{var\.policy\}\); KL-TR-03 and KL-TR-04 could not check/),
    ]));
  });

  test('both branches of a whole trust policy pinned: no finding', () => {
    expect(anyInCase(cli, 'github').filter((h) => h.resource === 'Pinned')).toEqual([]);
  });

  test('Fn::If around the Policies list and around a Statement list: the unsafe branch is reported, named by its condition', () => {
    expect(inCase(cli, 'KL-TR-03', 'minting').map((h) => [h.resource, h.message.split(' allows')[0]])).toEqual([
      ['Worker', 'Worker inline policy "mint" (deployed when condition IsProd is false) statement "Anything"'],
    ]);
    expect(inCase(cli, 'KL-TR-04', 'minting').map((h) => [h.resource, h.severity, h.message.split(' allows')[0]]).sort()).toEqual([
      ['Batch', 'warning', 'Batch inline policy "mint" statement "Long" (deployed when condition IsProd is false)'],
      ['Worker', 'warning', 'Worker inline policy "mint" (deployed when condition IsProd is false) statement "Anything"'],
    ]);
    expect(anyInCase(cli, 'minting').filter((h) => h.resource === 'WorkerClean')).toEqual([]);
  });
});
