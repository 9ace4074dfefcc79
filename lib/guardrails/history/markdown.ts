/**
 * `keyless-trend.md`: the trend for people. A headline, a Mermaid `xychart-beta` chart GitHub renders (bars:
 * long-lived credentials left, line: federated trusts), the per-kind and per-owner tables, what each step retired and
 * added, and the last snapshot's exemptions that lapse soon.
 *
 * Text, not an SVG: a charting library would be bundled into the jsii package, and GitHub, GitLab and most Markdown
 * viewers draw Mermaid themselves.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { cell, codeSpan } from '../display';
import { EXPIRY_WARNING_DAYS } from '../exemptions';
import { CREDENTIAL_KIND_LABELS } from '../report/kinds';
import type { ExpiringExemption } from '../report/model';
import { Trend, TrendFinding } from './model';

/** `Long-lived credentials: 2 -> 0 over 3 snapshots; federated trusts 0 -> 1`. */
export function trendHeadline(trend: Trend): string {
  const first = trend.points[0];
  const last = trend.points[trend.points.length - 1];
  return `Long-lived credentials: ${first.credentials} -> ${last.credentials} over ${trend.points.length} snapshots; `
    + `federated trusts ${first.federatedTrusts} -> ${last.federatedTrusts}`;
}

/** A label as a Mermaid string: only characters that cannot end the string or start a directive. */
function mermaidLabel(label: string): string {
  return `"${label.replace(/[^A-Za-z0-9 ._:/@()+#-]/g, '_')}"`;
}

/** The Mermaid `xychart-beta` source, one line each (without the code fence). */
export function trendChart(trend: Trend): string[] {
  const credentials = trend.points.map((p) => p.credentials);
  const trusts = trend.points.map((p) => p.federatedTrusts);
  const top = Math.max(1, ...credentials, ...trusts);
  return [
    'xychart-beta',
    '  title "Long-lived credentials and federated trusts"',
    `  x-axis [${trend.points.map((p) => mermaidLabel(p.label)).join(', ')}]`,
    `  y-axis "count" 0 --> ${top}`,
    `  bar [${credentials.join(', ')}]`,
    `  line [${trusts.join(', ')}]`,
  ];
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function findingLine(verb: 'retired' | 'added', f: TrendFinding): string {
  const what = f.kind !== undefined ? CREDENTIAL_KIND_LABELS[f.kind] : 'trust finding';
  const name = f.name !== undefined && f.name !== f.resource ? ` (${codeSpan(f.name, 'tight')})` : '';
  return `- ${verb} **${cell(f.ruleId)}** ${codeSpan(f.resource, 'tight')}${name}: ${cell(what)}, ${cell(f.owner)}`;
}

function exemptionTable(rows: readonly ExpiringExemption[]): string[] {
  return [
    '| rule | resource | owner | expires | days left |',
    '|---|---|---|---|---:|',
    ...rows.map((e) => `| ${cell(e.ruleId)} | ${codeSpan(e.resource, 'tight')} | ${cell(e.owner)} | ${cell(e.expires)} | ${e.daysLeft} |`),
  ];
}

/** The whole `keyless-trend.md`. */
export function renderTrendMarkdown(trend: Trend): string {
  const labels = trend.points.map((p) => cell(p.label));
  const out: string[] = [
    '# Keyless trend',
    '',
    `**${trendHeadline(trend)}**`,
    '',
    '```mermaid',
    ...trendChart(trend),
    '```',
    '',
    '_Bars: long-lived credentials left at each snapshot. Line: federated trusts._',
    '',
    '## Snapshots',
    '',
    '| snapshot | date | subject | long-lived credentials | federated trusts | errors | exempted |',
    '|---|---|---|---:|---:|---:|---:|',
    ...trend.points.map((p) => `| ${cell(p.label)} | ${cell(p.date.slice(0, 10))} | ${cell(p.subject)} | ${p.credentials} | ${p.federatedTrusts} | ${p.errors} | ${p.exempted} |`),
    '',
    '## Long-lived credentials by kind',
    '',
  ];
  if (trend.kinds.length === 0) {
    out.push('No long-lived credentials at any snapshot.', '');
  } else {
    out.push(`| kind | ${labels.join(' | ')} |`, `|---|${labels.map(() => '---:').join('|')}|`);
    for (const row of trend.kinds) out.push(`| ${cell(row.label)} | ${row.counts.join(' | ')} |`);
    out.push('');
  }
  out.push('## Long-lived credentials by owner', '');
  if (trend.owners.length === 0) {
    out.push('No long-lived credentials at any snapshot.', '');
  } else {
    out.push('Lagging owners first: most credentials left, then least retired.', '');
    out.push(`| owner | ${labels.join(' | ')} | change |`, `|---|${labels.map(() => '---:').join('|')}|---:|`);
    for (const row of trend.owners) out.push(`| ${cell(row.owner)} | ${row.counts.join(' | ')} | ${signed(row.change)} |`);
    out.push('');
  }
  out.push('## Retired and added', '');
  for (const step of trend.steps) {
    out.push(`### ${cell(step.from)} -> ${cell(step.to)}: ${step.retired.length} retired, ${step.added.length} added`, '');
    if (step.retired.length === 0 && step.added.length === 0) out.push('No finding retired or added.');
    for (const f of step.retired) out.push(findingLine('retired', f));
    for (const f of step.added) out.push(findingLine('added', f));
    out.push('');
  }
  const day = trend.generatedAt.slice(0, 10);
  out.push(`## Exemptions expiring within ${EXPIRY_WARNING_DAYS} days`, '');
  if (trend.expiringExemptions.length === 0) out.push(`None of the last snapshot's exemptions lapse within ${EXPIRY_WARNING_DAYS} days of ${day}.`);
  else out.push(...exemptionTable(trend.expiringExemptions));
  out.push('');
  if (trend.expiredExemptions.length > 0) {
    out.push('### Expired', '', `These exemptions of the last snapshot had lapsed by ${day}: their findings fail the build.`, '');
    out.push(...exemptionTable(trend.expiredExemptions), '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
