import { Facts, Sample } from './scenario';

/** One variant of a benchmark: a scenario variant key and its parameters. */
export interface VariantDef {
  /** Key in results.json (`A`, `B`, ...). */
  readonly key: string;
  /** What the variant is, in words. */
  readonly label: string;
  /** Scenario module under bench/scenarios. */
  readonly scenario: string;
  /** Variant key the scenario understands. */
  readonly variant: string;
  readonly params: unknown;
}

export interface Medians {
  /** Median wall time of the measured run, ms. */
  readonly wallMs: number;
  /** Median main-thread CPU time of the measured run, ms. */
  readonly cpuMs: number;
  /** Median process CPU time (all threads) of the measured run, ms. */
  readonly processCpuMs: number;
  /** Median peak heap used during the run minus heap used at its start, MB (V8 --trace-gc). */
  readonly peakHeapDeltaMB: number;
  /** Median peak RSS during the run minus RSS before it, MB. */
  readonly peakRssDeltaMB: number;
  /** Median heap retained by the run's output after a full GC, MB. */
  readonly retainedHeapMB: number;
  /** Median RSS high-water mark of the whole process (modules and ts-node included), MB. */
  readonly processPeakRssMB: number;
  /** Relative spread (median absolute deviation / median) of wall and CPU time. */
  readonly wallSpread: number;
  readonly cpuSpread: number;
}

export interface VariantStats {
  readonly label: string;
  readonly runs: number;
  readonly medians: Medians;
  readonly samples: readonly Sample[];
  /** Facts of the first sample (the output is deterministic). */
  readonly facts: Facts;
}

/** One entry of bench/results.json. */
export interface BenchEntry {
  readonly id: string;
  readonly title: string;
  /** What was compared, per variant key. */
  readonly compared: { [key: string]: string };
  readonly runs: number;
  /** Targets, by name (e.g. time ratio, memory ratio, resource limit). */
  readonly target: { [name: string]: number | string };
  /** The headline ratio (time, A/B unless said otherwise). */
  readonly ratio: number;
  /** Every ratio computed, by name. */
  readonly ratios: { [name: string]: number };
  readonly medians: { [key: string]: Medians | { [name: string]: number } };
  readonly checks: { [name: string]: number | string | boolean };
  readonly pass: boolean;
  readonly notes: string[];
  readonly skipped?: string;
}

/** One line of the printed table. */
export interface Row {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly a: string;
  readonly b: string;
  /** null: reported only, no target. */
  readonly pass: boolean | null;
}

export type Summary = Omit<BenchEntry, 'id' | 'title' | 'runs'> & { readonly rows: Row[] };

export interface BenchDef {
  readonly id: string;
  readonly title: string;
  readonly variants: VariantDef[];
  /** Why the benchmark cannot run yet (e.g. the module under test has not landed), or undefined. */
  unavailable?(): string | undefined;
  /** Work to do once before the measurements (untimed), e.g. generating input files. */
  setup?(): void | Promise<void>;
  /** Extra measurements after the alternating runs (e.g. subprocess wall time), kept for `summarize`. */
  afterMeasure?(log: (line: string) => void): Promise<void>;
  summarize(stats: { [key: string]: VariantStats }, runs: number): Summary;
}
