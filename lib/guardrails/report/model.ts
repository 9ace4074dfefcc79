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
  readonly identity?: string;
  readonly federatedIdentity?: boolean;
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
}

/**
 * The category the rule declares (see `Rule.category`); the cross-input rules (KL-FED-*) judge trusts; a rule id the
 * catalog lacks counts as a credential.
 */
export function categoryOf(ruleId: string): FindingCategory {
  return ruleById(ruleId)?.category ?? (ruleId.startsWith('KL-FED-') ? 'trust' : 'credential');
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
