/**
 * The inventory report (DESIGN §3): what is federated, what long-lived credentials remain, under which
 * exemption and until when, counts per rule, and a Mermaid graph of who trusts whom. Written as
 * `keyless-report.json` (machine-readable, usable as a baseline) and `keyless-report.md` (for people);
 * `diffReports` compares a baseline report with a current one: the migration scoreboard.
 *
 * One job a module, every dependency pointing towards `model` (the data, no logic but `categoryOf`):
 * `build` (from an evaluation; uses `mermaid`), `diff` (baseline vs current), the renderings `mermaid`,
 * `markdown` and `text`, and `io` (write, using `markdown`; parse). No rendering depends on `build` or `diff`.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
export * from './model';
export { buildReport } from './build';
export type { BuildReportOptions } from './build';
export { diffReports } from './diff';
export { parseReport, writeReport } from './io';
export { renderDiffMarkdown, renderReportMarkdown } from './markdown';
export { mermaidGraph, mermaidText } from './mermaid';
export { renderDiffText, renderReportText } from './text';
export { cell, displayPath } from '../display';
export { toolVersion } from '../version';
