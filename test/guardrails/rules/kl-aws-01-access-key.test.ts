import { KL_AWS_01 } from '../../../lib/guardrails/rules/kl-aws-01-access-key';
import { sdkCall } from './custom-resource-fixtures';
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

describe('KL-AWS-01 through custom resources (access keys created at deploy time)', () => {
  test('AwsCustomResource calling IAM createAccessKey: one finding on the custom resource, naming the user, never the secret', () => {
    const user = cfn('AWS::IAM::User', 'Deployer');
    const call = sdkCall('CiKey', 'IAM', 'createAccessKey', { UserName: { Ref: 'Deployer' } });
    const hits = check(KL_AWS_01, call, setOf(user, call));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('Deployer');
    expect(hits[0].message).toMatch(/^custom resource CiKey \(Custom::AWS\) calls IAM createAccessKey on Create and Update: it creates an IAM access key for user Deployer at deploy time/);
    expect(hits[0].message).toMatch(/response data.*Fn::GetAtt.*logApiResponseData/);
    expect(hits[0].message).toMatch(/never expire.*Fix: Delete the access key/);
  });

  test('SDK v3 spellings and a user-given resource type; a literal user name is named', () => {
    const call = sdkCall('Key', '@aws-sdk/client-iam', 'CreateAccessKeyCommand', { UserName: 'legacy-ci' }, ['Create'], 'Custom::LegacyKey');
    expect(check(KL_AWS_01, call)[0].message).toMatch(/Custom::LegacyKey\) calls @aws-sdk\/client-iam CreateAccessKeyCommand on Create: it creates an IAM access key for user "legacy-ci"/);
  });

  test('clean: other IAM calls (deleteAccessKey, listAccessKeys, getUser) and a custom resource with no calls', () => {
    const set = setOf(
      sdkCall('Del', 'IAM', 'deleteAccessKey', { UserName: 'old', AccessKeyId: 'AKIA-not-a-key' }, ['Delete']),
      sdkCall('List', 'IAM', 'listAccessKeys', { UserName: 'old' }),
      sdkCall('Get', 'SSM', 'getParameter', { Name: '/app/createAccessKey' }),
      cfn('Custom::SnowflakeUser', 'Sf', { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:sf', Name: 'ETL' }),
    );
    expect(checkSet(KL_AWS_01, set)).toEqual([]);
  });
});
