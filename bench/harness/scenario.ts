/**
 * What a benchmark scenario module exports. The child process requires the module (and so every library it
 * imports) before anything is timed, prepares the untimed input, warms up with a small run, and then times
 * exactly one full-size `run`.
 */
export type Facts = { [name: string]: number | string | boolean };

export interface RunResult {
  /** Facts about the output to check and report (resource counts, findings...); computed after timing. */
  readonly facts?: () => Facts;
  /** Keeps the run's output alive until the retained-heap measurement is done. */
  readonly keep?: unknown;
  /** Untimed clean-up (e.g. remove the output directory). */
  readonly cleanup?: () => void;
}

export interface Scenario<P = any> {
  /** Untimed input preparation for one variant (e.g. write generated templates to disk). */
  prepare?(variant: string, params: P): unknown | Promise<unknown>;
  /** The same work at a small size, to load lazily required modules and warm the JIT. */
  warmupParams(params: P): P;
  /** Warm-up runs before the measured one (default 2). */
  readonly warmups?: number;
  /** The measured work. */
  run(variant: string, params: P, prepared: unknown): RunResult | Promise<RunResult>;
}

/** One measurement, as sent from the child to the runner. */
export interface Sample {
  readonly scenario: string;
  readonly variant: string;
  /** Wall-clock time of the run, ms. */
  readonly timeMs: number;
  /** CPU time of the main thread during the run, ms (see harness/cpu.ts): insensitive to waiting for a CPU. */
  readonly cpuMs: number;
  /** CPU time of the whole process (all threads: JIT compiler, GC helpers) during the run, ms. */
  readonly processCpuMs: number;
  /** Peak RSS during the run minus RSS before it, bytes. */
  readonly peakRssDelta: number;
  /** Peak heap used during the run minus heap used at its start (from --trace-gc, see gc-trace.ts), bytes. */
  readonly peakHeapDelta?: number;
  /** Garbage collections during the run. */
  readonly gcDuringRun?: number;
  /** Heap still used by the run's output after a full GC, bytes (heapUsed after - heapUsed before). */
  readonly retainedHeap: number;
  readonly processPeakRss: number;
  readonly memoryMethod: string;
  readonly facts: Facts;
}
