// Public (jsii) API of lib/terraform. Only jsii-compatible exports here.
export { SnowflakeWorkloadIdentityType } from '../core/snowflake-sql';
export * from './snowflake/workload-identity';
export * from './snowflake/workload-user';
export * from './entra/workload-application';
export * from './aws/iam-outbound-web-identity-federation';
export * from './aws/outbound-federation';
export * from './aws/workload-role';
export * from './aws/oidc-trust-role';
export * from './google/workload-identity-pool';
