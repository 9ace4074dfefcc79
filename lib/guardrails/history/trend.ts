/**
 * {@link buildTrend} turns report snapshots (oldest first) into the trend: counts per point, per kind and per owner,
 * what each step retired and added (matched by `diffReports`, the baseline scoreboard's matcher), and the last
 * point's exemptions that lapse soon.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { diffReports } from '../report/diff';
import { credentialKindOf, CREDENTIAL_KIND_LABELS } from '../report/kinds';
import { CredentialKind, isCredentialFinding, ReportDiff, ReportFinding } from '../report/model';
import { Snapshot, Trend, TrendFinding, TrendKindRow, TrendOwnerRow, TrendPoint, TrendStep, TREND_SCHEMA, UNOWNED } from './model';

/** A trend needs at least this many points. */
export const MIN_POINTS = 2;

/** Whether a finding is about a long-lived credential (the report's category, else the rule's). */
export const isCredential = isCredentialFinding;

/**
 * The finding's credential kind: its own `kind` when it is one this version knows, else the one its rule implies
 * (reports from before `kind`, or a kind a newer version added).
 */
export function kindOf(f: ReportFinding): CredentialKind {
  return typeof f.kind === 'string' && Object.prototype.hasOwnProperty.call(CREDENTIAL_KIND_LABELS, f.kind) ? f.kind : credentialKindOf(f.ruleId);
}

/** The finding's owner: its own `owner`, else its exemption's owner, else `(unowned)`. */
export function ownerOf(f: ReportFinding): string {
  const name = [f.owner?.name, f.exemption?.owner].find((n) => typeof n === 'string' && n.trim() !== '');
  return name ?? UNOWNED;
}

function count(into: Map<string, number>, key: string): void {
  into.set(key, (into.get(key) ?? 0) + 1);
}

/** A point's count under `key` (a name read from a report, such as `__proto__`, is only ever an own property). */
function countOf(counts: { readonly [key: string]: number }, key: string): number {
  return Object.prototype.hasOwnProperty.call(counts, key) ? counts[key] : 0;
}

function point(snapshot: Snapshot): TrendPoint {
  const { report, origin } = snapshot;
  const credentials = report.findings.filter(isCredential);
  const byKind = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const f of credentials) {
    count(byKind, kindOf(f));
    count(byOwner, ownerOf(f));
  }
  return {
    ...origin,
    generatedAt: report.generatedAt,
    credentials: credentials.length,
    // fromEntries defines own properties: an owner named `__proto__` is a key like any other
    byKind: Object.fromEntries(byKind),
    byOwner: Object.fromEntries(byOwner),
    federatedTrusts: report.identities.length,
    errors: report.findings.filter((f) => f.severity === 'error').length,
    exempted: report.findings.filter((f) => f.exemption?.status === 'active').length,
  };
}

function trendFinding(f: ReportFinding): TrendFinding {
  const credential = isCredential(f);
  return {
    ruleId: f.ruleId,
    category: credential ? 'credential' : 'trust',
    severity: f.severity,
    resource: f.resource,
    ...(f.name !== undefined ? { name: f.name } : {}),
    file: f.file,
    ...(credential ? { kind: kindOf(f) } : {}),
    owner: ownerOf(f),
  };
}

/**
 * Owners with the most credentials left come first; among equals, the one that retired the least (the largest
 * change), then by name.
 */
function laggingFirst(a: TrendOwnerRow, b: TrendOwnerRow): number {
  const last = (r: TrendOwnerRow) => r.counts[r.counts.length - 1];
  return last(b) - last(a) || b.change - a.change || a.owner.localeCompare(b.owner);
}

/**
 * The trend over `snapshots`, oldest first (see `orderSnapshots`); exemption expiry is judged by `now`. Throws an
 * Error when there are fewer than two snapshots.
 */
export function buildTrend(snapshots: readonly Snapshot[], now: Date): Trend {
  if (snapshots.length < MIN_POINTS) {
    throw new Error(`a trend needs at least ${MIN_POINTS} report snapshots, got ${snapshots.length}`);
  }
  const points = snapshots.map(point);
  const kinds: TrendKindRow[] = (Object.keys(CREDENTIAL_KIND_LABELS) as CredentialKind[])
    .filter((kind) => points.some((p) => countOf(p.byKind, kind) > 0))
    .map((kind) => ({ kind, label: CREDENTIAL_KIND_LABELS[kind], counts: points.map((p) => countOf(p.byKind, kind)) }));
  const ownerNames = [...new Set(points.flatMap((p) => Object.keys(p.byOwner)))];
  const owners: TrendOwnerRow[] = ownerNames.map((owner) => {
    const counts = points.map((p) => countOf(p.byOwner, owner));
    return { owner, counts, change: counts[counts.length - 1] - counts[0] };
  }).sort(laggingFirst);
  const steps: TrendStep[] = [];
  let last: ReportDiff | undefined;
  for (let i = 1; i < snapshots.length; i++) {
    const diff = diffReports(snapshots[i - 1].report, snapshots[i].report, now);
    last = diff;
    steps.push({
      from: points[i - 1].label,
      to: points[i].label,
      retired: diff.retired.map(trendFinding),
      added: diff.added.map(trendFinding),
      retiredCredentials: diff.counts.retiredCredentials,
      addedCredentials: diff.counts.addedCredentials,
    });
  }
  return {
    schema: TREND_SCHEMA,
    generatedAt: now.toISOString(),
    points,
    kinds,
    owners,
    steps,
    // the last step's diff judged the last point's exemptions by `now`
    expiringExemptions: last!.expiringExemptions,
    expiredExemptions: last!.expiredExemptions,
  };
}
