import { KL_TR_02 } from '../../../lib/guardrails/rules/kl-tr-02-oidc-subject';
import { evaluate } from '../../../lib/guardrails/evaluate';
import type { NormalizedResource } from '../../../lib/guardrails/model';
import { cfn, check, doc, setOf, tf, tfData } from './helpers';

const GH = 'token.actions.githubusercontent.com';
const role = (condition?: Record<string, unknown>, federated: unknown = `arn:aws:iam::111122223333:oidc-provider/${GH}`) =>
  cfn('AWS::IAM::Role', 'DeployRole', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: federated }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'], ...(condition ? { Condition: condition } : {}) }) });
const aud = { [`${GH}:aud`]: 'sts.amazonaws.com' };

describe('KL-TR-02 OIDC trust subject', () => {
  test('no sub condition', () => {
    const hits = check(KL_TR_02, role({ StringEquals: aud }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/has no token\.actions\.githubusercontent\.com:sub condition: every workload .* any repository of any owner/);
    expect(hits[0].message).toMatch(/Fix: Pin the subject/);
  });

  test.each([
    ['*', /matches every subject/],
    ['repo:*', /wildcard in the owner/],
    ['repo:org*', /also matches other owners \(e\.g\. "repo:org-evil\/\.\.\."\)/],
    ['repo:org/*', /matches every repository of "org"/],
    ['repo:org/app*', /wildcard in the repository/],
  ])('StringLike sub %s', (sub, problem) => {
    const hits = check(KL_TR_02, role({ StringEquals: aud, StringLike: { [`${GH}:sub`]: sub } }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/does not pin token\.actions\.githubusercontent\.com:sub to one workload/);
    expect(hits[0].message).toMatch(problem);
  });

  test('one unsafe value among several is enough (values are ORed)', () => {
    const hits = check(KL_TR_02, role({ StringEquals: aud, StringLike: { [`${GH}:sub`]: ['repo:org/app:*', 'repo:org/*'] } }));
    expect(hits).toHaveLength(1);
  });

  test('ForAnyValue:StringLike with a wildcard owner', () => {
    expect(check(KL_TR_02, role({ StringEquals: aud, 'ForAnyValue:StringLike': { [`${GH}:sub`]: 'repo:*/app:*' } }))).toHaveLength(1);
  });

  test('Terraform JSON string and EKS provider', () => {
    const eks = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
    const r = tf('aws_iam_role', 'irsa', { assume_role_policy: JSON.stringify(doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${eks}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${eks}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${eks}:sub`]: 'system:serviceaccount:*' } } })) });
    expect(check(KL_TR_02, r)[0].message).toMatch(/namespace/);
  });

  test.each([
    ['StringEquals', 'repo:org/app:ref:refs/heads/main'],
    ['StringLike', 'repo:org/app:*'],
    ['StringLike', 'repo:org/app:environment:prod'],
    ['StringEquals', 'repo:org@1234/app@5678:ref:refs/heads/main'],
    ['StringLike', ['repo:org/app:ref:refs/heads/main', 'repo:org/infra:ref:refs/tags/*']],
  ])('clean: %s %j', (op, sub) => {
    expect(check(KL_TR_02, role({ StringEquals: aud, [op]: { ...(op === 'StringEquals' ? aud : {}), [`${GH}:sub`]: sub } }))).toEqual([]);
  });

  test('Cognito identity pools: aud (the pool id) is the pin, no sub needed; without aud it is a finding', () => {
    const cognito = 'cognito-identity.amazonaws.com';
    const pool = { StringEquals: { [`${cognito}:aud`]: 'eu-west-1:11111111-2222-3333-4444-555555555555' }, 'ForAnyValue:StringLike': { [`${cognito}:amr`]: 'authenticated' } };
    expect(check(KL_TR_02, role(pool, cognito))).toEqual([]);
    expect(check(KL_TR_02, role({ 'ForAnyValue:StringLike': { [`${cognito}:amr`]: 'authenticated' } }, cognito))).toHaveLength(1);
  });

  test('an unresolved condition block is not guessed at; an Fn::If block is judged per branch, naming the condition', () => {
    expect(check(KL_TR_02, role({ 'Fn::GetAtt': ['Settings', 'Condition'] } as never))).toEqual([]);
    const pinned = { StringEquals: { ...aud, [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } };
    expect(check(KL_TR_02, role({ 'Fn::If': ['C', pinned, pinned] } as never))).toEqual([]);
    expect(check(KL_TR_02, role({ 'Fn::If': ['C', pinned, { StringEquals: aud }] } as never)).map((h) => /statement #1 \(deployed when condition C is false\)/.test(h.message))).toEqual([true]);
  });
});

describe('KL-TR-02: vacuous, unreadable and owner-controlled subjects; Google service accounts', () => {
  test('ForAllValues on the single-valued sub claim counts as no condition', () => {
    const hits = check(KL_TR_02, role({ StringEquals: aud, 'ForAllValues:StringEquals': { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/has no condition that requires token\.actions\.githubusercontent\.com:sub: ForAllValues:StringEquals on the single-valued sub claim is also true for a token with no sub at all/);
    expect(check(KL_TR_02, role({ StringEquals: { ...aud, [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } }))).toEqual([]);
  });

  test('a sub operator from a variable (terraform-aws-modules\' GitHub OIDC role) is reported as unreadable, not as missing', () => {
    // The module writes `test = var.subject_condition` with subjects formatted as repo:<owner>/<repo>:<ref>.
    const trustDoc = (test: string, subjects: string[]) => tfData('aws_iam_policy_document', 'this', { statement: [{
      sid: 'GithubOidcAuth',
      effect: 'Allow',
      actions: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [`arn:aws:iam::111122223333:oidc-provider/${GH}`] }],
      condition: [
        { test: 'StringEquals', variable: `${GH}:aud`, values: ['sts.amazonaws.com'] },
        { test, variable: `${GH}:sub`, values: subjects },
      ],
    }] });
    const r = tf('aws_iam_role', 'this', { assume_role_policy: '${data.aws_iam_policy_document.this.json}' });
    const pinned = check(KL_TR_02, r, setOf(trustDoc('${var.subject_condition}', ['repo:octo-org/deploy:ref:refs/heads/main']), r));
    expect(pinned).toHaveLength(1);
    expect(pinned[0].severity).toBe('warning');
    expect(pinned[0].message).toMatch(/compares token\.actions\.githubusercontent\.com:sub with the values "repo:octo-org\/deploy:ref:refs\/heads\/main" under the operator "\$\{var\.subject_condition\}", which is only known at plan or deploy time: whether the subject is pinned to one workload could not be checked/);
    expect(pinned[0].message).not.toMatch(/has no .*:sub condition/);
    const wide = check(KL_TR_02, r, setOf(trustDoc('${var.subject_condition}', ['repo:octo-org/*']), r));
    expect(wide[0].message).toMatch(/as StringLike it would not be: "repo:octo-org\/\*" has a wildcard in the repository/);
    expect(check(KL_TR_02, r, setOf(trustDoc('StringLike', ['repo:octo-org/deploy:*']), r))).toEqual([]);
  });

  test.each([
    'workflow:deploy',
    'workflow:deploy:repository_owner:octo-org',
    'environment:prod:repo:octo-org/app',
    'job_workflow_ref:octo-org/shared/.github/workflows/deploy.yml@refs/heads/main',
  ])('a GitHub subject starting with a claim the workflow author chooses (%s) is a finding, even exact', (sub) => {
    const hits = check(KL_TR_02, role({ StringEquals: { ...aud, [`${GH}:sub`]: sub } }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/does not pin token\.actions\.githubusercontent\.com:sub to one workload: .* starts with the claim "[a-z_]+", whose value the workflow's author chooses: any GitHub owner can give a repository a custom subject template/);
  });

  test.each([
    'repository_owner_id:583231:repository_id:1296269:environment:prod',
    'repository_owner:octo-org:workflow:deploy',
    'repo:octo-org/app:workflow:deploy',
  ])('a GitHub subject starting with an owner claim (%s) is clean', (sub) => {
    expect(check(KL_TR_02, role({ StringEquals: { ...aud, [`${GH}:sub`]: sub } }))).toEqual([]);
  });

  test('the owner-claim check is GitHub\'s: other issuers\' subjects are not judged by it', () => {
    const idp = 'idp.example.com';
    expect(check(KL_TR_02, role({ StringEquals: { [`${idp}:aud`]: 'aws', [`${idp}:sub`]: 'workflow:deploy' } }, `arn:aws:iam::111122223333:oidc-provider/${idp}`))).toEqual([]);
  });

  test('Google: aud pinned to a service account\'s unique id (checked against azp) names one workload; an OAuth client id does not', () => {
    const google = 'accounts.google.com';
    expect(check(KL_TR_02, role({ StringEquals: { [`${google}:aud`]: '113475921086143270194' } }, google))).toEqual([]);
    const app = check(KL_TR_02, role({ StringEquals: { [`${google}:aud`]: '1234567890-abc123.apps.googleusercontent.com' } }, google));
    expect(app).toHaveLength(1);
    expect(app[0].message).toMatch(/has no accounts\.google\.com:sub condition/);
  });
});

describe('KL-TR-02 CI/CD issuers beyond GitHub: owner-spanning wildcards', () => {
  const trust = (host: string, sub: string) => tf('aws_iam_role', 'ci', {
    assume_role_policy: JSON.stringify(doc({
      Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${host}` }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${host}:sub`]: sub } },
    })),
  });
  const ORG = '0e1b6c2a-3f4d-4e5a-9b7c-8d9e0f1a2b3c';
  const PROJECT = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
  const BITBUCKET = 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc';

  test.each([
    ['app.terraform.io', 'organization:*', /wildcard in the HCP Terraform organization, so it matches workspaces of other organizations \(every organization shares the issuer app\.terraform\.io\)/],
    ['app.terraform.io', 'organization:acme:project:*', /HCP Terraform project or workspace/],
    ['agent.buildkite.com', 'organization:acme*', /Buildkite organization|HCP Terraform organization/],
    ['agent.buildkite.com', 'organization:acme:pipeline:*', /every pipeline of the organization/],
    [`oidc.circleci.com/org/${ORG}`, `org/${ORG}/project/*`, /every CircleCI project of the organization/],
    [BITBUCKET, '*:*', /matches every subject|starts with a wildcard/],
    [BITBUCKET, '{a1b2*}:*', /Bitbucket repository UUID/],
  ])('%s sub %s is flagged', (host, sub, reason) => {
    const hits = check(KL_TR_02, trust(host, sub));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toContain(`does not pin ${host}:sub to one workload`);
    expect(hits[0].message).toMatch(reason);
  });

  test.each([
    ['app.terraform.io', 'organization:acme:project:Default Project:workspace:dns:run_phase:*'],
    ['agent.buildkite.com', 'organization:acme:pipeline:deploy:ref:refs/heads/main:commit:*:step:*'],
    [`oidc.circleci.com/org/${ORG}`, `org/${ORG}/project/${PROJECT}/user/*`],
    [BITBUCKET, '{a1b2c3d4-e5f6-4789-8abc-def012345678}:*'],
  ])('%s sub %s is pinned', (host, sub) => {
    expect(check(KL_TR_02, trust(host, sub))).toEqual([]);
  });
});

describe('KL-TR-02: a subject known only at plan or deploy time', () => {
  const notesOf = (...resources: NormalizedResource[]): string[] => evaluate([setOf(...resources)], { rules: [KL_TR_02] }).notes;
  const trust = (sub: unknown) => tf('aws_iam_role', 'deploy', {
    assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${GH}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: aud, StringLike: { [`${GH}:sub`]: sub } },
    }] }),
  });

  test('a sub from a variable or a for expression is no finding (it may pin one workload) and a note says it was not checked', () => {
    const byVariable = trust('${var.subject}');
    expect(check(KL_TR_02, byVariable)).toEqual([]);
    expect(notesOf(byVariable)).toEqual([
      'cdk.tf.json: aws_iam_role.deploy (aws_iam_role): assume_role_policy statement #1 compares token.actions.githubusercontent.com:sub with '
        + '"${var.subject}", known only at plan or deploy time; KL-TR-02 could not check that it pins one workload',
    ]);
    // terraform-aws-modules' iam-role normalizes the subjects the caller passes with a for expression
    const normalized = trust('${[for subject in var.oidc_subjects : "repo:${trimprefix(subject, "repo:")}"]}');
    expect(notesOf(normalized)).toEqual([expect.stringMatching(/compares token\.actions\.githubusercontent\.com:sub with "\$\{\[for subject in var\.oidc_subjects/)]);
  });

  test('a CloudFormation parameter as the subject: the same note', () => {
    const r = role({ StringEquals: { ...aud, [`${GH}:sub`]: { Ref: 'DeploySubject' } } });
    expect(check(KL_TR_02, r)).toEqual([]);
    expect(notesOf(r)).toEqual([expect.stringMatching(/DeployRole \(AWS::IAM::Role\): .* compares token\.actions\.githubusercontent\.com:sub with \{"Ref":"DeploySubject"\}, known only at plan or deploy time/)]);
  });

  test('a literal pinned subject: no finding and no note; a wildcard beside a variable is still the finding', () => {
    const pinned = trust('repo:acme/infra:ref:refs/heads/main');
    expect(check(KL_TR_02, pinned)).toEqual([]);
    expect(notesOf(pinned)).toEqual([]);
    expect(check(KL_TR_02, trust(['${var.subject}', 'repo:acme/*']))).toHaveLength(1);
  });
});
