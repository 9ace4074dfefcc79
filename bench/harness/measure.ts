import { runChild } from './fork';
import { Sample } from './scenario';
import { median, relativeSpread, round } from './stats';
import { BenchDef, Medians, VariantStats } from './types';

const MB = 1024 * 1024;

export function mediansOf(samples: readonly Sample[]): Medians {
  const m = (f: (s: Sample) => number) => median(samples.map(f));
  return {
    wallMs: round(m((s) => s.timeMs), 1),
    cpuMs: round(m((s) => s.cpuMs), 1),
    processCpuMs: round(m((s) => s.processCpuMs), 1),
    peakHeapDeltaMB: round(m((s) => s.peakHeapDelta ?? NaN) / MB, 2),
    peakRssDeltaMB: round(m((s) => s.peakRssDelta) / MB, 2),
    retainedHeapMB: round(m((s) => s.retainedHeap) / MB, 2),
    processPeakRssMB: round(m((s) => s.processPeakRss) / MB, 1),
    wallSpread: round(relativeSpread(samples.map((s) => s.timeMs)), 3),
    cpuSpread: round(relativeSpread(samples.map((s) => s.cpuMs)), 3),
  };
}

/**
 * Runs every variant of `bench` `runs` times, each run in a fresh process, alternating the order
 * (A B C, C B A, A B C, ...) so slow phases of a shared machine hit every variant alike.
 */
export async function measure(bench: BenchDef, runs: number, log: (line: string) => void): Promise<{ [key: string]: VariantStats }> {
  const samples = new Map<string, Sample[]>(bench.variants.map((v) => [v.key, []]));
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? bench.variants : [...bench.variants].reverse();
    for (const v of order) {
      const s = await runChild(v.scenario, v.variant, v.params);
      samples.get(v.key)!.push(s);
      log(`  ${bench.id} run ${run + 1}/${runs} ${v.key}: wall ${s.timeMs.toFixed(0)} ms, cpu ${s.cpuMs.toFixed(0)} ms, peak heap +${((s.peakHeapDelta ?? NaN) / MB).toFixed(1)} MB, peak RSS +${(s.peakRssDelta / MB).toFixed(1)} MB`);
    }
  }
  const stats: { [key: string]: VariantStats } = {};
  for (const v of bench.variants) {
    const list = samples.get(v.key)!;
    stats[v.key] = { label: v.label, runs: list.length, medians: mediansOf(list), samples: list, facts: list[0]?.facts ?? {} };
  }
  return stats;
}
