import { App, CfnElement, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FederatedWorkloadRole, OutboundWebIdentityFederation } from '../../lib/aws';
import { FederationPlan, TargetSpec, WorkloadCompute } from '../../lib/core/plan';
import { TargetKind } from '../../lib/core/target';
import { SigningAlgorithm } from '../../lib/core/token';
import { ensureHandlerCompiled, errorOf, ISSUER, OTHER_ISSUER } from './util';

beforeAll(ensureHandlerCompiled);

const ACCOUNT = '111122223333';
const plan = new FederationPlan({
  account: ACCOUNT,
  issuerUrl: ISSUER,
  workloads: [
    {
      name: 'etl',
      roleName: 'etl-runner',
      rolePath: '/workloads/',
      compute: WorkloadCompute.LAMBDA,
      targets: [
        { name: 'snowflake', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_SVC' },
        { name: 'entra', kind: TargetKind.ENTRA, entraApplication: 'etl-app', lifetimeSeconds: 600 },
      ],
    },
    { name: 'batch', roleName: 'batch', compute: WorkloadCompute.ECS_TASK, targets: [{ name: 'openai', kind: TargetKind.OPENAI, lifetimeSeconds: 120 }] },
    { name: 'vm', roleName: 'vm', compute: WorkloadCompute.EC2, targets: [{ name: 'anthropic', kind: TargetKind.ANTHROPIC }] },
    { name: 'custom', roleName: 'custom', targets: [{ name: 'oidc', kind: TargetKind.OIDC, audience: 'https://rp.example' }] },
  ],
});

function makeStack(account: string | null = ACCOUNT): Stack {
  return new Stack(new App(), 'Stack', account ? { env: { account, region: 'us-east-1' } } : {});
}

function only<T>(record: { [id: string]: T }): T {
  const values = Object.values(record);
  expect(values).toHaveLength(1);
  return values[0];
}

/** The statements of every role's `WebIdentityTokens` inline policy; token statements never sit elsewhere. */
function tokenStatements(stack: Stack): any[] {
  const template = Template.fromStack(stack);
  const elsewhere = Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => JSON.stringify(st.Action).includes('WebIdentityToken'));
  expect(elsewhere).toEqual([]);
  return Object.values(template.findResources('AWS::IAM::Role'))
    .flatMap((r: any) => r.Properties.Policies ?? [])
    .filter((p: any) => p.PolicyName === 'WebIdentityTokens')
    .flatMap((p: any) => p.PolicyDocument.Statement);
}

function strict(audience: string, algorithm: string, bound: number, sid?: string): any {
  return {
    ...(sid !== undefined ? { Sid: sid } : {}),
    Action: 'sts:GetWebIdentityToken',
    Effect: 'Allow',
    Resource: '*',
    Condition: {
      'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': [audience] },
      'Null': { 'sts:IdentityTokenAudience': 'false' },
      'StringEquals': { 'sts:SigningAlgorithm': algorithm },
      [bound >= 300 ? 'NumericLessThanEqualsIfExists' : 'NumericLessThanEquals']: { 'sts:DurationSeconds': String(bound) },
    },
  };
}

describe('FederatedWorkloadRole.fromPlan', () => {
  test('role name, path, trust and one strict statement per target, all in ONE resource (inline policy)', () => {
    const stack = makeStack();
    const role = FederatedWorkloadRole.fromPlan(stack, 'EtlRole', plan, 'etl');
    const template = Template.fromStack(stack);
    // one CloudFormation resource per workload: no DefaultPolicy (AWS::IAM::Policy) beside the role
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type)).toEqual(['AWS::IAM::Role']);
    const resource = only(template.findResources('AWS::IAM::Role'));
    expect(resource.Properties).toEqual({
      Policies: [{
        PolicyName: 'WebIdentityTokens',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            strict('snowflakecomputing.com', 'ES384', 300, 'MintTokenForSnowflake'),
            strict('api://AzureADTokenExchange', 'RS256', 600, 'MintTokenForEntra'),
          ],
        },
      }],
      RoleName: 'etl-runner',
      Path: '/workloads/',
      MaxSessionDuration: 3600,
      Description: 'cdk-keyless workload etl',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
    });
    expect(tokenStatements(stack)).toEqual([
      strict('snowflakecomputing.com', 'ES384', 300, 'MintTokenForSnowflake'),
      strict('api://AzureADTokenExchange', 'RS256', 600, 'MintTokenForEntra'),
    ]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/ForAnyValue/i);
    expect(role.workloadName).toBe('etl');
  });

  test('subject is the plan\'s role ARN, a plain string', () => {
    const role = FederatedWorkloadRole.fromPlan(makeStack(), 'EtlRole', plan, 'etl');
    expect(role.subject).toBe('arn:aws:iam::111122223333:role/workloads/etl-runner');
    expect(role.subject).toBe(plan.workload('etl').roleArn);
    expect(role.issuerUrl).toBe(ISSUER);
  });

  test('the deployed role ARN resolves to the same string as the subject', () => {
    const stack = makeStack();
    const role = FederatedWorkloadRole.fromPlan(stack, 'EtlRole', plan, 'etl');
    // The role ARN CloudFormation returns is arn:<partition>:iam::<account>:role<path><name>.
    const resource = only(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(`arn:aws:iam::${ACCOUNT}:role${resource.Properties.Path}${resource.Properties.RoleName}`).toBe(role.subject);
  });

  test('token requests and the environment for the workload code', () => {
    const role = FederatedWorkloadRole.fromPlan(makeStack(), 'EtlRole', plan, 'etl');
    expect(role.targetNames).toEqual(['snowflake', 'entra']);
    expect(role.tokenRequest('snowflake')).toEqual({ audience: 'snowflakecomputing.com', signingAlgorithm: SigningAlgorithm.ES384, durationSeconds: 300 });
    expect(role.tokenRequests).toEqual({
      snowflake: { audience: 'snowflakecomputing.com', signingAlgorithm: 'ES384', durationSeconds: 300 },
      entra: { audience: 'api://AzureADTokenExchange', signingAlgorithm: 'RS256', durationSeconds: 600 },
    });
    expect(role.tokenEnvironment()).toEqual({
      KEYLESS_SNOWFLAKE_AUDIENCE: 'snowflakecomputing.com',
      KEYLESS_SNOWFLAKE_SIGNING_ALGORITHM: 'ES384',
      KEYLESS_SNOWFLAKE_DURATION_SECONDS: '300',
      KEYLESS_ENTRA_AUDIENCE: 'api://AzureADTokenExchange',
      KEYLESS_ENTRA_SIGNING_ALGORITHM: 'RS256',
      KEYLESS_ENTRA_DURATION_SECONDS: '600',
    });
    expect(Object.keys(role.tokenEnvironment('APP'))[0]).toBe('APP_SNOWFLAKE_AUDIENCE');
  });

  test('a Lambda function runs as the role with the token environment', () => {
    const stack = makeStack();
    const role = FederatedWorkloadRole.fromPlan(stack, 'EtlRole', plan, 'etl');
    new lambda.Function(stack, 'Etl', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      role,
      environment: role.tokenEnvironment(),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EtlRole'), 'Arn'] },
      Environment: { Variables: Match.objectLike({ KEYLESS_SNOWFLAKE_AUDIENCE: 'snowflakecomputing.com', KEYLESS_ENTRA_DURATION_SECONDS: '600' }) },
    });
  });

  test.each([
    ['batch', 'ecs-tasks.amazonaws.com'],
    ['vm', 'ec2.amazonaws.com'],
  ])('compute of %s picks %s', (workload, service) => {
    const stack = makeStack();
    FederatedWorkloadRole.fromPlan(stack, 'Role', plan, workload);
    expect(only(Template.fromStack(stack).findResources('AWS::IAM::Role')).Properties.AssumeRolePolicyDocument.Statement)
      .toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: service } }]);
  });

  test('a lifetime below 300 s requires DurationSeconds', () => {
    const stack = makeStack();
    FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'batch');
    expect(tokenStatements(stack)).toEqual([strict('https://api.openai.com/v1', 'RS256', 120, 'MintTokenForOpenai')]);
  });

  test('compute "other" needs assumedBy', () => {
    const e = errorOf(() => FederatedWorkloadRole.fromPlan(makeStack(), 'Custom', plan, 'custom'));
    expect(e.rule).toBe('workload.principal');
    expect(e.path).toBe('Stack/Custom');
    expect(e.property).toBe('assumedBy');
    const stack = makeStack();
    FederatedWorkloadRole.fromPlan(stack, 'Custom', plan, 'custom', { assumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/runner') });
    expect(only(Template.fromStack(stack).findResources('AWS::IAM::Role')).Properties.AssumeRolePolicyDocument.Statement[0].Principal)
      .toEqual({ AWS: 'arn:aws:iam::111122223333:role/runner' });
  });

  test('assumedBy overrides the compute principal', () => {
    const stack = makeStack();
    FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    expect(only(Template.fromStack(stack).findResources('AWS::IAM::Role')).Properties.AssumeRolePolicyDocument.Statement[0].Principal)
      .toEqual({ Service: 'states.amazonaws.com' });
  });

  test('a stack in another account is refused: the ARN would not be the plan\'s', () => {
    const e = errorOf(() => FederatedWorkloadRole.fromPlan(makeStack('444455556666'), 'EtlRole', plan, 'etl'));
    expect(e.rule).toBe('workload.account-mismatch');
    expect(e.path).toBe('Stack/EtlRole');
    expect(e.property).toBe('plan.account');
    expect(e.message).toContain('this stack deploys to 444455556666');
  });

  test('an environment-agnostic stack keeps the plan\'s subject and warns', () => {
    const stack = makeStack(null);
    const role = FederatedWorkloadRole.fromPlan(stack, 'EtlRole', plan, 'etl');
    expect(role.subject).toBe('arn:aws:iam::111122223333:role/workloads/etl-runner');
    Annotations.fromStack(stack).hasWarning('/Stack/EtlRole', Match.stringLikeRegexp("deploy Stack/EtlRole only to the plan's account 111122223333"));
  });

  test('an unknown workload is named with the construct path', () => {
    const e = errorOf(() => FederatedWorkloadRole.fromPlan(makeStack(), 'Role', plan, 'nope'));
    expect(e.rule).toBe('plan.workload-exists');
    expect(e.path).toBe('Stack/Role');
    expect(e.property).toBe('workloadName');
  });

  test('plan and workload fields together are refused', () => {
    const e = errorOf(() => new FederatedWorkloadRole(makeStack(), 'Role', { plan, workloadName: 'etl', roleName: 'x' }));
    expect(e.rule).toBe('workload.plan-conflict');
    expect(e.property).toBe('roleName');
    expect(errorOf(() => new FederatedWorkloadRole(makeStack(), 'Role', { plan })).rule).toBe('workload.name-required');
    expect(errorOf(() => new FederatedWorkloadRole(makeStack(), 'Role', { workloadName: 'etl' })).rule).toBe('workload.plan-required');
  });

  test.each([[Duration.hours(13), '46800 seconds'], [Duration.minutes(30), '1800 seconds']])('maxSessionDuration %s is refused', (d, shown) => {
    const e = errorOf(() => FederatedWorkloadRole.fromPlan(makeStack(), 'Role', plan, 'etl', { maxSessionDuration: d }));
    expect(e.rule).toBe('role.max-session-duration');
    expect(e.message).toBe(`Stack/Role: invalid maxSessionDuration "${shown}": a role session lasts 1 to 12 hours [rule role.max-session-duration]`);
  });

  test('maxSessionDuration within bounds is kept', () => {
    const stack = makeStack();
    FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl', { maxSessionDuration: Duration.hours(2) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 7200 });
  });

  test('an unknown target name', () => {
    const role = FederatedWorkloadRole.fromPlan(makeStack(), 'Role', plan, 'etl');
    const e = errorOf(() => role.tokenRequest('openai'));
    expect(e.rule).toBe('workload.target-exists');
    expect(e.message).toContain('["snowflake","entra"]');
  });

  test('a bad environment prefix', () => {
    const role = FederatedWorkloadRole.fromPlan(makeStack(), 'Role', plan, 'etl');
    expect(errorOf(() => role.tokenEnvironment('lower')).rule).toBe('workload.env-prefix');
  });

  test('grantWebIdentityToken adds one more strict statement to this role', () => {
    const stack = makeStack();
    const role = FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl');
    const grant = role.grantWebIdentityToken({ audiences: ['https://rp.example'], signingAlgorithm: SigningAlgorithm.RS256, maxLifetimeSeconds: 900 });
    // the grant lives in the role's inline policy, so depending on it means depending on the role
    grant.applyBefore(new CfnResource(stack, 'Consumer', { type: 'Custom::Consumer' }));
    expect(grant.success).toBe(true);
    expect(tokenStatements(stack)).toHaveLength(3);
    expect(tokenStatements(stack)[2]).toEqual(strict('https://rp.example', 'RS256', 900));
    expect(grant.principalStatements.map((st) => st.toStatementJson())).toEqual([strict('https://rp.example', 'RS256', 900)]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(template.toJSON().Resources.Consumer.DependsOn).toEqual([stack.getLogicalId(role.node.defaultChild as CfnElement)]);
  });

  test('extra grants are validated like target statements', () => {
    const role = FederatedWorkloadRole.fromPlan(makeStack(), 'Role', plan, 'etl');
    const e = errorOf(() => role.grantWebIdentityToken({ audiences: [], signingAlgorithm: SigningAlgorithm.RS256 }));
    expect([e.rule, e.property, e.path]).toEqual(['audience.count', 'audiences', 'Stack/Role']);
  });

  test('other grants on the role still go to its DefaultPolicy; token statements stay inline', () => {
    const stack = makeStack();
    const role = FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'batch');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
    const policy = only(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::bucket/*' }]);
    expect(tokenStatements(stack)).toEqual([strict('https://api.openai.com/v1', 'RS256', 120, 'MintTokenForOpenai')]);
  });

  test('Sids are MintTokenFor + the target name in PascalCase, letters and digits only, unique', () => {
    const stack = makeStack();
    new FederatedWorkloadRole(stack, 'Role', {
      roleName: 'svc',
      compute: WorkloadCompute.LAMBDA,
      targets: [
        { name: 'warehouse-primary_eu2', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'SVC' },
        { name: 'a-b', kind: TargetKind.OIDC, audience: 'https://a.example' },
        { name: 'a_b', kind: TargetKind.OIDC, audience: 'https://b.example' },
        { name: 'A__B', kind: TargetKind.OIDC, audience: 'https://c.example' },
        { name: 'AB5', kind: TargetKind.OIDC, audience: 'https://d.example' },
        { name: 'ab', kind: TargetKind.OIDC, audience: 'https://e.example' },
      ],
    });
    const sids = tokenStatements(stack).map((st) => st.Sid);
    expect(sids).toEqual(['MintTokenForWarehousePrimaryEu2', 'MintTokenForAB', 'MintTokenForAB3', 'MintTokenForAB4', 'MintTokenForAB5', 'MintTokenForAb6']);
    expect(new Set(sids.map((sid) => sid.toLowerCase())).size).toBe(sids.length);
    for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
  });
});

describe('federation and issuer consistency', () => {
  test('the role is deployed after the federation it uses', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation', { expectedIssuerUrl: ISSUER });
    FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl', { federation: fed });
    const template = Template.fromStack(stack);
    const fedId = Object.keys(template.findResources('Custom::KeylessOutboundWebIdentityFederation'))[0];
    const role = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'etl-runner' } }))[0] as any;
    expect(role.DependsOn).toContain(fedId);
  });

  test('a federation pinned to another issuer is refused', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation', { expectedIssuerUrl: OTHER_ISSUER });
    const e = errorOf(() => FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl', { federation: fed }));
    expect(e.rule).toBe('workload.issuer-mismatch');
    expect(e.property).toBe('federation');
  });

  test('an imported federation with another issuer is refused', () => {
    const stack = makeStack();
    const fed = OutboundWebIdentityFederation.fromIssuerUrl(stack, 'Federation', OTHER_ISSUER);
    expect(errorOf(() => FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl', { federation: fed })).rule).toBe('workload.issuer-mismatch');
  });

  test('an unpinned federation gets a warning', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation');
    FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl', { federation: fed });
    Annotations.fromStack(stack).hasWarning('/Stack/Role', Match.stringLikeRegexp('set expectedIssuerUrl'));
  });
});

describe('FederatedWorkloadRole from props', () => {
  const targets: TargetSpec[] = [{ name: 'snowflake', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'SVC' }];

  test('a concrete stack account gives a concrete subject', () => {
    const stack = makeStack();
    const role = new FederatedWorkloadRole(stack, 'Role', { roleName: 'svc', rolePath: '/apps/', targets, compute: WorkloadCompute.LAMBDA });
    expect(role.subject).toBe('arn:aws:iam::111122223333:role/apps/svc');
    expect(role.issuerUrl).toBeUndefined();
    expect(tokenStatements(stack)).toEqual([strict('snowflakecomputing.com', 'ES384', 300, 'MintTokenForSnowflake')]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'svc', Path: '/apps/', Description: 'cdk-keyless workload svc' });
  });

  test('the partition follows a concrete region', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'cn-north-1' } });
    const role = new FederatedWorkloadRole(stack, 'Role', { roleName: 'svc', targets, compute: WorkloadCompute.LAMBDA });
    expect(role.subject).toBe('arn:aws-cn:iam::111122223333:role/svc');
  });

  test('a plan for another partition is refused', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
    const e = errorOf(() => FederatedWorkloadRole.fromPlan(stack, 'Role', plan, 'etl'));
    expect(e.rule).toBe('workload.partition-mismatch');
    expect(e.property).toBe('plan.partition');
  });

  test('an unknown account gives a deploy-time subject built from the name and path', () => {
    const stack = makeStack(null);
    const role = new FederatedWorkloadRole(stack, 'Role', { roleName: 'svc', targets, compute: WorkloadCompute.LAMBDA, issuerUrl: ISSUER });
    expect(stack.resolve(role.subject)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/svc']] });
    expect(role.issuerUrl).toBe(ISSUER);
  });

  test('the federation supplies the issuer when not given', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation');
    const role = new FederatedWorkloadRole(stack, 'Role', { roleName: 'svc', targets, compute: WorkloadCompute.LAMBDA, federation: fed });
    expect(role.issuerUrl).toBe(fed.issuerUrl);
  });

  test('account mismatch with the stack', () => {
    const e = errorOf(() => new FederatedWorkloadRole(makeStack(), 'Role', { roleName: 'svc', targets, compute: WorkloadCompute.LAMBDA, account: '444455556666' }));
    expect(e.rule).toBe('workload.account-mismatch');
    expect(e.path).toBe('Stack/Role');
    expect(e.property).toBe('account');
  });

  test.each([
    [{ roleName: undefined }, 'roleName', 'workload.role-name'],
    [{ roleName: 'bad name' }, 'roleName', 'role.name'],
    [{ rolePath: 'apps' }, 'rolePath', 'role.path'],
    [{ account: '1234' }, 'account', 'account.format'],
    [{ issuerUrl: `${ISSUER}/` }, 'issuerUrl', 'issuer.trailing-slash'],
    [{ issuerUrl: 'http://issuer.example.com' }, 'issuerUrl', 'issuer.https'],
    [{ targets: [] }, 'targets', 'plan.targets'],
    [{ targets: [{ name: 'sf', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'SVC', lifetimeSeconds: 59 }] }, 'targets[0].lifetimeSeconds', 'lifetime.range'],
    [{ targets: [{ name: 'sf', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'SVC', lifetimeSeconds: 3601 }] }, 'targets[0].lifetimeSeconds', 'lifetime.range'],
    [{ targets: [{ name: 'sf', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'SVC', signingAlgorithm: SigningAlgorithm.RS256 }] }, 'targets[0].signingAlgorithm', 'target.algorithm'],
    [{ targets: [{ name: 'o', kind: TargetKind.OIDC, audience: 'a'.repeat(1001) }] }, 'targets[0].audience', 'audience.length'],
    [{ targets: [{ name: 'o', kind: TargetKind.OIDC, signingAlgorithm: 'HS256' as SigningAlgorithm, audience: 'x' }] }, 'targets[0].signingAlgorithm', 'signing-algorithm.known'],
  ] as [Record<string, unknown>, string, string][])('%j -> %s %s', (override, property, rule) => {
    const e = errorOf(() => new FederatedWorkloadRole(makeStack(), 'Role', { roleName: 'svc', targets, compute: WorkloadCompute.LAMBDA, ...override }));
    expect(e.path).toBe('Stack/Role');
    expect(e.property).toBe(property);
    expect(e.rule).toBe(rule);
    expect(e.message.startsWith(`Stack/Role: invalid ${property} `)).toBe(true);
  });

  test('bad input yields the named error and no role', () => {
    const stack = makeStack();
    expect(() => new FederatedWorkloadRole(stack, 'Role', { roleName: 'bad name', targets, compute: WorkloadCompute.LAMBDA })).toThrow(/\[rule role\.name\]/);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Role')).toEqual({});
  });

  test('target names that map to the same variables are refused', () => {
    const role = new FederatedWorkloadRole(makeStack(), 'Role', {
      roleName: 'svc',
      compute: WorkloadCompute.LAMBDA,
      targets: [{ name: 'rp-a', kind: TargetKind.OIDC, audience: 'x' }, { name: 'rp_a', kind: TargetKind.OIDC, audience: 'y' }],
    });
    expect(errorOf(() => role.tokenEnvironment()).rule).toBe('workload.env-collision');
  });
});
