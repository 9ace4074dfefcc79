import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OidcTrustRole, SubjectFilter, SubjectOperator } from '../../lib/aws';
import { errorOf } from './util';

const GH = 'token.actions.githubusercontent.com';
const GH_PROVIDER_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::111122223333:oidc-provider/${GH}`]] };

function makeStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
}

function trust(stack: Stack): any[] {
  const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')) as any[];
  expect(roles).toHaveLength(1);
  return roles[0].Properties.AssumeRolePolicyDocument.Statement;
}

describe('OidcTrustRole.forGitHubActions', () => {
  test('pins audience and subject with StringEquals', () => {
    const stack = makeStack();
    const role = OidcTrustRole.forGitHubActions(stack, 'Deploy', { subjects: [SubjectFilter.gitHubEnvironment('my-org', 'infra', 'prod')] });
    expect(trust(stack)).toEqual([{
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: GH_PROVIDER_ARN },
      Condition: {
        StringEquals: {
          [`${GH}:aud`]: 'sts.amazonaws.com',
          [`${GH}:sub`]: 'repo:my-org/infra:environment:prod',
        },
      },
    }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 3600 });
    expect(role.issuer).toBe(GH);
    expect(role.audience).toBe('sts.amazonaws.com');
  });

  test('immutable subjects and several exact subjects', () => {
    const stack = makeStack();
    OidcTrustRole.forGitHubActions(stack, 'Deploy', {
      subjects: [
        SubjectFilter.gitHubBranch('octocat', 'my-repo', 'main', { ownerId: 123456, repositoryId: 456789 }),
        SubjectFilter.gitHubPullRequest('octocat', 'my-repo', { ownerId: 123456, repositoryId: 456789 }),
      ],
    });
    expect(trust(stack)[0].Condition).toEqual({
      StringEquals: {
        [`${GH}:aud`]: 'sts.amazonaws.com',
        [`${GH}:sub`]: ['repo:octocat@123456/my-repo@456789:ref:refs/heads/main', 'repo:octocat@123456/my-repo@456789:pull_request'],
      },
    });
  });

  test('a pattern moves every subject under StringLike in one statement (never ANDed with StringEquals on sub)', () => {
    const stack = makeStack();
    OidcTrustRole.forGitHubActions(stack, 'Deploy', {
      subjects: [SubjectFilter.gitHubBranch('my-org', 'infra', 'main'), SubjectFilter.gitHubBranch('my-org', 'infra', 'release/*')],
      audience: 'https://github.com/my-org',
      roleName: 'gh-deploy',
      maxSessionDuration: Duration.hours(2),
    });
    expect(trust(stack)).toEqual([{
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: GH_PROVIDER_ARN },
      Condition: {
        StringEquals: { [`${GH}:aud`]: 'https://github.com/my-org' },
        StringLike: { [`${GH}:sub`]: ['repo:my-org/infra:ref:refs/heads/main', 'repo:my-org/infra:ref:refs/heads/release/*'] },
      },
    }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'gh-deploy', MaxSessionDuration: 7200 });
  });

  test('an explicit provider is used', () => {
    const stack = makeStack();
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Gh', `arn:aws:iam::111122223333:oidc-provider/${GH}`);
    OidcTrustRole.forGitHubActions(stack, 'Deploy', { provider, subjects: [SubjectFilter.gitHubPullRequest('o', 'r')] });
    expect(trust(stack)[0].Principal).toEqual({ Federated: `arn:aws:iam::111122223333:oidc-provider/${GH}` });
  });

  test('no ForAnyValue, and every trust statement pins aud and sub', () => {
    const stack = makeStack();
    OidcTrustRole.forGitHubActions(stack, 'Deploy', { subjects: [SubjectFilter.gitHubRepository('o', 'r', '*')] });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toMatch(/ForAnyValue/i);
    for (const s of trust(stack)) {
      const keys = Object.values(s.Condition).flatMap((block: any) => Object.keys(block));
      expect(keys).toEqual(expect.arrayContaining([`${GH}:aud`, `${GH}:sub`]));
    }
  });
});

describe('OidcTrustRole with other issuers', () => {
  test('issuer derived from a concrete provider ARN (EKS)', () => {
    const stack = makeStack();
    const arn = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789';
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Eks', arn);
    new OidcTrustRole(stack, 'Pod', { provider, audience: 'sts.amazonaws.com', subjects: [SubjectFilter.kubernetesServiceAccount('prod', 'etl')] });
    expect(trust(stack)[0].Condition).toEqual({
      StringEquals: {
        'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:aud': 'sts.amazonaws.com',
        'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:sub': 'system:serviceaccount:prod:etl',
      },
    });
  });

  test('providerArn with a GitLab subject', () => {
    const stack = makeStack();
    new OidcTrustRole(stack, 'Ci', {
      providerArn: 'arn:aws:iam::111122223333:oidc-provider/gitlab.com',
      audience: 'https://gitlab.com',
      subjects: [SubjectFilter.gitLabBranch('group/project', 'main')],
    });
    expect(trust(stack)[0]).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/gitlab.com' },
      Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:group/project:ref_type:branch:ref:main' } },
    });
  });

  test('a provider created in the stack needs the issuer spelled out', () => {
    const stack = makeStack();
    const provider = new iam.OidcProviderNative(stack, 'GitLab', { url: 'https://gitlab.com', clientIds: ['https://gitlab.com'], thumbprints: ['0'.repeat(40)] });
    const e = errorOf(() => new OidcTrustRole(stack, 'Ci', { provider, audience: 'https://gitlab.com', subjects: [SubjectFilter.gitLabTag('g/p', 'v1')] }));
    expect(e.rule).toBe('trust.issuer');
    expect(e.path).toBe('Stack/Ci');
    new OidcTrustRole(stack, 'Ci2', { provider, issuer: 'gitlab.com', audience: 'https://gitlab.com', subjects: [SubjectFilter.gitLabTag('g/p', 'v1')] });
    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')) as any[];
    expect(roles[0].Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: { Ref: Object.keys(Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider'))[0] } });
  });
});

describe('OidcTrustRole refuses unsafe trusts at synth', () => {
  const base = { providerArn: `arn:aws:iam::111122223333:oidc-provider/${GH}`, audience: 'sts.amazonaws.com' };

  test.each([
    ['*', SubjectOperator.STRING_LIKE],
    ['repo:*', SubjectOperator.STRING_LIKE],
    ['repo:org*', SubjectOperator.STRING_LIKE],
    ['repo:org/*', SubjectOperator.STRING_LIKE],
    ['repo:o*/r:pull_request', SubjectOperator.STRING_LIKE],
    ['*', SubjectOperator.STRING_EQUALS],
  ])('subject %s (%s) -> subject.wildcard, even when not built by a factory', (subject, operator) => {
    const stack = makeStack();
    // A JavaScript caller can hand in a plain object instead of a SubjectFilter; the role validates again.
    const forged = { subject, operator } as unknown as SubjectFilter;
    const e = errorOf(() => new OidcTrustRole(stack, 'Deploy', { ...base, subjects: [SubjectFilter.gitHubPullRequest('o', 'r'), forged] }));
    expect(e.rule).toBe('subject.wildcard');
    expect(e.path).toBe('Stack/Deploy');
    expect(e.property).toBe('subjects[1]');
    expect(e.message).toBe(`Stack/Deploy: invalid subjects[1] ${JSON.stringify(subject)}: ${e.reason} [rule subject.wildcard]`);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Role')).toEqual({});
  });

  test.each([
    [{ subjects: [] }, 'subjects', 'subject.required'],
    [{ subjects: undefined }, 'subjects', 'subject.required'],
    [{ subjects: [{ subject: '', operator: SubjectOperator.STRING_EQUALS }] }, 'subjects[0]', 'subject.required'],
    [{ subjects: [null] }, 'subjects[0]', 'subject.required'],
    [{ audience: undefined }, 'audience', 'trust.audience-required'],
    [{ audience: '' }, 'audience', 'trust.audience-required'],
    [{ audience: 'sts.*' }, 'audience', 'audience.wildcard'],
    [{ issuer: `https://${GH}` }, 'issuer', 'trust.issuer'],
    [{ issuer: `${GH}/` }, 'issuer', 'trust.issuer'],
    [{ issuer: 'token.*.com' }, 'issuer', 'trust.issuer'],
    [{ provider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(makeStack(), 'P', `arn:aws:iam::111122223333:oidc-provider/${GH}`) }, 'provider', 'trust.provider'],
    [{ providerArn: undefined }, 'provider', 'trust.provider'],
    [{ maxSessionDuration: Duration.hours(13) }, 'maxSessionDuration', 'role.max-session-duration'],
    [{ maxSessionDuration: Duration.minutes(59) }, 'maxSessionDuration', 'role.max-session-duration'],
  ] as [Record<string, unknown>, string, string][])('%j -> %s %s', (override, property, rule) => {
    const e = errorOf(() => new OidcTrustRole(makeStack(), 'Deploy', { ...base, subjects: [SubjectFilter.gitHubPullRequest('o', 'r')], ...override } as any));
    expect(e.path).toBe('Stack/Deploy');
    expect(e.property).toBe(property);
    expect(e.rule).toBe(rule);
  });

  test('the scheme message says what to write', () => {
    const e = errorOf(() => new OidcTrustRole(makeStack(), 'Deploy', { ...base, issuer: `https://${GH}/`, subjects: [SubjectFilter.gitHubPullRequest('o', 'r')] }));
    expect(e.message).toContain(`write "${GH}"`);
  });

  test('forGitHubActions refuses what the factories would refuse', () => {
    expect(() => OidcTrustRole.forGitHubActions(makeStack(), 'Deploy', { subjects: [SubjectFilter.pattern('repo:my-org/*')] })).toThrow(/\[rule subject\.wildcard\]/);
    expect(errorOf(() => OidcTrustRole.forGitHubActions(makeStack(), 'Deploy', { subjects: [] })).rule).toBe('subject.required');
  });

  test('a GitHub subject starting with a claim any owner can reproduce (custom template "workflow:...") is refused; other issuers keep it', () => {
    const err = errorOf(() => OidcTrustRole.forGitHubActions(makeStack(), 'Deploy', { subjects: [SubjectFilter.exact('workflow:deploy:ref:refs/heads/main')] }));
    expect(err.rule).toBe('subject.github-owner-claim');
    expect(err.message).toMatch(/subjects\[0\]/);
    expect(() => OidcTrustRole.forGitHubActions(makeStack(), 'Deploy', { subjects: [SubjectFilter.exact('repository_owner_id:583231:repository_id:1296269:workflow:deploy')] })).not.toThrow();
    expect(() => new OidcTrustRole(makeStack(), 'Idp', {
      providerArn: 'arn:aws:iam::111122223333:oidc-provider/idp.example.com', audience: 'aws', subjects: [SubjectFilter.exact('workflow:deploy')],
    })).not.toThrow();
  });
});
