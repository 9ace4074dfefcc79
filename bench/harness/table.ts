import { Row } from './types';

/** A Markdown table (also readable as plain text). */
export function renderTable(rows: readonly (Row & { bench: string })[]): string {
  const header = ['bench', 'metric', 'ratio / value', 'target', 'A (median)', 'B (median)', 'pass'];
  const body = rows.map((r) => [r.bench, r.metric, r.value, r.target, r.a, r.b, r.pass === null ? '-' : r.pass ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
