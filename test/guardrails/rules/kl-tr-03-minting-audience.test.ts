import { evaluate } from '../../../lib/guardrails/evaluate';
import { NormalizedResource } from '../../../lib/guardrails/model';
import { KL_TR_03 } from '../../../lib/guardrails/rules/kl-tr-03-minting-audience';
import { cfn, check, checkSet, doc, setOf, strictMint, tf, tfData } from './helpers';

const mint = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', ...extra });

describe('KL-TR-03 token minting not bound to audiences', () => {
  test('clean: the strict statement with Resource "*"', () => {
    expect(check(KL_TR_03, cfn('AWS::IAM::Policy', 'Mint', { PolicyDocument: doc(strictMint()), Roles: [{ Ref: 'R' }] }))).toEqual([]);
  });

  test('no condition (CloudFormation AWS::IAM::Policy)', () => {
    const hits = check(KL_TR_03, cfn('AWS::IAM::Policy', 'Mint', { PolicyDocument: doc(mint()) }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/^Mint PolicyDocument statement #1 allows sts:GetWebIdentityToken but has no condition on sts:IdentityTokenAudience/);
    expect(hits[0].message).toMatch(/any relying party that trusts this account's issuer/);
    expect(hits[0].message).toMatch(/Fix: Grant sts:GetWebIdentityToken in its own statement per target with ForAllValues:StringEquals/);
  });

  test('ForAnyValue (AWS documentation example) is an error even with Null', () => {
    const st = mint({ Sid: 'AwsExample', Condition: { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': 'snowflakecomputing.com' }, Null: { 'sts:IdentityTokenAudience': 'false' } } });
    const hits = check(KL_TR_03, cfn('AWS::IAM::ManagedPolicy', 'MP', { PolicyDocument: doc(st) }));
    expect(hits[0].message).toMatch(/statement "AwsExample" allows sts:GetWebIdentityToken but binds sts:IdentityTokenAudience with ForAnyValue:StringEquals/);
  });

  test.each(['*', 'sts:*', 'sts:Get*', 'STS:GETWEB*'])('wildcard action %s without binding', (action) => {
    const hits = check(KL_TR_03, cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'admin', PolicyDocument: doc({ Effect: 'Allow', Action: action, Resource: '*' }) }] }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(new RegExp(`R inline policy "admin" statement #1 allows sts:GetWebIdentityToken through the wildcard action "${action.replace(/[*]/g, '\\*')}"`));
  });

  test('a wildcard action WITH the strict binding is fine', () => {
    const st = { ...strictMint(), Action: 'sts:Get*' };
    expect(check(KL_TR_03, cfn('AWS::IAM::Policy', 'P', { PolicyDocument: doc(st) }))).toEqual([]);
  });

  test('NotAction that does not exclude it', () => {
    const hits = check(KL_TR_03, cfn('AWS::IAM::Policy', 'P', { PolicyDocument: doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }) }));
    expect(hits[0].message).toMatch(/through NotAction/);
  });

  test('not a finding: Deny, other services, Action * scoped to a bucket ARN', () => {
    const d = doc(
      { Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' },
    );
    expect(check(KL_TR_03, cfn('AWS::IAM::Policy', 'P', { PolicyDocument: d }))).toEqual([]);
  });

  test('every CloudFormation carrier: RolePolicy, UserPolicy, GroupPolicy, User and Group Policies', () => {
    const bad = doc(mint());
    const set = setOf(
      cfn('AWS::IAM::RolePolicy', 'RP', { RoleName: 'r', PolicyName: 'p', PolicyDocument: bad }),
      cfn('AWS::IAM::UserPolicy', 'UP', { UserName: 'u', PolicyName: 'p', PolicyDocument: bad }),
      cfn('AWS::IAM::GroupPolicy', 'GP', { GroupName: 'g', PolicyName: 'p', PolicyDocument: bad }),
      cfn('AWS::IAM::User', 'U', { Policies: [{ PolicyName: 'p', PolicyDocument: bad }] }),
      cfn('AWS::IAM::Group', 'G', { Policies: [{ PolicyName: 'p', PolicyDocument: bad }] }),
    );
    expect(checkSet(KL_TR_03, set).map((h) => h.resource)).toEqual(['RP', 'UP', 'GP', 'U', 'G']);
  });

  test('every Terraform carrier with JSON strings, and aws_iam_role inline_policy', () => {
    const bad = JSON.stringify(doc(mint({ Condition: { 'ForAnyValue:StringLike': { 'sts:IdentityTokenAudience': '*' } } })));
    const good = JSON.stringify(doc(strictMint('api://AzureADTokenExchange')));
    const set = setOf(
      tf('aws_iam_role_policy', 'a', { role: 'r', policy: bad }),
      tf('aws_iam_policy', 'b', { policy: bad }),
      tf('aws_iam_user_policy', 'c', { user: 'u', policy: bad }),
      tf('aws_iam_group_policy', 'd', { group: 'g', policy: bad }),
      tf('aws_iam_role', 'e', { assume_role_policy: '{}', inline_policy: [{ name: 'mint', policy: bad }, { name: 'ok', policy: good }] }),
      tf('aws_iam_role_policy', 'f', { role: 'r', policy: good }),
    );
    const hits = checkSet(KL_TR_03, set);
    expect(hits.map((h) => h.resource)).toEqual(['aws_iam_role_policy.a', 'aws_iam_policy.b', 'aws_iam_user_policy.c', 'aws_iam_group_policy.d', 'aws_iam_role.e']);
    expect(hits[4].hit.message).toMatch(/inline_policy "mint"/);
  });

  test('Terraform policy from a data "aws_iam_policy_document"', () => {
    const data = tfData('aws_iam_policy_document', 'mint', { statement: [{ actions: ['sts:GetWebIdentityToken'], resources: ['*'], condition: [{ test: 'ForAnyValue:StringEquals', variable: 'sts:IdentityTokenAudience', values: ['x'] }] }] });
    const p = tf('aws_iam_role_policy', 'p', { role: 'r', policy: '${data.aws_iam_policy_document.mint.json}' });
    expect(check(KL_TR_03, p, setOf(data, p))).toHaveLength(1);
  });

  test('unreadable policies are not guessed at', () => {
    expect(check(KL_TR_03, tf('aws_iam_policy', 'x', { policy: '${var.policy_json}' }))).toEqual([]);
    expect(check(KL_TR_03, tf('aws_iam_policy', 'y', { policy: JSON.stringify(doc({ Effect: 'Allow', Action: '${var.actions}', Resource: '*' })) }))).toEqual([]);
  });
});

describe('KL-TR-03: an audience written as a policy variable is not a binding', () => {
  test.each([
    ['CloudFormation', '${aws:PrincipalTag/token-audience}'],
    ['Terraform string escape', '$${aws:PrincipalTag/token-audience}'],
    ['aws_iam_policy_document', '&{aws:PrincipalTag/token-audience}'],
  ])('%s: %s under ForAllValues:StringEquals with the Null check', (_, value) => {
    const st = strictMint(value);
    const hits = check(KL_TR_03, cfn('AWS::IAM::Policy', 'Mint', { PolicyDocument: doc(st) }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/^Mint PolicyDocument statement "MintSnowflake" allows sts:GetWebIdentityToken but names the audience with the policy variable \$\{aws:PrincipalTag\/token-audience\}, which IAM fills in per request from the caller's context/);
    // The good neighbour: the same statement with the audience written out.
    expect(check(KL_TR_03, cfn('AWS::IAM::Policy', 'Mint', { PolicyDocument: doc(strictMint('snowflakecomputing.com')) }))).toEqual([]);
  });

  test('one variable among literal audiences is enough (values are ORed)', () => {
    const st = strictMint('snowflakecomputing.com', { 'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com', '${aws:RequestTag/audience}'] } });
    expect(check(KL_TR_03, tf('aws_iam_policy', 'mint', { policy: JSON.stringify(doc(st)) }))[0].message).toMatch(/policy variable \$\{aws:RequestTag\/audience\}/);
  });

  test('a Terraform interpolation is not a policy variable (it is resolved before IAM sees the policy)', () => {
    const st = strictMint('${var.audience}');
    expect(check(KL_TR_03, tf('aws_iam_policy', 'mint', { policy: JSON.stringify(doc(st)) }))).toEqual([]);
  });
});

describe('KL-TR-03: AWS managed policies that allow every action', () => {
  const trust = doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });

  test.each([
    ['a literal ARN', 'arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ['aws-cdk-lib ManagedPolicy.fromAwsManagedPolicyName (partition from Fn::Join)', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] }, 'arn:${Partition}:iam::aws:policy/AdministratorAccess'],
    ['GovCloud', 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess', 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess'],
  ])('CloudFormation role ManagedPolicyArns: %s', (_, arn, shown) => {
    const role = cfn('AWS::IAM::Role', 'TaskRole', { AssumeRolePolicyDocument: trust, ManagedPolicyArns: [arn] });
    const hits = check(KL_TR_03, role);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toBe(`TaskRole ManagedPolicyArns attaches the AWS managed policy ${shown}, which allows every action ("Action": "*") on every resource: `
      + 'that includes sts:GetWebIdentityToken with no condition on sts:IdentityTokenAudience, so the role can mint a token for any audience, '
      + 'accepted by any relying party that trusts this account\'s issuer and expects that audience: the principal can reach services it was never federated to. '
      + `Fix: replace AdministratorAccess with policies scoped to what the workload does. ${KL_TR_03.fix}`);
    expect(check(KL_TR_03, cfn('AWS::IAM::Role', 'TaskRole', { AssumeRolePolicyDocument: trust, ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }))).toEqual([]);
  });

  test('PowerUserAccess: NotAction leaves sts:* allowed', () => {
    const role = tf('aws_iam_role', 'ci', { assume_role_policy: JSON.stringify(trust), managed_policy_arns: ['arn:aws:iam::aws:policy/PowerUserAccess'] });
    const [hit] = check(KL_TR_03, role);
    expect(hit.message).toMatch(/^aws_iam_role\.ci managed_policy_arns attaches the AWS managed policy arn:aws:iam::aws:policy\/PowerUserAccess, which allows every action except iam:\*, organizations:\* and account:\* \(a NotAction statement\), so sts:GetWebIdentityToken stays allowed/);
  });

  test('Terraform attachments are reported on the attachment, naming the role (checkSet, like the evaluator)', () => {
    const role = tf('aws_iam_role', 'github', { name: 'github-deploy', assume_role_policy: JSON.stringify(trust) });
    const attach = tf('aws_iam_role_policy_attachment', 'admin', { role: '${aws_iam_role.github.name}', policy_arn: 'arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess' });
    const legacy = tf('aws_iam_policy_attachment', 'power', { name: 'power', roles: ['${aws_iam_role.github.name}'], policy_arn: 'arn:aws-cn:iam::aws:policy/PowerUserAccess' });
    const exclusive = tf('aws_iam_role_policy_attachments_exclusive', 'only', { role_name: '${aws_iam_role.github.name}', policy_arns: ['arn:aws:iam::aws:policy/AWSMcpServiceActionsFullAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    const readOnly = tf('aws_iam_role_policy_attachment', 'read', { role: '${aws_iam_role.github.name}', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const found = checkSet(KL_TR_03, setOf(role, attach, legacy, exclusive, readOnly));
    expect(found.map((f) => f.resource)).toEqual(['aws_iam_role_policy_attachment.admin', 'aws_iam_policy_attachment.power', 'aws_iam_role_policy_attachments_exclusive.only']);
    expect(found[0].hit.message).toMatch(/^aws_iam_role_policy_attachment\.admin policy_arn attaches the AWS managed policy arn:\$\{Partition\}:iam::aws:policy\/AdministratorAccess to role github-deploy, .* so role github-deploy can mint a token for any audience/);
    expect(found[2].hit.message).toMatch(/AWSMcpServiceActionsFullAccess to role github-deploy, which allows every action \("Action": "\*"\) on every resource for requests made through an AWS MCP server/);
  });

  test('a customer managed policy with the same name is not an AWS managed policy; an unknown ARN is not guessed at', () => {
    expect(check(KL_TR_03, cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: trust, ManagedPolicyArns: ['arn:aws:iam::111122223333:policy/AdministratorAccess', { Ref: 'PolicyArn' }] }))).toEqual([]);
  });
});

describe('KL-TR-03: a managed policy ARN known only at deploy time is noted, not passed silently', () => {
  const trust = doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });
  const ADMIN_LIST = 'AdministratorAccess, PowerUserAccess, AWSMcpServiceActionsFullAccess';
  const notesOf = (...resources: NormalizedResource[]): string[] => evaluate([setOf(...resources)], { rules: [KL_TR_03] }).notes;

  test('a Terraform variable, and a data "aws_iam_policy" looked up by name', () => {
    const byVariable = tf('aws_iam_role_policy_attachment', 'ops', { role: 'ops', policy_arn: '${var.ops_policy_arn}' });
    const lookedUp = tfData('aws_iam_policy', 'admin', { name: 'AdministratorAccess' });
    const byData = tf('aws_iam_role_policy_attachment', 'admin', { role: 'ops', policy_arn: '${data.aws_iam_policy.admin.arn}' });
    expect(notesOf(byVariable, lookedUp, byData)).toEqual([
      'cdk.tf.json: aws_iam_role_policy_attachment.ops (aws_iam_role_policy_attachment): policy_arn attaches the managed policy "${var.ops_policy_arn}", '
        + `whose ARN comes from the variable var.ops_policy_arn; KL-TR-03 could not check whether it is an AWS managed policy that allows sts:GetWebIdentityToken for any audience (${ADMIN_LIST})`,
      'cdk.tf.json: aws_iam_role_policy_attachment.admin (aws_iam_role_policy_attachment): policy_arn attaches the managed policy "${data.aws_iam_policy.admin.arn}", '
        + `whose ARN comes from data.aws_iam_policy.admin; KL-TR-03 could not check whether it is an AWS managed policy that allows sts:GetWebIdentityToken for any audience (${ADMIN_LIST})`,
    ]);
    expect(check(KL_TR_03, byVariable)).toEqual([]);
  });

  test('a CloudFormation parameter in ManagedPolicyArns', () => {
    const role = cfn('AWS::IAM::Role', 'TaskRole', { AssumeRolePolicyDocument: trust, ManagedPolicyArns: [{ Ref: 'PolicyArn' }] });
    expect(notesOf(role)).toEqual([
      'Stack.template.json: TaskRole (AWS::IAM::Role): ManagedPolicyArns attaches the managed policy {"Ref":"PolicyArn"}, whose ARN comes from the parameter PolicyArn; '
        + `KL-TR-03 could not check whether it is an AWS managed policy that allows sts:GetWebIdentityToken for any audience (${ADMIN_LIST})`,
    ]);
  });

  test('a data "aws_iam_policy" with a literal arn is read: AdministratorAccess is a finding, not a note', () => {
    const lookedUp = tfData('aws_iam_policy', 'admin', { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    const attach = tf('aws_iam_role_policy_attachment', 'admin', { role: 'ops', policy_arn: '${data.aws_iam_policy.admin.arn}' });
    const evaluation = evaluate([setOf(lookedUp, attach)], { rules: [KL_TR_03] });
    expect(evaluation.notes).toEqual([]);
    expect(evaluation.findings.map((f) => [f.resource, f.message.split(',')[0]])).toEqual([
      ['aws_iam_role_policy_attachment.admin', 'aws_iam_role_policy_attachment.admin policy_arn attaches the AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess to role ops'],
    ]);
  });

  test('no note for a literal ARN that grants no minting, a partition-only hole, or a policy of the configuration itself', () => {
    const readOnly = tf('aws_iam_role_policy_attachment', 'read', { role: 'ops', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const partition = tf('aws_iam_role_policy_attachment', 'view', { role: 'ops', policy_arn: 'arn:${data.aws_partition.current.partition}:iam::aws:policy/job-function/ViewOnlyAccess' });
    const own = tf('aws_iam_policy', 'own', { policy: JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })) });
    const attachOwn = tf('aws_iam_role_policy_attachment', 'own', { role: 'ops', policy_arn: '${aws_iam_policy.own.arn}' });
    const customer = cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: trust, ManagedPolicyArns: ['arn:aws:iam::111122223333:policy/AdministratorAccess', { Ref: 'OwnPolicy' }] });
    const ownCfn = cfn('AWS::IAM::ManagedPolicy', 'OwnPolicy', { PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
    const evaluation = evaluate([setOf(readOnly, partition, own, attachOwn), setOf(customer, ownCfn)], { rules: [KL_TR_03] });
    expect(evaluation.notes).toEqual([]);
    expect(evaluation.findings).toEqual([]);
  });
});
