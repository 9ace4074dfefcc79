/**
 * `keyless check --format text` (the default): one block per finding, `file:line`, then a summary line.
 */
import { Evaluation } from '../model';
import { FormatOptions, fileShower, SourceLines, sortFindings, summarize } from './common';

export function formatText(evaluation: Evaluation, options: FormatOptions = {}): string {
  const lines = new SourceLines(options.readFile);
  const showFile = fileShower(options);
  const out: string[] = [];
  for (const f of sortFindings(evaluation.findings)) {
    const where = `${showFile(f.file)}:${lines.line(f)}`;
    const path = f.constructPath ? ` (${f.constructPath})` : '';
    const tag = f.exemption?.status === 'active' ? 'exempted' : f.severity;
    out.push(`${where}: ${tag} ${f.ruleId} ${f.resource}${path}`);
    out.push(`  ${f.message.replace(/[\r\n]+/g, ' ')}`);
  }
  for (const p of evaluation.federation ?? []) {
    out.push(`federation: ${p.workload} -> ${p.target} (${p.targetKind}, ${p.audience}, ${p.algorithm}): ${p.reachable ? 'reachable' : `NOT reachable: ${p.reason ?? ''}`}`);
  }
  for (const note of evaluation.notes) out.push(`note: ${note.replace(/[\r\n]+/g, ' ')}`);
  const s = summarize(evaluation, options);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = s.errors > 0 ? 'FAILED' : 'passed';
  out.push(`keyless check ${verdict}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`
    + `${s.exempted > 0 ? ` (${s.exempted} exempted)` : ''} in ${plural(s.files, 'file')}, ${plural(s.resources, 'resource')}`);
  return `${out.join('\n')}\n`;
}
