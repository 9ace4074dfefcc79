/**
 * `keyless check --format markdown`: a summary and a findings table, for a pull-request comment or a CI job
 * summary (`>> $GITHUB_STEP_SUMMARY`).
 *
 * GitHub drops a step's whole job summary past 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a
 * size of 1024k"), so the output stays under {@link MARKDOWN_MAX_BYTES}: the summary line and the counts per rule
 * always, then as many rows as fit in this order: error findings, unreachable federation pairs, warnings, exempted
 * findings, reachable pairs, notes; a line says how many of each are not shown (`--format json` lists every one).
 */
import { Evaluation } from '../model';
import { cell, codeSpan, counted, JOB_SUMMARY_MAX_BYTES } from '../display';
import { findingPriority, FormatOptions, fileShower, SourceLines, sortFindings, summarize } from './common';

/** What the Markdown output holds at most, in UTF-8 bytes: under GitHub's 1 MiB (1,048,576 bytes) per job summary. */
export const MARKDOWN_MAX_BYTES = JOB_SUMMARY_MAX_BYTES;

/** One row of a section, with how early it is kept when the output would be too large (lower first). */
interface Row {
  readonly text: string;
  readonly rank: number;
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8') + 1; // and its line break

export function formatMarkdown(evaluation: Evaluation, options: FormatOptions = {}): string {
  const s = summarize(evaluation, options);
  const lines = new SourceLines(options.readFile);
  const showFile = fileShower(options);
  const head: string[] = [];
  const icon = s.errors > 0 ? ':x:' : ':white_check_mark:';
  head.push(`## ${icon} keyless check ${s.errors > 0 ? 'failed' : 'passed'}`, '');
  head.push(`**${s.errors}** error${s.errors === 1 ? '' : 's'}, **${s.warnings}** warning${s.warnings === 1 ? '' : 's'}`
    + `${s.exempted > 0 ? ` (${s.exempted} exempted)` : ''} in ${s.files} file${s.files === 1 ? '' : 's'} (${s.resources} resources).`, '');

  // ranks: errors 0, unreachable pairs 1, warnings 2, exempted findings 4, reachable pairs 5, notes 6
  const findings: Row[] = sortFindings(evaluation.findings).map((f) => {
    const severity = f.exemption?.status === 'active' ? `warning (exempted until ${f.exemption.expires})` : f.severity;
    const resource = f.constructPath ? `${codeSpan(f.resource)}<br>${cell(f.constructPath)}` : codeSpan(f.resource);
    return { rank: 2 * findingPriority(f), text: `| ${severity} | ${f.ruleId} | ${resource} | ${cell(`${showFile(f.file)}:${lines.line(f)}`)} | ${cell(f.message)} |` };
  });
  const pairs: Row[] = (evaluation.federation ?? []).map((p) => ({
    rank: p.reachable ? 5 : 1,
    text: `| ${codeSpan(p.workload)} | ${codeSpan(p.target)} | ${p.targetKind} | ${cell(p.audience)} | ${p.algorithm} | ${p.reachable ? 'yes' : `**no**: ${cell(p.reason ?? '')}`} |`,
  }));
  const notes: Row[] = s.notes.map((n) => ({ rank: 6, text: `- ${n.replace(/[\r\n]+/g, ' ')}` }));

  const counts: string[] = [];
  const ruleIds = Object.keys(s.byRule).sort();
  if (ruleIds.length > 0) {
    counts.push('| rule | findings |', '|---|---:|');
    for (const id of ruleIds) counts.push(`| ${id} | ${s.byRule[id]} |`);
    counts.push('');
  }

  // table heads, the notes' <details> and the line about what is not shown
  const frame = 1_000;
  let budget = MARKDOWN_MAX_BYTES - frame - [...head, ...counts].reduce((n, l) => n + bytes(l), 0);
  const kept = new Set<Row>();
  for (const row of [...findings, ...pairs, ...notes].sort((a, b) => a.rank - b.rank)) {
    const size = bytes(row.text);
    if (size > budget) break; // strictly in order: no warning takes the room an error did not fit in
    budget -= size;
    kept.add(row);
  }
  const shown = (rows: readonly Row[]): string[] => rows.filter((r) => kept.has(r)).map((r) => r.text);

  const out = [...head];
  const shownFindings = shown(findings);
  if (shownFindings.length > 0) out.push('| severity | rule | resource | file | message |', '|---|---|---|---|---|', ...shownFindings, '');
  const shownPairs = shown(pairs);
  if (shownPairs.length > 0) {
    out.push('### Federation', '', '| workload | target | kind | audience | algorithm | reachable |', '|---|---|---|---|---|---|', ...shownPairs, '');
  }
  out.push(...counts);
  const shownNotes = shown(notes);
  if (shownNotes.length > 0) out.push('<details><summary>Not checked statically</summary>', '', ...shownNotes, '', '</details>', '');
  const left = [
    findings.length > shownFindings.length ? counted(findings.length - shownFindings.length, 'finding', 'findings') : '',
    pairs.length > shownPairs.length ? counted(pairs.length - shownPairs.length, 'federation pair', 'federation pairs') : '',
    notes.length > shownNotes.length ? counted(notes.length - shownNotes.length, 'note', 'notes') : '',
  ].filter(Boolean);
  if (left.length > 0) {
    out.push(`_Not shown: ${left.join(', ')} (a job summary holds at most 1 MiB; errors and unreachable pairs are shown first). `
      + '`keyless check --format json` lists every one; the exit status counts every finding._', '');
  }
  return out.join('\n');
}
