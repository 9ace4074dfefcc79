/** Benchmark settings from the environment. */

function int(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export type TimeMetric = 'cpu' | 'wall';

export interface BenchConfig {
  /** Measured runs per variant (BENCH_RUNS, default 5). */
  readonly runs: number;
  /** Benchmarks to run (BENCH_ONLY=B1,B3; default all). */
  readonly only?: Set<string>;
  /** Time figure the ratios use (BENCH_TIME=cpu|wall, default cpu = main-thread CPU time). */
  readonly timeMetric: TimeMetric;
  /** B5: run `npm test` (BENCH_NPM_TEST=1). */
  readonly npmTest: boolean;
  /** B5 runs (BENCH_NPM_TEST_RUNS, default 1). */
  readonly npmTestRuns: number;
  /** B1/B2 also with aws-cdk-lib's built-in CloudFormation validation on (BENCH_CFN_VALIDATION=1). */
  readonly cfnValidation: boolean;
  /** B1/B2 workloads (BENCH_B1_WORKLOADS, default 450). */
  readonly cdkWorkloads: number;
  /** B3 workloads (BENCH_B3_WORKLOADS, default 500). */
  readonly tfWorkloads: number;
  /** B4 subprocess runs of bin/keyless (BENCH_CLI_RUNS, default 3). */
  readonly cliRuns: number;
  /** Where results go (BENCH_RESULTS, default bench/results.json). */
  readonly resultsFile?: string;
}

export function readConfig(): BenchConfig {
  const only = process.env.BENCH_ONLY;
  const time = process.env.BENCH_TIME ?? 'cpu';
  if (time !== 'cpu' && time !== 'wall') throw new Error(`BENCH_TIME is cpu or wall, got ${JSON.stringify(time)}`);
  return {
    runs: int('BENCH_RUNS', 5),
    only: only ? new Set(only.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean)) : undefined,
    timeMetric: time,
    npmTest: process.env.BENCH_NPM_TEST === '1',
    npmTestRuns: int('BENCH_NPM_TEST_RUNS', 1),
    cfnValidation: process.env.BENCH_CFN_VALIDATION === '1',
    cdkWorkloads: int('BENCH_B1_WORKLOADS', 450),
    tfWorkloads: int('BENCH_B3_WORKLOADS', 500),
    cliRuns: int('BENCH_CLI_RUNS', 3),
    resultsFile: process.env.BENCH_RESULTS || undefined,
  };
}
