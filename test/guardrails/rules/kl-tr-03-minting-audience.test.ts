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
