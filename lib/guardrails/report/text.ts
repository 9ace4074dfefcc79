/**
 * Plain-text renderings: the inventory (`keyless report`) and the migration scoreboard (`--baseline`). Read the
 * report model only.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { InventoryReport, ReportDiff } from './model';

/** The inventory as plain text. */
export function renderReportText(report: InventoryReport): string {
  const s = report.summary;
  const out = [
    `${s.federatedIdentities} federated identit${s.federatedIdentities === 1 ? 'y' : 'ies'}, ${s.credentials} remaining credential${s.credentials === 1 ? '' : 's'}, `
    + `${s.trustFindings} trust finding${s.trustFindings === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} `
    + `(${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.exempted} exempted)`,
  ];
  for (const t of report.identities) {
    const facts = [t.targetKind, t.audience ? `aud ${t.audience}` : '', t.algorithm ? `alg ${t.algorithm}` : '', t.subject && t.subject !== t.workload ? `sub ${t.subject}` : ''];
    out.push(`federated ${t.workload} -> ${t.target} (${facts.filter(Boolean).join(', ')})`);
  }
  for (const f of report.findings) {
    const ex = f.exemption ? ` [exemption ${f.exemption.status}, expires ${f.exemption.expires}, owner ${f.exemption.owner}]` : '';
    out.push(`${f.severity} ${f.ruleId} ${f.file} ${f.resource}${f.name !== undefined && f.name !== f.resource ? ` (${f.name})` : ''}${ex}`);
  }
  return `${out.join('\n')}\n`;
}

/** The scoreboard as plain text. */
export function renderDiffText(diff: ReportDiff): string {
  const c = diff.counts;
  const out = [
    `credentials: ${c.baselineCredentials} in baseline, ${c.currentCredentials} now (${c.retiredCredentials} retired, ${c.addedCredentials} added)`,
    `federated identities: ${diff.identitiesAdded.length} added, ${diff.identitiesRemoved.length} removed`,
  ];
  for (const f of diff.retired) out.push(`retired ${f.ruleId} ${f.resource} (${f.file})`);
  for (const f of diff.added) out.push(`added   ${f.ruleId} ${f.resource} (${f.file})`);
  for (const e of diff.expiredExemptions) out.push(`expired exemption ${e.ruleId} ${e.resource}: ${e.expires} (owner ${e.owner})`);
  for (const e of diff.expiringExemptions) out.push(`expiring exemption ${e.ruleId} ${e.resource}: ${e.expires}, ${e.daysLeft} day(s) left (owner ${e.owner})`);
  return `${out.join('\n')}\n`;
}
