/**
 * AWS SAM functions and state machines get an execution role SAM creates from their `Policies`: inline policy
 * documents, AWS managed policy names or ARNs, and SAM policy templates, one value or a list. KL-TR-03/04 read them as
 * they read an IAM role's policies; the trust of that role (`AssumeRolePolicyDocument`, also from `Globals.Function`)
 * is read by KL-TR-01/02. With `Role` set SAM creates no role, so `Policies` is not read. Shapes follow the SAM
 * developer guide's examples and serverless-patterns templates. Routes: CDK (the aws-sam L1 and an escape hatch) and
 * `keyless check` over YAML SAM templates.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as sam from 'aws-cdk-lib/aws-sam';
import { anyAt, anyInCase, at, cdkRoutes, GITHUB, GITHUB_PROVIDER_ARN, hclRoutes, inCase, RouteResult } from './harness';

const STRICT = {
  'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
  'Null': { 'sts:IdentityTokenAudience': 'false' },
  'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
  'NumericLessThanEquals': { 'sts:DurationSeconds': 900 },
};
const strictMint = { Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: STRICT };
const code = { bucket: 'artifacts', key: 'app.zip' };

let cdk: RouteResult;

beforeAll(() => {
  cdk = cdkRoutes((app: App) => {
    const stack = new Stack(app, 'Sam');
    // L1: an AWS managed policy by name, as the SAM guide writes it.
    new sam.CfnFunction(stack, 'Admin', { runtime: 'python3.12', handler: 'app.handler', codeUri: code, policies: ['AWSLambdaBasicExecutionRole', 'AdministratorAccess'] });
    // Escape hatch: an inline statement with ForAnyValue on the audience.
    new sam.CfnFunction(stack, 'Loader', { runtime: 'python3.12', handler: 'app.handler', codeUri: code })
      .addPropertyOverride('Policies', [{ Statement: [{ ...strictMint, Condition: { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] } } }] }]);
    new sam.CfnFunction(stack, 'Clean', {
      runtime: 'python3.12', handler: 'app.handler', codeUri: code,
      policies: ['AWSLambdaBasicExecutionRole', { sqsPollerPolicy: { queueName: 'orders' } }, { statement: [strictMint] }],
    });
  });
});

describe('CDK: SAM function Policies', () => {
  test('AdministratorAccess by name is KL-TR-03 on the function, naming the ARN SAM attaches', () => {
    expect(at(cdk, 'KL-TR-03', 'Sam/Admin').map((h) => [h.resource, h.severity, h.message.split(', which')[0]])).toEqual([
      ['Admin', 'error', 'Admin Policies attaches the AWS managed policy arn:${Partition}:iam::aws:policy/AdministratorAccess'],
    ]);
  });

  test('an inline statement (escape hatch) with ForAnyValue on the audience is KL-TR-03', () => {
    expect(at(cdk, 'KL-TR-03', 'Sam/Loader').map((h) => [h.resource, /^Loader Policies #1 statement #1 allows sts:GetWebIdentityToken but binds sts:IdentityTokenAudience with ForAnyValue:StringEquals/.test(h.message)]))
      .toEqual([['Loader', true]]);
  });

  test('a basic execution policy, a policy template and the strict grant: no finding', () => {
    expect(anyAt(cdk, 'Sam/Clean')).toEqual([]);
  });
});

const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n';
const FN = (handler: string) => [
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  `      Handler: ${handler}`,
  '      Runtime: python3.12',
  '      CodeUri: src/',
];

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({
    'functions/template.yaml': HEADER + [
      'Parameters:',
      '  ExtraPolicyArn: {Type: String}',
      'Resources:',
      '  Table:',
      '    Type: AWS::Serverless::SimpleTable',
      '  Minter:',
      ...FN('mint.handler'),
      '      Policies:',
      '        - DynamoDBCrudPolicy:',
      '            TableName: !Ref Table',
      '        - Version: "2012-10-17"',
      '          Statement:',
      '            - Effect: Allow',
      '              Action: sts:GetWebIdentityToken',
      '              Resource: "*"',
      '  PowerUser:',
      ...FN('ops.handler'),
      '      Policies: arn:aws:iam::aws:policy/PowerUserAccess',
      '  Extra:',
      ...FN('extra.handler'),
      '      Policies:',
      '        - !Ref ExtraPolicyArn',
      '  OwnRole:',
      ...FN('own.handler'),
      '      Role: arn:aws:iam::111122223333:role/app',
      '  Strict:',
      ...FN('strict.handler'),
      '      Policies:',
      '        - AWSLambdaBasicExecutionRole',
      '        - SQSPollerPolicy: {QueueName: orders}',
      `        - Statement: [${JSON.stringify(strictMint)}]`,
      '  Workflow:',
      '    Type: AWS::Serverless::StateMachine',
      '    Properties:',
      '      DefinitionUri: statemachine/flow.asl.json',
      '      Policies: [AdministratorAccess]',
      '',
    ].join('\n'),
    // Globals.Function.AssumeRolePolicyDocument: the trust of every role SAM creates, here open to any repository.
    'trust/template.yaml': HEADER + [
      'Globals:',
      '  Function:',
      '    AssumeRolePolicyDocument:',
      '      Version: "2012-10-17"',
      '      Statement:',
      '        - Effect: Allow',
      `          Principal: {Federated: "${GITHUB_PROVIDER_ARN}"}`,
      '          Action: sts:AssumeRoleWithWebIdentity',
      `          Condition: {StringEquals: {"${GITHUB}:aud": sts.amazonaws.com}}`,
      'Resources:',
      '  Deployer:',
      ...FN('deploy.handler'),
      '  WithRole:',
      ...FN('other.handler'),
      '      Role: arn:aws:iam::111122223333:role/app',
      '',
    ].join('\n'),
  });
});

describe('keyless check: SAM Policies and the trust of the role SAM creates (YAML)', () => {
  test('an inline statement next to a policy template is KL-TR-03 (and KL-TR-04), named by its place in Policies', () => {
    expect(inCase(cli, 'KL-TR-03', 'functions').filter((h) => h.resource === 'Minter').map((h) => [h.severity, /^Minter Policies #2 statement #1 allows sts:GetWebIdentityToken but has no condition on sts:IdentityTokenAudience/.test(h.message)]))
      .toEqual([['error', true]]);
    expect(inCase(cli, 'KL-TR-04', 'functions').map((h) => [h.resource, h.severity])).toEqual([['Minter', 'warning']]);
  });

  test('AWS managed policies by ARN (a single string) and by name in a list, on a function and a state machine, are KL-TR-03', () => {
    const managed = inCase(cli, 'KL-TR-03', 'functions').filter((h) => h.resource !== 'Minter');
    expect(managed.map((h) => [h.resource, h.message.split(', which')[0]]).sort()).toEqual([
      ['PowerUser', 'PowerUser Policies attaches the AWS managed policy arn:aws:iam::aws:policy/PowerUserAccess'],
      ['Workflow', 'Workflow Policies attaches the AWS managed policy arn:${Partition}:iam::aws:policy/AdministratorAccess'],
    ]);
  });

  test('a policy ARN from a parameter is not guessed at: a note names it; a function with its own Role and the strict one are clean', () => {
    expect(cli.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/functions\/template\.yaml: Extra \(AWS::Serverless::Function\): Policies attaches the managed policy .*ExtraPolicyArn.*, whose ARN comes from the parameter ExtraPolicyArn; KL-TR-03 could not check/),
    ]));
    expect(anyInCase(cli, 'functions').filter((h) => ['Extra', 'OwnRole', 'Strict'].includes(h.resource))).toEqual([]);
  });

  test('Globals.Function.AssumeRolePolicyDocument without a sub pin is KL-TR-02 on each function whose role SAM creates', () => {
    expect(inCase(cli, 'KL-TR-02', 'trust').map((h) => [h.resource, h.severity, /^role Deployer AssumeRolePolicyDocument statement #1 \(OIDC provider token\.actions\.githubusercontent\.com\) has no token\.actions\.githubusercontent\.com:sub condition/.test(h.message)]))
      .toEqual([['Deployer', 'error', true]]);
    expect(inCase(cli, 'KL-TR-01', 'trust')).toEqual([]);
  });
});
