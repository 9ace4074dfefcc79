// The jsii public API. `KeylessValidationError` extends Error, which jsii cannot model; TypeScript users
// import it from 'cdk-keyless/lib/core/errors'.
export { KeylessValidationErrorProps, ValidationSite } from './core/errors';
export { SigningAlgorithm, TokenRequest } from './core/token';
export { TargetKind, EntraCloud } from './core/target';
export { FederationPlan, FederationPlanProps, WorkloadSpec, TargetSpec, PlannedWorkload, PlannedTarget, WorkloadCompute } from './core/plan';
export { TrustManifest, TrustManifestField, TrustManifestStep, TrustManifestExchange } from './core/trust-manifest';
export { KubernetesAuthentication, KubernetesAuthenticationApiVersion, KubernetesAuthenticationOptions, KubernetesUserBinding } from './core/kubernetes-authentication';
export * from './aws';
export * from './terraform';
export * from './guardrails';
