import { GitLabRefType, HcpTerraformRunPhase, SubjectFilter, SubjectOperator, subjectProblem } from '../../lib/core/subject';
import { errorOf } from '../support/validation-error';

const ORG = '0e1b6c2a-3f4d-4e5a-9b7c-8d9e0f1a2b3c';
const PROJECT = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const USER = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const REPO = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
const ENV = 'b2c3d4e5-f6a7-4890-9bcd-ef0123456789';

describe('CI/CD subject factories: the issuer\'s documented subject format', () => {
  test.each<[string, () => SubjectFilter, string, SubjectOperator]>([
    ['GitLab ref type', () => SubjectFilter.gitLabRefType('group/sub/app', GitLabRefType.TAG), 'project_path:group/sub/app:ref_type:tag', SubjectOperator.STRING_EQUALS],
    ['CircleCI project', () => SubjectFilter.circleCiProject(ORG, PROJECT), `org/${ORG}/project/${PROJECT}/user/*`, SubjectOperator.STRING_LIKE],
    ['CircleCI project and user', () => SubjectFilter.circleCiProjectUser(ORG.toUpperCase(), PROJECT, USER), `org/${ORG}/project/${PROJECT}/user/${USER}`, SubjectOperator.STRING_EQUALS],
    ['Bitbucket repository (braces optional)', () => SubjectFilter.bitbucketRepository(`{${REPO}}`), `{${REPO}}:*`, SubjectOperator.STRING_LIKE],
    ['Bitbucket deployment', () => SubjectFilter.bitbucketDeployment(REPO, `{${ENV}}`), `{${REPO}}:{${ENV}}:*`, SubjectOperator.STRING_LIKE],
    ['HCP Terraform apply', () => SubjectFilter.hcpTerraformWorkspace('acme', 'Default Project', 'networking-prod', HcpTerraformRunPhase.APPLY),
      'organization:acme:project:Default Project:workspace:networking-prod:run_phase:apply', SubjectOperator.STRING_EQUALS],
    ['HCP Terraform any phase', () => SubjectFilter.hcpTerraformWorkspace('acme', 'platform', 'dns'), 'organization:acme:project:platform:workspace:dns:run_phase:*', SubjectOperator.STRING_LIKE],
    ['Buildkite pipeline', () => SubjectFilter.buildkitePipeline('acme-inc', 'deploy'), 'organization:acme-inc:pipeline:deploy:*', SubjectOperator.STRING_LIKE],
    ['Buildkite branch', () => SubjectFilter.buildkiteBranch('acme-inc', 'deploy', 'main'), 'organization:acme-inc:pipeline:deploy:ref:refs/heads/main:commit:*:step:*', SubjectOperator.STRING_LIKE],
  ])('%s', (_, make, subject, operator) => {
    const filter = make();
    expect([filter.subject, filter.operator]).toEqual([subject, operator]);
  });

  test.each<[string, () => SubjectFilter, string, string]>([
    ['a CircleCI organization wildcard', () => SubjectFilter.circleCiProject('*', PROJECT), 'organizationId', 'subject.wildcard'],
    ['a CircleCI project wildcard', () => SubjectFilter.circleCiProject(ORG, '5a6b*'), 'projectId', 'subject.wildcard'],
    ['a CircleCI id that is not a UUID', () => SubjectFilter.circleCiProject(ORG, 'my-project'), 'projectId', 'subject.circleci-format'],
    ['a Bitbucket repository wildcard', () => SubjectFilter.bitbucketRepository('{a1b2*}'), 'repositoryUuid', 'subject.wildcard'],
    ['a Bitbucket repository name instead of its UUID', () => SubjectFilter.bitbucketRepository('my-repo'), 'repositoryUuid', 'subject.bitbucket-format'],
    ['an HCP Terraform organization wildcard', () => SubjectFilter.hcpTerraformWorkspace('acme*', 'p', 'w'), 'organization', 'subject.wildcard'],
    ['an HCP Terraform workspace wildcard', () => SubjectFilter.hcpTerraformWorkspace('acme', 'p', '*'), 'workspace', 'subject.wildcard'],
    ['an HCP Terraform project with a colon', () => SubjectFilter.hcpTerraformWorkspace('acme', 'a:b', 'w'), 'project', 'subject.hcp-terraform-format'],
    ['an HCP Terraform run phase', () => SubjectFilter.hcpTerraformWorkspace('acme', 'p', 'w', 'destroy' as HcpTerraformRunPhase), 'runPhase', 'subject.hcp-terraform-format'],
    ['a Buildkite organization wildcard', () => SubjectFilter.buildkitePipeline('acme*', 'deploy'), 'organizationSlug', 'subject.wildcard'],
    ['a Buildkite pipeline wildcard', () => SubjectFilter.buildkitePipeline('acme', '*'), 'pipelineSlug', 'subject.wildcard'],
    ['a Buildkite slug with capitals', () => SubjectFilter.buildkiteBranch('Acme', 'deploy', 'main'), 'organizationSlug', 'subject.buildkite-format'],
    ['a Buildkite branch wildcard', () => SubjectFilter.buildkiteBranch('acme', 'deploy', 'release/*'), 'branch', 'subject.buildkite-format'],
    ['a GitLab ref type', () => SubjectFilter.gitLabRefType('g/p', 'environment' as GitLabRefType), 'refType', 'subject.gitlab-format'],
    ['a GitLab group wildcard', () => SubjectFilter.gitLabRefType('g*/p', GitLabRefType.BRANCH), 'subject', 'subject.wildcard'],
  ])('refuses %s', (_, make, property, rule) => {
    const e = errorOf(make);
    expect([e.property, e.rule]).toEqual([property, rule]);
  });
});

describe('subjectProblem: owner-spanning wildcards of these issuers (SubjectFilter.pattern and OidcTrustRole)', () => {
  test.each([
    ['organization:*', /HCP Terraform organization, so it matches workspaces of other organizations/],
    ['organization:acme*', /HCP Terraform organization/],
    ['organization:acme:project:*', /HCP Terraform project or workspace/],
    ['organization:acme:project:p:workspace:prod*', /HCP Terraform project or workspace/],
    ['organization:acme*:pipeline:deploy:*', /HCP Terraform organization|Buildkite organization/],
    ['organization:acme:pipeline:*', /Buildkite pipeline slug/],
    [`org/*/project/${PROJECT}/user/*`, /CircleCI organization id/],
    [`org/${ORG}/project/*`, /every CircleCI project of the organization/],
    ['{*}:*', /Bitbucket repository UUID/],
  ])('%s is refused', (subject, reason) => {
    const problem = subjectProblem(subject, SubjectOperator.STRING_LIKE);
    expect(problem?.rule).toBe('subject.wildcard');
    expect(problem?.reason).toMatch(reason);
  });

  test.each([
    'organization:acme:project:Default Project:workspace:dns:run_phase:*',
    'organization:acme:workspace:dns:run_phase:*',
    'organization:acme-inc:pipeline:deploy:ref:refs/heads/main:commit:*:step:*',
    `org/${ORG}/project/${PROJECT}/user/*`,
    `{${REPO}}:*`,
  ])('%s is accepted', (subject) => {
    expect(subjectProblem(subject, SubjectOperator.STRING_LIKE)).toBeUndefined();
  });

  test('spaces stay refused outside HCP Terraform subjects', () => {
    expect(subjectProblem('repo:o/r:environment:my env', SubjectOperator.STRING_EQUALS)?.rule).toBe('subject.characters');
  });
});
