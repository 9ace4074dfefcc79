/**
 * Subject formats of the CI/CD issuers beyond GitHub and GitLab, and which wildcards in them span owners or projects.
 * Shared by {@link SubjectFilter} (refuses them) and KL-TR-02 (flags them in trust policies).
 *
 * - CircleCI (issuer `https://oidc.circleci.com/org/<organization-id>`, one per organization):
 *   `org/<organization-id>/project/<project-id>/user/<user-id>`, all UUIDs.
 * - Bitbucket Pipelines (issuer `https://api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc`,
 *   one per workspace): `{<repository-uuid>}:{<step-uuid>}`, or `{<repository-uuid>}:{<environment-uuid>}:{<step-uuid>}`
 *   for a deployment step.
 * - HCP Terraform (issuer `https://app.terraform.io`, shared by every organization):
 *   `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`.
 * - Buildkite (issuer `https://agent.buildkite.com`, shared by every organization):
 *   `organization:<org-slug>:pipeline:<pipeline-slug>:ref:<ref>:commit:<sha>:step:<step-key>`.
 *
 * Nothing here is part of the public API; the factories on SubjectFilter are.
 */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_TEXT = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const WILDCARD = /[*?]/;

/** HCP Terraform organization and workspace names: letters, digits, `-` and `_`. */
export const HCP_NAME = /^[A-Za-z0-9_-]{1,90}$/;
/** HCP Terraform project names: letters, digits, spaces, `-` and `_` (the default project is "Default Project"). */
export const HCP_PROJECT = /^[A-Za-z0-9_-]([A-Za-z0-9 _-]{0,38}[A-Za-z0-9_-])?$/;
/** Buildkite organization and pipeline slugs. */
export const BUILDKITE_SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** Which CI/CD issuer's format a subject has, judged by its shape. */
export type CiSubjectForm = 'circleci' | 'bitbucket' | 'hcp-terraform' | 'buildkite';

export function ciSubjectForm(subject: string): CiSubjectForm | undefined {
  if (/^org\/[^/]*\/project\//.test(subject) || /^org\/[^/]*[*?]/.test(subject)) return 'circleci';
  if (subject.startsWith('{')) return 'bitbucket';
  if (subject.startsWith('organization:')) {
    const rest = subject.slice('organization:'.length);
    const colon = rest.indexOf(':');
    const next = colon === -1 ? '' : rest.slice(colon + 1);
    if (next.startsWith('pipeline:')) return 'buildkite';
    if (next.startsWith('project:') || next.startsWith('workspace:')) return 'hcp-terraform';
    // A wildcard in the organization: which of the two does not matter, it spans organizations either way.
    return WILDCARD.test(rest.slice(0, colon === -1 ? rest.length : colon)) ? 'hcp-terraform' : undefined;
  }
  return undefined;
}

/**
 * Why a subject PATTERN (StringLike) of one of these issuers matches workloads of other owners or projects, as a
 * phrase after the subject ("has a wildcard in ..., so ..."), or undefined when everything up to its first wildcard
 * pins the owner and the project.
 */
export function ciWildcardProblem(subject: string): string | undefined {
  const first = subject.search(WILDCARD);
  if (first === -1) return undefined;
  const literal = subject.slice(0, first);
  switch (ciSubjectForm(subject)) {
    case 'circleci':
      if (new RegExp(`^org/${UUID_TEXT}/project/${UUID_TEXT}/user/`).test(literal)) return undefined;
      return new RegExp(`^org/${UUID_TEXT}/`).test(literal)
        ? 'has a wildcard before the project id is closed ("org/<org>/project/<project>/user/"), so it matches every CircleCI project of the organization'
        : 'has a wildcard in the CircleCI organization id, so it matches projects of other organizations';
    case 'bitbucket':
      if (new RegExp(`^\\{${UUID_TEXT}\\}`).test(literal)) return undefined;
      return 'has a wildcard in the Bitbucket repository UUID ("{<repository-uuid>}:..."), so it matches every repository of the workspace';
    case 'buildkite': {
      if (/^organization:[a-z0-9-]+:pipeline:[a-z0-9-]+:/.test(literal)) return undefined;
      return /^organization:[a-z0-9-]+:/.test(literal)
        ? 'has a wildcard in the Buildkite pipeline slug, so it matches every pipeline of the organization'
        : 'has a wildcard in the Buildkite organization slug, so it matches pipelines of other organizations (every Buildkite organization shares the issuer agent.buildkite.com)';
    }
    case 'hcp-terraform': {
      if (/^organization:[^:*?]+:(project:[^:*?]+:)?workspace:[^:*?]+:/.test(literal)) return undefined;
      return /^organization:[^:*?]+:/.test(literal)
        ? 'has a wildcard in the HCP Terraform project or workspace, so it matches every workspace it reaches in the organization'
        : 'has a wildcard in the HCP Terraform organization, so it matches workspaces of other organizations (every organization shares the issuer app.terraform.io)';
    }
    default:
      return undefined;
  }
}
