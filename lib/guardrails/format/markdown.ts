/**
 * `keyless check --format markdown`: a summary and a findings table, for a pull-request comment or a CI job
 * summary (`>> $GITHUB_STEP_SUMMARY`).
 */
import { Evaluation } from '../model';
import { cell, codeSpan } from '../display';
import { FormatOptions, fileShower, SourceLines, sortFindings, summarize } from './common';

export function formatMarkdown(evaluation: Evaluation, options: FormatOptions = {}): string {
  const s = summarize(evaluation, options);
  const lines = new SourceLines(options.readFile);
  const showFile = fileShower(options);
  const out: string[] = [];
  const icon = s.errors > 0 ? ':x:' : ':white_check_mark:';
  out.push(`## ${icon} keyless check ${s.errors > 0 ? 'failed' : 'passed'}`, '');
  out.push(`**${s.errors}** error${s.errors === 1 ? '' : 's'}, **${s.warnings}** warning${s.warnings === 1 ? '' : 's'}`
    + `${s.exempted > 0 ? ` (${s.exempted} exempted)` : ''} in ${s.files} file${s.files === 1 ? '' : 's'} (${s.resources} resources).`, '');
  if (evaluation.findings.length > 0) {
    out.push('| severity | rule | resource | file | message |', '|---|---|---|---|---|');
    for (const f of sortFindings(evaluation.findings)) {
      const severity = f.exemption?.status === 'active' ? `warning (exempted until ${f.exemption.expires})` : f.severity;
      const resource = f.constructPath ? `${codeSpan(f.resource)}<br>${cell(f.constructPath)}` : codeSpan(f.resource);
      out.push(`| ${severity} | ${f.ruleId} | ${resource} | ${cell(`${showFile(f.file)}:${lines.line(f)}`)} | ${cell(f.message)} |`);
    }
    out.push('');
  }
  const pairs = evaluation.federation ?? [];
  if (pairs.length > 0) {
    out.push('### Federation', '', '| workload | target | kind | audience | algorithm | reachable |', '|---|---|---|---|---|---|');
    for (const p of pairs) {
      out.push(`| ${codeSpan(p.workload)} | ${codeSpan(p.target)} | ${p.targetKind} | ${cell(p.audience)} | ${p.algorithm} | ${p.reachable ? 'yes' : `**no**: ${cell(p.reason ?? '')}`} |`);
    }
    out.push('');
  }
  const ruleIds = Object.keys(s.byRule).sort();
  if (ruleIds.length > 0) {
    out.push('| rule | findings |', '|---|---:|');
    for (const id of ruleIds) out.push(`| ${id} | ${s.byRule[id]} |`);
    out.push('');
  }
  if (s.notes.length > 0) {
    out.push('<details><summary>Not checked statically</summary>', '');
    for (const n of s.notes) out.push(`- ${n.replace(/[\r\n]+/g, ' ')}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
