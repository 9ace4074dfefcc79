/**
 * cdk-keyless benchmarks: `npm run bench`.
 *
 * Every measurement runs in a fresh node process (bench/child.ts) that loads all modules and warms up first,
 * then times one full-size run; variants alternate (A B, B A, ...) and the figures are medians. Writes
 * bench/results.json and prints a table. Always exits 0: benchmarks report, they never fail a build.
 *
 * Environment: BENCH_RUNS (5), BENCH_ONLY (e.g. B1,B3), BENCH_TIME (cpu|wall, default cpu),
 * BENCH_NPM_TEST=1 (B5), BENCH_CFN_VALIDATION=1 (B1 also with aws-cdk-lib's built-in validation),
 * BENCH_B1_WORKLOADS (450), BENCH_B3_WORKLOADS (500), BENCH_CLI_RUNS (3), BENCH_RESULTS (output file).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { b1 } from './benchmarks/b1';
import { b2 } from './benchmarks/b2';
import { b3 } from './benchmarks/b3';
import { b4 } from './benchmarks/b4';
import { b5 } from './benchmarks/b5';
import { BenchConfig, readConfig } from './harness/config';
import { measure } from './harness/measure';
import { renderTable } from './harness/table';
import { BenchDef, BenchEntry, Row } from './harness/types';

const RESULTS = path.join(__dirname, 'results.json');

export const METHOD = [
  'Each measurement runs in a fresh `node --expose-gc --trace-gc` process (ts-node, transpile only) that first requires every',
  'module the variant uses and runs it at a small size (lazy requires, JIT warm-up: twice, B4 five times); only the next,',
  'full-size run is measured. Time: wall clock, main-thread CPU time (/proc/self/task/PID/schedstat) and process CPU time of that run;',
  'ratios use the median main-thread CPU time unless BENCH_TIME=wall: it is the work the synth/check itself did, without',
  'time spent waiting for a CPU on this shared machine and without V8 helper threads (background JIT, concurrent GC) that',
  'run beside it on an idle machine. Memory ratios use the peak heap: heap used only falls at a garbage collection, so',
  'its peak during the run is the largest "used before" of the run\'s collections (V8 --trace-gc, between full GCs',
  'forced right before and after the run) or the heap at the end, minus the heap at the start. Also reported: peak RSS',
  '(kernel high-water mark reset with /proc/self/clear_refs before the run; VmHWM after minus VmRSS before; coarser,',
  'since V8 keeps freed pages) and retained heap (after a full GC with the output still referenced). Variants alternate',
  '(A B C, C B A, ...) across runs; figures are medians.',
].join(' ');

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The commit measured, and whether lib/ had uncommitted changes (other work in progress) at the start. */
function revision(): { commit: string; libDirty: boolean } {
  const git = (args: string[]) => spawnSync('git', args, { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  const status = git(['status', '--porcelain', '--', 'lib']);
  return { commit: head.status === 0 ? head.stdout.trim() : 'unknown', libDirty: status.status === 0 && status.stdout.trim() !== '' };
}

function readPrevious(file: string): { benchmarks?: { [id: string]: BenchEntry } } {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

async function runBench(def: BenchDef, config: BenchConfig, log: (s: string) => void): Promise<{ entry: BenchEntry; rows: Row[] }> {
  const reason = def.unavailable?.();
  if (reason !== undefined) {
    const entry: BenchEntry = {
      id: def.id, title: def.title, compared: {}, runs: 0, target: {}, ratio: NaN, ratios: {}, medians: {}, checks: {}, pass: false, notes: [], skipped: reason,
    };
    return { entry, rows: [{ metric: 'skipped', value: reason, target: '-', a: '', b: '', pass: null }] };
  }
  if ('runNpmTest' in def) {
    const { entry, rows } = await (def as ReturnType<typeof b5>).runNpmTest(log);
    return { entry: { id: def.id, title: def.title, ...entry }, rows };
  }
  await def.setup?.();
  const stats = await measure(def, config.runs, log);
  await def.afterMeasure?.(log);
  const { rows, ...summary } = def.summarize(stats, config.runs);
  return { entry: { id: def.id, title: def.title, runs: config.runs, ...summary }, rows };
}

async function main(): Promise<void> {
  const config = readConfig();
  const file = config.resultsFile ?? RESULTS;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const defs: BenchDef[] = [b1(config), b2(config), b3(config), b4(config), b5(config)]
    .filter((d) => config.only === undefined || config.only.has(d.id));
  const previous = readPrevious(file).benchmarks ?? {};
  type Stored = BenchEntry & { measuredAt: string; commit: string; libDirty: boolean };
  const entries: { [id: string]: Stored } = {};
  for (const [id, e] of Object.entries(previous)) entries[id] = e as Stored;
  const tableRows: (Row & { bench: string })[] = [];
  const started = Date.now();
  const rev = revision();
  for (const def of defs) {
    log(`${def.id}: ${def.title}`);
    try {
      const { entry, rows } = await runBench(def, config, log);
      entries[def.id] = { ...entry, measuredAt: new Date().toISOString(), ...rev };
      tableRows.push(...rows.map((r) => ({ ...r, bench: def.id })));
    } catch (e) {
      const message = (e as Error).message;
      log(`${def.id} failed: ${message}`);
      tableRows.push({ bench: def.id, metric: 'error', value: message.split('\n')[0].slice(0, 100), target: '-', a: '', b: '', pass: false });
    }
  }
  const sorted = Object.fromEntries(Object.keys(entries).sort().map((k) => [k, entries[k]]));
  const results = {
    generatedAt: new Date().toISOString(),
    command: 'npm run bench',
    config: { runs: config.runs, timeMetric: config.timeMetric, only: config.only ? [...config.only] : 'all', npmTest: config.npmTest, cfnValidation: config.cfnValidation },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    ...rev,
    machine: machine(),
    method: METHOD,
    benchmarks: sorted,
  };
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderTable(tableRows));
  console.log(`\n${METHOD}\n\nResults: ${path.relative(process.cwd(), file)} (${results.durationSeconds} s, ${results.machine.cpus} cores, node ${results.machine.node}).`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
}).finally(() => {
  process.exitCode = 0;
});
