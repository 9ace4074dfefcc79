import { BUILDKITE_SLUG, ciSubjectForm, ciWildcardProblem, HCP_NAME, HCP_PROJECT, UUID } from './ci-subjects';
import { child, fail, ValidationSite } from './errors';

/**
 * How an IAM trust policy compares the token's `sub` claim.
 */
export enum SubjectOperator {
  /** Exact, case-sensitive comparison (`StringEquals`). */
  STRING_EQUALS = 'StringEquals',
  /** Comparison where `*` and `?` are wildcards (`StringLike`). */
  STRING_LIKE = 'StringLike',
}

/** The kind of Git ref a GitLab subject names (`ref_type`). */
export enum GitLabRefType {
  /** A branch. */
  BRANCH = 'branch',
  /** A tag. */
  TAG = 'tag',
}

/** The phase of an HCP Terraform run (`run_phase`); plan and apply get separate tokens. */
export enum HcpTerraformRunPhase {
  /** `terraform plan`. */
  PLAN = 'plan',
  /** `terraform apply`. */
  APPLY = 'apply',
}

/**
 * Immutable ids of a GitHub repository and its owner.
 *
 * Repositories created or renamed on or after 2026-07-15 (and repositories whose admins opted in) put
 * these ids in the default subject claim: `repo:OWNER@OWNER_ID/REPO@REPO_ID:...`. Names can be
 * recycled by another account; ids are never reused, so pinning them closes the rename attack.
 */
export interface GitHubRepositoryOptions {
  /**
   * Numeric id of the repository owner (user or organization), e.g. from
   * `GET /repos/OWNER/REPO` -> `owner.id`. Give it together with `repositoryId`.
   * @default - the name-only subject form `repo:OWNER/REPO:...`
   */
  readonly ownerId?: number;
  /**
   * Numeric id of the repository, e.g. from `GET /repos/OWNER/REPO` -> `id`. Give it together with `ownerId`.
   * @default - the name-only subject form `repo:OWNER/REPO:...`
   */
  readonly repositoryId?: number;
}

/** A rule a subject broke: its id and the reason shown to the user. */
export interface SubjectProblem {
  /** Stable rule id, e.g. `subject.wildcard`. */
  readonly rule: string;
  /** Why the subject is refused. */
  readonly reason: string;
}

const GITHUB_OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
const NUMERIC_ID = /^[1-9][0-9]{0,19}$/;
const GITLAB_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;
const K8S_NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const MAX_SUBJECT_LENGTH = 2048;
const WILDCARD = /[*?]/;

const GITHUB_PREFIX = 'repo:';
const GITLAB_PREFIX = 'project_path:';
const K8S_PREFIX = 'system:serviceaccount:';
/** GitHub customized subject templates that start with the owner rather than `repo:`. */
const GITHUB_OWNER_CLAIMS = ['repository_owner:', 'repository_owner_id:'];

function hasWildcard(value: string): boolean {
  return WILDCARD.test(value);
}

/** Characters that can never appear in a subject we put into a policy. */
function characterProblem(subject: string): SubjectProblem | undefined {
  // Whitespace, control characters (C0, DEL, C1), quotes and backslashes cannot be in any of the subject
  // forms we know, and in a policy they are either mistakes or attempts to break out of a JSON string.
  if (/[\s\u0000-\u001F\u007F-\u009F"'`\\]/.test(subject)) {
    return { rule: 'subject.characters', reason: 'a subject has no whitespace, control characters, quotes or backslashes' };
  }
  if (subject.includes('${')) {
    return { rule: 'subject.characters', reason: 'IAM would read "${...}" as a policy variable and substitute it; a subject never contains it' };
  }
  return undefined;
}

function wildcardSpans(what: string): SubjectProblem {
  return {
    rule: 'subject.wildcard',
    reason: `a wildcard here can match ${what}; "repo:org*" also matches "org-evil", so pin the full name and put a wildcard only after it (e.g. "repo:OWNER/REPO:*")`,
  };
}

/** Checks the `OWNER[@ID]/REPO[@ID]` part of a GitHub subject. */
function githubRepoProblem(ownerRepo: string): SubjectProblem | undefined {
  const slash = ownerRepo.indexOf('/');
  if (slash === -1) {
    return hasWildcard(ownerRepo)
      ? wildcardSpans('any owner and repository')
      : { rule: 'subject.github-format', reason: 'a GitHub subject starts with "repo:OWNER/REPO:" (or "repo:OWNER@ID/REPO@ID:")' };
  }
  const owner = ownerRepo.slice(0, slash);
  const repo = ownerRepo.slice(slash + 1);
  if (hasWildcard(owner)) {
    return wildcardSpans('repositories of other owners');
  }
  if (hasWildcard(repo)) {
    return wildcardSpans('other repositories of this owner');
  }
  const [ownerName, ownerId, ...ownerRest] = owner.split('@');
  const [repoName, repoId, ...repoRest] = repo.split('@');
  if (ownerRest.length > 0 || repoRest.length > 0 || !GITHUB_OWNER.test(ownerName) || !GITHUB_REPO.test(repoName) || repoName === '.' || repoName === '..') {
    return { rule: 'subject.github-format', reason: 'a GitHub owner is 1-39 letters, digits or "-" (not starting with "-"); a repository is 1-100 letters, digits, "-", "_" or "."' };
  }
  if ((ownerId === undefined) !== (repoId === undefined)) {
    return { rule: 'subject.github-immutable', reason: 'the immutable subject form carries both ids: "repo:OWNER@OWNER_ID/REPO@REPO_ID:..."' };
  }
  if (ownerId !== undefined && (!NUMERIC_ID.test(ownerId) || !NUMERIC_ID.test(repoId!))) {
    return { rule: 'subject.github-immutable', reason: 'owner and repository ids are positive whole numbers, e.g. "repo:octocat@583231/hello-world@1296269:..."' };
  }
  return undefined;
}

function githubProblem(subject: string): SubjectProblem | undefined {
  const rest = subject.slice(GITHUB_PREFIX.length);
  const colon = rest.indexOf(':');
  // Everything up to the first wildcard must be literal; if the wildcard comes before the ':' that closes
  // OWNER/REPO it can complete (or replace) a name.
  const ownerRepo = colon === -1 ? rest : rest.slice(0, colon);
  const problem = githubRepoProblem(ownerRepo);
  if (problem) {
    return problem;
  }
  if (colon === -1 || colon === rest.length - 1) {
    return { rule: 'subject.github-format', reason: 'a GitHub subject names a context after the repository, e.g. "repo:OWNER/REPO:ref:refs/heads/main", "...:environment:prod" or "...:pull_request"' };
  }
  return undefined;
}

function githubOwnerClaimProblem(subject: string): SubjectProblem | undefined {
  // Customized subject templates such as "repository_owner:ORG:repository:ORG/REPO:..." or
  // "repository_owner_id:1:repository_id:2:...". A wildcard before the repository is pinned spans repositories.
  const first = subject.search(WILDCARD);
  if (first === -1) {
    return undefined;
  }
  const literal = subject.slice(0, first);
  const pinsRepo = /(^|:)repository_id:[1-9][0-9]*:/.test(literal) || /(^|:)repository:[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+:/.test(literal);
  return pinsRepo ? undefined : wildcardSpans('other repositories (the template pins no repository before the wildcard)');
}

/**
 * GitHub claims whose values GitHub derives from the repository or its owner: a customized subject template
 * that starts with one of them pins who the workflow belongs to. Every other claim (`workflow`, `environment`,
 * `ref`, `context`, `job_workflow_ref`, `actor`, ...) is something any owner can reproduce in their own repository.
 */
const GITHUB_IDENTITY_CLAIMS = ['repo', 'repository', 'repository_id', 'repository_owner', 'repository_owner_id', 'enterprise', 'enterprise_id'];

/** True for GitHub Actions' issuer host as IAM condition keys name it (also the enterprise form with a path). */
export function isGitHubIssuer(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'token.actions.githubusercontent.com' || h.startsWith('token.actions.githubusercontent.com/');
}

/**
 * Why a subject in a trust of GitHub's issuer (`token.actions.githubusercontent.com`) does not pin the repository's
 * owner, or `undefined`: a subject whose first claim is one the workflow's author chooses (a customized template
 * such as `workflow:deploy:...`) is reproducible by any GitHub owner, who sets the same template in their own
 * repository; a claim value may hold `:`, so what follows the first claim proves nothing either.
 */
export function gitHubSubjectOwnerProblem(subject: string): SubjectProblem | undefined {
  if (typeof subject !== 'string') {
    return undefined;
  }
  const colon = subject.indexOf(':');
  if (colon <= 0) {
    return undefined;
  }
  const claim = subject.slice(0, colon);
  if (hasWildcard(claim) || claim.includes('${') || GITHUB_IDENTITY_CLAIMS.includes(claim)) {
    return undefined;
  }
  return {
    rule: 'subject.github-owner-claim',
    reason: `the subject starts with the claim "${claim}", whose value the workflow's author chooses: any GitHub owner can give a repository `
      + `a custom subject template starting with "${claim}" and reproduce the subject (a claim value may hold ":"); start the template with `
      + '"repo" or "repository_owner_id" (e.g. "repository_owner_id:123:repository_id:456:...") so it names the owner',
  };
}

function gitlabProblem(subject: string): SubjectProblem | undefined {
  const rest = subject.slice(GITLAB_PREFIX.length);
  const colon = rest.indexOf(':');
  const path = colon === -1 ? rest : rest.slice(0, colon);
  if (hasWildcard(path)) {
    return wildcardSpans('other GitLab groups or projects');
  }
  const segments = path.split('/');
  if (segments.length < 2 || !segments.every((s) => GITLAB_SEGMENT.test(s))) {
    return { rule: 'subject.gitlab-format', reason: 'a GitLab subject starts with "project_path:GROUP/PROJECT:" (subgroups allowed), each part letters, digits, "_", "-" or "."' };
  }
  if (colon === -1 || colon === rest.length - 1) {
    return { rule: 'subject.gitlab-format', reason: 'a GitLab subject continues after the project, e.g. "project_path:GROUP/PROJECT:ref_type:branch:ref:main"' };
  }
  return undefined;
}

function kubernetesProblem(subject: string): SubjectProblem | undefined {
  const rest = subject.slice(K8S_PREFIX.length);
  const colon = rest.indexOf(':');
  const namespace = colon === -1 ? rest : rest.slice(0, colon);
  if (hasWildcard(namespace)) {
    return wildcardSpans('service accounts of other namespaces');
  }
  const name = colon === -1 ? '' : rest.slice(colon + 1);
  if (!K8S_NAMESPACE.test(namespace) || name.length === 0 || (!hasWildcard(name) && !K8S_NAME.test(name))) {
    return { rule: 'subject.kubernetes-format', reason: 'a Kubernetes subject is "system:serviceaccount:NAMESPACE:NAME" with lowercase DNS names' };
  }
  return undefined;
}

function genericProblem(subject: string): SubjectProblem | undefined {
  const first = subject.search(WILDCARD);
  if (first === -1) {
    return undefined;
  }
  const literal = subject.slice(0, first);
  if (literal.length === 0) {
    return wildcardSpans('any subject of the issuer');
  }
  if (!/[:/]$/.test(literal) || literal.replace(/[:/]/g, '').length === 0) {
    return wildcardSpans('names that merely start the same way');
  }
  return undefined;
}

/**
 * Returns why `subject` may not be trusted with `operator`, or `undefined` when it may.
 *
 * Refused: empty subjects, `*`, characters no subject has (whitespace, control characters, quotes,
 * backslashes, `${`), and every wildcard that can span owners or repositories: `repo:*`, `repo:org*`,
 * `repo:org/*`, `repo:o*\/r`, wildcards in OWNER/REPO or their `@ID`. A wildcard is allowed only after
 * `repo:OWNER/REPO:` (GitHub), `project_path:GROUP/PROJECT:` (GitLab), `system:serviceaccount:NAMESPACE:`
 * (Kubernetes), `org/ORG/project/PROJECT/user/` (CircleCI), `{REPOSITORY_UUID}` (Bitbucket),
 * `organization:ORG:project:PROJECT:workspace:WORKSPACE:` (HCP Terraform), `organization:ORG:pipeline:PIPELINE:`
 * (Buildkite) or, for other issuers, after a literal prefix ending in `:` or `/`. With `StringEquals`
 * no `*` or `?` is allowed at all (IAM would compare them literally, which is never what was meant).
 */
export function subjectProblem(subject: string, operator: SubjectOperator): SubjectProblem | undefined {
  if (typeof subject !== 'string' || subject.length === 0) {
    return { rule: 'subject.required', reason: 'a trust must name the subject (sub claim) it accepts; without one every workload of the issuer can assume the role' };
  }
  if (/^[*?]+$/.test(subject)) {
    return wildcardSpans('every subject of the issuer');
  }
  if (subject.length > MAX_SUBJECT_LENGTH) {
    return { rule: 'subject.length', reason: `a subject is at most ${MAX_SUBJECT_LENGTH} characters` };
  }
  // HCP Terraform project names may hold spaces ("Default Project"); nothing else may.
  const chars = characterProblem(ciSubjectForm(subject) === 'hcp-terraform' ? subject.replace(/ /g, '') : subject);
  if (chars) {
    return chars;
  }
  let problem: SubjectProblem | undefined;
  if (subject.startsWith(GITHUB_PREFIX)) {
    problem = githubProblem(subject);
  } else if (GITHUB_OWNER_CLAIMS.some((p) => subject.startsWith(p))) {
    problem = githubOwnerClaimProblem(subject);
  } else if (subject.startsWith(GITLAB_PREFIX)) {
    problem = gitlabProblem(subject);
  } else if (subject.startsWith(K8S_PREFIX)) {
    problem = kubernetesProblem(subject);
  } else if (ciSubjectForm(subject) !== undefined) {
    const span = ciWildcardProblem(subject);
    problem = span ? { rule: 'subject.wildcard', reason: `the subject ${span}; pin the owner and the project and put a wildcard only after them` } : undefined;
  } else {
    problem = genericProblem(subject);
  }
  if (problem) {
    return problem;
  }
  if (operator === SubjectOperator.STRING_EQUALS && hasWildcard(subject)) {
    return { rule: 'subject.exact-wildcard', reason: 'StringEquals compares "*" and "?" literally; use a pattern filter (StringLike) if a wildcard was meant' };
  }
  if (operator !== SubjectOperator.STRING_EQUALS && operator !== SubjectOperator.STRING_LIKE) {
    return { rule: 'subject.operator', reason: 'a subject is compared with StringEquals or StringLike' };
  }
  return undefined;
}

/** Throws a `KeylessValidationError` at `site` if `subject` may not be trusted with `operator`; returns it otherwise. */
export function validateSubject(subject: string, operator: SubjectOperator, site: ValidationSite): string {
  const problem = subjectProblem(subject, operator);
  if (problem) {
    fail(site, subject, problem.rule, problem.reason);
  }
  return subject;
}

function operatorFor(subject: string): SubjectOperator {
  return hasWildcard(subject) ? SubjectOperator.STRING_LIKE : SubjectOperator.STRING_EQUALS;
}

function githubRepoPart(owner: string, repository: string, options: GitHubRepositoryOptions | undefined, site: ValidationSite): string {
  if (typeof owner !== 'string' || !GITHUB_OWNER.test(owner)) {
    if (typeof owner === 'string' && hasWildcard(owner)) {
      fail(child(site, 'owner'), owner, 'subject.wildcard', wildcardSpans('repositories of other owners').reason);
    }
    fail(child(site, 'owner'), owner, 'subject.github-owner', 'a GitHub owner is 1-39 letters, digits or "-", not starting with "-"');
  }
  if (typeof repository !== 'string' || !GITHUB_REPO.test(repository) || repository === '.' || repository === '..') {
    if (typeof repository === 'string' && hasWildcard(repository)) {
      fail(child(site, 'repository'), repository, 'subject.wildcard', wildcardSpans('other repositories of this owner').reason);
    }
    fail(child(site, 'repository'), repository, 'subject.github-repository', 'a GitHub repository name is 1-100 letters, digits, "-", "_" or "."');
  }
  const ownerId = options?.ownerId;
  const repositoryId = options?.repositoryId;
  if ((ownerId === undefined) !== (repositoryId === undefined)) {
    fail(child(site, ownerId === undefined ? 'ownerId' : 'repositoryId'), ownerId ?? repositoryId, 'subject.github-immutable',
      'the immutable subject form carries both ids: "repo:OWNER@OWNER_ID/REPO@REPO_ID:..."; give ownerId and repositoryId together');
  }
  if (ownerId !== undefined && repositoryId !== undefined) {
    for (const [name, id] of [['ownerId', ownerId], ['repositoryId', repositoryId]] as const) {
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
        fail(child(site, name), id, 'subject.github-immutable', 'a GitHub owner or repository id is a positive whole number');
      }
    }
    return `${owner}@${ownerId}/${repository}@${repositoryId}`;
  }
  return `${owner}/${repository}`;
}

function ciUuid(value: string, site: ValidationSite, what: string, spans: string): string {
  if (typeof value === 'string' && hasWildcard(value)) fail(site, value, 'subject.wildcard', `a wildcard here matches ${spans}; pin the id`);
  if (typeof value !== 'string' || !UUID.test(value.toLowerCase())) fail(site, value, 'subject.circleci-format', `a ${what} is a UUID, e.g. "0e1b6c2a-3f4d-4e5a-9b7c-8d9e0f1a2b3c"`);
  return value.toLowerCase();
}

function bitbucketUuid(value: string, site: ValidationSite, spans: string): string {
  if (typeof value === 'string' && hasWildcard(value)) fail(site, value, 'subject.wildcard', `a wildcard here matches ${spans}; pin the UUID`);
  const bare = typeof value === 'string' ? value.replace(/^\{(.*)\}$/, '$1').toLowerCase() : value;
  if (typeof bare !== 'string' || !UUID.test(bare)) fail(site, value, 'subject.bitbucket-format', 'a Bitbucket UUID is written "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" (braces optional)');
  return bare;
}

function hcpPart(value: string, site: ValidationSite, pattern: RegExp, what: string, spans: string): string {
  if (typeof value === 'string' && hasWildcard(value)) fail(site, value, 'subject.wildcard', `a wildcard here matches ${spans}; pin the name`);
  if (typeof value !== 'string' || !pattern.test(value)) fail(site, value, 'subject.hcp-terraform-format', `an HCP Terraform ${what}`);
  return value;
}

function buildkiteSlug(value: string, site: ValidationSite, spans: string): string {
  if (typeof value === 'string' && hasWildcard(value)) fail(site, value, 'subject.wildcard', `a wildcard here matches ${spans}; pin the slug`);
  if (typeof value !== 'string' || !BUILDKITE_SLUG.test(value)) fail(site, value, 'subject.buildkite-format', 'a Buildkite slug is lowercase letters, digits and "-"');
  return value;
}

function nonEmpty(value: string, site: ValidationSite, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(site, value, 'subject.required', `the ${what} is required`);
  }
  return value;
}

/**
 * Which OIDC tokens a role trusts: the `sub` claim value and how IAM compares it.
 *
 * Build one with the static factories; each validates its input and refuses wildcards that could
 * span owners or repositories. `OidcTrustRole` validates every filter again with its construct path.
 *
 * @example
 * SubjectFilter.gitHubBranch('my-org', 'infra', 'main');
 * // repo:my-org/infra:ref:refs/heads/main  (StringEquals)
 * SubjectFilter.gitHubEnvironment('my-org', 'infra', 'prod', { ownerId: 123, repositoryId: 456 });
 * // repo:my-org@123/infra@456:environment:prod  (StringEquals)
 */
export class SubjectFilter {
  /**
   * Workflow runs on a branch: `repo:OWNER/REPO:ref:refs/heads/BRANCH`.
   * A `*` in the branch (e.g. `release/*`) makes the filter a StringLike pattern.
   */
  public static gitHubBranch(owner: string, repository: string, branch: string, options?: GitHubRepositoryOptions): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitHubBranch', property: 'branch' };
    const repo = githubRepoPart(owner, repository, options, site);
    return SubjectFilter.build(`repo:${repo}:ref:refs/heads/${nonEmpty(branch, site, 'branch name')}`, site);
  }

  /**
   * Workflow runs for a tag: `repo:OWNER/REPO:ref:refs/tags/TAG`.
   * A `*` in the tag (e.g. `v*`) makes the filter a StringLike pattern.
   */
  public static gitHubTag(owner: string, repository: string, tag: string, options?: GitHubRepositoryOptions): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitHubTag', property: 'tag' };
    const repo = githubRepoPart(owner, repository, options, site);
    return SubjectFilter.build(`repo:${repo}:ref:refs/tags/${nonEmpty(tag, site, 'tag name')}`, site);
  }

  /** Jobs that reference a deployment environment: `repo:OWNER/REPO:environment:NAME`. */
  public static gitHubEnvironment(owner: string, repository: string, environment: string, options?: GitHubRepositoryOptions): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitHubEnvironment', property: 'environment' };
    const repo = githubRepoPart(owner, repository, options, site);
    return SubjectFilter.build(`repo:${repo}:environment:${nonEmpty(environment, site, 'environment name')}`, site);
  }

  /** Workflows triggered by a pull request: `repo:OWNER/REPO:pull_request`. */
  public static gitHubPullRequest(owner: string, repository: string, options?: GitHubRepositoryOptions): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitHubPullRequest', property: 'repository' };
    const repo = githubRepoPart(owner, repository, options, site);
    return SubjectFilter.build(`repo:${repo}:pull_request`, site);
  }

  /**
   * Any context of one repository you spell yourself: `repo:OWNER/REPO:CONTEXT`, e.g. context
   * `ref:refs/heads/*` or `*`. Wildcards are allowed in the context only.
   */
  public static gitHubRepository(owner: string, repository: string, context: string, options?: GitHubRepositoryOptions): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitHubRepository', property: 'context' };
    const repo = githubRepoPart(owner, repository, options, site);
    return SubjectFilter.build(`repo:${repo}:${nonEmpty(context, site, 'context')}`, site);
  }

  /**
   * GitLab CI/CD jobs on a branch: `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`.
   * `projectPath` may include subgroups (`group/sub/project`). A `*` in the branch makes a pattern.
   */
  public static gitLabBranch(projectPath: string, branch: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitLabBranch', property: 'projectPath' };
    return SubjectFilter.build(`project_path:${nonEmpty(projectPath, site, 'project path')}:ref_type:branch:ref:${nonEmpty(branch, { ...site, property: 'branch' }, 'branch name')}`, site);
  }

  /** GitLab CI/CD jobs for a tag: `project_path:GROUP/PROJECT:ref_type:tag:ref:TAG`. */
  public static gitLabTag(projectPath: string, tag: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitLabTag', property: 'projectPath' };
    return SubjectFilter.build(`project_path:${nonEmpty(projectPath, site, 'project path')}:ref_type:tag:ref:${nonEmpty(tag, { ...site, property: 'tag' }, 'tag name')}`, site);
  }

  /**
   * GitLab CI/CD jobs of one ref type: `project_path:GROUP/PROJECT:ref_type:TYPE`. GitLab writes this subject only for
   * a project whose `ci_id_token_sub_claim_components` is `["project_path", "ref_type"]` (projects API); the default
   * subject also names the ref (see {@link gitLabBranch}). GitLab's sub claim can carry only project_path, ref_type
   * and ref: `environment` and `pipeline_source` are separate claims an IAM trust cannot compare.
   */
  public static gitLabRefType(projectPath: string, refType: GitLabRefType): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.gitLabRefType', property: 'refType' };
    if (refType !== GitLabRefType.BRANCH && refType !== GitLabRefType.TAG) {
      fail(site, refType, 'subject.gitlab-format', 'a GitLab ref type is "branch" or "tag"');
    }
    return SubjectFilter.build(`project_path:${nonEmpty(projectPath, { ...site, property: 'projectPath' }, 'project path')}:ref_type:${refType}`, site);
  }

  /**
   * Every job of one CircleCI project, whoever triggered it: `org/ORG_ID/project/PROJECT_ID/user/*` (StringLike).
   * The trust's provider is `oidc.circleci.com/org/ORG_ID`; both ids are UUIDs from the organization and project settings.
   */
  public static circleCiProject(organizationId: string, projectId: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.circleCiProject', property: 'organizationId' };
    const org = ciUuid(organizationId, site, 'CircleCI organization id', 'projects of other organizations');
    const project = ciUuid(projectId, { ...site, property: 'projectId' }, 'CircleCI project id', 'every project of the organization');
    return SubjectFilter.build(`org/${org}/project/${project}/user/*`, site);
  }

  /** Jobs of one CircleCI project triggered by one user: `org/ORG_ID/project/PROJECT_ID/user/USER_ID` (StringEquals). */
  public static circleCiProjectUser(organizationId: string, projectId: string, userId: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.circleCiProjectUser', property: 'organizationId' };
    const org = ciUuid(organizationId, site, 'CircleCI organization id', 'projects of other organizations');
    const project = ciUuid(projectId, { ...site, property: 'projectId' }, 'CircleCI project id', 'every project of the organization');
    const user = ciUuid(userId, { ...site, property: 'userId' }, 'CircleCI user id', 'every user');
    return SubjectFilter.build(`org/${org}/project/${project}/user/${user}`, site);
  }

  /**
   * Every Bitbucket Pipelines step of one repository: `{REPOSITORY_UUID}:*` (StringLike). The trust's provider is the
   * workspace's `api.bitbucket.org/2.0/workspaces/WORKSPACE/pipelines-config/identity/oidc`; the UUID (with or
   * without braces) is in the repository's Pipelines > OpenID Connect settings.
   */
  public static bitbucketRepository(repositoryUuid: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.bitbucketRepository', property: 'repositoryUuid' };
    return SubjectFilter.build(`{${bitbucketUuid(repositoryUuid, site, 'every repository of the workspace')}}:*`, site);
  }

  /** Bitbucket Pipelines deployment steps of one repository and environment: `{REPOSITORY_UUID}:{ENVIRONMENT_UUID}:*`. */
  public static bitbucketDeployment(repositoryUuid: string, environmentUuid: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.bitbucketDeployment', property: 'repositoryUuid' };
    const repo = bitbucketUuid(repositoryUuid, site, 'every repository of the workspace');
    const env = bitbucketUuid(environmentUuid, { ...site, property: 'environmentUuid' }, 'every environment of the repository');
    return SubjectFilter.build(`{${repo}}:{${env}}:*`, site);
  }

  /**
   * HCP Terraform (Terraform Cloud) runs of one workspace:
   * `organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE`, or any phase (`run_phase:*`) when
   * `runPhase` is omitted. Workspaces without a project are in "Default Project". Every organization shares the
   * issuer `app.terraform.io`, so the organization is what keeps other customers out.
   */
  public static hcpTerraformWorkspace(organization: string, project: string, workspace: string, runPhase?: HcpTerraformRunPhase): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.hcpTerraformWorkspace', property: 'organization' };
    const org = hcpPart(organization, site, HCP_NAME, 'organization name (letters, digits, "-", "_")', 'workspaces of other organizations');
    const proj = hcpPart(project, { ...site, property: 'project' }, HCP_PROJECT, 'project name (letters, digits, spaces, "-", "_"; at most 40)', 'every project of the organization');
    const ws = hcpPart(workspace, { ...site, property: 'workspace' }, HCP_NAME, 'workspace name (letters, digits, "-", "_")', 'every workspace of the project');
    if (runPhase !== undefined && runPhase !== HcpTerraformRunPhase.PLAN && runPhase !== HcpTerraformRunPhase.APPLY) {
      fail({ ...site, property: 'runPhase' }, runPhase, 'subject.hcp-terraform-format', 'a run phase is "plan" or "apply" (omit it for both)');
    }
    return SubjectFilter.build(`organization:${org}:project:${proj}:workspace:${ws}:run_phase:${runPhase ?? '*'}`, site);
  }

  /**
   * Every Buildkite job of one pipeline: `organization:ORG:pipeline:PIPELINE:*` (StringLike). Every Buildkite
   * organization shares the issuer `agent.buildkite.com`, so the organization slug is what keeps others out.
   */
  public static buildkitePipeline(organizationSlug: string, pipelineSlug: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.buildkitePipeline', property: 'organizationSlug' };
    const org = buildkiteSlug(organizationSlug, site, 'pipelines of other organizations');
    const pipeline = buildkiteSlug(pipelineSlug, { ...site, property: 'pipelineSlug' }, 'every pipeline of the organization');
    return SubjectFilter.build(`organization:${org}:pipeline:${pipeline}:*`, site);
  }

  /**
   * Buildkite jobs of one pipeline building a branch:
   * `organization:ORG:pipeline:PIPELINE:ref:refs/heads/BRANCH:commit:*:step:*` (StringLike).
   */
  public static buildkiteBranch(organizationSlug: string, pipelineSlug: string, branch: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.buildkiteBranch', property: 'organizationSlug' };
    const org = buildkiteSlug(organizationSlug, site, 'pipelines of other organizations');
    const pipeline = buildkiteSlug(pipelineSlug, { ...site, property: 'pipelineSlug' }, 'every pipeline of the organization');
    const ref = nonEmpty(branch, { ...site, property: 'branch' }, 'branch name');
    if (ref.includes(':') || hasWildcard(ref)) {
      fail({ ...site, property: 'branch' }, ref, 'subject.buildkite-format', 'a branch name here has no ":" and no wildcard (the commit and step after it are already wildcards)');
    }
    return SubjectFilter.build(`organization:${org}:pipeline:${pipeline}:ref:refs/heads/${ref}:commit:*:step:*`, site);
  }

  /** A Kubernetes service account (EKS IRSA and other clusters): `system:serviceaccount:NAMESPACE:NAME`. */
  public static kubernetesServiceAccount(namespace: string, name: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.kubernetesServiceAccount', property: 'namespace' };
    if (typeof namespace !== 'string' || hasWildcard(namespace)) {
      fail(site, namespace, 'subject.wildcard', wildcardSpans('service accounts of other namespaces').reason);
    }
    if (!K8S_NAMESPACE.test(namespace)) {
      fail(site, namespace, 'subject.kubernetes-format', 'a namespace is a lowercase DNS label (1-63 of a-z, 0-9, "-")');
    }
    return SubjectFilter.build(`system:serviceaccount:${namespace}:${nonEmpty(name, { ...site, property: 'name' }, 'service account name')}`, { ...site, property: 'name' });
  }

  /** A subject compared exactly (`StringEquals`), for issuers without a factory here. */
  public static exact(subject: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.exact', property: 'subject' };
    return new SubjectFilter(validateSubject(subject, SubjectOperator.STRING_EQUALS, site), SubjectOperator.STRING_EQUALS);
  }

  /**
   * A subject pattern (`StringLike`). The wildcard must follow a fully pinned owner and repository
   * (`repo:OWNER/REPO:*`) or, for other issuers, a literal prefix ending in `:` or `/`.
   */
  public static pattern(subject: string): SubjectFilter {
    const site: ValidationSite = { path: 'SubjectFilter.pattern', property: 'subject' };
    return new SubjectFilter(validateSubject(subject, SubjectOperator.STRING_LIKE, site), SubjectOperator.STRING_LIKE);
  }

  private static build(subject: string, site: ValidationSite): SubjectFilter {
    const operator = operatorFor(subject);
    return new SubjectFilter(validateSubject(subject, operator, { ...site, property: 'subject' }), operator);
  }

  /** The `sub` claim value (a pattern when `operator` is StringLike). */
  public readonly subject: string;
  /** How IAM compares the claim with `subject`. */
  public readonly operator: SubjectOperator;

  private constructor(subject: string, operator: SubjectOperator) {
    this.subject = subject;
    this.operator = operator;
  }

  /** True when the subject contains a wildcard and needs `StringLike`. */
  public get isPattern(): boolean {
    return this.operator === SubjectOperator.STRING_LIKE;
  }

  /** The subject and operator, e.g. `StringEquals repo:o/r:pull_request`. */
  public toString(): string {
    return `${this.operator} ${this.subject}`;
  }
}
