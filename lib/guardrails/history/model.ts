/**
 * The trend over report snapshots (`keyless history`): what `keyless-trend.json` holds. Plain types and constants:
 * building the trend (`./trend`), reading snapshots (`./snapshots`) and rendering it (`./markdown`) depend on this
 * module, never the other way round.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import type { CredentialKind, ExpiringExemption, FindingCategory, InventoryReport } from '../report/model';
import type { Severity } from '../model';

/** Identifies the trend format. */
export const TREND_SCHEMA = 'cdk-keyless/trend@1';
/** File names the trend is written under. */
export const TREND_JSON = 'keyless-trend.json';
export const TREND_MARKDOWN = 'keyless-trend.md';
/** The owner of a finding that names none (neither its own owner nor its exemption's). */
export { UNOWNED } from '../report/model';

/** Where one snapshot came from and how the trend labels it. */
export interface SnapshotOrigin {
  /** Short label for the chart's x axis and the tables' columns: short commit, date or snapshot name. */
  readonly label: string;
  /** The file read, or `REPO@COMMIT:PATH` for a report read from git. */
  readonly source: string;
  /** Full commit id, when known (git mode, or the report's `run.commit`). */
  readonly commit?: string;
  /** ISO date-time of the point: the commit's date in git mode, else the report's `generatedAt`. */
  readonly date: string;
  /** The commit's subject line (git mode). */
  readonly subject?: string;
}

/** One snapshot: a report and where it came from. */
export interface Snapshot {
  readonly origin: SnapshotOrigin;
  readonly report: InventoryReport;
}

/** One point of the trend: the counts of one snapshot. */
export interface TrendPoint extends SnapshotOrigin {
  /** The report's own `generatedAt`. */
  readonly generatedAt: string;
  /** Long-lived credentials left: the report's credential findings. */
  readonly credentials: number;
  /** Credential findings by kind (only kinds present). */
  readonly byKind: { readonly [kind: string]: number };
  /** Credential findings by owner (only owners present). */
  readonly byOwner: { readonly [owner: string]: number };
  /** Federated trusts the report lists. */
  readonly federatedTrusts: number;
  /** Findings that fail the build. */
  readonly errors: number;
  /** Findings under an active exemption. */
  readonly exempted: number;
}

/** A finding retired or added between two points. */
export interface TrendFinding {
  readonly ruleId: string;
  readonly category: FindingCategory;
  readonly severity: Severity;
  readonly resource: string;
  /** People-readable name (construct path, Terraform address), when the report has one. */
  readonly name?: string;
  readonly file: string;
  /** For credential findings: which kind of long-lived credential. */
  readonly kind?: CredentialKind;
  readonly owner: string;
}

/** What changed between two consecutive points (matched as `keyless report --baseline` matches). */
export interface TrendStep {
  /** Label of the earlier point. */
  readonly from: string;
  /** Label of the later point. */
  readonly to: string;
  readonly retired: TrendFinding[];
  readonly added: TrendFinding[];
  readonly retiredCredentials: number;
  readonly addedCredentials: number;
}

/** One row of the per-kind table: a kind's count at each point. */
export interface TrendKindRow {
  readonly kind: CredentialKind;
  readonly label: string;
  /** One count per point, in point order. */
  readonly counts: number[];
}

/** One row of the per-owner table: an owner's credentials at each point and the change from first to last. */
export interface TrendOwnerRow {
  readonly owner: string;
  /** One count per point, in point order. */
  readonly counts: number[];
  /** Last count minus first count (negative: credentials retired). */
  readonly change: number;
}

/** The trend (`keyless-trend.json`). */
export interface Trend {
  readonly schema: typeof TREND_SCHEMA;
  /** ISO timestamp of the clock the exemptions were judged by (`KEYLESS_NOW`, else now). */
  readonly generatedAt: string;
  /** The points, oldest first. */
  readonly points: TrendPoint[];
  /** Rows of the per-kind table, kinds in the order of the kind list, only kinds seen at some point. */
  readonly kinds: TrendKindRow[];
  /** Rows of the per-owner table, lagging owners first (most credentials left, then least progress). */
  readonly owners: TrendOwnerRow[];
  /** One step between each two consecutive points. */
  readonly steps: TrendStep[];
  /** Active exemptions of the last point lapsing within 30 days of the clock, soonest first. */
  readonly expiringExemptions: ExpiringExemption[];
  /** Exemptions of the last point that have lapsed by the clock. */
  readonly expiredExemptions: ExpiringExemption[];
}
