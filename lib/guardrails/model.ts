/**
 * The engine-neutral guardrail model. Nothing here imports a CDK: rules, the evaluator, exemptions,
 * the report and the CLI all work on these shapes, built from FINAL synthesized output.
 */
import type { AnalysisContext } from './analysis';

import type { JoinedGraph } from './federation/graph';
import type { FederationHit, FederationPair } from './federation/model';
import type { OrganizationGuardrail } from './organization';

/** Which synthesized format a resource came from. */
export type Engine = 'cloudformation' | 'terraform';

/** Whether a Terraform block is a managed resource, a data source or a provider configuration. */
export type BlockKind = 'resource' | 'data' | 'provider';

/**
 * `T` with its fields assignable: for building one of the engine's records field by field in a hot path, where an
 * object literal opened by a spread is several times slower until the JIT has compiled it (see `toFinding`).
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One resource as rules see it.
 * - CloudFormation: `type` = `AWS::IAM::AccessKey`, `address` = logical id, `properties` = the resource's
 *   `Properties` after `stack.resolve` (intrinsics such as `{Ref: ...}` kept as they are).
 * - Terraform: `type` = `aws_iam_access_key`, `address` = `aws_iam_access_key.name` (`data.x.y`,
 *   `provider.snowflake` / `provider.snowflake.alias` for other kinds), `properties` = the block's
 *   arguments as in Terraform JSON (nested blocks as objects or arrays; `${...}` interpolations kept as
 *   strings; values HCL cannot resolve statically become `${...}` strings too).
 */
export interface NormalizedResource {
  readonly engine: Engine;
  readonly kind: BlockKind;
  readonly type: string;
  readonly address: string;
  readonly properties: Record<string, unknown>;
  /** File or stack artifact the resource came from (for the CDK plugin: the template path). */
  readonly file: string;
  /** Construct path when known (CDK `aws:cdk:path` metadata, cdktf `//` metadata). */
  readonly constructPath?: string;
  /**
   * Terraform, a resource of a called module: the provider configuration it uses as the root module names it
   * (`provider.aws`, `provider.aws.prod`), after each module call's `providers` argument or the default providers a
   * call without one inherits; `null` when a call does not say (an alias it does not pass, a mapping that is not
   * literal). Absent for the root module's resources, whose own `provider` argument (else their type) names it.
   */
  readonly provider?: string | null;
}

/** A set of resources checked together: one CloudFormation template or one Terraform configuration. */
export interface ResourceSet {
  readonly file: string;
  readonly engine: Engine;
  readonly resources: NormalizedResource[];
  /**
   * CloudFormation: the template's `Parameters` section (`{}` when it has none), so a `Ref` or `${Name}` that is
   * neither a resource nor a declared parameter is not taken for a value typed in at deploy time, and `NoEcho`
   * parameters are known. Absent when the set was not read from a template: every such name then counts as a
   * parameter.
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** CloudFormation: the template's `Mappings` section, for reading `Fn::FindInMap`. */
  readonly mappings?: Readonly<Record<string, unknown>>;
  /**
   * The AWS account the set deploys to, when the input says (a cloud assembly stack's environment): the federation
   * graph computes the ARNs of its roles with it.
   */
  readonly account?: string;
}

export type Severity = 'error' | 'warning';

/** Settings rules may read. */
export interface RuleOptions {
  /** KL-TR-04: the longest token lifetime allowed without a warning. Default 3600. */
  readonly maxTokenLifetimeSeconds: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { maxTokenLifetimeSeconds: 3600 };

/** One thing a rule found on a resource. */
export interface RuleHit {
  /** What was found, why it is a fallback path, and the federated replacement. */
  readonly message: string;
  /**
   * The identity the credential belongs to, as an address in the same set when it can be resolved
   * (`azuread_application.etl`, `snowflake_service_user.etl`, an IAM user's logical id), so the
   * evaluator can tell a federated identity that also holds a fallback credential.
   */
  readonly identity?: string;
  /** Overrides the rule's severity for this hit (e.g. KL-SF-05's missing-policy case is a warning). */
  readonly severity?: Severity;
}

/**
 * What a rule's findings are about: a `credential` (a fallback path: a key, password or token next to or instead of
 * federation) or a `trust` (a fault in a trust or minting policy, or in a federated credential itself). Only a
 * credential on a federated identity escalates to a never-exemptable error (DESIGN §3).
 */
export type RuleCategory = 'credential' | 'trust';

/**
 * A rule of the catalog: a pure function of one normalized resource and the analysis context of its check. Each rule
 * lives in its own file under `rules/` (named `kl-<area>-<nn>-<what>`) and describes itself: the catalog, the report
 * and the adapters read these fields, never a list of their own.
 */
export interface Rule {
  /** Stable public id, e.g. `KL-AWS-01`. Never changes meaning. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** One line: what the rule catches. */
  readonly title: string;
  /** The federated replacement to point users to. */
  readonly fix: string;
  /**
   * Resource types (CloudFormation or Terraform) the rule looks at; `*` for any; a pattern ending in `*` for every
   * type with that prefix (`Custom::*`: custom resources, whose type names are the user's own).
   */
  readonly appliesTo: readonly string[];
  /**
   * The properties the rule reads, per resource type (as `appliesTo` names them; `*` for every type it applies to),
   * as the synthesized output names them: where a finding points (the CDK validation report's property paths).
   * `{}` when the rule judges the resource as a whole (an access key is a finding whatever its properties).
   */
  readonly reads: Readonly<Record<string, readonly string[]>>;
  check(resource: NormalizedResource, context: AnalysisContext): RuleHit[];
  /**
   * A cross-input rule (KL-FED-*) reads the federation graph of the whole check instead of one resource: `appliesTo`
   * is then empty, `check` finds nothing, and this reports each hit on the resource that carries the faulty trust or
   * grant.
   */
  readonly checkGraph?: (joined: JoinedGraph) => FederationHit[];
}

/** The properties `rule` reads on resources of `type` (see {@link Rule.reads}). */
export function propertiesRead(rule: Pick<Rule, 'reads'>, type: string): readonly string[] {
  return rule.reads[type] ?? rule.reads['*'] ?? [];
}

/** Whether `rule` looks at resources of `type` (see {@link Rule.appliesTo}). */
export function ruleAppliesTo(rule: Pick<Rule, 'appliesTo'>, type: string): boolean {
  return rule.appliesTo.some((pattern) => pattern === '*' || pattern === type
    || (pattern.length > 1 && pattern.endsWith('*') && type.startsWith(pattern.slice(0, -1))));
}

/** Why a finding is allowed to stand for a while. */
export interface Exemption {
  readonly ruleId: string;
  /** Resource address / logical id, or construct path, the exemption covers. */
  readonly resource: string;
  /** The stack, template or configuration (file or directory) `resource` is in; needed when several hold that id. */
  readonly stack?: string;
  readonly justification: string;
  readonly owner: string;
  /** ISO date `YYYY-MM-DD`; the exemption lapses at the end of that day (UTC). */
  readonly expires: string;
}

export type ExemptionStatus = 'active' | 'expired' | 'refused';

/** A rule hit after exemptions were applied. */
export interface Finding {
  readonly ruleId: string;
  /** Effective severity: an active exemption turns an error into `warning`; an expired one keeps `error`. */
  readonly severity: Severity;
  readonly file: string;
  /** CloudFormation logical id or Terraform address `type.name`. */
  readonly resource: string;
  readonly resourceType: string;
  readonly engine: Engine;
  readonly message: string;
  readonly constructPath?: string;
  readonly identity?: string;
  /** The identity's people-readable name (its construct path), when the input has one. */
  readonly identityName?: string;
  /** True when `identity` also has a federated credential: never exemptable. */
  readonly federatedIdentity?: boolean;
  readonly exemption?: Exemption & { readonly status: ExemptionStatus };
}

/** A federated trust found in synthesized output, for the inventory report. */
export interface FederatedTrust {
  /** Workload (role ARN or name) that mints the token, or the external workload for inbound OIDC. */
  readonly workload: string;
  /** What trusts it: Entra app, Snowflake user, OpenAI, Anthropic, an AWS role (inbound). */
  readonly target: string;
  readonly targetKind: 'entra' | 'snowflake' | 'openai' | 'anthropic' | 'gcp' | 'kubernetes' | 'oidc' | 'aws-role';
  /** The address of what trusts (the Entra application, the Snowflake user, the inbound role), when in the input. */
  readonly targetAddress?: string;
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  /**
   * The role's people-readable name (construct path, else logical id or Terraform address), when the trust is read
   * on the role's side (its token grant).
   */
  readonly workloadName?: string;
  /** Signing algorithm(s): what the grant pins (minting side), or what the relying party verifies. */
  readonly algorithm?: string;
  /** Which side the trust was read from: a role's token grant, the relying party, or an inbound OIDC role trust. */
  readonly side?: 'minting' | 'relying-party' | 'inbound';
  readonly file: string;
  readonly resource: string;
}

/** What an evaluation returns. */
export interface Evaluation {
  readonly findings: Finding[];
  readonly trusts: FederatedTrust[];
  /** Resources checked, per set. */
  readonly resourceCount: number;
  /** Things that could not be checked (unresolved values), one line each. */
  readonly notes: string[];
  /** The federation graph's workload -> trust pairs (DESIGN §4 `federation`); absent when the graph was not built. */
  readonly federation?: FederationPair[];
  /** Organization guardrails and detection seen (SCPs, RCPs, CloudTrail rules and alarms), for the inventory. */
  readonly organizationGuardrails?: OrganizationGuardrail[];
}
