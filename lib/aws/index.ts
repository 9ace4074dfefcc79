// Public (jsii) API of lib/aws. Only jsii-compatible exports here.
export { SubjectFilter, SubjectOperator, GitHubRepositoryOptions, GitLabRefType, HcpTerraformRunPhase } from '../core/subject';
export { WebIdentityTokenGrantOptions } from './token-grant';
export { IOutboundWebIdentityFederation, OutboundWebIdentityFederation, OutboundWebIdentityFederationProps } from './outbound-federation';
export { FederatedWorkloadRole, FederatedWorkloadRoleProps, FederatedWorkloadRoleOptions } from './workload-role';
export { OidcTrustRole, OidcTrustRoleProps, OidcTrustRoleOptions, GitHubActionsRoleProps } from './oidc-trust-role';
export * from './organization';
