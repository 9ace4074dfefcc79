/**
 * KL-TR-01..05 through every route: L2 roles and grants, raw L1 policies, escape hatches on cdk-keyless's own
 * (clean) OidcTrustRole / FederatedWorkloadRole / EntraWorkloadApplication, nested stack, nested Stage, cdktf raw
 * resources and HCL (jsonencode and aws_iam_policy_document) through the CLI; clean neighbours not flagged.
 */
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { NestedStack, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { TerraformResource, TerraformStack } from 'cdktf';
import { FederatedWorkloadRole, OidcTrustRole } from '../../../lib/aws';
import { FederationPlan, WorkloadCompute } from '../../../lib/core/plan';
import { SubjectFilter } from '../../../lib/core/subject';
import { TargetKind } from '../../../lib/core/target';
import { EntraWorkloadApplication } from '../../../lib/terraform';
import { ACCOUNT, anyAt, anyInCase, at, cdkRoutes, cdktfRoutes, GITHUB, GITHUB_PROVIDER_ARN, hclRoutes, inCase, ISSUER, ROLE_ARN, RouteResult, stageStack } from './harness';

const AUD = `${GITHUB}:aud`;
const SUB = `${GITHUB}:sub`;
const PINNED_SUB = 'repo:acme/app:ref:refs/heads/main';

/** A GitHub OIDC trust policy with the given conditions. */
function trustDoc(condition: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: GITHUB_PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      ...(condition ? { Condition: condition } : {}),
    }],
  };
}
const NO_AUD = trustDoc({ StringEquals: { [SUB]: PINNED_SUB } });
const NO_SUB = trustDoc({ StringEquals: { [AUD]: 'sts.amazonaws.com' } });
const WIDE_SUB = trustDoc({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:acme*' } });
const GOOD_TRUST = trustDoc({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: PINNED_SUB } });

const STRICT = {
  'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
  'Null': { 'sts:IdentityTokenAudience': 'false' },
  'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
};
function mintDoc(condition?: Record<string, unknown>, action: string | string[] = 'sts:GetWebIdentityToken'): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) }] };
}
const UNBOUND = mintDoc();
const ANY_VALUE = mintDoc({ 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] } });
const NO_DURATION = mintDoc(STRICT);
const LONG_DURATION = mintDoc({ ...STRICT, NumericLessThanEquals: { 'sts:DurationSeconds': 7200 } });
const GOOD_MINT = mintDoc({ ...STRICT, NumericLessThanEquals: { 'sts:DurationSeconds': 900 } });

const plan = new FederationPlan({
  account: ACCOUNT,
  issuerUrl: ISSUER,
  workloads: [{ name: 'etl', roleName: 'etl-role', rolePath: '/workloads/', compute: WorkloadCompute.LAMBDA, targets: [{ name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_USER' }] }],
});

const github = (scope: Stack, id: string) => OidcTrustRole.forGitHubActions(scope, id, { subjects: [SubjectFilter.gitHubBranch('acme', 'app', 'main')] });
const cfnRole = (role: iam.Role) => role.node.defaultChild as iam.CfnRole;
const defaultPolicy = (role: iam.Role) => ({ addPropertyOverride: (p: string, v: unknown) => cfnRole(role).addPropertyOverride(`Policies.0.${p}`, v) }); // FederatedWorkloadRole: inline WebIdentityTokens policy
const lambdaPrincipal = new iam.ServicePrincipal('lambda.amazonaws.com');

let cdk: RouteResult;
let tf: RouteResult;
let hcl: RouteResult;

beforeAll(async () => {
  cdk = cdkRoutes((app) => {
    // KL-TR-01 (no aud) -----------------------------------------------------------------------------------------
    const t1 = new Stack(app, 'TR01');
    new iam.Role(t1, 'L2', { assumedBy: new iam.WebIdentityPrincipal(GITHUB_PROVIDER_ARN, { StringEquals: { [SUB]: PINNED_SUB } }) });
    new iam.CfnRole(t1, 'L1', { assumeRolePolicyDocument: NO_AUD });
    // object overrides merge into the existing value; an array (Statement) replaces it
    cfnRole(github(t1, 'Hatch')).addPropertyOverride('AssumeRolePolicyDocument.Statement', (NO_AUD as any).Statement);
    new iam.CfnRole(new NestedStack(t1, 'Nested'), 'L1', { assumeRolePolicyDocument: NO_AUD });
    new iam.CfnRole(stageStack(app, 'TR01'), 'L1', { assumeRolePolicyDocument: NO_AUD });
    github(t1, 'Clean');

    // KL-TR-02 (no sub / sub wildcard) --------------------------------------------------------------------------
    const t2 = new Stack(app, 'TR02');
    new iam.Role(t2, 'L2', { assumedBy: new iam.WebIdentityPrincipal(GITHUB_PROVIDER_ARN, { StringEquals: { [AUD]: 'sts.amazonaws.com' } }) });
    new iam.CfnRole(t2, 'L1', { assumeRolePolicyDocument: WIDE_SUB });
    cfnRole(github(t2, 'Hatch')).addPropertyOverride('AssumeRolePolicyDocument.Statement',
      (trustDoc({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:*' } }) as any).Statement);
    new iam.CfnRole(new NestedStack(t2, 'Nested'), 'L1', { assumeRolePolicyDocument: NO_SUB });
    new iam.CfnRole(stageStack(app, 'TR02'), 'L1', { assumeRolePolicyDocument: NO_SUB });
    new iam.CfnRole(t2, 'Clean', { assumeRolePolicyDocument: GOOD_TRUST });

    // KL-TR-03 (minting not bound) ------------------------------------------------------------------------------
    const t3 = new Stack(app, 'TR03');
    new iam.Role(t3, 'L2', { assumedBy: lambdaPrincipal }).addToPolicy(new iam.PolicyStatement({ actions: ['sts:GetWebIdentityToken'], resources: ['*'] }));
    new iam.Role(t3, 'Wildcard', { assumedBy: lambdaPrincipal }).addToPolicy(new iam.PolicyStatement({ actions: ['sts:Get*'], resources: ['*'] }));
    new iam.Role(t3, 'AnyValue', { assumedBy: lambdaPrincipal, inlinePolicies: { mint: iam.PolicyDocument.fromJson(ANY_VALUE) } });
    new iam.CfnManagedPolicy(t3, 'L1', { policyDocument: UNBOUND, roles: ['etl'] });
    defaultPolicy(FederatedWorkloadRole.fromPlan(t3, 'Hatch', plan, 'etl')).addPropertyOverride('PolicyDocument.Statement', (ANY_VALUE as any).Statement);
    // merging ForAnyValue INTO the strict condition leaves it strict (conditions are ANDed): not a finding
    defaultPolicy(FederatedWorkloadRole.fromPlan(new Stack(app, 'TR03Merged'), 'Merged', plan, 'etl'))
      .addPropertyOverride('PolicyDocument.Statement.0.Condition', { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com', 'api://other'] } });
    new iam.CfnPolicy(new NestedStack(t3, 'Nested'), 'L1', { policyName: 'mint', policyDocument: UNBOUND, roles: ['etl'] });
    new iam.CfnPolicy(stageStack(app, 'TR03'), 'L1', { policyName: 'mint', policyDocument: UNBOUND, roles: ['etl'] });
    FederatedWorkloadRole.fromPlan(new Stack(app, 'TR03Clean'), 'Clean', plan, 'etl');

    // KL-TR-04 (lifetime, warning) ------------------------------------------------------------------------------
    const t4 = new Stack(app, 'TR04');
    new iam.Role(t4, 'L2', { assumedBy: lambdaPrincipal, inlinePolicies: { mint: iam.PolicyDocument.fromJson(NO_DURATION) } });
    new iam.CfnPolicy(t4, 'L1', { policyName: 'mint', policyDocument: LONG_DURATION, roles: ['etl'] });
    defaultPolicy(FederatedWorkloadRole.fromPlan(t4, 'Hatch', plan, 'etl')).addPropertyOverride('PolicyDocument.Statement', (NO_DURATION as any).Statement);
    new iam.CfnPolicy(new NestedStack(t4, 'Nested'), 'L1', { policyName: 'mint', policyDocument: NO_DURATION, roles: ['etl'] });
    new iam.CfnPolicy(stageStack(app, 'TR04'), 'L1', { policyName: 'mint', policyDocument: NO_DURATION, roles: ['etl'] });
    new iam.CfnPolicy(t4, 'Clean', { policyName: 'mint', policyDocument: GOOD_MINT, roles: ['etl'] });
  });

  tf = cdktfRoutes((app) => {
    const raw = (stack: TerraformStack, type: string, id: string, body: Record<string, unknown>) => {
      const r = new TerraformResource(stack, id, { terraformResourceType: type });
      for (const [k, v] of Object.entries(body)) r.addOverride(k, v);
      return r;
    };
    const role = (id: string, trust: unknown) => raw(new TerraformStack(app, id), 'aws_iam_role', 'deploy', { name: 'deploy', assume_role_policy: JSON.stringify(trust) });
    const policy = (id: string, doc: unknown) => raw(new TerraformStack(app, id), 'aws_iam_role_policy', 'mint', { role: 'etl', policy: JSON.stringify(doc) });
    role('tr01-raw', NO_AUD);
    role('tr01-hatch', GOOD_TRUST).addOverride('assume_role_policy', JSON.stringify(NO_AUD));
    role('tr02-raw', WIDE_SUB);
    role('tr02-nosub', NO_SUB);
    role('tr-clean', GOOD_TRUST);
    policy('tr03-raw', UNBOUND);
    policy('tr03-star', mintDoc(undefined, '*'));
    policy('tr03-hatch', GOOD_MINT).addOverride('policy', JSON.stringify(ANY_VALUE));
    policy('tr04-raw', NO_DURATION);
    policy('tr04-long', LONG_DURATION);
    policy('tr-mint-clean', GOOD_MINT);

    // KL-TR-05: federated identity credentials
    const entra = (id: string) => {
      const stack = new TerraformStack(app, id);
      new AzureadProvider(stack, 'azuread', { useOidc: true });
      return stack;
    };
    const fic = (stack: TerraformStack, id: string, applicationId: string, extra: Partial<{ issuer: string; audiences: string[]; displayName: string }> = {}) => new ApplicationFederatedIdentityCredential(stack, id, {
      applicationId, displayName: extra.displayName ?? id, issuer: extra.issuer ?? ISSUER, subject: ROLE_ARN, audiences: extra.audiences ?? ['api://AzureADTokenExchange'],
    });
    const s5 = entra('tr05-raw');
    const app5 = new Application(s5, 'etl', { displayName: 'etl' });
    fic(s5, 'slash', app5.id, { issuer: `${ISSUER}/` });
    fic(s5, 'http', app5.id, { issuer: 'http://issuer.example.com' });
    fic(s5, 'two-audiences', app5.id, { audiences: ['api://AzureADTokenExchange', 'api://other'] });
    fic(s5, 'badname', app5.id, { displayName: 'a b' });
    const many = entra('tr05-many');
    fic(many, 'many', new Application(many, 'etl', { displayName: 'etl' }).id).addOverride('count', 21);
    const hatch = entra('tr05-hatch');
    new EntraWorkloadApplication(hatch, 'Etl', { displayName: 'etl-app' })
      .trust({ credentialName: 'etl-role', issuerUrl: ISSUER, roleArn: ROLE_ARN })
      .addOverride('issuer', `${ISSUER}/`);
    new EntraWorkloadApplication(entra('tr05-clean'), 'Etl', { displayName: 'etl-app' }).trust({ credentialName: 'etl-role', issuerUrl: ISSUER, roleArn: ROLE_ARN });
  });

  const policyDocument = (name: string, conditions: string) => `data "aws_iam_policy_document" "${name}" {\n  statement {\n    actions = ["sts:AssumeRoleWithWebIdentity"]\n    principals {\n      type        = "Federated"\n      identifiers = [aws_iam_openid_connect_provider.github.arn]\n    }\n${conditions}  }\n}\n`;
  const condition = (test: string, variable: string, value: string) => `    condition {\n      test     = "${test}"\n      variable = "${variable}"\n      values   = ["${value}"]\n    }\n`;
  const provider = `resource "aws_iam_openid_connect_provider" "github" {\n  url            = "https://${GITHUB}"\n  client_id_list = ["sts.amazonaws.com"]\n}\n`;
  hcl = await hclRoutes({
    'tr01/main.tf': `${provider}${policyDocument('trust', condition('StringEquals', SUB, PINNED_SUB))}resource "aws_iam_role" "deploy" {\n  name               = "deploy"\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n`,
    'tr02/main.tf': `resource "aws_iam_role" "deploy" {\n  name = "deploy"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRoleWithWebIdentity"\n      Principal = { Federated = "${GITHUB_PROVIDER_ARN}" }\n      Condition = {\n        StringEquals = { "${AUD}" = "sts.amazonaws.com" }\n        StringLike   = { "${SUB}" = "repo:acme*" }\n      }\n    }]\n  })\n}\n`,
    'tr-clean/main.tf': `${provider}${policyDocument('trust', condition('StringEquals', AUD, 'sts.amazonaws.com') + condition('StringEquals', SUB, PINNED_SUB))}resource "aws_iam_role" "deploy" {\n  name               = "deploy"\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n`,
    'tr03/main.tf': 'resource "aws_iam_policy" "mint" {\n  name   = "mint"\n  policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = ["sts:*"], Resource = "*" }]\n  })\n}\n',
    'tr04/main.tf': `resource "aws_iam_role_policy" "mint" {\n  role   = "etl"\n  policy = <<EOF\n${JSON.stringify(NO_DURATION, undefined, 2)}\nEOF\n}\n`,
    'tr-mint-clean/main.tf': `resource "aws_iam_role_policy" "mint" {\n  role   = "etl"\n  policy = <<EOF\n${JSON.stringify(GOOD_MINT, undefined, 2)}\nEOF\n}\n`,
    'tr05/main.tf': `resource "azuread_application" "etl" {\n  display_name = "etl"\n}\nresource "azuread_application_federated_identity_credential" "etl" {\n  application_id = azuread_application.etl.id\n  display_name   = "etl-role"\n  issuer         = "${ISSUER}/"\n  subject        = "${ROLE_ARN}"\n  audiences      = ["api://AzureADTokenExchange"]\n}\n`,
    'tr05-clean/main.tf': `resource "azuread_application" "etl" {\n  display_name = "etl"\n}\nresource "azuread_application_federated_identity_credential" "etl" {\n  application_id = azuread_application.etl.id\n  display_name   = "etl-role"\n  issuer         = "${ISSUER}"\n  subject        = "${ROLE_ARN}"\n  audiences      = ["api://AzureADTokenExchange"]\n}\n`,
  });
}, 60_000);

describe('KL-TR-01 OIDC trust without an audience condition', () => {
  test.each([
    ['L2 Role with WebIdentityPrincipal', 'TR01/L2'],
    ['L1 CfnRole', 'TR01/L1'],
    ['escape hatch on a clean OidcTrustRole (aud condition overridden away)', 'TR01/Hatch'],
    ['nested stack', 'TR01/Nested/L1'],
    ['nested Stage', 'TR01Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    expect(at(cdk, 'KL-TR-01', path)).toHaveLength(1);
    expect(at(cdk, 'KL-TR-01', path)[0].message).toContain(`without a ${AUD} condition`);
  });

  test('CDK clean neighbour: OidcTrustRole.forGitHubActions', () => {
    expect(anyAt(cdk, 'TR01/Clean')).toEqual([]);
  });

  test('Terraform JSON (cdktf): raw role and an assume_role_policy override; clean role passes', () => {
    expect(inCase(tf, 'KL-TR-01', 'tr01-raw').map((h) => h.resource)).toEqual(['aws_iam_role.deploy']);
    expect(inCase(tf, 'KL-TR-01', 'tr01-hatch').map((h) => h.resource)).toEqual(['aws_iam_role.deploy']);
    expect(tf.errors['tr01-raw']).toContain('[KL-TR-01] aws_iam_role.deploy');
    expect(anyInCase(tf, 'tr-clean')).toEqual([]);
  });

  test('HCL: data aws_iam_policy_document without an aud condition; clean document passes', () => {
    expect(inCase(hcl, 'KL-TR-01', 'tr01').map((h) => h.resource)).toEqual(['aws_iam_role.deploy']);
    expect(anyInCase(hcl, 'tr-clean')).toEqual([]);
  });
});

describe('KL-TR-02 OIDC trust without a pinned subject', () => {
  test.each([
    ['L2 Role with WebIdentityPrincipal and no sub', 'TR02/L2', 'has no'],
    ['L1 CfnRole with repo:acme* (spans owners)', 'TR02/L1', 'does not pin'],
    ['escape hatch on a clean OidcTrustRole (sub widened to repo:*)', 'TR02/Hatch', 'does not pin'],
    ['nested stack', 'TR02/Nested/L1', 'has no'],
    ['nested Stage', 'TR02Stage/S/L1', 'has no'],
  ])('CDK %s', (_route, path, phrase) => {
    expect(at(cdk, 'KL-TR-02', path)).toHaveLength(1);
    expect(at(cdk, 'KL-TR-02', path)[0].message).toContain(phrase);
  });

  test('CDK clean neighbour: pinned aud and sub', () => {
    expect(anyAt(cdk, 'TR02/Clean')).toEqual([]);
  });

  test('Terraform JSON (cdktf)', () => {
    expect(inCase(tf, 'KL-TR-02', 'tr02-raw').map((h) => h.resource)).toEqual(['aws_iam_role.deploy']);
    expect(inCase(tf, 'KL-TR-02', 'tr02-nosub').map((h) => h.resource)).toEqual(['aws_iam_role.deploy']);
  });

  test('HCL jsonencode trust with a wildcard subject', () => {
    expect(inCase(hcl, 'KL-TR-02', 'tr02').map((h) => h.resource)).toEqual(['aws_iam_role.deploy']);
  });
});

describe('KL-TR-03 token minting not bound to audiences', () => {
  test.each([
    ['L2 addToPolicy without conditions', 'TR03/L2'],
    ['L2 action wildcard sts:Get*', 'TR03/Wildcard'],
    ['L2 inline policy with ForAnyValue', 'TR03/AnyValue'],
    ['L1 CfnManagedPolicy', 'TR03/L1'],
    ['escape hatch on a clean FederatedWorkloadRole (condition overridden to ForAnyValue)', 'TR03/Hatch'],
    ['nested stack', 'TR03/Nested/L1'],
    ['nested Stage', 'TR03Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    expect(at(cdk, 'KL-TR-03', path)).toHaveLength(1);
  });

  test('CDK clean neighbour: FederatedWorkloadRole from the plan', () => {
    expect(anyAt(cdk, 'TR03Clean/Clean')).toEqual([]);
  });

  test('CDK: an override that merges ForAnyValue into the strict condition stays strict (conditions are ANDed)', () => {
    expect(anyAt(cdk, 'TR03Merged/Merged')).toEqual([]);
  });

  test('CDK: synth fails on KL-TR-03', () => {
    expect(cdk.errors.app).toContain('KL-TR-03');
    expect(cdk.errors.app).toContain('TR03/Hatch/Resource');
  });

  test('Terraform JSON (cdktf): no condition, Action "*", override to ForAnyValue; strict policy passes', () => {
    for (const where of ['tr03-raw', 'tr03-star', 'tr03-hatch']) expect(inCase(tf, 'KL-TR-03', where).map((h) => h.resource)).toEqual(['aws_iam_role_policy.mint']);
    expect(anyInCase(tf, 'tr-mint-clean')).toEqual([]);
  });

  test('HCL jsonencode with sts:*', () => {
    expect(inCase(hcl, 'KL-TR-03', 'tr03').map((h) => h.resource)).toEqual(['aws_iam_policy.mint']);
  });
});

describe('KL-TR-04 token lifetime unbounded or above the maximum (warning)', () => {
  test.each([
    ['L2 inline policy without a duration bound', 'TR04/L2'],
    ['L1 CfnPolicy allowing 7200 s', 'TR04/L1'],
    ['escape hatch on a clean FederatedWorkloadRole (duration bound overridden away)', 'TR04/Hatch'],
    ['nested stack', 'TR04/Nested/L1'],
    ['nested Stage', 'TR04Stage/S/L1'],
  ])('CDK %s', (_route, path) => {
    const hits = at(cdk, 'KL-TR-04', path);
    expect(hits.map((h) => h.severity)).toEqual(['warning']);
    expect(at(cdk, 'KL-TR-03', path)).toEqual([]); // strictly bound audiences: only the lifetime is wrong
  });

  test('CDK clean neighbour: bounded at 900 s', () => {
    expect(anyAt(cdk, 'TR04/Clean')).toEqual([]);
  });

  test('Terraform JSON (cdktf): warnings do not fail synth', () => {
    expect(inCase(tf, 'KL-TR-04', 'tr04-raw').map((h) => h.severity)).toEqual(['warning']);
    expect(inCase(tf, 'KL-TR-04', 'tr04-long')[0].message).toContain('up to 7200 s');
    expect(tf.errors['tr04-raw']).toBeUndefined();
    expect(tf.errors['tr04-long']).toBeUndefined();
  });

  test('HCL heredoc policy', () => {
    expect(inCase(hcl, 'KL-TR-04', 'tr04').map((h) => h.severity)).toEqual(['warning']);
    expect(anyInCase(hcl, 'tr-mint-clean')).toEqual([]);
  });
});

describe('KL-TR-05 federated credential that cannot work or is unsafe (Terraform only)', () => {
  test('Terraform JSON (cdktf raw): trailing slash, http issuer, two audiences, invalid name', () => {
    const hits = inCase(tf, 'KL-TR-05', 'tr05-raw');
    expect(hits.map((h) => h.resource).sort()).toEqual([
      'azuread_application_federated_identity_credential.badname',
      'azuread_application_federated_identity_credential.http',
      'azuread_application_federated_identity_credential.slash',
      'azuread_application_federated_identity_credential.two-audiences',
    ]);
    expect(tf.errors['tr05-raw']).toContain('[KL-TR-05]');
  });

  test('Terraform JSON (cdktf): more than 20 credentials on one application (count = 21)', () => {
    expect(inCase(tf, 'KL-TR-05', 'tr05-many')).toHaveLength(1);
  });

  test('escape hatch on EntraWorkloadApplication.trust(): issuer overridden with a trailing slash', () => {
    const [hit] = inCase(tf, 'KL-TR-05', 'tr05-hatch');
    expect(hit.message).toContain('no trailing slash');
    expect(hit.constructPath).toBe('tr05-hatch/Etl/Credential-etl-role');
  });

  test('clean neighbour: EntraWorkloadApplication with a trust', () => {
    expect(anyInCase(tf, 'tr05-clean')).toEqual([]);
    expect(tf.errors['tr05-clean']).toBeUndefined();
  });

  test('HCL; clean credential passes', () => {
    expect(inCase(hcl, 'KL-TR-05', 'tr05').map((h) => h.resource)).toEqual(['azuread_application_federated_identity_credential.etl']);
    expect(anyInCase(hcl, 'tr05-clean')).toEqual([]);
  });
});
