/**
 * The federation graph of one check (DESIGN §2): issuers per AWS account, workloads (IAM roles with their ARN and the
 * tokens each can mint) and relying-party trusts (Entra federated identity credentials, Snowflake workload identities,
 * trust manifests, Google Cloud pool providers, Kubernetes JWT authenticators), joined into workload -> trust pairs. Engine-neutral: built from normalized resource sets and the
 * trust manifests the library writes; nothing here imports a CDK.
 */
import { Engine, Severity } from '../model';
import type { SimulatedPair } from './simulate';

/** The kind of relying party a trust belongs to. A new kind adds a value and a reader. */
export type RelyingPartyKind = 'entra' | 'snowflake' | 'openai' | 'anthropic' | 'gcp' | 'kubernetes';

/** An AWS account's outbound issuer, and where the check learned it. */
export interface AccountIssuer {
  /** 12-digit account id; undefined when the input that declares it has no known account. */
  readonly account?: string;
  readonly url: string;
  /** Where it was learned: `FILE: RESOURCE`, `--issuer`, or the plan file. */
  readonly source: string;
}

/** One token a workload's identity policies let it mint. */
export interface MintableToken {
  /** The audience, or undefined when the grant is not bound to audiences (any audience; KL-TR-03 reports it). */
  readonly audience?: string;
  /** Algorithms the grant allows (`sts:SigningAlgorithm` values); empty = any. */
  readonly algorithms: readonly string[];
  /** Longest lifetime the grant allows, in seconds (STS's own maximum, 3600, when unbounded). */
  readonly maxLifetimeSeconds: number;
  /** The resource whose policy holds the statement, and the statement's label. */
  readonly resource: string;
  readonly resourceType: string;
  readonly file: string;
  readonly constructPath?: string;
  readonly statement: string;
}

/** An IAM role among the inputs. */
export interface Workload {
  /** The role ARN (the token's `sub`) when its name, path and account are known. */
  readonly arn?: string;
  readonly account?: string;
  /** How the account was learned, when not from the input itself (e.g. the plan names this role). */
  readonly accountSource?: string;
  readonly partition: string;
  readonly path: string;
  /** Role name when written literally. */
  readonly name?: string;
  /** Logical id or Terraform address. */
  readonly address: string;
  readonly resourceType: string;
  readonly file: string;
  readonly engine: Engine;
  readonly constructPath?: string;
  readonly tokens: MintableToken[];
  /** Issuer declared in the same input (stack or configuration), if any. */
  readonly localIssuer?: AccountIssuer;
}

/** What a relying party trusts, as configured in one resource or manifest. */
export interface RelyingPartyTrust {
  readonly kind: RelyingPartyKind;
  /** The resource that carries the trust (FIC, snowflake_execute, user with default_workload_identity), or the manifest. */
  readonly address: string;
  readonly resourceType: string;
  readonly file: string;
  readonly engine?: Engine;
  readonly constructPath?: string;
  /** People-readable name of what trusts (Entra application, Snowflake user, OpenAI, Anthropic). */
  readonly label: string;
  readonly issuer?: string;
  /** Role ARN the trust names; for a prefix rule (Anthropic), the prefix including its `*`. */
  readonly subject?: string;
  readonly subjectMatch: 'exact' | 'prefix';
  readonly audience?: string;
  /** Algorithms the relying party verifies. */
  readonly algorithms: readonly string[];
  /** Lifetime the workload requests for this trust (manifests record it), in seconds. */
  readonly lifetimeSeconds?: number;
  /** Why the relying party refuses any token for this trust, though it is configured (e.g. Snowflake's authentication policy). */
  readonly refusal?: string;
}

/** One workload -> trust pair (the `federation` array of `keyless check --format json`, DESIGN §4). */
export interface FederationPair {
  /** Role ARN. */
  readonly workload: string;
  /** The trust's resource address. */
  readonly target: string;
  readonly targetKind: RelyingPartyKind;
  readonly audience: string;
  readonly algorithm: string;
  readonly reachable: boolean;
  readonly reason?: string;
}

/** A KL-FED-* hit, reported on the resource named. */
export interface FederationHit {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly file: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly engine?: Engine;
  readonly constructPath?: string;
  readonly message: string;
}

/** The graph of one check. */
export interface FederationGraph {
  readonly issuers: readonly AccountIssuer[];
  readonly workloads: readonly Workload[];
  readonly trusts: readonly RelyingPartyTrust[];
  readonly pairs: readonly FederationPair[];
  readonly hits: readonly FederationHit[];
  /** What the graph could not check, one line each. */
  readonly notes: readonly string[];
  /** The pairs whose token can be simulated (mintable, issuer known), with what the simulation needs. */
  readonly simulations: readonly SimulatedPair[];
}
