/**
 * {@link diffReports} compares a baseline report with a current one: the migration scoreboard (what was
 * retired, what was added, which exemptions lapse soon).
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { daysLeft, EXPIRY_WARNING_DAYS, exemptionStatus } from '../exemptions';
import { ExpiringExemption, isCredentialFinding, InventoryReport, ReportDiff, ReportFinding, ReportIdentity } from './model';

/** Last two path segments: stable across checkouts (`cdk.out/Stack.template.json`, `stacks/app/cdk.tf.json`). */
function sourceKey(file: string): string {
  return file.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').slice(-2).join('/');
}

/**
 * Matches findings by rule, resource and source file (last two path segments), then what is left by rule and
 * resource only (a renamed output directory), counting duplicates as a multiset.
 */
function matchFindings(baseline: readonly ReportFinding[], current: readonly ReportFinding[]) {
  const unmatchedBase = [...baseline];
  const unmatchedCurrent: ReportFinding[] = [];
  const pass = (items: readonly ReportFinding[], key: (f: ReportFinding) => string): ReportFinding[] => {
    const left: ReportFinding[] = [];
    for (const f of items) {
      const i = unmatchedBase.findIndex((b) => key(b) === key(f));
      if (i >= 0) unmatchedBase.splice(i, 1);
      else left.push(f);
    }
    return left;
  };
  let left = pass(current, (f) => `${f.ruleId}\u0000${f.resource}\u0000${sourceKey(f.file)}`);
  left = pass(left, (f) => `${f.ruleId}\u0000${f.resource}`);
  unmatchedCurrent.push(...left);
  return { retired: unmatchedBase, added: unmatchedCurrent };
}

function identityKey(t: ReportIdentity): string {
  return JSON.stringify([t.workload, t.target, t.targetKind, t.issuer ?? null, t.subject ?? null, t.audience ?? null]);
}

/** Compares a baseline report with the current one; exemption expiry is judged by `now`. */
export function diffReports(baseline: InventoryReport, current: InventoryReport, now: Date = new Date()): ReportDiff {
  const { retired, added } = matchFindings(baseline.findings, current.findings);
  const baseIds = new Set(baseline.identities.map(identityKey));
  const currentIds = new Set(current.identities.map(identityKey));
  const expiring: ExpiringExemption[] = [];
  const expired: ExpiringExemption[] = [];
  for (const f of current.findings) {
    if (!f.exemption || f.exemption.status === 'refused') continue;
    const ex = { ruleId: f.ruleId, resource: f.resource, justification: f.exemption.justification, owner: f.exemption.owner, expires: f.exemption.expires };
    const entry: ExpiringExemption = { ruleId: f.ruleId, resource: f.resource, file: f.file, owner: ex.owner, expires: ex.expires, daysLeft: daysLeft(ex, now) };
    if (exemptionStatus(ex, now) === 'expired') expired.push(entry);
    else if (entry.daysLeft <= EXPIRY_WARNING_DAYS) expiring.push(entry);
  }
  expiring.sort((a, b) => a.daysLeft - b.daysLeft || a.resource.localeCompare(b.resource));
  const credentials = (list: readonly ReportFinding[]) => list.filter(isCredentialFinding).length;
  return {
    baselineGeneratedAt: baseline.generatedAt,
    currentGeneratedAt: current.generatedAt,
    ...(baseline.run ? { baselineRun: baseline.run } : {}),
    ...(current.run ? { currentRun: current.run } : {}),
    retired,
    added,
    remaining: current.findings.length - added.length,
    identitiesAdded: current.identities.filter((t) => !baseIds.has(identityKey(t))),
    identitiesRemoved: baseline.identities.filter((t) => !currentIds.has(identityKey(t))),
    expiringExemptions: expiring,
    expiredExemptions: expired,
    counts: {
      baselineCredentials: credentials(baseline.findings),
      currentCredentials: credentials(current.findings),
      retiredCredentials: credentials(retired),
      addedCredentials: credentials(added),
    },
  };
}
