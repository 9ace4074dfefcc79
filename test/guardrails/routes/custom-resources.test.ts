/**
 * Credentials created at deploy time by custom resources, through every route: aws-cdk-lib's AwsCustomResource (L2,
 * SDK v2 and v3 spellings, a user-given resourceType), CustomResource / CfnCustomResource / CfnResource of a vendor
 * type (`Custom::SnowflakeUser` with a `Password`), escape hatches adding a call or a password to a clean resource,
 * nested stack, nested Stage, a key's secret read back into a function's environment, and hand-written CloudFormation JSON and YAML templates through `keyless check`; each
 * with clean neighbours (read-only calls) that must not be flagged. A Snowflake user created with a password from a
 * dynamic reference is a finding: the password exists (see the README's decisions).
 */
import {
  CfnCustomResource, CfnParameter, CfnResource, CustomResource, Fn, NestedStack, SecretValue, Stack, aws_iam as iam, aws_lambda as lambda, custom_resources as cr,
} from 'aws-cdk-lib';
import { anyAt, anyInCase, at, cdkRoutes, hclRoutes, inCase, RouteResult, stageStack } from './harness';

// Literal secrets in fixtures are fake: shaped like the real thing so the rules recognise them.
const PASSWORD = 'Winter2026!Sup3r';
const OPENAI_KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
const SNOWFLAKE_USERS = 'arn:aws:lambda:eu-west-1:111122223333:function:snowflake-users';

let cdk: RouteResult;
let cli: RouteResult & { code: number };

const policy = (): cr.AwsCustomResourcePolicy => cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE });

/** The pattern people paste from blog posts: an access key for a CI user, created and deleted with the stack. */
function ciAccessKey(scope: Stack | NestedStack, id: string, user: iam.IUser): cr.AwsCustomResource {
  return new cr.AwsCustomResource(scope, id, {
    onCreate: {
      service: 'IAM', action: 'createAccessKey', parameters: { UserName: user.userName },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('AccessKey.AccessKeyId'),
    },
    onDelete: { service: 'IAM', action: 'deleteAccessKey', parameters: { UserName: user.userName, AccessKeyId: new cr.PhysicalResourceIdReference() } },
    policy: policy(),
  });
}

/** A read-only call: nothing is created. */
function readParameter(scope: Stack, id: string): cr.AwsCustomResource {
  return new cr.AwsCustomResource(scope, id, {
    onUpdate: { service: 'SSM', action: 'getParameter', parameters: { Name: '/app/db/password', WithDecryption: true }, physicalResourceId: cr.PhysicalResourceId.of('read') },
    policy: policy(),
  });
}

beforeAll(async () => {
  cdk = cdkRoutes((app) => {
    // L2 AwsCustomResource -----------------------------------------------------------------------------------------
    const l2 = new Stack(app, 'CR');
    const ciKey = ciAccessKey(l2, 'CiAccessKey', new iam.User(l2, 'CiUser'));
    new lambda.Function(l2, 'Uploader', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
      environment: { UPLOAD_KEY_ID: ciKey.getResponseField('AccessKey.AccessKeyId'), UPLOAD_SECRET_ACCESS_KEY: ciKey.getResponseField('AccessKey.SecretAccessKey') },
    });
    const ops = new iam.User(l2, 'Ops');
    new cr.AwsCustomResource(l2, 'OpsConsole', {
      onCreate: {
        service: '@aws-sdk/client-iam', action: 'CreateLoginProfileCommand', parameters: { UserName: ops.userName, Password: PASSWORD, PasswordResetRequired: false },
        physicalResourceId: cr.PhysicalResourceId.of('ops-console'),
      },
      policy: policy(),
    });
    const bot = new iam.User(l2, 'BedrockBot');
    new cr.AwsCustomResource(l2, 'BedrockApiKey', {
      onCreate: {
        service: 'IAM', action: 'createServiceSpecificCredential', parameters: { UserName: bot.userName, ServiceName: 'bedrock.amazonaws.com' },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('ServiceSpecificCredential.ServiceSpecificCredentialId'),
      },
      policy: policy(),
    });
    new cr.AwsCustomResource(l2, 'SeedSecret', {
      resourceType: 'Custom::SeedSecret',
      onUpdate: {
        service: 'SecretsManager', action: 'createSecret', parameters: { Name: 'app/db', SecretString: JSON.stringify({ username: 'app', password: PASSWORD }) },
        physicalResourceId: cr.PhysicalResourceId.of('app/db'),
      },
      policy: policy(),
    });
    new cr.AwsCustomResource(l2, 'OpenAiParam', {
      onUpdate: {
        service: 'SSM', action: 'putParameter', parameters: { Name: '/app/openai', Type: 'SecureString', Value: OPENAI_KEY, Overwrite: true },
        physicalResourceId: cr.PhysicalResourceId.of('/app/openai'),
      },
      policy: policy(),
    });
    readParameter(l2, 'ReadParam');
    new cr.AwsCustomResource(l2, 'ListKeys', {
      onUpdate: { service: 'IAM', action: 'listAccessKeys', parameters: { UserName: 'ci' }, physicalResourceId: cr.PhysicalResourceId.of('keys') },
      policy: policy(),
    });

    // A vendor custom resource (Snowflake users created by a Lambda): CustomResource, CfnCustomResource, CfnResource ---
    const vendor = new Stack(app, 'Vendor');
    new CustomResource(vendor, 'EtlUser', { serviceToken: SNOWFLAKE_USERS, resourceType: 'Custom::SnowflakeUser', properties: { Name: 'ETL', Password: PASSWORD } });
    const l1 = new CfnCustomResource(vendor, 'ReportingUser', { serviceToken: SNOWFLAKE_USERS });
    l1.addPropertyOverride('Name', 'REPORTING');
    l1.addPropertyOverride('PrivateKey', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----');
    new CfnResource(vendor, 'Raw', { type: 'Custom::SnowflakeUser', properties: { ServiceToken: SNOWFLAKE_USERS, Name: 'LOADER', Password: PASSWORD } });
    const typed = new CfnParameter(vendor, 'SnowflakePassword', { noEcho: true });
    new CustomResource(vendor, 'FromParameter', { serviceToken: SNOWFLAKE_USERS, resourceType: 'Custom::SnowflakeUser', properties: { Name: 'P', Password: typed.valueAsString } });
    new CustomResource(vendor, 'CleanUser', {
      serviceToken: SNOWFLAKE_USERS, resourceType: 'Custom::SnowflakeUser',
      properties: { Name: 'DYN', Password: SecretValue.secretsManager('snowflake/etl', { jsonField: 'password' }).unsafeUnwrap(), TokenAudience: 'snowflakecomputing.com' },
    });
    // The raw Custom::AWS shape, written by hand.
    new CfnResource(vendor, 'RawCall', {
      type: 'Custom::AWS',
      properties: { ServiceToken: SNOWFLAKE_USERS, Create: JSON.stringify({ service: 'IAM', action: 'createAccessKey', parameters: { UserName: 'legacy' } }) },
    });
    // A call that cannot be read: the JSON itself is built at deploy time.
    const callJson = new CfnParameter(vendor, 'CallJson');
    new CfnResource(vendor, 'Opaque', {
      type: 'Custom::AWS', properties: { ServiceToken: SNOWFLAKE_USERS, Create: Fn.join('', ['{"service":"IAM",', callJson.valueAsString, '}']) },
    });

    // Escape hatches: a call added to a clean AwsCustomResource, a password added to a clean vendor resource --------
    const hatch = new Stack(app, 'CRHatch');
    const reader = readParameter(hatch, 'Reader');
    (reader.node.findChild('Resource').node.defaultChild as CfnResource).addPropertyOverride(
      'Create', JSON.stringify({ service: 'IAM', action: 'createAccessKey', parameters: { UserName: 'deployer' } }),
    );
    const sf = new CustomResource(hatch, 'SfUser', { serviceToken: SNOWFLAKE_USERS, resourceType: 'Custom::SnowflakeUser', properties: { Name: 'ETL' } });
    (sf.node.defaultChild as CfnResource).addPropertyOverride('Password', PASSWORD);

    // Nested stack and nested Stage ------------------------------------------------------------------------------------
    const nested = new NestedStack(l2, 'Nested');
    ciAccessKey(nested, 'CiAccessKey', iam.User.fromUserName(nested, 'Imported', 'ci'));
    const staged = stageStack(app, 'CR');
    ciAccessKey(staged, 'CiAccessKey', new iam.User(staged, 'CiUser'));
  });

  cli = await hclRoutes({
    'cfn-json/ci.template.json': JSON.stringify({
      Resources: {
        CiUser: { Type: 'AWS::IAM::User' },
        CiKey: {
          Type: 'Custom::AWS',
          Properties: {
            ServiceToken: { 'Fn::GetAtt': ['AWS679f53fac002430cb0da5b7982bd22872D164C4C', 'Arn'] },
            Create: { 'Fn::Join': ['', ['{"service":"IAM","action":"createAccessKey","parameters":{"UserName":"', { Ref: 'CiUser' }, '"},"physicalResourceId":{"responsePath":"AccessKey.AccessKeyId"}}']] },
            InstallLatestAwsSdk: true,
          },
        },
        EtlUser: { Type: 'Custom::SnowflakeUser', Properties: { ServiceToken: SNOWFLAKE_USERS, Name: 'ETL', Password: PASSWORD } },
      },
    }, null, 2),
    'cfn-yaml/stack.yaml': [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  SnowflakePassword:',
      '    Type: String',
      '    NoEcho: true',
      'Resources:',
      '  Bot:',
      '    Type: AWS::IAM::User',
      '  BedrockKey:',
      '    Type: Custom::BedrockApiKey',
      '    Properties:',
      '      ServiceToken: !GetAtt SdkCallFunction.Arn',
      '      Create: !Sub \'{"service":"IAM","action":"createServiceSpecificCredential","parameters":{"UserName":"${Bot}","ServiceName":"bedrock.amazonaws.com"}}\'',
      '  SeedSecret:',
      '    Type: Custom::AWS',
      '    Properties:',
      '      ServiceToken: !GetAtt SdkCallFunction.Arn',
      '      Create: |',
      `        {"service":"SecretsManager","action":"putSecretValue","parameters":{"SecretId":"app/db","SecretString":"${PASSWORD}"}}`,
      '  EtlUser:',
      '    Type: Custom::SnowflakeUser',
      '    Properties:',
      `      ServiceToken: ${SNOWFLAKE_USERS}`,
      '      Password: !Ref SnowflakePassword',
      '',
    ].join('\n'),
    'cfn-clean/stack.yaml': [
      'Resources:',
      '  ReadParam:',
      '    Type: Custom::AWS',
      '    Properties:',
      '      ServiceToken: !GetAtt SdkCallFunction.Arn',
      '      Update: \'{"service":"SSM","action":"getParameter","parameters":{"Name":"/app/db/password","WithDecryption":true}}\'',
      '  EtlUser:',
      '    Type: Custom::SnowflakeUser',
      '    Properties:',
      `      ServiceToken: ${SNOWFLAKE_USERS}`,
      '      Password: "{{resolve:secretsmanager:snowflake/etl:SecretString:password}}"',
      '',
    ].join('\n'),
  });
}, 120_000);

describe('AwsCustomResource (L2) calls that create credentials', () => {
  test.each([
    ['KL-AWS-01', 'IAM createAccessKey', 'CR/CiAccessKey'],
    ['KL-AWS-02', '@aws-sdk/client-iam CreateLoginProfileCommand', 'CR/OpsConsole'],
    ['KL-AWS-03', 'IAM createServiceSpecificCredential (a Bedrock API key)', 'CR/BedrockApiKey'],
    ['KL-AWS-06', 'SecretsManager createSecret with a literal SecretString (resourceType Custom::SeedSecret)', 'CR/SeedSecret'],
    ['KL-AWS-06', 'SSM putParameter SecureString with a literal value', 'CR/OpenAiParam'],
  ])('%s: %s', (rule, _call, path) => {
    const hits = at(cdk, rule, path);
    expect(hits).toHaveLength(1);
    expect(hits[0].severity).toBe('error');
    expect(anyAt(cdk, path)).toHaveLength(1); // one credential, one finding
  });

  test('the access key finding names the user; the password finding names it too; no message shows a secret', () => {
    expect(at(cdk, 'KL-AWS-01', 'CR/CiAccessKey')[0].message).toMatch(/calls IAM createAccessKey on Create: it creates an IAM access key for user CiUser[0-9A-F]{8} at deploy time/);
    expect(at(cdk, 'KL-AWS-02', 'CR/OpsConsole')[0].message).toMatch(/gives IAM user Ops[0-9A-F]{8} a console password at deploy time/);
    expect(at(cdk, 'KL-AWS-03', 'CR/BedrockApiKey')[0].message).toMatch(/for bedrock\.amazonaws\.com on IAM user BedrockBot/);
    for (const hit of cdk.hits) {
      expect(hit.message).not.toContain(PASSWORD);
      expect(hit.message).not.toContain(OPENAI_KEY);
    }
  });

  test('KL-AWS-05: the key\'s secret read back with getResponseField into a function\'s environment', () => {
    const hits = at(cdk, 'KL-AWS-05', 'CR/Uploader');
    expect(hits.map((h) => h.message.split(' of ')[0])).toEqual(['Lambda environment variable UPLOAD_SECRET_ACCESS_KEY']);
    expect(hits[0].message).toMatch(/injects the secret that custom resource CiAccessKey[0-9A-F]*'s IAM createAccessKey call returns/);
  });

  test('synth fails naming the rules and the construct paths', () => {
    for (const text of ['KL-AWS-01', 'KL-AWS-02', 'KL-AWS-03', 'KL-AWS-06', 'CR/CiAccessKey', 'CR/Nested/CiAccessKey', 'CRStage/S/CiAccessKey']) expect(cdk.errors.app).toContain(text);
  });

  test('clean neighbours: read-only calls (getParameter of a password parameter, listAccessKeys), the users themselves', () => {
    expect(anyAt(cdk, 'CR/ReadParam')).toEqual([]);
    expect(anyAt(cdk, 'CR/ListKeys')).toEqual([]);
    expect(anyAt(cdk, 'CR/CiUser')).toEqual([]);
  });

  test.each([
    ['nested stack', 'CR/Nested/CiAccessKey'],
    ['nested Stage', 'CRStage/S/CiAccessKey'],
  ])('%s', (_route, path) => {
    expect(at(cdk, 'KL-AWS-01', path)).toHaveLength(1);
  });
});

describe('vendor custom resources carrying a password or key', () => {
  test.each([
    ['CustomResource of type Custom::SnowflakeUser with a Password', 'Vendor/EtlUser', /property Password is named like a secret and holds a literal value/],
    ['CfnCustomResource with a PrivateKey (PEM) property', 'Vendor/ReportingUser', /property PrivateKey holds a private key \(PEM\)/],
    ['raw CfnResource of type Custom::SnowflakeUser', 'Vendor/Raw', /property Password is named like a secret/],
    ['a Password from a NoEcho parameter (a secret typed in at deploy time, as KL-AWS-05/06 treat parameters)', 'Vendor/FromParameter', /set from the parameter SnowflakePassword/],
  ])('KL-AWS-06: %s', (_route, path, message) => {
    const hits = at(cdk, 'KL-AWS-06', path);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(message);
  });

  test('a raw Custom::AWS resource with a literal call JSON is read too', () => {
    expect(at(cdk, 'KL-AWS-01', 'Vendor/RawCall')[0].message).toMatch(/for user "legacy"/);
  });

  test('a Snowflake user created with a Password from a Secrets Manager dynamic reference still has a password: KL-AWS-06', () => {
    expect(at(cdk, 'KL-AWS-06', 'Vendor/CleanUser').map((h) => [h.severity, /property Password sets a credential on the user it creates, from a Secrets Manager dynamic reference \(value not shown\)/.test(h.message)]))
      .toEqual([['error', true]]);
  });

  test('a call whose JSON is built at deploy time is not guessed at: no finding, and the report says what was not checked', () => {
    expect(anyAt(cdk, 'Vendor/Opaque')).toEqual([]);
    expect(cdk.notes).toEqual(expect.arrayContaining([expect.stringMatching(/Vendor\.template\.json: Opaque[0-9A-F]* \(Custom::AWS\): the Create call could not be read statically/)]));
  });
});

describe('escape hatches', () => {
  test('addPropertyOverride("Create", createAccessKey) on a read-only AwsCustomResource', () => {
    expect(at(cdk, 'KL-AWS-01', 'CRHatch/Reader')).toHaveLength(1);
    expect(at(cdk, 'KL-AWS-01', 'CRHatch/Reader')[0].message).toMatch(/calls IAM createAccessKey on Create/);
  });

  test('addPropertyOverride("Password") on a clean vendor resource', () => {
    expect(at(cdk, 'KL-AWS-06', 'CRHatch/SfUser')).toHaveLength(1);
  });
});

describe('CloudFormation templates through keyless check', () => {
  test('JSON: the synthesized Custom::AWS shape (Fn::Join around the user) and a vendor Password', () => {
    expect(inCase(cli, 'KL-AWS-01', 'cfn-json').map((h) => [h.resource, /for user CiUser/.test(h.message)])).toEqual([['CiKey', true]]);
    expect(inCase(cli, 'KL-AWS-06', 'cfn-json').map((h) => h.resource)).toEqual(['EtlUser']);
  });

  test('YAML: !Sub call JSON with a user-named type, a block-scalar call, a NoEcho parameter as Password', () => {
    expect(inCase(cli, 'KL-AWS-03', 'cfn-yaml').map((h) => h.resource)).toEqual(['BedrockKey']);
    expect(inCase(cli, 'KL-AWS-03', 'cfn-yaml')[0].message).toMatch(/Custom::BedrockApiKey\) calls IAM createServiceSpecificCredential on Create: .* on IAM user Bot/);
    expect(inCase(cli, 'KL-AWS-06', 'cfn-yaml').map((h) => h.resource).sort()).toEqual(['EtlUser', 'SeedSecret']);
  });

  test('a read-only call is clean; a user created with a dynamic-reference Password is KL-AWS-06 (the password exists)', () => {
    expect(anyInCase(cli, 'cfn-clean').map((h) => [h.ruleId, h.resource])).toEqual([['KL-AWS-06', 'EtlUser']]);
  });

  test('the CLI exits 1 and never prints a secret', () => {
    expect(cli.code).toBe(1);
    for (const hit of cli.hits) expect(hit.message).not.toContain(PASSWORD);
  });
});
