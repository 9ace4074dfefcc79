/**
 * A GitHub OIDC role trust whose subjects are built with `formatlist` over a list of repositories, as platform teams
 * write one role for several repositories (`formatlist("repo:acme/%s:ref:refs/heads/main", local.deploy_repos)`).
 * Before `formatlist` was read, the sub condition was an expression KL-TR-02 could not judge (a note, and no finding); now the role that pins
 * each repository's main branch is clean and the one allowing any repository of the owner (`repo:%s/*`) is KL-TR-02.
 * Route: `keyless check` over HCL.
 */
import { GITHUB_PROVIDER_ARN, hclRoutes } from './harness';

const role = (name: string, subjects: string): string => [
  `resource "aws_iam_role" "${name}" {`,
  `  name = "${name}"`,
  '  assume_role_policy = jsonencode({',
  '    Version = "2012-10-17"',
  '    Statement = [{',
  '      Effect    = "Allow"',
  '      Action    = "sts:AssumeRoleWithWebIdentity"',
  `      Principal = { Federated = "${GITHUB_PROVIDER_ARN}" }`,
  '      Condition = {',
  '        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }',
  `        StringLike   = { "token.actions.githubusercontent.com:sub" = ${subjects} }`,
  '      }',
  '    }]',
  '  })',
  '}',
  '',
].join('\n');

const MAIN = [
  'locals {',
  '  deploy_repos = ["infra", "app"]',
  '  owners       = ["acme"]',
  '}',
  '',
  role('deploy', 'formatlist("repo:acme/%s:ref:refs/heads/main", local.deploy_repos)'),
  role('any_repo', 'formatlist("repo:%s/*", local.owners)'),
].join('\n');

let cli: Awaited<ReturnType<typeof hclRoutes>>;

beforeAll(async () => {
  cli = await hclRoutes({ 'app/main.tf': MAIN });
});

test('the trust allowing any repository of the owner is KL-TR-02; the one pinning each repository\'s main branch is clean', () => {
  expect(cli.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-TR-02', 'aws_iam_role.any_repo']]);
  expect(cli.hits[0].message).toContain('repo:acme/*');
});

test('both sub conditions are read: no note that KL-TR-02 could not check them', () => {
  expect((cli.notes ?? []).filter((n) => /could not check/.test(n))).toEqual([]);
});
