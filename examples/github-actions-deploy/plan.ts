/**
 * Who may deploy, and to which account: one repository's `production` environment. This example is the
 * inbound direction (GitHub Actions -> AWS), so there is no outbound FederationPlan and no CDKTF app; the
 * deploy role it creates is the identity the other examples' pipelines run as.
 *
 * The ids pin the repository immutably: GitHub puts `repo:OWNER@OWNER_ID/REPO@REPO_ID:...` in the subject
 * of repositories created or renamed on or after 2026-07-15, so a deleted-and-recreated repository of the
 * same name cannot deploy. Get them with `gh api repos/OWNER/REPO --jq '.owner.id, .id'`. Leave them out
 * for the name-only subject form of older repositories.
 *
 * The account is the fixed example account so that `npm run synth` works offline; use yours.
 */
export const deployment = {
  account: '111122223333',
  region: 'eu-west-1',
  owner: 'acme',
  ownerId: 1234567,
  repository: 'orders-service',
  repositoryId: 987654321,
  environment: 'production',
  roleName: 'orders-deploy',
  /** The CDK bootstrap qualifier of the target account (`cdk bootstrap --qualifier`). */
  bootstrapQualifier: 'hnb659fds',
} as const;
