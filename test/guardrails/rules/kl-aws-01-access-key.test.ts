import { KL_AWS_01 } from '../../../lib/guardrails/rules/kl-aws-01-access-key';
import { cfn, check, checkSet, setOf, tf } from './helpers';

describe('KL-AWS-01 IAM access key', () => {
  test('CloudFormation AWS::IAM::AccessKey, identity = the user', () => {
    const user = cfn('AWS::IAM::User', 'CiUser');
    const key = cfn('AWS::IAM::AccessKey', 'CiKey', { UserName: { Ref: 'CiUser' } });
    const hits = check(KL_AWS_01, key, setOf(user, key));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('CiUser');
    expect(hits[0].message).toMatch(/IAM access key CiKey for user CiUser/);
    expect(hits[0].message).toMatch(/never expire/);
    expect(hits[0].message).toMatch(/Fix: .*IAM role/);
    expect(KL_AWS_01).toMatchObject({ id: 'KL-AWS-01', severity: 'error' });
  });

  test('Terraform aws_iam_access_key, identity from ${aws_iam_user.x.name}', () => {
    const user = tf('aws_iam_user', 'ci', { name: 'ci' });
    const key = tf('aws_iam_access_key', 'ci', { user: '${aws_iam_user.ci.name}' });
    const hits = check(KL_AWS_01, key, setOf(user, key));
    expect(hits.map((h) => h.identity)).toEqual(['aws_iam_user.ci']);
  });

  test('an inactive key is still reported (one call re-activates it)', () => {
    const key = cfn('AWS::IAM::AccessKey', 'Old', { UserName: 'legacy', Status: 'Inactive' });
    const hits = check(KL_AWS_01, key);
    expect(hits[0].message).toMatch(/inactive/);
    expect(hits[0].identity).toBeUndefined();
  });

  test('users and roles without keys are clean', () => {
    const set = setOf(cfn('AWS::IAM::User', 'U'), cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: {} }));
    expect(checkSet(KL_AWS_01, set)).toEqual([]);
  });
});
