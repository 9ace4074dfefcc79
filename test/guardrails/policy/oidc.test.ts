import { analysisContext } from '../../../lib/guardrails/analysis';
import { readPolicyDocument } from '../../../lib/guardrails/policy/document';
import { audienceCheck, providerHost, subjectCheck, subjectProblem, webIdentityStatements } from '../../../lib/guardrails/policy/oidc';
import { cfn, doc, setOf, tf } from '../rules/helpers';

const GH = 'token.actions.githubusercontent.com';

describe('providerHost', () => {
  const set = setOf(
    cfn('AWS::IAM::OIDCProvider', 'GitHub', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] }),
    cfn('Custom::AWSCDKOpenIdConnectProvider', 'CdkProvider', { Url: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123' }),
  );
  const tset = setOf(tf('aws_iam_openid_connect_provider', 'gitlab', { url: 'https://gitlab.com/' }));

  test.each([
    ['a literal provider ARN', 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', GH],
    ['an EKS provider ARN keeps the path', 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC', 'oidc.eks.eu-west-1.amazonaws.com/id/abc'],
    ['a built-in provider host', 'cognito-identity.amazonaws.com', 'cognito-identity.amazonaws.com'],
    ['Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':oidc-provider/token.actions.githubusercontent.com']] }, GH],
    ['Fn::Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com' }, GH],
    ['Ref to AWS::IAM::OIDCProvider', { Ref: 'GitHub' }, GH],
    ['GetAtt of the CDK provider', { 'Fn::GetAtt': ['CdkProvider', 'Arn'] }, 'oidc.eks.eu-west-1.amazonaws.com/id/abc123'],
  ])('CloudFormation: %s', (_, value, host) => {
    expect(providerHost(value, analysisContext(set))).toBe(host);
  });

  test('Terraform: interpolated account, provider resource reference', () => {
    expect(providerHost('arn:aws:iam::${data.aws_caller_identity.c.account_id}:oidc-provider/token.actions.githubusercontent.com', analysisContext(tset))).toBe(GH);
    expect(providerHost('${aws_iam_openid_connect_provider.gitlab.arn}', analysisContext(tset))).toBe('gitlab.com');
  });

  test('unknown when the template does not show it', () => {
    expect(providerHost({ Ref: 'ProviderArnParam' }, analysisContext(set))).toBeUndefined();
    expect(providerHost('${var.provider_arn}', analysisContext(tset))).toBeUndefined();
  });
});

describe('subjectProblem', () => {
  test.each([
    ['repo:org/app:ref:refs/heads/main', false],
    ['repo:org/app:*', false],
    ['repo:org@123/app@456:environment:prod', false],
    ['repo:org/app', false],
    ['system:serviceaccount:etl:runner', false],
    ['system:serviceaccount:etl:*', false],
    ['project_path:group/project:ref_type:branch:ref:main', false],
  ])('%s pins one workload', (value, _) => {
    expect(subjectProblem(value, true)).toBeUndefined();
  });

  test.each([
    ['*', /matches every subject/],
    ['repo:*', /wildcard in the owner/],
    ['repo:org*', /wildcard in the owner.*repo:org-evil/],
    ['repo:org*/app:*', /wildcard in the owner/],
    ['repo:or?/app:*', /wildcard in the owner/],
    ['repo:org/*', /wildcard in the repository.*every repository of "org"/],
    ['repo:org/app*', /wildcard in the repository/],
    ['repo:org/app-?:*', /wildcard in the repository/],
    ['REPO:org/*', /wildcard in the repository/],
    ['system:serviceaccount:*', /namespace/],
    ['project_path:group/*', /wildcard in the project/],
    ['*:ref:refs/heads/main', /starts with a wildcard/],
  ])('%s spans workloads', (value, problem) => {
    expect(subjectProblem(value, true)).toMatch(problem);
  });

  test('StringEquals compares * literally: not a wildcard', () => {
    expect(subjectProblem('repo:org/*', false)).toBeUndefined();
  });
});

describe('trust statements', () => {
  const set = setOf();
  const trust = (condition?: Record<string, unknown>, federated: unknown = `arn:aws:iam::111122223333:oidc-provider/${GH}`) =>
    readPolicyDocument(doc({ Effect: 'Allow', Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }), analysisContext(set));

  test('finds the web identity statement and its provider', () => {
    const found = webIdentityStatements(trust(), analysisContext(set));
    expect(found).toHaveLength(1);
    expect(found[0].providers.map((p) => p.host)).toEqual([GH]);
  });

  test('service principals and SAML are not web identity trusts', () => {
    const d = readPolicyDocument(doc(
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/Okta' }, Action: 'sts:AssumeRoleWithSAML' },
    ), analysisContext(set));
    expect(webIdentityStatements(d, analysisContext(set))).toEqual([]);
  });

  test('audience and subject checks use the provider host, case-insensitively', () => {
    const d = trust({ StringEquals: { 'Token.Actions.GitHubUserContent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:*' } });
    const s = webIdentityStatements(d, analysisContext(set))[0].statement;
    expect(audienceCheck(s, GH)).toEqual({ ok: true, values: ['sts.amazonaws.com'], vacuous: [], unreadOperator: [] });
    expect(subjectCheck(s, GH)).toMatchObject({ ok: true, values: ['repo:org/app:*'] });
  });

  test('a condition on another provider\'s key does not count', () => {
    const d = trust({ StringEquals: { 'gitlab.com:aud': 'x', 'gitlab.com:sub': 'project_path:a/b:ref_type:branch:ref:main' } });
    const s = webIdentityStatements(d, analysisContext(set))[0].statement;
    expect(audienceCheck(s, GH).ok).toBe(false);
    expect(subjectCheck(s, GH).ok).toBe(false);
  });

  test('unknown host falls back to any *:aud / *:sub key', () => {
    const d = trust({ StringEquals: { 'x.example.com:aud': 'a', 'x.example.com:sub': 'svc' } }, { Ref: 'ProviderArn' });
    const s = webIdentityStatements(d, analysisContext(set))[0].statement;
    expect(audienceCheck(s, undefined).ok).toBe(true);
    expect(subjectCheck(s, undefined).ok).toBe(true);
  });

  test('one safe StringEquals on sub is enough even next to a wide StringLike (conditions are ANDed)', () => {
    const d = trust({ StringEquals: { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' }, StringLike: { [`${GH}:sub`]: 'repo:*' } });
    expect(subjectCheck(webIdentityStatements(d, analysisContext(set))[0].statement, GH).ok).toBe(true);
  });

  test('StringNotEquals does not pin the subject', () => {
    const d = trust({ StringNotEquals: { [`${GH}:sub`]: 'repo:evil/x:*' } });
    expect(subjectCheck(webIdentityStatements(d, analysisContext(set))[0].statement, GH)).toEqual({ ok: false, values: [], problems: [], vacuous: [], unreadOperator: [] });
  });
});
