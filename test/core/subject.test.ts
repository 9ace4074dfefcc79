import { errorOf } from '../support/validation-error';
import { SubjectFilter, SubjectOperator, subjectProblem, validateSubject } from '../../lib/core/subject';


const LIKE = SubjectOperator.STRING_LIKE;
const EQ = SubjectOperator.STRING_EQUALS;

describe('GitHub factories', () => {
  test('branch, tag, environment, pull request', () => {
    expect(SubjectFilter.gitHubBranch('my-org', 'infra', 'main')).toMatchObject({ subject: 'repo:my-org/infra:ref:refs/heads/main', operator: EQ });
    expect(SubjectFilter.gitHubTag('my-org', 'infra', 'v1.2.3')).toMatchObject({ subject: 'repo:my-org/infra:ref:refs/tags/v1.2.3', operator: EQ });
    expect(SubjectFilter.gitHubEnvironment('my-org', 'infra', 'prod')).toMatchObject({ subject: 'repo:my-org/infra:environment:prod', operator: EQ });
    expect(SubjectFilter.gitHubPullRequest('my-org', 'infra.js')).toMatchObject({ subject: 'repo:my-org/infra.js:pull_request', operator: EQ });
  });

  test('immutable form repo:OWNER@ID/REPO@ID', () => {
    const f = SubjectFilter.gitHubBranch('octocat', 'my-repo', 'main', { ownerId: 123456, repositoryId: 456789 });
    expect(f.subject).toBe('repo:octocat@123456/my-repo@456789:ref:refs/heads/main');
    expect(f.operator).toBe(EQ);
    expect(SubjectFilter.gitHubEnvironment('o', 'r', 'prod', { ownerId: 1, repositoryId: 2 }).subject).toBe('repo:o@1/r@2:environment:prod');
    expect(SubjectFilter.exact('repo:octocat@123456/my-repo@456789:pull_request').subject).toBe('repo:octocat@123456/my-repo@456789:pull_request');
  });

  test('immutable form needs both ids, as positive integers', () => {
    const e = errorOf(() => SubjectFilter.gitHubBranch('o', 'r', 'main', { ownerId: 1 }));
    expect(e.rule).toBe('subject.github-immutable');
    expect(e.property).toBe('branch.repositoryId');
    expect(errorOf(() => SubjectFilter.gitHubBranch('o', 'r', 'main', { ownerId: 0, repositoryId: 2 })).rule).toBe('subject.github-immutable');
    expect(errorOf(() => SubjectFilter.gitHubBranch('o', 'r', 'main', { ownerId: 1.5, repositoryId: 2 })).rule).toBe('subject.github-immutable');
    expect(errorOf(() => SubjectFilter.exact('repo:o@1/r:pull_request')).rule).toBe('subject.github-immutable');
    expect(errorOf(() => SubjectFilter.exact('repo:o@x/r@2:pull_request')).rule).toBe('subject.github-immutable');
  });

  test('a wildcard in the branch or tag makes a StringLike pattern', () => {
    expect(SubjectFilter.gitHubBranch('o', 'r', 'release/*')).toMatchObject({ subject: 'repo:o/r:ref:refs/heads/release/*', operator: LIKE, isPattern: true });
    expect(SubjectFilter.gitHubTag('o', 'r', 'v*').operator).toBe(LIKE);
    expect(SubjectFilter.gitHubRepository('o', 'r', '*')).toMatchObject({ subject: 'repo:o/r:*', operator: LIKE });
  });

  test('owner and repository name rules', () => {
    expect(errorOf(() => SubjectFilter.gitHubBranch('-org', 'r', 'main')).rule).toBe('subject.github-owner');
    expect(errorOf(() => SubjectFilter.gitHubBranch('a'.repeat(40), 'r', 'main')).rule).toBe('subject.github-owner');
    expect(SubjectFilter.gitHubBranch('a'.repeat(39), 'r', 'main').subject).toContain('a'.repeat(39));
    expect(errorOf(() => SubjectFilter.gitHubBranch('my_org', 'r', 'main')).rule).toBe('subject.github-owner');
    expect(errorOf(() => SubjectFilter.gitHubBranch('o', 'r'.repeat(101), 'main')).rule).toBe('subject.github-repository');
    expect(errorOf(() => SubjectFilter.gitHubBranch('o', 're po', 'main')).rule).toBe('subject.github-repository');
    expect(errorOf(() => SubjectFilter.gitHubBranch('o', '..', 'main')).rule).toBe('subject.github-repository');
  });

  test('wildcards in owner or repository are refused by the factories', () => {
    const e = errorOf(() => SubjectFilter.gitHubBranch('org*', 'r', 'main'));
    expect(e.rule).toBe('subject.wildcard');
    expect(e.path).toBe('SubjectFilter.gitHubBranch');
    expect(e.property).toBe('branch.owner');
    expect(e.message).toContain('org-evil');
    expect(errorOf(() => SubjectFilter.gitHubPullRequest('org', '*')).rule).toBe('subject.wildcard');
    expect(errorOf(() => SubjectFilter.gitHubRepository('o?g', 'r', '*')).rule).toBe('subject.wildcard');
  });

  test('empty branch, environment, context', () => {
    expect(errorOf(() => SubjectFilter.gitHubBranch('o', 'r', '')).rule).toBe('subject.required');
    expect(errorOf(() => SubjectFilter.gitHubEnvironment('o', 'r', '')).rule).toBe('subject.required');
    expect(errorOf(() => SubjectFilter.gitHubRepository('o', 'r', '')).rule).toBe('subject.required');
  });
});

describe('subject wildcard rules (adversarial)', () => {
  test.each([
    ['*'],
    ['**'],
    ['?'],
    ['repo:*'],
    ['repo:org*'],
    ['repo:org/*'],
    ['repo:org/*:ref:refs/heads/main'],
    ['repo:o*/r'],
    ['repo:o*/r:pull_request'],
    ['repo:org?/repo:pull_request'],
    ['repo:org/rep?:pull_request'],
    ['repo:org/repo*'],
    ['repo:org/repo*:pull_request'],
    ['repo:org@*/repo@2:pull_request'],
    ['repo:org@1/repo@*:pull_request'],
    ['repo:org@1*/repo@2:pull_request'],
    ['repo:org@1/repo@2*'],
    ['repo:*/*:*'],
    ['*:pull_request'],
    ['*repo:org/repo:pull_request'],
    ['repository_owner:org:*'],
    ['repository_owner_id:123:*'],
    ['project_path:*'],
    ['project_path:group/*:ref_type:branch:ref:main'],
    ['project_path:gro*'],
    ['system:serviceaccount:*:app'],
    ['system:serviceaccount:prod*:app'],
    ['tenant-a*'],
    ['https://issuer/sub*'],
    [':*'],
  ])('%s is refused as a pattern (subject.wildcard)', (subject) => {
    expect(subjectProblem(subject, LIKE)?.rule).toBe('subject.wildcard');
    const e = errorOf(() => SubjectFilter.pattern(subject));
    expect(e.rule).toBe('subject.wildcard');
    expect(e.path).toBe('SubjectFilter.pattern');
    expect(e.property).toBe('subject');
  });

  test.each([
    ['repo:org/repo:*'],
    ['repo:org/repo:ref:refs/heads/*'],
    ['repo:org/repo:environment:prod-?'],
    ['repo:org@1/repo@2:*'],
    ['repository_owner:org:repository:org/repo:*'],
    ['repository_owner_id:1:repository_id:2:*'],
    ['project_path:group/sub/project:ref_type:branch:ref:*'],
    ['system:serviceaccount:prod:*'],
    ['tenant-a:workload/*'],
  ])('%s is allowed as a pattern', (subject) => {
    expect(subjectProblem(subject, LIKE)).toBeUndefined();
    expect(SubjectFilter.pattern(subject)).toMatchObject({ subject, operator: LIKE });
  });

  test('StringEquals refuses wildcards too, spanning ones with subject.wildcard', () => {
    expect(errorOf(() => SubjectFilter.exact('*')).rule).toBe('subject.wildcard');
    expect(errorOf(() => SubjectFilter.exact('repo:org*')).rule).toBe('subject.wildcard');
    expect(errorOf(() => SubjectFilter.exact('repo:*')).rule).toBe('subject.wildcard');
    expect(errorOf(() => SubjectFilter.exact('repo:org/repo:*')).rule).toBe('subject.exact-wildcard');
  });

  test('empty or missing subjects', () => {
    expect(errorOf(() => SubjectFilter.exact('')).rule).toBe('subject.required');
    expect(errorOf(() => SubjectFilter.pattern(undefined as unknown as string)).rule).toBe('subject.required');
  });

  test.each([
    ['repo:org/repo:ref:refs/heads/ma in'],
    ['repo:org/repo:ref:refs/heads/main\n'],
    ['repo:org/repo:ref:refs/heads/main\u0000'],
    ['repo:org/repo:ref:refs/heads/main\u0085'],
    ['repo:org/repo:ref:refs/heads/"main'],
    ["repo:org/repo:ref:refs/heads/'main"],
    ['repo:org/repo:ref:refs/heads/\\main'],
    ['repo:org/repo:ref:refs/heads/`x`'],
    ['repo:org/repo:ref:refs/heads/${aws:username}'],
    ['\trepo:org/repo:pull_request'],
  ])('%j is refused (subject.characters)', (subject) => {
    expect(errorOf(() => SubjectFilter.exact(subject)).rule).toBe('subject.characters');
    expect(subjectProblem(subject, LIKE)?.rule).toBe('subject.characters');
  });

  test('GitHub subjects need a context and a well-formed owner/repo', () => {
    expect(errorOf(() => SubjectFilter.exact('repo:org/repo')).rule).toBe('subject.github-format');
    expect(errorOf(() => SubjectFilter.exact('repo:org/repo:')).rule).toBe('subject.github-format');
    expect(errorOf(() => SubjectFilter.exact('repo:org:pull_request')).rule).toBe('subject.github-format');
    expect(errorOf(() => SubjectFilter.exact('repo:o_rg/repo:pull_request')).rule).toBe('subject.github-format');
  });

  test('validateSubject names the site', () => {
    const e = errorOf(() => validateSubject('repo:org*', LIKE, { path: 'Stack/Deploy', property: 'subjects[0]' }));
    expect(e.message).toBe(`Stack/Deploy: invalid subjects[0] "repo:org*": ${e.reason} [rule subject.wildcard]`);
  });

  test('unknown operator', () => {
    expect(subjectProblem('repo:o/r:pull_request', 'ForAnyValue:StringLike' as SubjectOperator)?.rule).toBe('subject.operator');
  });
});

describe('GitLab and Kubernetes', () => {
  test('GitLab branch and tag', () => {
    expect(SubjectFilter.gitLabBranch('group/project', 'main')).toMatchObject({ subject: 'project_path:group/project:ref_type:branch:ref:main', operator: EQ });
    expect(SubjectFilter.gitLabTag('group/sub/project', 'v1')).toMatchObject({ subject: 'project_path:group/sub/project:ref_type:tag:ref:v1', operator: EQ });
    expect(SubjectFilter.gitLabBranch('group/project', 'release-*').operator).toBe(LIKE);
  });

  test('GitLab project path rules', () => {
    expect(errorOf(() => SubjectFilter.gitLabBranch('project', 'main')).rule).toBe('subject.gitlab-format');
    expect(errorOf(() => SubjectFilter.gitLabBranch('group/*', 'main')).rule).toBe('subject.wildcard');
    expect(errorOf(() => SubjectFilter.gitLabBranch('', 'main')).rule).toBe('subject.required');
    expect(errorOf(() => SubjectFilter.exact('project_path:group/project')).rule).toBe('subject.gitlab-format');
  });

  test('Kubernetes service account', () => {
    expect(SubjectFilter.kubernetesServiceAccount('prod', 'etl')).toMatchObject({ subject: 'system:serviceaccount:prod:etl', operator: EQ });
    expect(SubjectFilter.kubernetesServiceAccount('prod', 'etl-*').operator).toBe(LIKE);
    expect(errorOf(() => SubjectFilter.kubernetesServiceAccount('*', 'etl')).rule).toBe('subject.wildcard');
    expect(errorOf(() => SubjectFilter.kubernetesServiceAccount('Prod', 'etl')).rule).toBe('subject.kubernetes-format');
    expect(errorOf(() => SubjectFilter.kubernetesServiceAccount('prod', 'ETL')).rule).toBe('subject.kubernetes-format');
    expect(errorOf(() => SubjectFilter.kubernetesServiceAccount('prod', '')).rule).toBe('subject.required');
  });

  test('generic exact subjects', () => {
    expect(SubjectFilter.exact('some-opaque-id-123')).toMatchObject({ subject: 'some-opaque-id-123', operator: EQ });
    expect(errorOf(() => SubjectFilter.exact('x'.repeat(2049))).rule).toBe('subject.length');
    expect(SubjectFilter.exact('x'.repeat(2048)).subject).toHaveLength(2048);
  });
});

describe('property: an accepted GitHub pattern never matches another owner/repository', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check') as typeof import('fast-check');
  const rare = (...c: string[]) => ({ arbitrary: fc.constantFrom(...c), weight: 1 });
  const common = (...c: string[]) => ({ arbitrary: fc.constantFrom(...c), weight: 10 });
  const ownerChar = fc.oneof(common('a', 'b', '1'), rare('*', '?', '-', '@'));
  const repoChar = fc.oneof(common('a', '.', '_', '1'), rare('*', '?', '-', '@'));
  const restChar = fc.oneof(common('a', '/', ':', '.'), rare('*', '?', '@'));
  const fillChar = fc.constantFrom('a', 'z', '-', '/', ':', '@', '9', '.');
  // Patterns shaped like GitHub subjects (so that many are accepted), with wildcards anywhere.
  const patternArb = fc.tuple(
    fc.array(ownerChar, { minLength: 1, maxLength: 6 }),
    fc.oneof(common('/'), rare('*', '?', '')),
    fc.array(repoChar, { minLength: 0, maxLength: 6 }),
    fc.oneof(common(':'), rare('*', '?', '')),
    fc.array(restChar, { minLength: 0, maxLength: 8 }),
  ).map(([o, slash, r, colon, rest]) => `repo:${o.join('')}${slash}${r.join('')}${colon}${rest.join('')}`);

  /** The OWNER/REPO part a subject names: text between "repo:" and the next ":". */
  function ownerRepo(subject: string): string {
    const rest = subject.slice('repo:'.length);
    const colon = rest.indexOf(':');
    return colon === -1 ? rest : rest.slice(0, colon);
  }

  test('every subject matched by an accepted pattern names the pattern\'s owner/repo', () => {
    let accepted = 0;
    let acceptedWithWildcard = 0;
    fc.assert(fc.property(
      patternArb,
      fc.array(fc.array(fillChar, { maxLength: 6 }), { minLength: 24, maxLength: 24 }),
      (pattern, fills) => {
        if (subjectProblem(pattern, LIKE) !== undefined) {
          return true;
        }
        accepted++;
        if (/[*?]/.test(pattern)) {
          acceptedWithWildcard++;
        }
        // Instantiate the pattern the way IAM StringLike would match it: * = any string, ? = one character.
        let i = 0;
        const subject = pattern.replace(/[*?]/g, (w) => {
          const fill = fills[i++].join('');
          return w === '*' ? fill : (fill[0] ?? 'x');
        });
        expect(ownerRepo(subject)).toBe(ownerRepo(pattern));
        expect(ownerRepo(pattern)).not.toMatch(/[*?]/);
        return true;
      },
    ), { numRuns: 5000 });
    // The generator must reach the accepting branch often, or the property proves nothing.
    expect(accepted).toBeGreaterThan(200);
    expect(acceptedWithWildcard).toBeGreaterThan(50);
  });
});
