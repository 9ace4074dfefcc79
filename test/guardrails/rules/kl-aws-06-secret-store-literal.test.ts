import { KL_AWS_06 } from '../../../lib/guardrails/rules/kl-aws-06-secret-store-literal';
import { sdkCall } from './custom-resource-fixtures';
import { cfn, check, checkSet, setOf, tf } from './helpers';

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

describe('KL-AWS-06 through custom resources', () => {
  const PASSWORD = 'Winter2026!Sup3r';

  test('Secrets Manager createSecret / putSecretValue / updateSecret with a literal SecretString: one finding per action', () => {
    const set = setOf(
      sdkCall('Seed', 'SecretsManager', 'createSecret', { Name: 'db', SecretString: JSON.stringify({ password: PASSWORD }) }),
      sdkCall('Put', '@aws-sdk/client-secrets-manager', 'PutSecretValueCommand', { SecretId: 'db', SecretString: PASSWORD }, ['Create']),
      sdkCall('Upd', 'SecretsManager', 'updateSecret', { SecretId: 'db', SecretBinary: 'aGVsbG8=' }, ['Update']),
    );
    const hits = checkSet(KL_AWS_06, set);
    expect(hits.map((h) => h.resource)).toEqual(['Seed', 'Put', 'Upd']);
    expect(hits[0].hit.message).toMatch(/^custom resource Seed \(Custom::AWS\) calls SecretsManager createSecret on Create and Update, which stores a literal value in SecretString \(value not shown\)/);
    expect(hits[0].hit.message).toMatch(/logs every request, parameters included.*Fix: Replace the credential with federation/);
    expect(hits[2].hit.message).toMatch(/stores a literal value in SecretBinary/);
    for (const { hit } of hits) expect(hit.message).not.toContain(PASSWORD);
  });

  test('a SecretString from a (NoEcho) parameter is a finding, as on AWS::SecretsManager::Secret; a dynamic reference or a resource value is not', () => {
    const param = sdkCall('FromParam', 'SecretsManager', 'putSecretValue', { SecretId: 'db', SecretString: { Ref: 'DbPassword' } });
    expect(check(KL_AWS_06, param)[0].message).toMatch(/stores the parameter DbPassword, a secret typed in at deploy time in SecretString/);
    const dyn = sdkCall('Dyn', 'SecretsManager', 'putSecretValue', { SecretId: 'db', SecretString: '{{resolve:secretsmanager:source-secret:SecretString:password}}' });
    const key = cfn('AWS::IAM::AccessKey', 'K');
    const copy = sdkCall('Copy', 'SecretsManager', 'createSecret', { Name: 'k', SecretString: { 'Fn::GetAtt': ['K', 'SecretAccessKey'] } });
    expect(check(KL_AWS_06, dyn)).toEqual([]);
    expect(check(KL_AWS_06, copy, setOf(copy, key))).toEqual([]);
  });

  test('SSM putParameter: SecureString literal, a String holding a key; a plain String setting is clean', () => {
    const secure = sdkCall('P1', 'SSM', 'putParameter', { Name: '/app/db', Type: 'SecureString', Value: PASSWORD, Overwrite: true });
    const shaped = sdkCall('P2', 'SSM', 'putParameter', { Name: '/app/openai', Type: 'String', Value: 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' });
    const plain = sdkCall('P3', 'SSM', 'putParameter', { Name: '/app/table', Type: 'String', Value: 'orders' });
    expect(check(KL_AWS_06, secure)[0].message).toMatch(/calls SSM putParameter on Create and Update: SecureString parameter "\/app\/db" is set from a literal value in Value/);
    expect(check(KL_AWS_06, shaped)[0].message).toMatch(/parameter "\/app\/openai" \(type String, not even encrypted\) holds an OpenAI API key/);
    expect(check(KL_AWS_06, plain)).toEqual([]);
  });

  test('a custom resource property named like a secret holding a literal (Custom::SnowflakeUser Password), nested too', () => {
    const sf = cfn('Custom::SnowflakeUser', 'EtlUser', { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:snowflake', Name: 'ETL', Password: PASSWORD });
    const hits = check(KL_AWS_06, sf);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/^custom resource EtlUser \(Custom::SnowflakeUser\) property Password is named like a secret and holds a literal value \(value not shown\)/);
    expect(hits[0].message).not.toContain(PASSWORD);
    const nested = cfn('AWS::CloudFormation::CustomResource', 'Vendor', { ServiceToken: 'arn', Connection: { Users: [{ Name: 'a', ApiToken: 'tok-123456' }] } });
    expect(check(KL_AWS_06, nested)[0].message).toMatch(/property Connection\.Users\[0\]\.ApiToken is named like a secret/);
    const shaped = cfn('Custom::Config', 'Cfg', { ServiceToken: 'arn', Settings: 'url=postgres://app:hunter2hunter2@db:5432/x' });
    expect(check(KL_AWS_06, shaped)[0].message).toMatch(/property Settings holds a URL with a password in it/);
  });

  test('Password from a NoEcho parameter is a finding (a secret typed in at deploy time)', () => {
    const param = cfn('Custom::SnowflakeUser', 'P', { ServiceToken: 'arn', Password: { Ref: 'SnowflakePassword' } });
    expect(check(KL_AWS_06, param)[0].message).toMatch(/property Password is named like a secret and is set from the parameter SnowflakePassword, a secret typed in at deploy time/);
  });

  test('a user-creating custom resource whose Password comes from a dynamic reference or a secret resource still creates a password: a finding', () => {
    const dyn = cfn('Custom::SnowflakeUser', 'D', { ServiceToken: 'arn', Password: '{{resolve:secretsmanager:snowflake/etl:SecretString:password}}' });
    expect(check(KL_AWS_06, dyn).map((h) => h.message.split(' (value not shown)')[0])).toEqual([
      'custom resource D (Custom::SnowflakeUser) property Password sets a credential on the user it creates, from a Secrets Manager dynamic reference',
    ]);
    expect(check(KL_AWS_06, dyn)[0].message).toMatch(/still exists and does not expire.*Fix: Create the user without a password or key/);
    const set = setOf(cfn('AWS::SecretsManager::Secret', 'S', { GenerateSecretString: {} }), cfn('Custom::DatabaseUsers', 'Db', { ServiceToken: 'arn', Password: { 'Fn::GetAtt': ['S', 'SecretString'] } }));
    expect(checkSet(KL_AWS_06, set).map(({ hit }) => hit.message.split(' (value not shown)')[0])).toEqual([
      'custom resource Db (Custom::DatabaseUsers) property Password sets a credential on the user it creates, from the resource S',
    ]);
  });

  test('not a user-creating type, a nested setting, a pointer to the secret, AWS::NoValue: a dynamic reference is not a finding', () => {
    const set = setOf(
      cfn('Custom::VendorConfig', 'Cfg', { ServiceToken: 'arn', Password: '{{resolve:secretsmanager:vendor:SecretString:password}}' }),
      cfn('Custom::SnowflakeUser', 'Nested', { ServiceToken: 'arn', Options: { Password: '{{resolve:secretsmanager:x}}' } }),
      cfn('Custom::SnowflakeUser', 'Pointer', { ServiceToken: 'arn', PasswordSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:etl' }),
      cfn('Custom::SnowflakeUser', 'None', { ServiceToken: 'arn', Password: { Ref: 'AWS::NoValue' } }),
    );
    expect(checkSet(KL_AWS_06, set)).toEqual([]);
  });

  test('clean custom resources: settings, references, secret ARNs; getParameter / getSecretValue calls', () => {
    const set = setOf(
      cfn('AWS::SecretsManager::Secret', 'S', {}),
      cfn('Custom::SnowflakeUser', 'Clean', {
        ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Name: 'ETL', PasswordSecretArn: { Ref: 'S' }, TokenAudience: 'snowflakecomputing.com',
      }),
      sdkCall('Get', 'SSM', 'getParameter', { Name: '/app/db/password', WithDecryption: true }),
      sdkCall('GetSecret', 'SecretsManager', 'getSecretValue', { SecretId: 'db' }),
      sdkCall('Pool', 'CognitoIdentityServiceProvider', 'createUserPoolClient', { UserPoolId: 'p', ClientName: 'c', TokenValidityUnits: { AccessToken: 'hours', RefreshToken: 'days' } }),
    );
    expect(checkSet(KL_AWS_06, set)).toEqual([]);
  });

  test('other SDK calls: a top-level parameter named like a secret holding a literal is a finding (once for Create and Update)', () => {
    const rds = sdkCall('Rds', 'RDS', 'modifyDBCluster', { DBClusterIdentifier: 'db', MasterUserPassword: PASSWORD });
    const hits = check(KL_AWS_06, rds);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/calls RDS modifyDBCluster on Create and Update with parameter MasterUserPassword is named like a secret and holds a literal value/);
  });

  test('the IAM credential calls are left to KL-AWS-01/02/03 (no second finding for the login profile password)', () => {
    expect(check(KL_AWS_06, sdkCall('L', 'IAM', 'createLoginProfile', { UserName: 'ops', Password: PASSWORD }))).toEqual([]);
  });
});
