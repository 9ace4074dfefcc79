import { TimeMetric } from '../harness/config';
import { round } from '../harness/stats';
import { Row, VariantStats } from '../harness/types';

/** The time figure ratios use: CPU time (default) or wall time. */
export function timeOf(stats: VariantStats, metric: TimeMetric): number {
  return metric === 'cpu' ? stats.medians.cpuMs : stats.medians.wallMs;
}

export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 3) : NaN;
}

export function timeRatio(a: VariantStats, b: VariantStats, metric: TimeMetric): number {
  return ratio(timeOf(a, metric), timeOf(b, metric));
}

/** Peak memory ratio: peak heap used during the run above its start (see harness/gc-trace.ts). */
export function memoryRatio(a: VariantStats, b: VariantStats): number {
  return ratio(a.medians.peakHeapDeltaMB, b.medians.peakHeapDeltaMB);
}

/** The same with the peak RSS delta (resident memory, coarser: V8 keeps freed pages committed). */
export function rssRatio(a: VariantStats, b: VariantStats): number {
  return ratio(a.medians.peakRssDeltaMB, b.medians.peakRssDeltaMB);
}

export function mediansByKey(stats: { [key: string]: VariantStats }): { [key: string]: VariantStats['medians'] } {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v.medians]));
}

export function labels(stats: { [key: string]: VariantStats }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v.label]));
}

/** Facts of every variant, prefixed with the variant key (`A.resources`). */
export function factsByKey(stats: { [key: string]: VariantStats }): { [name: string]: number | string | boolean } {
  const out: { [name: string]: number | string | boolean } = {};
  for (const [k, v] of Object.entries(stats)) {
    for (const [f, value] of Object.entries(v.facts)) out[`${k}.${f}`] = value;
  }
  return out;
}

export function ms(value: number): string {
  return value >= 10000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`;
}

export function mb(value: number): string {
  return `${value.toFixed(1)} MB`;
}

export function x(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

/** Table rows for the usual pair of time and memory ratios. */
export function timeAndMemoryRows(a: VariantStats, b: VariantStats, metric: TimeMetric, timeTarget: number, memoryTarget?: number, prefix = ''): Row[] {
  const t = timeRatio(a, b, metric);
  const m = memoryRatio(a, b);
  const r = rssRatio(a, b);
  return [
    { metric: `${prefix}time (${metric === 'cpu' ? 'main-thread CPU' : 'wall'})`, value: x(t), target: `<= ${timeTarget}`, a: ms(timeOf(a, metric)), b: ms(timeOf(b, metric)), pass: t <= timeTarget },
    {
      metric: `${prefix}peak heap above start`, value: x(m), target: memoryTarget !== undefined ? `<= ${memoryTarget}` : '-',
      a: mb(a.medians.peakHeapDeltaMB), b: mb(b.medians.peakHeapDeltaMB), pass: memoryTarget !== undefined ? m <= memoryTarget : null,
    },
    { metric: `${prefix}peak RSS above start`, value: x(r), target: '-', a: mb(a.medians.peakRssDeltaMB), b: mb(b.medians.peakRssDeltaMB), pass: null },
  ];
}
