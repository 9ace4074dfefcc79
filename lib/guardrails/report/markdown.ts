/**
 * Markdown renderings: `keyless-report.md` and the migration scoreboard. Read the report model only.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { cell, codeSpan } from '../display';
import { EXPIRY_WARNING_DAYS } from '../exemptions';
import { InventoryReport, ReportDiff, ReportExemption, ReportFinding, ReportOwner, ReportRun } from './model';

/** A code span of the report: pipes escaped, a fence of two backticks (unpadded) around text holding one. */
function code(text: string): string {
  return codeSpan(text, 'tight');
}

function exemptionCell(e: ReportExemption | undefined): string {
  if (!e) return '—';
  if (e.status === 'active') return `active until ${e.expires} (${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'} left), ${cell(e.owner)}`;
  if (e.status === 'expired') return `**expired** ${e.expires}, ${cell(e.owner)}`;
  return `**refused** (identity is federated), ${cell(e.owner)}`;
}

/** The owner cell: the name and where it was read from (`@org/data (codeowners)`); `—` for none. */
function ownerCell(owner: ReportOwner | undefined): string {
  return owner ? `${cell(owner.name)} (${owner.source})` : '—';
}

/** The "By owner" section: one row per owner, most credentials first (as `report.owners` is ordered). */
function ownersSection(report: InventoryReport): string[] {
  if (!report.owners || report.owners.length === 0) return [];
  const out = ['## By owner', '', '| owner | credentials | exempted | errors | trusts |', '|---|---:|---:|---:|---:|'];
  for (const o of report.owners) out.push(`| ${cell(o.owner)} | ${o.credentials} | ${o.exempted} | ${o.errors} | ${o.trusts} |`);
  out.push('');
  return out;
}

/** Which route built the report, as people say it. */
const PRODUCERS: Record<ReportRun['producer'], string> = {
  'cdk-plugin': 'CDK validation plugin',
  'cdktf-aspect': 'cdktf aspect',
  'cli': 'keyless CLI',
  'library': 'library call',
};

/** ` from <commit, 7 digits> on <branch>`, each part when known. */
function fromWhere(run: ReportRun | undefined): string {
  if (!run) return '';
  return `${run.commit ? ` from ${code(run.commit.slice(0, 7))}` : ''}${run.branch ? ` on ${code(run.branch)}` : ''}`;
}

/** A finding's people-readable name (reports from before `name` existed: the construct path, else the resource). */
function findingName(f: ReportFinding): string {
  return f.name ?? f.constructPath?.replace(/^\//, '') ?? f.resource;
}

/** `keyless-report.md`. */
export function renderReportMarkdown(report: InventoryReport): string {
  const s = report.summary;
  const out: string[] = [];
  out.push('# Keyless inventory report', '');
  out.push(`Generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version}${fromWhere(report.run)}.`, '');
  const inputs = report.run && report.run.inputs.length > 0 ? ` in ${report.run.inputs.map(code).join(', ')}` : '';
  const producer = report.run ? ` (${PRODUCERS[report.run.producer] ?? report.run.producer}${report.run.ci ? `, ${report.run.ci}` : ''})` : '';
  out.push(`Checked ${s.files} file${s.files === 1 ? '' : 's'} (${s.resources} resources)${inputs}${producer}.`, '');
  out.push('| | count |', '|---|---:|');
  out.push(`| Federated identities | ${s.federatedIdentities} |`);
  out.push(`| Remaining credentials | ${s.credentials} |`);
  out.push(`| Trust / policy findings | ${s.trustFindings} |`);
  out.push(`| Errors (fail the build) | ${s.errors} |`);
  out.push(`| Warnings | ${s.warnings} |`);
  out.push(`| Exempted | ${s.exempted} |`);
  out.push(`| Exemptions expiring within ${EXPIRY_WARNING_DAYS} days | ${s.expiringExemptions} |`);
  out.push(`| Expired exemptions | ${s.expiredExemptions} |`, '');

  out.push(...ownersSection(report));

  out.push('## Federated identities', '');
  if (report.identities.length === 0) {
    out.push('None found.', '');
  } else {
    out.push('| workload | target | kind | issuer | subject | audience | algorithm | resource |', '|---|---|---|---|---|---|---|---|');
    for (const t of report.identities) {
      out.push(`| ${cell(t.workload)} | ${cell(t.target)} | ${t.targetKind} | ${cell(t.issuer)} | ${cell(t.subject)} | ${cell(t.audience)} | ${cell(t.algorithm)} | ${code(t.resource)} (${cell(t.file)}) |`);
    }
    out.push('');
  }

  out.push('## Remaining credentials and findings', '');
  if (report.findings.length === 0) {
    out.push('None: no long-lived credential or unsafe trust was found.', '');
  } else {
    const owners = report.owners !== undefined;
    out.push(`| rule | severity | name | resource | file | exemption |${owners ? ' owner |' : ''}`, `|---|---|---|---|---|---|${owners ? '---|' : ''}`);
    for (const f of report.findings) {
      out.push(`| ${f.ruleId} | ${f.severity}${f.federatedIdentity ? ' (identity is federated)' : ''} | ${cell(findingName(f))} | ${code(f.resource)} | ${cell(f.file)} | ${exemptionCell(f.exemption)} |${owners ? ` ${ownerCell(f.owner)} |` : ''}`);
    }
    out.push('');
    out.push('<details><summary>Messages</summary>', '');
    for (const f of report.findings) out.push(`- **${f.ruleId}** ${cell(findingName(f))} (${code(f.resource)}): ${f.message.replace(/[\r\n]+/g, ' ')}`);
    out.push('', '</details>', '');
  }

  out.push('## Findings per rule', '');
  // the JSON keeps every rule (data); people read the rules that fired and one line for the rest
  const fired = report.rules.filter((r) => r.errors + r.warnings > 0);
  const quiet = report.rules.length - fired.length;
  if (fired.length > 0) {
    out.push('| rule | title | errors | warnings | exempted |', '|---|---|---:|---:|---:|');
    for (const r of fired) out.push(`| ${r.ruleId} | ${cell(r.title)} | ${r.errors} | ${r.warnings} | ${r.exempted} |`);
    out.push('');
  }
  if (quiet > 0) out.push(`${quiet} ${fired.length > 0 ? 'other ' : ''}rule${quiet === 1 ? '' : 's'}: no findings.`, '');

  out.push('## Who trusts whom', '', '```mermaid', report.mermaid, '```', '');
  if (report.federation && report.federation.length > 0) {
    out.push('## Federation: can each workload reach what trusts it?', '');
    out.push('| workload | target | kind | audience | algorithm | reachable |', '|---|---|---|---|---|---|');
    for (const p of report.federation) {
      out.push(`| ${code(p.workload)} | ${code(p.target)} | ${p.targetKind} | ${cell(p.audience)} | ${p.algorithm} | ${p.reachable ? 'yes' : `**no**: ${cell(p.reason ?? '')}`} |`);
    }
    out.push('');
  }
  if (report.organizationGuardrails && report.organizationGuardrails.length > 0) {
    out.push('## Organization guardrails', '');
    out.push('| kind | resource | file | what |', '|---|---|---|---|');
    for (const g of report.organizationGuardrails) out.push(`| ${g.kind} | ${code(g.resource)} | ${cell(g.file)} | ${cell(g.detail)} |`);
    out.push('');
  }
  if (report.notes.length > 0) {
    out.push('## Not checked', '');
    for (const n of report.notes) out.push(`- ${n.replace(/[\r\n]+/g, ' ')}`);
    out.push('');
  }
  return out.join('\n');
}

/** Options of {@link renderDiffMarkdown}. */
export interface DiffMarkdownOptions {
  /** The current report is rendered right below (its header says when it was generated): do not repeat the time. */
  readonly currentTimeShownBelow?: boolean;
}

/**
 * The scoreboard's first line: each side once, by its time and provenance; a time both sides share, or that the
 * current report below shows, is not repeated.
 */
function diffHeader(diff: ReportDiff, options: DiffMarkdownOptions): string {
  const sameTime = diff.baselineGeneratedAt === diff.currentGeneratedAt;
  const baseline = `Baseline ${diff.baselineGeneratedAt}${fromWhere(diff.baselineRun)}`;
  const currentTime = sameTime || options.currentTimeShownBelow ? '' : ` ${diff.currentGeneratedAt}`;
  const current = `current${currentTime}${fromWhere(diff.currentRun)}`;
  return `${baseline} → ${current}${sameTime && !options.currentTimeShownBelow ? ' (generated at the same time)' : ''}.`;
}

/** The scoreboard as Markdown. */
export function renderDiffMarkdown(diff: ReportDiff, options: DiffMarkdownOptions = {}): string {
  const out: string[] = ['# Keyless migration scoreboard', ''];
  const c = diff.counts;
  out.push(diffHeader(diff, options), '');
  out.push('| | count |', '|---|---:|');
  out.push(`| Credentials in baseline | ${c.baselineCredentials} |`);
  out.push(`| Credentials now | ${c.currentCredentials} |`);
  out.push(`| Credentials retired | ${c.retiredCredentials} |`);
  out.push(`| Credentials added | ${c.addedCredentials} |`);
  out.push(`| Federated identities added | ${diff.identitiesAdded.length} |`);
  out.push(`| Federated identities removed | ${diff.identitiesRemoved.length} |`);
  out.push(`| Exemptions expiring within ${EXPIRY_WARNING_DAYS} days | ${diff.expiringExemptions.length} |`);
  out.push(`| Expired exemptions | ${diff.expiredExemptions.length} |`, '');
  const list = (title: string, items: readonly ReportFinding[]) => {
    out.push(`## ${title}`, '');
    if (items.length === 0) out.push('None.');
    for (const f of items) out.push(`- **${f.ruleId}** ${code(f.resource)} (${cell(f.file)})`);
    out.push('');
  };
  list('Retired', diff.retired);
  list('Added', diff.added);
  out.push('## Exemptions expiring soon', '');
  if (diff.expiringExemptions.length === 0 && diff.expiredExemptions.length === 0) out.push('None.');
  for (const e of diff.expiredExemptions) out.push(`- **${e.ruleId}** ${code(e.resource)}: **expired** ${e.expires} (owner ${cell(e.owner)})`);
  for (const e of diff.expiringExemptions) out.push(`- **${e.ruleId}** ${code(e.resource)}: expires ${e.expires}, ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'} left (owner ${cell(e.owner)})`);
  out.push('');
  if (diff.identitiesAdded.length > 0 || diff.identitiesRemoved.length > 0) {
    out.push('## Federated identities', '');
    for (const t of diff.identitiesAdded) out.push(`- added: ${cell(t.workload)} → ${cell(t.target)} (${t.targetKind})`);
    for (const t of diff.identitiesRemoved) out.push(`- removed: ${cell(t.workload)} → ${cell(t.target)} (${t.targetKind})`);
    out.push('');
  }
  return out.join('\n');
}
