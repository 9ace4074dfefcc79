/**
 * The trend over report snapshots (`keyless history`): long-lived credentials and federated trusts over time, by
 * kind and by owner, what each step retired and added, and the exemptions that lapse soon.
 *
 * Dependencies point towards `model`: `snapshots` (read files, directories or git), `trend` (build, matching
 * findings with the report's `diffReports`), the rendering `markdown`, and `io` (write, using `markdown`).
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
export * from './model';
export { buildTrend, isCredential, kindOf, MIN_POINTS, ownerOf } from './trend';
export { DEFAULT_LAST, parseSnapshot, readGitSnapshots, readSnapshotFiles } from './snapshots';
export { renderTrendMarkdown, trendChart, trendHeadline } from './markdown';
export { writeTrend } from './io';
