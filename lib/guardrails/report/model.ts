/**
 * The inventory report's data (DESIGN §3): what `keyless-report.json` holds, the scoreboard a baseline diff
 * yields, and which category a rule's findings fall in. Plain types and constants: building, rendering and
 * reading a report depend on this module, never the other way round.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import type { FederationPair } from '../federation/model';
import { Engine, ExemptionStatus, FederatedTrust, Severity } from '../model';
import type { OrganizationGuardrail } from '../organization';
import { ruleById } from '../rules';

/** Identifies the report format; a baseline with another schema is refused. */
export const REPORT_SCHEMA = 'cdk-keyless/report@1';
/** File names the report is written under. */
export const REPORT_JSON = 'keyless-report.json';
export const REPORT_MARKDOWN = 'keyless-report.md';

/** What a finding is about: a credential (a fallback path) or a trust/policy fault. */
export type FindingCategory = 'credential' | 'trust';

/**
 * The kind of long-lived credential a credential finding is about, for the scoreboard's per-kind counts
 * (see `credentialKindOf` in `./kinds`).
 */
export type CredentialKind =
  | 'iam-access-key' | 'iam-console-password' | 'iam-user-credential' | 'static-credential-in-compute'
  | 'secret-literal' | 'snowflake-password' | 'snowflake-key-pair' | 'snowflake-pat' | 'snowflake-legacy-service-user'
  | 'snowflake-provider-login' | 'entra-secret' | 'entra-certificate' | 'entra-provider-login'
  | 'gcp-service-account-key' | 'gcp-hmac-key' | 'other';

/** The name the report and the trend count findings and trusts without an owner under. */
export const UNOWNED = '(unowned)';

/** Where an owner was read from, in the order they are tried. */
export type OwnerSource = 'tag' | 'exemption' | 'codeowners' | 'default';

/** Who owns a finding or a trust. */
export interface ReportOwner {
  /** The owner as written where it was found (a team handle, an e-mail, a tag value). */
  readonly name: string;
  readonly source: OwnerSource;
}

/** Counts of one owner, so "which teams are lagging" is one table. */
export interface OwnerCount {
  /** The owner's name, or `(unowned)`. */
  readonly owner: string;
  /** Credential findings (long-lived credentials left). */
  readonly credentials: number;
  readonly trusts: number;
  readonly trustFindings: number;
  readonly errors: number;
  readonly exempted: number;
}

/** Where and from what a report was produced: the run's provenance, when known. */
export interface ReportRun {
  /** Commit id the inputs were built from (git, or the CI's environment variables). */
  readonly commit?: string;
  /** Branch (or tag) name. */
  readonly branch?: string;
  /** Which CI system, when the report was built in one (`github-actions`, `gitlab-ci`, ...). */
  readonly ci?: string;
  /** Which route produced it: the CDK validation plugin, the cdktf aspect or the CLI. */
  readonly producer: 'cdk-plugin' | 'cdktf-aspect' | 'cli' | 'library';
  /** The inputs checked as given (cdk.out / cdktf.out directories, files), relative to the report's root. */
  readonly inputs: string[];
}

/** An exemption as the report shows it. */
export interface ReportExemption {
  readonly justification: string;
  readonly owner: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  readonly status: ExemptionStatus;
  /** Calendar days until the expiry date when the report was built (0 on the day, negative once expired). */
  readonly daysLeft: number;
}

/** One finding in the report. */
export interface ReportFinding {
  readonly ruleId: string;
  readonly category: FindingCategory;
  readonly severity: Severity;
  readonly file: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly engine: Engine;
  readonly constructPath?: string;
  /** People-readable name of the resource: its construct path, or its Terraform address with module path. */
  readonly name?: string;
  readonly identity?: string;
  /** The identity's people-readable name (its construct path), when known. */
  readonly identityName?: string;
  readonly federatedIdentity?: boolean;
  /** For credential findings: which kind of long-lived credential. */
  readonly kind?: CredentialKind;
  readonly owner?: ReportOwner;
  readonly message: string;
  readonly exemption?: ReportExemption;
}

/** One federated trust in the report. */
export interface ReportIdentity {
  readonly workload: string;
  readonly target: string;
  readonly targetKind: FederatedTrust['targetKind'];
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  /** Signing algorithm the token is minted with / the relying party verifies, when known. */
  readonly algorithm?: string;
  readonly owner?: ReportOwner;
  readonly file: string;
  readonly resource: string;
}

/** Findings of one rule. */
export interface RuleCount {
  readonly ruleId: string;
  readonly title: string;
  readonly category: FindingCategory;
  /** Findings that fail the build. */
  readonly errors: number;
  /** Findings reported only (warning rules, exempted findings). */
  readonly warnings: number;
  /** Findings under an active exemption (counted in `warnings` too). */
  readonly exempted: number;
}

/** Totals of a report. */
export interface ReportSummary {
  readonly files: number;
  readonly resources: number;
  readonly federatedIdentities: number;
  /** Findings of credential rules (fallback credentials still present). */
  readonly credentials: number;
  /** Findings of trust/policy rules. */
  readonly trustFindings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  /** Active exemptions lapsing within 30 days. */
  readonly expiringExemptions: number;
  readonly expiredExemptions: number;
}

/** The inventory report (`keyless-report.json`). */
export interface InventoryReport {
  readonly schema: typeof REPORT_SCHEMA;
  /** ISO timestamp of the clock the report was built with. */
  readonly generatedAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** Provenance: commit, branch, CI, producer and inputs, when known. Absent in reports from before it existed. */
  readonly run?: ReportRun;
  /** Files (templates, Terraform configurations) the report covers, relative to the report's root. */
  readonly sources: string[];
  readonly summary: ReportSummary;
  readonly identities: ReportIdentity[];
  readonly findings: ReportFinding[];
  /** One entry per rule of the catalog, in catalog order, plus any rule id seen that the catalog lacks. */
  readonly rules: RuleCount[];
  /** What could not be checked, one line each. */
  readonly notes: string[];
  /** Mermaid `graph LR` source: workloads → what trusts them; fallback credentials → their identity. */
  readonly mermaid: string;
  /** The federation graph's workload -> trust pairs, when it joined any (reachable, or why not). */
  readonly federation?: FederationPair[];
  /** Organization guardrails and detection seen (SCPs, RCPs, CloudTrail rules and alarms). */
  readonly organizationGuardrails?: OrganizationGuardrail[];
  /** Counts per owner, most credentials first (present when owners were attributed). */
  readonly owners?: OwnerCount[];
}

/**
 * The category the rule declares (see `Rule.category`); the cross-input rules (KL-FED-*) judge trusts; a rule id the
 * catalog lacks counts as a credential.
 */
export function categoryOf(ruleId: string): FindingCategory {
  return ruleById(ruleId)?.category ?? (ruleId.startsWith('KL-FED-') ? 'trust' : 'credential');
}

/**
 * Whether a report finding is about a credential: its recorded category, or for a report written without one, the
 * category its rule declares.
 */
export function isCredentialFinding(f: Pick<ReportFinding, 'ruleId' | 'category'>): boolean {
  return (f.category ?? categoryOf(f.ruleId)) === 'credential';
}

/** An exemption the scoreboard lists, judged by the diff's clock. */
export interface ExpiringExemption {
  readonly ruleId: string;
  readonly resource: string;
  readonly file: string;
  readonly owner: string;
  readonly expires: string;
  readonly daysLeft: number;
}

/** Baseline vs current: the migration scoreboard. */
export interface ReportDiff {
  readonly baselineGeneratedAt: string;
  readonly currentGeneratedAt: string;
  /** The baseline's provenance, when it recorded one. */
  readonly baselineRun?: ReportRun;
  /** The current report's provenance, when it records one. */
  readonly currentRun?: ReportRun;
  /** Findings in the baseline that are gone now. */
  readonly retired: ReportFinding[];
  /** Findings that are new since the baseline. */
  readonly added: ReportFinding[];
  /** Findings present in both. */
  readonly remaining: number;
  readonly identitiesAdded: ReportIdentity[];
  readonly identitiesRemoved: ReportIdentity[];
  /** Active exemptions of the current report that lapse within 30 days of `now`, soonest first. */
  readonly expiringExemptions: ExpiringExemption[];
  /** Exemptions of the current report that have lapsed by `now`. */
  readonly expiredExemptions: ExpiringExemption[];
  readonly counts: {
    readonly baselineCredentials: number;
    readonly currentCredentials: number;
    readonly retiredCredentials: number;
    readonly addedCredentials: number;
  };
}
