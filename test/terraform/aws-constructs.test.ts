import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { FederatedWorkloadRole } from '../../lib/aws/workload-role';
import { OidcTrustRole } from '../../lib/aws/oidc-trust-role';
import { FederationPlan, WorkloadCompute } from '../../lib/core/plan';
import { SubjectFilter } from '../../lib/core/subject';
import { SigningAlgorithm } from '../../lib/core/token';
import { TargetKind } from '../../lib/core/target';
import { TerraformOutboundWebIdentityFederation } from '../../lib/terraform/aws/outbound-federation';
import { TerraformFederatedWorkloadRole } from '../../lib/terraform/aws/workload-role';
import { TerraformOidcTrustRole } from '../../lib/terraform/aws/oidc-trust-role';
import { errorOf } from '../support/validation-error';
import { ACCOUNT, ISSUER, samplePlan } from './support/harness';

function awsStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'Aws');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

function only(json: any, type: string): any {
  const all = Object.values(json.resource?.[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

const lambdaPlan = (): FederationPlan => new FederationPlan({
  account: ACCOUNT,
  issuerUrl: ISSUER,
  workloads: [{
    name: 'etl',
    roleName: 'etl-role',
    rolePath: '/workloads/',
    compute: WorkloadCompute.LAMBDA,
    targets: [
      { name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_USER' },
      { name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'data-platform', lifetimeSeconds: 120 },
    ],
  }],
});

describe('TerraformOutboundWebIdentityFederation: the account switch as aws_iam_outbound_web_identity_federation', () => {
  test('fromPlan: no arguments, prevent_destroy, a postcondition on the plan\'s issuer, and the provider pinned to >= 6.26.0', () => {
    const stack = awsStack();
    const federation = TerraformOutboundWebIdentityFederation.fromPlan(stack, 'Federation', samplePlan());
    const json = synth(stack);
    const resource = only(json, 'aws_iam_outbound_web_identity_federation');
    expect(resource).toEqual({
      lifecycle: {
        prevent_destroy: true,
        postcondition: [{
          condition: `\${self.issuer_identifier == "${ISSUER}"}`,
          error_message: expect.stringContaining(`is not ${ISSUER}`),
        }],
      },
    });
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '>= 6.26.0' });
    expect(TerraformOutboundWebIdentityFederation.REQUIRED_PROVIDER_VERSION).toBe('>= 6.26.0');
    expect(federation.expectedIssuerUrl).toBe(ISSUER);
  });

  test('issuerUrl is the resource\'s issuer_identifier attribute', () => {
    const stack = awsStack();
    const federation = new TerraformOutboundWebIdentityFederation(stack, 'Federation');
    new TerraformVariable(stack, 'issuer', { default: federation.issuerUrl });
    const json = synth(stack);
    const [address] = Object.keys(json.resource.aws_iam_outbound_web_identity_federation);
    expect(json.variable.issuer.default).toBe(`\${aws_iam_outbound_web_identity_federation.${address}.issuer_identifier}`);
    expect(only(json, 'aws_iam_outbound_web_identity_federation')).toEqual({ lifecycle: { prevent_destroy: true } });
  });

  test('allowDisableOnDestroy drops prevent_destroy (destroy then disables the account\'s federation)', () => {
    const stack = awsStack();
    new TerraformOutboundWebIdentityFederation(stack, 'Federation', { allowDisableOnDestroy: true });
    expect(only(synth(stack), 'aws_iam_outbound_web_identity_federation')).toEqual({ lifecycle: { prevent_destroy: false } });
  });

  test('an expected issuer with a trailing slash is refused at synth, naming path, property and rule', () => {
    const e = errorOf(() => new TerraformOutboundWebIdentityFederation(awsStack(), 'Federation', { expectedIssuerUrl: `${ISSUER}/` }));
    expect([e.path, e.property, e.rule]).toEqual(['Aws/Federation', 'expectedIssuerUrl', 'issuer.trailing-slash']);
  });
});

describe('TerraformFederatedWorkloadRole: the plan\'s role with one strict minting statement per target', () => {
  test('aws_iam_role with the plan\'s name and path, the compute\'s trust and a postcondition on the plan\'s ARN', () => {
    const stack = awsStack();
    const role = TerraformFederatedWorkloadRole.fromPlan(stack, 'Etl', lambdaPlan(), 'etl');
    const json = synth(stack);
    const r = only(json, 'aws_iam_role');
    expect(r.name).toBe('etl-role');
    expect(r.path).toBe('/workloads/');
    expect(r.max_session_duration).toBe(3600);
    expect(r.description).toBe('cdk-keyless workload etl');
    expect(JSON.parse(r.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(r.lifecycle.postcondition).toEqual([{ condition: '${self.arn == "arn:aws:iam::111122223333:role/workloads/etl-role"}', error_message: expect.stringContaining('another account than the plan\'s 111122223333') }]);
    expect(role.subject).toBe('arn:aws:iam::111122223333:role/workloads/etl-role');
    expect(role.issuerUrl).toBe(ISSUER);
  });

  test('the WebIdentityTokens policy: per target audience, algorithm and lifetime, ForAllValues + Null, the lifetime operator decided like the CDK grant', () => {
    const stack = awsStack();
    TerraformFederatedWorkloadRole.fromPlan(stack, 'Etl', lambdaPlan(), 'etl');
    const json = synth(stack);
    const policy = only(json, 'aws_iam_role_policy');
    const [roleAddress] = Object.keys(json.resource.aws_iam_role);
    expect(policy.name).toBe('WebIdentityTokens');
    expect(policy.role).toBe(`\${aws_iam_role.${roleAddress}.name}`);
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'MintTokenForWarehouse', Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
            'Null': { 'sts:IdentityTokenAudience': 'false' },
            'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
            'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
          },
        },
        {
          Sid: 'MintTokenForGraph', Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['api://AzureADTokenExchange'] },
            'Null': { 'sts:IdentityTokenAudience': 'false' },
            'StringEquals': { 'sts:SigningAlgorithm': 'RS256' },
            // below the 300 s STS default: the caller must send DurationSeconds
            'NumericLessThanEquals': { 'sts:DurationSeconds': '120' },
          },
        },
      ],
    });
  });

  test('one core: the Terraform statements are exactly the CDK role\'s for the same plan', () => {
    const plan = lambdaPlan();
    const stack = awsStack();
    TerraformFederatedWorkloadRole.fromPlan(stack, 'Etl', plan, 'etl');
    const tf = JSON.parse(only(synth(stack), 'aws_iam_role_policy').policy).Statement;

    const cdkStack = new Stack(new CdkApp({ builtinCloudFormationValidation: false }), 'Cdk', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    FederatedWorkloadRole.fromPlan(cdkStack, 'Etl', plan, 'etl');
    const roles = Template.fromStack(cdkStack).findResources('AWS::IAM::Role');
    const cdk = (Object.values(roles)[0] as any).Properties.Policies[0].PolicyDocument.Statement;
    expect(tf.map((s: any) => [s.Sid, s.Action, s.Resource, s.Condition])).toEqual(cdk.map((s: any) => [s.Sid, s.Action, s.Resource, s.Condition]));
  });

  test('tokenEnvironment and tokenRequest match the CDK role\'s', () => {
    const role = TerraformFederatedWorkloadRole.fromPlan(awsStack(), 'Etl', lambdaPlan(), 'etl');
    expect(role.tokenEnvironment()).toEqual({
      KEYLESS_WAREHOUSE_AUDIENCE: 'snowflakecomputing.com',
      KEYLESS_WAREHOUSE_SIGNING_ALGORITHM: 'ES384',
      KEYLESS_WAREHOUSE_DURATION_SECONDS: '300',
      KEYLESS_GRAPH_AUDIENCE: 'api://AzureADTokenExchange',
      KEYLESS_GRAPH_SIGNING_ALGORITHM: 'RS256',
      KEYLESS_GRAPH_DURATION_SECONDS: '120',
    });
    expect(role.tokenRequest('graph')).toEqual({ audience: 'api://AzureADTokenExchange', signingAlgorithm: 'RS256', durationSeconds: 120 });
    const e = errorOf(() => role.tokenRequest('nope'));
    expect([e.path, e.property, e.rule]).toEqual(['Aws/Etl', 'targetName', 'workload.target-exists']);
  });

  test('federation: the role depends on the switch; a switch expecting another issuer is refused', () => {
    const stack = awsStack();
    const federation = TerraformOutboundWebIdentityFederation.fromPlan(stack, 'Federation', lambdaPlan());
    TerraformFederatedWorkloadRole.fromPlan(stack, 'Etl', lambdaPlan(), 'etl', { federation });
    const json = synth(stack);
    const [address] = Object.keys(json.resource.aws_iam_outbound_web_identity_federation);
    expect(only(json, 'aws_iam_role').depends_on).toEqual([`aws_iam_outbound_web_identity_federation.${address}`]);

    const other = new TerraformOutboundWebIdentityFederation(stack, 'Other', { expectedIssuerUrl: 'https://0b5e2c1d-0000-4000-8000-000000000001.tokens.sts.global.api.aws' });
    const e = errorOf(() => TerraformFederatedWorkloadRole.fromPlan(stack, 'Etl2', lambdaPlan(), 'etl', { federation: other }));
    expect([e.path, e.property, e.rule]).toEqual(['Aws/Etl2', 'federation', 'workload.issuer-mismatch']);
  });

  test('grantWebIdentityToken adds one strict statement after construction', () => {
    const stack = awsStack();
    const role = TerraformFederatedWorkloadRole.fromPlan(stack, 'Etl', lambdaPlan(), 'etl');
    role.grantWebIdentityToken({ audiences: ['https://api.openai.com/v1'], signingAlgorithm: SigningAlgorithm.RS256, maxLifetimeSeconds: 900 });
    const statements = JSON.parse(only(synth(stack), 'aws_iam_role_policy').policy).Statement;
    expect(statements).toHaveLength(3);
    expect(statements[2]).toEqual({
      Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['https://api.openai.com/v1'] },
        'Null': { 'sts:IdentityTokenAudience': 'false' },
        'StringEquals': { 'sts:SigningAlgorithm': 'RS256' },
        'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '900' },
      },
    });
  });

  test('the grant refuses what the CDK grant refuses, with the same rule, and an audience Terraform would evaluate', () => {
    const role = TerraformFederatedWorkloadRole.fromPlan(awsStack(), 'Etl', lambdaPlan(), 'etl');
    const tooMany = errorOf(() => role.grantWebIdentityToken({ audiences: Array.from({ length: 11 }, (_, i) => `aud-${i}`), signingAlgorithm: SigningAlgorithm.RS256 }));
    expect([tooMany.path, tooMany.property, tooMany.rule]).toEqual(['Aws/Etl', 'audiences', 'audience.count']);
    expect(tooMany.message).toContain('an STS token carries 1 to 10 audiences, got 11');
    const wildcard = errorOf(() => role.grantWebIdentityToken({ audiences: ['api://*'], signingAlgorithm: SigningAlgorithm.RS256 }));
    expect([wildcard.property, wildcard.rule]).toEqual(['audiences[0]', 'audience.wildcard']);
    const template = errorOf(() => role.grantWebIdentityToken({ audiences: ['https://x/${var.a}'], signingAlgorithm: SigningAlgorithm.RS256 }));
    expect([template.property, template.rule]).toEqual(['audiences[0]', 'terraform.template-sequence']);
  });

  test('plan errors name the construct: unknown workload, other compute without a trust, session out of range', () => {
    const unknown = errorOf(() => TerraformFederatedWorkloadRole.fromPlan(awsStack(), 'Etl', lambdaPlan(), 'nope'));
    expect([unknown.path, unknown.property, unknown.rule]).toEqual(['Aws/Etl', 'workloadName', 'plan.workload-exists']);
    const other = errorOf(() => TerraformFederatedWorkloadRole.fromPlan(awsStack(), 'Batch', samplePlan(), 'batch'));
    expect([other.path, other.property, other.rule]).toEqual(['Aws/Batch', 'assumeRolePolicy', 'workload.principal']);
    const session = errorOf(() => TerraformFederatedWorkloadRole.fromPlan(awsStack(), 'Etl', lambdaPlan(), 'etl', { maxSessionDurationSeconds: 60 }));
    expect([session.property, session.value, session.rule]).toEqual(['maxSessionDurationSeconds', '"60 seconds"', 'role.max-session-duration']);
  });

  test('managed policies become attachments to the role; other compute takes an explicit trust', () => {
    const stack = awsStack();
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    TerraformFederatedWorkloadRole.fromPlan(stack, 'Batch', samplePlan(), 'batch', { assumeRolePolicy: trust, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    const json = synth(stack);
    expect(only(json, 'aws_iam_role').assume_role_policy).toBe(trust);
    const [roleAddress] = Object.keys(json.resource.aws_iam_role);
    expect(only(json, 'aws_iam_role_policy_attachment')).toEqual({ role: `\${aws_iam_role.${roleAddress}.name}`, policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  });
});

describe('TerraformOidcTrustRole: inbound OIDC with the same conditions and refusals as OidcTrustRole', () => {
  const trustOf = (json: any): any => JSON.parse(only(json, 'aws_iam_role').assume_role_policy).Statement;

  test('forGitHubActions: the account\'s GitHub provider, aud and sub pinned with StringEquals', () => {
    const stack = awsStack();
    TerraformOidcTrustRole.forGitHubActions(stack, 'Deploy', { roleName: 'deploy', subjects: [SubjectFilter.gitHubEnvironment('acme', 'infra', 'prod')] });
    const json = synth(stack);
    const [partition] = Object.keys(json.data.aws_partition);
    const [account] = Object.keys(json.data.aws_caller_identity);
    expect(trustOf(json)).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: `arn:\${data.aws_partition.${partition}.partition}:iam::\${data.aws_caller_identity.${account}.account_id}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:environment:prod' } },
    }]);
    expect(only(json, 'aws_iam_role').name).toBe('deploy');
  });

  test('the conditions equal the CDK OidcTrustRole\'s for the same subjects (a pattern moves all under StringLike)', () => {
    const subjects = [SubjectFilter.gitHubBranch('acme', 'infra', 'main'), SubjectFilter.gitHubBranch('acme', 'infra', 'release/*')];
    const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const stack = awsStack();
    new TerraformOidcTrustRole(stack, 'Deploy', { providerArn, audience: 'sts.amazonaws.com', subjects });
    const tf = trustOf(synth(stack))[0];

    const cdkStack = new Stack(new CdkApp({ builtinCloudFormationValidation: false }), 'Cdk', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new OidcTrustRole(cdkStack, 'Deploy', { providerArn, audience: 'sts.amazonaws.com', subjects });
    const roles = Template.fromStack(cdkStack).findResources('AWS::IAM::Role');
    const cdk = (Object.values(roles)[0] as any).Properties.AssumeRolePolicyDocument.Statement[0];
    expect(tf.Condition).toEqual(cdk.Condition);
    expect(tf.Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/infra:ref:refs/heads/main', 'repo:acme/infra:ref:refs/heads/release/*'] },
    });
    expect([tf.Principal, tf.Action]).toEqual([{ Federated: providerArn }, cdk.Action]);
  });

  test('a provider resource: its ARN reference, the issuer read from its literal url (GitLab)', () => {
    const stack = awsStack();
    const gitlab = new IamOpenidConnectProvider(stack, 'GitLab', { url: 'https://gitlab.com', clientIdList: ['https://gitlab.com'] });
    const role = new TerraformOidcTrustRole(stack, 'Ci', { oidcProvider: gitlab, audience: 'https://gitlab.com', subjects: [SubjectFilter.gitLabBranch('acme/platform', 'main')] });
    const json = synth(stack);
    const [address] = Object.keys(json.resource.aws_iam_openid_connect_provider);
    const statement = JSON.parse(json.resource.aws_iam_role[Object.keys(json.resource.aws_iam_role)[0]].assume_role_policy).Statement[0];
    expect(statement.Principal).toEqual({ Federated: `\${aws_iam_openid_connect_provider.${address}.arn}` });
    expect(statement.Condition).toEqual({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:acme/platform:ref_type:branch:ref:main' } });
    expect(role.issuer).toBe('gitlab.com');
  });

  test('refusals: no subject, a wildcard spanning owners, no audience, an issuer with its scheme, no provider', () => {
    const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const none = errorOf(() => new TerraformOidcTrustRole(awsStack(), 'R', { providerArn, audience: 'sts.amazonaws.com', subjects: [] }));
    expect([none.path, none.property, none.rule]).toEqual(['Aws/R', 'subjects', 'subject.required']);
    const any = errorOf(() => TerraformOidcTrustRole.forGitHubActions(awsStack(), 'R', { subjects: [{ subject: 'repo:acme*', operator: 'StringLike' } as unknown as SubjectFilter] }));
    expect([any.property, any.rule]).toEqual(['subjects[0]', 'subject.wildcard']);
    const noAud = errorOf(() => new TerraformOidcTrustRole(awsStack(), 'R', { providerArn, audience: '', subjects: [SubjectFilter.gitHubBranch('acme', 'infra', 'main')] }));
    expect([noAud.property, noAud.rule]).toEqual(['audience', 'trust.audience-required']);
    const scheme = errorOf(() => new TerraformOidcTrustRole(awsStack(), 'R', { providerArn, issuer: 'https://gitlab.com', audience: 'x', subjects: [SubjectFilter.exact('project_path:a/b:ref_type:branch:ref:main')] }));
    expect([scheme.property, scheme.rule]).toEqual(['issuer', 'trust.issuer']);
    expect(scheme.message).toContain('write "gitlab.com"');
    const noProvider = errorOf(() => new TerraformOidcTrustRole(awsStack(), 'R', { audience: 'x', subjects: [SubjectFilter.exact('a:b')] }));
    expect([noProvider.property, noProvider.rule]).toEqual(['oidcProvider', 'trust.provider']);
  });

  test('a provider ARN known only at apply needs the issuer spelled out', () => {
    const stack = awsStack();
    const arn = new TerraformVariable(stack, 'provider_arn', { type: 'string' });
    const e = errorOf(() => new TerraformOidcTrustRole(stack, 'R', { providerArn: arn.stringValue, audience: 'sts.amazonaws.com', subjects: [SubjectFilter.kubernetesServiceAccount('jobs', 'runner')] }));
    expect([e.path, e.property, e.rule]).toEqual(['Aws/R', 'issuer', 'trust.issuer']);
  });
});
