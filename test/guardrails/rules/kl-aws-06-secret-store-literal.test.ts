import { KL_AWS_06 } from '../../../lib/guardrails/rules/kl-aws-06-secret-store-literal';
import { cfn, check, setOf, tf } from './helpers';

describe('KL-AWS-06 plaintext secret literal in a secret store', () => {
  test('AWS::SecretsManager::Secret with a literal SecretString', () => {
    const s = cfn('AWS::SecretsManager::Secret', 'Db', { SecretString: '{"username":"app","password":"hunter2"}' });
    const hits = check(KL_AWS_06, s);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/Db stores a literal value in SecretString \(value not shown\)/);
    expect(hits[0].message).not.toMatch(/hunter2/);
    expect(hits[0].message).toMatch(/Fix: .*GenerateSecretString/);
  });

  test('SecretString from a Parameter', () => {
    const s = cfn('AWS::SecretsManager::Secret', 'Db', { SecretString: { 'Fn::Join': ['', ['{"password":"', { Ref: 'DbPassword' }, '"}']] } });
    expect(check(KL_AWS_06, s)[0].message).toMatch(/the parameter DbPassword/);
  });

  test('clean: GenerateSecretString, dynamic reference, value from another resource', () => {
    const key = cfn('AWS::IAM::AccessKey', 'K', {});
    const set = setOf(
      cfn('AWS::SecretsManager::Secret', 'Gen', { GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: 'password' } }),
      cfn('AWS::SecretsManager::Secret', 'Dyn', { SecretString: '{{resolve:ssm-secure:/x}}' }),
      cfn('AWS::SecretsManager::Secret', 'Ref', { SecretString: { 'Fn::GetAtt': ['K', 'SecretAccessKey'] } }),
      key,
    );
    for (const r of set.resources.filter((x) => x.type === 'AWS::SecretsManager::Secret')) expect(check(KL_AWS_06, r, set)).toEqual([]);
  });

  test('aws_secretsmanager_secret_version: literal, constant jsonencode, variable are findings; random_password is not', () => {
    const lit = tf('aws_secretsmanager_secret_version', 'lit', { secret_id: '${aws_secretsmanager_secret.s.id}', secret_string: 'hunter2' });
    const enc = tf('aws_secretsmanager_secret_version', 'enc', { secret_string: '${jsonencode({password = "hunter2"})}' });
    const v = tf('aws_secretsmanager_secret_version', 'var', { secret_string: '${var.password}' });
    const gen = tf('aws_secretsmanager_secret_version', 'gen', { secret_string: '${jsonencode({password = random_password.db.result})}' });
    expect(check(KL_AWS_06, lit)[0].message).toMatch(/stores a literal value in secret_string/);
    expect(check(KL_AWS_06, enc)).toHaveLength(1);
    expect(check(KL_AWS_06, v)[0].message).toMatch(/the variable var\.password/);
    expect(check(KL_AWS_06, gen)).toEqual([]);
  });

  test('SSM parameters', () => {
    expect(check(KL_AWS_06, tf('aws_ssm_parameter', 's', { name: '/prod/api', type: 'SecureString', value: 'abc' }))[0].message).toMatch(/SecureString parameter aws_ssm_parameter\.s is set from a literal value/);
    expect(check(KL_AWS_06, cfn('AWS::SSM::Parameter', 'P', { Type: 'String', Name: '/prod/db/password', Value: 'hunter2' }))[0].message).toMatch(/named like a secret/);
    expect(check(KL_AWS_06, cfn('AWS::SSM::Parameter', 'K', { Type: 'String', Name: '/prod/config', Value: 'AKIAIOSFODNN7EXAMPLE' }))[0].message).toMatch(/holds an AWS access key id/);
  });

  test('clean SSM parameters: configuration, ARNs, generated values', () => {
    expect(check(KL_AWS_06, cfn('AWS::SSM::Parameter', 'A', { Type: 'String', Name: '/prod/token-audience', Value: 'snowflakecomputing.com' }))).toEqual([]);
    expect(check(KL_AWS_06, cfn('AWS::SSM::Parameter', 'B', { Type: 'String', Name: '/prod/db/password-secret-arn', Value: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }))).toEqual([]);
    expect(check(KL_AWS_06, tf('aws_ssm_parameter', 'g', { name: '/prod/db/password', type: 'SecureString', value: '${random_password.db.result}' }))).toEqual([]);
  });
});
