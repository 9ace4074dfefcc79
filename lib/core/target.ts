import { SigningAlgorithm } from './token';

/** The kind of service a workload's token is for. */
export enum TargetKind {
  /** A Microsoft Entra application trusting the workload through a federated identity credential. */
  ENTRA = 'entra',
  /** A Snowflake `TYPE = SERVICE` user with `WORKLOAD_IDENTITY` of type AWS. */
  SNOWFLAKE = 'snowflake',
  /** An OpenAI workload identity provider with a service account mapping. */
  OPENAI = 'openai',
  /** An Anthropic federation issuer with a federation rule. */
  ANTHROPIC = 'anthropic',
  /** Any other OIDC relying party; audience required. */
  OIDC = 'oidc',
  /**
   * A Google Cloud workload identity pool with an OIDC provider trusting the account's issuer (not Google's `aws`
   * provider type, which verifies signed GetCallerIdentity requests instead of these tokens); audience required.
   */
  GCP = 'gcp',
  /** A Kubernetes API server with a structured authentication configuration (JWT authenticator); audience required. */
  KUBERNETES = 'kubernetes',
}

/** Which Microsoft cloud an Entra target lives in; each has its own token-exchange audience. */
export enum EntraCloud {
  /** Microsoft Entra ID global service: `api://AzureADTokenExchange`. */
  PUBLIC = 'public',
  /** Microsoft Entra ID for US Government: `api://AzureADTokenExchangeUSGov`. */
  US_GOVERNMENT = 'us-government',
  /** Microsoft Entra ID operated by 21Vianet: `api://AzureADTokenExchangeChina`. */
  CHINA = 'china',
}

/** Audience Entra expects in a federated credential, per cloud. */
export const ENTRA_AUDIENCES: Record<EntraCloud, string> = {
  [EntraCloud.PUBLIC]: 'api://AzureADTokenExchange',
  [EntraCloud.US_GOVERNMENT]: 'api://AzureADTokenExchangeUSGov',
  [EntraCloud.CHINA]: 'api://AzureADTokenExchangeChina',
};

/** Default audience and algorithm per target kind (DESIGN §1.2). OIDC has no default audience. */
export const TARGET_DEFAULTS: Record<TargetKind, { audience?: string; signingAlgorithm: SigningAlgorithm }> = {
  [TargetKind.ENTRA]: { audience: ENTRA_AUDIENCES[EntraCloud.PUBLIC], signingAlgorithm: SigningAlgorithm.RS256 },
  [TargetKind.SNOWFLAKE]: { audience: 'snowflakecomputing.com', signingAlgorithm: SigningAlgorithm.ES384 },
  [TargetKind.OPENAI]: { audience: 'https://api.openai.com/v1', signingAlgorithm: SigningAlgorithm.RS256 },
  [TargetKind.ANTHROPIC]: { audience: 'https://api.anthropic.com', signingAlgorithm: SigningAlgorithm.RS256 },
  [TargetKind.OIDC]: { signingAlgorithm: SigningAlgorithm.RS256 },
  [TargetKind.GCP]: { signingAlgorithm: SigningAlgorithm.RS256 },
  [TargetKind.KUBERNETES]: { signingAlgorithm: SigningAlgorithm.RS256 },
};

/** Algorithms a target kind accepts; a plan that asks for another is refused. */
export const TARGET_ALGORITHMS: Record<TargetKind, SigningAlgorithm[]> = {
  [TargetKind.ENTRA]: [SigningAlgorithm.RS256],
  [TargetKind.SNOWFLAKE]: [SigningAlgorithm.ES384],
  [TargetKind.OPENAI]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
  [TargetKind.ANTHROPIC]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
  [TargetKind.OIDC]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
  // Google's STS accepts subject tokens signed RS256 or ES256 only; STS GetWebIdentityToken offers RS256 and ES384.
  [TargetKind.GCP]: [SigningAlgorithm.RS256],
  // kube-apiserver's JWT authenticator verifies every RFC 7518 asymmetric algorithm.
  [TargetKind.KUBERNETES]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
};

/** Google limits `google.subject` (mapped from the token's `sub`, the role ARN) to this many bytes. */
export const GCP_MAX_SUBJECT_BYTES = 127;
