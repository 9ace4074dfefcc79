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
};

/** Algorithms a target kind accepts; a plan that asks for another is refused. */
export const TARGET_ALGORITHMS: Record<TargetKind, SigningAlgorithm[]> = {
  [TargetKind.ENTRA]: [SigningAlgorithm.RS256],
  [TargetKind.SNOWFLAKE]: [SigningAlgorithm.ES384],
  [TargetKind.OPENAI]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
  [TargetKind.ANTHROPIC]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
  [TargetKind.OIDC]: [SigningAlgorithm.RS256, SigningAlgorithm.ES384],
};
