import { KL_AWS_02 } from '../../../lib/guardrails/rules/kl-aws-02-console-password';
import { cfn, check, setOf, tf } from './helpers';

describe('KL-AWS-02 IAM console password', () => {
  test('AWS::IAM::User with LoginProfile', () => {
    const user = cfn('AWS::IAM::User', 'Admin', { LoginProfile: { Password: { Ref: 'InitialPassword' }, PasswordResetRequired: true } });
    const hits = check(KL_AWS_02, user);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ identity: 'Admin' });
    expect(hits[0].message).toMatch(/IAM user Admin has a LoginProfile \(console password\)/);
    expect(hits[0].message).toMatch(/Fix: .*IAM Identity Center/);
  });

  test('aws_iam_user_login_profile', () => {
    const user = tf('aws_iam_user', 'admin', { name: 'admin' });
    const profile = tf('aws_iam_user_login_profile', 'admin', { user: '${aws_iam_user.admin.name}' });
    const hits = check(KL_AWS_02, profile, setOf(user, profile));
    expect(hits).toEqual([expect.objectContaining({ identity: 'aws_iam_user.admin' })]);
  });

  test('a user without LoginProfile is clean', () => {
    expect(check(KL_AWS_02, cfn('AWS::IAM::User', 'Svc', { Path: '/' }))).toEqual([]);
  });
});
