import { KL_AWS_02 } from '../../../lib/guardrails/rules/kl-aws-02-console-password';
import { sdkCall } from './custom-resource-fixtures';
import { cfn, check, checkSet, setOf, tf } from './helpers';

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

describe('KL-AWS-02 through custom resources (console passwords set at deploy time)', () => {
  test('createLoginProfile with a password parameter: a finding naming the user; the password is not shown', () => {
    const user = cfn('AWS::IAM::User', 'Ops');
    const call = sdkCall('OpsLogin', 'IAM', 'createLoginProfile', { UserName: { Ref: 'Ops' }, Password: 'Winter2026!Sup3r', PasswordResetRequired: false }, ['Create']);
    const hits = check(KL_AWS_02, call, setOf(user, call));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('Ops');
    expect(hits[0].message).toMatch(/calls IAM createLoginProfile on Create: it gives IAM user Ops a console password at deploy time/);
    expect(hits[0].message).toMatch(/logs every request, parameters included/);
    expect(hits[0].message).toMatch(/Fix: .*IAM Identity Center/);
    expect(hits[0].message).not.toContain('Winter2026');
  });

  test('updateLoginProfile (SDK v3 name) on Update', () => {
    const call = sdkCall('Reset', '@aws-sdk/client-iam', 'UpdateLoginProfileCommand', { UserName: 'ops', Password: { Ref: 'NewPassword' } }, ['Update']);
    expect(check(KL_AWS_02, call)[0].message).toMatch(/UpdateLoginProfileCommand on Update: it gives IAM user "ops" a console password/);
  });

  test('clean: deleteLoginProfile and getLoginProfile', () => {
    const set = setOf(sdkCall('Del', 'IAM', 'deleteLoginProfile', { UserName: 'ops' }, ['Create']), sdkCall('Get', 'IAM', 'getLoginProfile', { UserName: 'ops' }));
    expect(checkSet(KL_AWS_02, set)).toEqual([]);
  });
});
