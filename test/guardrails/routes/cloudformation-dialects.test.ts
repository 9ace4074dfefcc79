/**
 * CloudFormation as users write it, not only as `cdk synth` writes it: values chosen from `Mappings` with
 * `Fn::FindInMap`, whole blocks (`Environment`, `Variables`, `Policies`) chosen by `Fn::If`, SAM functions with
 * `Globals`, `AWS::LanguageExtensions` loops, IAM Identity Center permission sets, and the false positives
 * / misses that hand-written templates showed. Routes: a CDK app (L2, L1, escape hatch, nested Stage) and
 * `keyless check` over a folder of templates (YAML, as SAM and the AWS samples are written).
 */
import { App, Aws, CfnCondition, CfnMapping, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sso from 'aws-cdk-lib/aws-sso';
import { anyAt, anyInCase, at, cdkRoutes, hclRoutes, inCase, RouteResult, stageStack } from './harness';

/** A made-up token: long and random-looking, shaped like no known key format. */
const TOKEN = 'tok-live-5f2a9c71e0b84d3a';
const PASSWORD = 'Summer2026-prod-db';

const unboundMint = { Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' };
const strictMint = {
  Effect: 'Allow',
  Action: 'sts:GetWebIdentityToken',
  Resource: '*',
  Condition: {
    'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
    'Null': { 'sts:IdentityTokenAudience': 'false' },
    'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
    'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': 900 },
  },
};
const policyDoc = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [statement] });

function fn(stack: Stack, id: string, environment: Record<string, string>): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(e, c): return 1'),
    environment,
  });
}

let cdk: RouteResult;

beforeAll(() => {
  cdk = cdkRoutes((app: App) => {
    const maps = new Stack(app, 'Maps');
    new CfnMapping(maps, 'RegionTokens', { mapping: { 'eu-west-1': { Token: TOKEN }, 'us-east-1': { Token: '{{resolve:secretsmanager:api:SecretString:token}}' } } });
    new CfnMapping(maps, 'RegionSecrets', { mapping: { 'eu-west-1': { Token: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:api' }, 'us-east-1': { Token: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api' } } });
    // L2: one region's value is a literal token; a deploy in that region ships it.
    fn(maps, 'ByRegion', { API_TOKEN: Fn.findInMap('RegionTokens', Aws.REGION, 'Token') });
    // Literal keys: exactly one value.
    fn(maps, 'Pinned', { API_TOKEN: Fn.findInMap('RegionTokens', 'eu-west-1', 'Token') });
    // Clean neighbour: every value it can pick is a secret ARN.
    fn(maps, 'ArnByRegion', { API_TOKEN: Fn.findInMap('RegionSecrets', Aws.REGION, 'Token') });

    const conditions = stageStack(app, 'Conditions');
    const prod = new CfnCondition(conditions, 'IsProd', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    // Escape hatch: the whole Environment block chosen by a condition.
    const whole = fn(conditions, 'WholeEnv', {});
    (whole.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment',
      Fn.conditionIf(prod.logicalId, { Variables: { DB_PASSWORD: PASSWORD } }, Aws.NO_VALUE));
    const wholeClean = fn(conditions, 'WholeEnvClean', {});
    (wholeClean.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment',
      Fn.conditionIf(prod.logicalId, { Variables: { TABLE: 'orders' } }, { Variables: { TABLE: 'orders-dev' } }));
    // L1: the Policies list chosen by a condition.
    new iam.CfnRole(conditions, 'MintRole', {
      assumeRolePolicyDocument: policyDoc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      policies: Fn.conditionIf(prod.logicalId, [{ policyName: 'mint', policyDocument: policyDoc(unboundMint) }], Aws.NO_VALUE),
    });
    new iam.CfnRole(conditions, 'MintRoleClean', {
      assumeRolePolicyDocument: policyDoc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      policies: Fn.conditionIf(prod.logicalId, [{ policyName: 'mint', policyDocument: policyDoc(strictMint) }], Aws.NO_VALUE),
    });

    const center = new Stack(app, 'IdentityCenter');
    new sso.CfnPermissionSet(center, 'Analysts', {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', name: 'analysts', inlinePolicy: policyDoc({ Effect: 'Allow', Action: 'sts:*', Resource: '*' }),
    });
    // Escape hatch: CloudFormation also takes the policy as a JSON string.
    new sso.CfnPermissionSet(center, 'Loaders', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', name: 'loaders' })
      .addPropertyOverride('InlinePolicy', JSON.stringify(policyDoc(strictMint)));
  });
});

describe('CDK: Fn::FindInMap, Fn::If around blocks, permission sets', () => {
  test('FindInMap: a literal token any region may pick, or the one literal keys pick, is KL-AWS-05; secret ARNs are not', () => {
    expect(at(cdk, 'KL-AWS-05', 'Maps/ByRegion').map((h) => [h.severity, /API_TOKEN of ByRegion.* holds a literal secret \(value not shown\)/.test(h.message)])).toEqual([['error', true]]);
    expect(at(cdk, 'KL-AWS-05', 'Maps/Pinned')).toHaveLength(1);
    expect(anyAt(cdk, 'Maps/ArnByRegion')).toEqual([]);
  });

  test('Fn::If around the whole Environment (escape hatch, nested Stage): the branch with a password is KL-AWS-05', () => {
    expect(at(cdk, 'KL-AWS-05', 'ConditionsStage/S/WholeEnv').map((h) => [h.severity, /DB_PASSWORD of WholeEnv/.test(h.message)])).toEqual([['error', true]]);
    expect(anyAt(cdk, 'ConditionsStage/S/WholeEnvClean')).toEqual([]);
  });

  test('Fn::If around Policies (L1): an unbound minting grant in a branch is KL-TR-03; the strict grant is not', () => {
    expect(at(cdk, 'KL-TR-03', 'ConditionsStage/S/MintRole').map((h) => [h.resource, h.severity, /inline policy "mint"/.test(h.message)])).toEqual([['MintRole', 'error', true]]);
    expect(anyAt(cdk, 'ConditionsStage/S/MintRoleClean')).toEqual([]);
  });

  test('AWS::SSO::PermissionSet InlinePolicy (object or JSON string) is an identity policy for KL-TR-03', () => {
    expect(at(cdk, 'KL-TR-03', 'IdentityCenter/Analysts').map((h) => [h.resource, h.severity, /Analysts InlinePolicy .*sts:\*/.test(h.message)])).toEqual([['Analysts', 'error', true]]);
    expect(anyAt(cdk, 'IdentityCenter/Loaders')).toEqual([]);
  });

  test('no message prints a secret', () => {
    for (const h of cdk.hits) {
      expect(h.message).not.toContain(TOKEN);
      expect(h.message).not.toContain(PASSWORD);
    }
  });
});

const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\n';
const ROLE = '      Role: arn:aws:iam::111122223333:role/app\n      Runtime: python3.12\n      Handler: index.handler\n      Code: {ZipFile: "def handler(e, c): return 1"}\n';

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({
    // SAM: a password in Globals reaches every function that does not set its own value.
    'sam/template.yaml': HEADER + [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    Runtime: python3.12',
      '    Environment:',
      '      Variables:',
      `        DB_PASSWORD: ${PASSWORD}`,
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: app.handler',
      '      CodeUri: src/',
      '      Environment:',
      '        Variables:',
      '          TABLE: orders',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: worker.handler',
      '      CodeUri: src/',
      '      Environment:',
      '        Variables:',
      '          DB_PASSWORD: "{{resolve:secretsmanager:db:SecretString:password}}"',
      // IgnoreGlobals: '*' inherits nothing, so not the password; a list that leaves out another property still does.
      '  Isolated:',
      '    Type: AWS::Serverless::Function',
      "    IgnoreGlobals: '*'",
      '    Properties: {Handler: isolated.handler, CodeUri: src/, Runtime: python3.12}',
      '  KeepsEnvironment:',
      '    Type: AWS::Serverless::Function',
      '    IgnoreGlobals: [Runtime]',
      '    Properties: {Handler: keeps.handler, CodeUri: src/, Runtime: python3.13}',
      '',
    ].join('\n'),
    'sam-clean/template.yaml': HEADER + [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    Environment:',
      '      Variables:',
      '        LOG_LEVEL: info',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {Handler: app.handler, CodeUri: src/, Runtime: python3.12}',
      '',
    ].join('\n'),
    'findinmap/template.yaml': HEADER + [
      'Parameters:',
      '  Env: {Type: String, AllowedValues: [dev, prod]}',
      'Mappings:',
      '  Settings:',
      `    prod: {Token: ${TOKEN}, Table: orders}`,
      '    dev: {Token: "{{resolve:ssm-secure:/dev/token}}", Table: orders-dev}',
      'Resources:',
      '  ByEnv:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      ROLE.trimEnd(),
      '      Environment:',
      '        Variables:',
      '          API_TOKEN: !FindInMap [Settings, !Ref Env, Token]',
      '  Tables:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      ROLE.trimEnd(),
      '      Environment:',
      '        Variables:',
      '          TABLE: !FindInMap [Settings, !Ref Env, Table]',
      '          DEV_TOKEN: !FindInMap [Settings, dev, Token]',
      '',
    ].join('\n'),
    'if-blocks/template.yaml': HEADER + [
      'Conditions:',
      '  IsProd: !Equals [!Ref "AWS::AccountId", "111122223333"]',
      'Resources:',
      '  VariablesByCondition:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      ROLE.trimEnd(),
      '      Environment:',
      '        Variables: !If',
      '          - IsProd',
      `          - {API_TOKEN: ${TOKEN}}`,
      '          - {API_TOKEN: "{{resolve:secretsmanager:api:SecretString:token}}"}',
      '  VariablesByConditionClean:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      ROLE.trimEnd(),
      '      Environment:',
      '        Variables: !If [IsProd, {STAGE: prod}, {STAGE: dev}]',
      '  Loader:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}',
      '      Policies: !If',
      '        - IsProd',
      '        - - PolicyName: mint',
      '            PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:GetWebIdentityToken", Resource: "*"}]}',
      '        - !Ref AWS::NoValue',
      '',
    ].join('\n'),
    'sso/template.yaml': HEADER + [
      'Resources:',
      '  DataEngineers:',
      '    Type: AWS::SSO::PermissionSet',
      '    Properties:',
      '      InstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef',
      '      Name: data-engineers',
      '      ManagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]',
      '      InlinePolicy: \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken"],"Resource":"*","Condition":{"ForAnyValue:StringEquals":{"sts:IdentityTokenAudience":["snowflakecomputing.com"]}}}]}\'',
      '',
    ].join('\n'),
    // What hand-written templates got wrong the other way round.
    'misreads/template.yaml': HEADER + [
      'Parameters:',
      '  DbUser: {Type: String, Default: app}',
      '  DbPassword: {Type: String, NoEcho: true}',
      'Resources:',
      '  Sample:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      ROLE.trimEnd(),
      '      Environment:',
      '        Variables:',
      '          key: value',
      '  BootstrapVersionPath:',
      '    Type: AWS::SSM::Parameter',
      '    Properties:',
      '      Type: String',
      '      Name: /app/bootstrap/secret-path',
      '      Value: !Sub /cdk-bootstrap/${Qualifier}/version',
      '  Legacy:',
      '    Type: AWS::SSM::Parameter',
      '    Properties:',
      '      Type: String',
      '      Name: MYSECRET',
      `      Value: ${PASSWORD}`,
      '  Credentials:',
      '    Type: AWS::SecretsManager::Secret',
      '    Properties:',
      '      SecretString: !Sub \'{"username":"${DbUser}","password":"${DbPassword}"}\'',
      '',
    ].join('\n'),
  });
});

describe('keyless check over a folder of hand-written templates', () => {
  test('a folder holding Fn::ForEach templates is checked (exit 1 for its findings, not 2)', () => {
    expect(cli.code).toBe(1);
  });

  test('SAM: a password in Globals.Function.Environment is KL-AWS-05 on each function that does not override or ignore it', () => {
    expect(inCase(cli, 'KL-AWS-05', 'sam').map((h) => [h.resource, h.severity, new RegExp(`Lambda environment variable DB_PASSWORD of ${h.resource} holds a literal secret`).test(h.message)]))
      .toEqual([['Api', 'error', true], ['KeepsEnvironment', 'error', true]]);
    expect(anyInCase(cli, 'sam-clean')).toEqual([]);
  });

  test('Fn::FindInMap: a Ref key may pick the literal token (finding); a dynamic reference or a table name is not', () => {
    expect(inCase(cli, 'KL-AWS-05', 'findinmap').map((h) => [h.resource, /API_TOKEN of ByEnv holds a literal secret/.test(h.message)])).toEqual([['ByEnv', true]]);
  });

  test('Fn::If around Variables (KL-AWS-05) and around Policies (KL-TR-03): each branch is a possible deployment', () => {
    expect(inCase(cli, 'KL-AWS-05', 'if-blocks').map((h) => h.resource)).toEqual(['VariablesByCondition']);
    expect(inCase(cli, 'KL-TR-03', 'if-blocks').map((h) => [h.resource, /Loader inline policy "mint"/.test(h.message)])).toEqual([['Loader', true]]);
    expect(anyInCase(cli, 'if-blocks').map((h) => h.resource)).not.toContain('VariablesByConditionClean');
  });

  test('AWS::SSO::PermissionSet InlinePolicy as a JSON string: ForAnyValue on the audience is KL-TR-03', () => {
    expect(inCase(cli, 'KL-TR-03', 'sso').map((h) => [h.resource, h.severity, /DataEngineers InlinePolicy .*ForAnyValue/.test(h.message)])).toEqual([['DataEngineers', 'error', true]]);
  });

  test('misreads: key=value and a path with an undeclared ${Qualifier} are clean; MYSECRET is KL-AWS-06; the NoEcho password is named, not the user', () => {
    const hits = anyInCase(cli, 'misreads');
    expect(hits.map((h) => [h.ruleId, h.resource, h.severity]).sort()).toEqual([['KL-AWS-06', 'Credentials', 'error'], ['KL-AWS-06', 'Legacy', 'error']]);
    expect(hits.find((h) => h.resource === 'Legacy')?.message).toMatch(/parameter Legacy is named like a secret \("MYSECRET"\) and holds a literal value/);
    const credentials = hits.find((h) => h.resource === 'Credentials')?.message;
    expect(credentials).toMatch(/^Credentials stores the parameter DbPassword \(NoEcho\), a secret typed in at deploy time in SecretString \(value not shown\): the secret is typed in by whoever deploys the stack/);
    expect(credentials).not.toMatch(/DbUser|source control/);
  });

  test('no message prints a secret', () => {
    for (const h of cli.hits) {
      expect(h.message).not.toContain(TOKEN);
      expect(h.message).not.toContain(PASSWORD);
    }
  });
});

/** The loops get a folder of their own: before they were read, one such file made the whole folder exit 2. */
describe('keyless check over a folder with AWS::LanguageExtensions loops', () => {
  let loops: Awaited<ReturnType<typeof hclRoutes>>;

  beforeAll(async () => {
    loops = await hclRoutes({
      // Language extensions: one function per queue, and SSM parameters per environment from a list parameter.
      'foreach/template.yaml': HEADER + [
        'Transform: AWS::LanguageExtensions',
        'Parameters:',
        '  Stages: {Type: CommaDelimitedList, Default: "dev,prod"}',
        'Resources:',
        '  Fn::ForEach::Queues:',
        '    - Queue',
        '    - [Orders, Invoices]',
        '    - ${Queue}Worker:',
        '        Type: AWS::Lambda::Function',
        '        Properties:',
        ROLE.replace(/^ {6}/gm, '          ').trimEnd(),
        '          Environment:',
        '            Variables:',
        '              QUEUE: !Ref Queue',
        `              API_TOKEN: !Sub "${TOKEN}-\${Queue}"`,
        '  Reporter:',
        '    Type: AWS::Lambda::Function',
        '    Properties:',
        ROLE.trimEnd(),
        '      Environment:',
        '        Variables:',
        '          STAGE: prod',
        '          Fn::ForEach::Vendors:',
        '            - Vendor',
        '            - [STRIPE, OPENAI]',
        `            - \${Vendor}_PASSWORD: ${PASSWORD}`,
        '  Fn::ForEach::Stages:',
        '    - Stage',
        '    - !Ref Stages',
        '    - ${Stage}DbPassword:',
        '        Type: AWS::SSM::Parameter',
        '        Properties:',
        '          Type: String',
        '          Name: !Sub /app/${Stage}/db-password',
        `          Value: ${PASSWORD}`,
        '',
      ].join('\n'),
      'foreach-clean/template.yaml': HEADER + [
        'Transform: AWS::LanguageExtensions',
        'Resources:',
        '  Fn::ForEach::Tables:',
        '    - Name',
        '    - [Orders, Invoices]',
        '    - ${Name}Table:',
        '        Type: AWS::DynamoDB::Table',
        '        Properties:',
        '          TableName: !Ref Name',
        '          BillingMode: PAY_PER_REQUEST',
        '          KeySchema: [{AttributeName: id, KeyType: HASH}]',
        '          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]',
        '',
      ].join('\n'),
    });
  });

  test('the folder is checked: exit 1 for its findings, not 2', () => {
    expect(loops.code).toBe(1);
  });

  test('Fn::ForEach over a literal list: one finding per resource it creates, logical ids substituted; a loop in Variables, one per variable', () => {
    expect(inCase(loops, 'KL-AWS-05', 'foreach').map((h) => h.resource).sort()).toEqual(['InvoicesWorker', 'OrdersWorker', 'Reporter', 'Reporter']);
    expect(inCase(loops, 'KL-AWS-05', 'foreach').filter((h) => h.resource === 'Reporter').map((h) => /variable (\w+) of Reporter/.exec(h.message)?.[1]).sort())
      .toEqual(['OPENAI_PASSWORD', 'STRIPE_PASSWORD']);
    expect(anyInCase(loops, 'foreach-clean')).toEqual([]);
  });

  test('Fn::ForEach over a list parameter: the body is checked once, identifier unresolved, and a note says so', () => {
    expect(inCase(loops, 'KL-AWS-06', 'foreach').map((h) => [h.resource, h.severity])).toEqual([['${Stage}DbPassword', 'error']]);
    expect(loops.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/foreach\/template\.yaml: Resources\.Fn::ForEach::Stages loops over the parameter Stages, not a literal list: .* checked once, with Stage unresolved/),
    ]));
  });

  test('no message prints a secret', () => {
    for (const h of loops.hits) {
      expect(h.message).not.toContain(TOKEN);
      expect(h.message).not.toContain(PASSWORD);
    }
  });
});
