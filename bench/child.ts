/**
 * Runs ONE measurement in a fresh process (forked by bench/run.ts with --expose-gc):
 *   child.ts <scenario> <variant> <params JSON>
 * 1. require the scenario module: every library it imports is loaded here, before any timing;
 * 2. prepare the variant's input (untimed);
 * 3. warm up at a small size (lazy requires, JIT; twice unless the scenario says), clean up, full GC;
 * 4. reset the RSS high-water mark, time one full-size run (wall, main-thread CPU and process CPU time), read
 *    the peak;
 * 5. full GC with the output still referenced: retained heap;
 * 6. send the sample to the parent.
 * With BENCH_PROFILE=DIR, the measured run (only) is CPU-profiled into DIR (timings then include profiler overhead).
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import { mainThreadCpuMs, processCpuMs } from './harness/cpu';
import { collect, MemoryProbe } from './harness/memory';
import { RunProfiler } from './harness/profile';
import { Sample, Scenario } from './harness/scenario';

/** Referencing the output after the heap measurement keeps it from being collected before. */
const sink: unknown[] = [];
function keepAlive(value: unknown): void {
  sink.push(value);
  sink.pop();
}

async function main(): Promise<void> {
  const [scenarioName, variant, paramsJson] = process.argv.slice(2);
  const params = JSON.parse(paramsJson ?? '{}');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const scenario: Scenario = require(path.join(__dirname, 'scenarios', scenarioName)).scenario;

  const prepared = await scenario.prepare?.(variant, params);
  const warmup = scenario.warmupParams(params);
  const warmPrepared = await scenario.prepare?.(variant, warmup);
  for (let i = 0; i < (scenario.warmups ?? 2); i++) {
    const w = await scenario.run(variant, warmup, warmPrepared);
    w.cleanup?.();
  }
  collect();

  const profiler = new RunProfiler(process.env.BENCH_PROFILE, `${scenarioName}-${variant}`);
  await profiler.start();
  const heapBefore = process.memoryUsage().heapUsed;
  const probe = new MemoryProbe();
  const cpu0 = mainThreadCpuMs();
  const proc0 = processCpuMs();
  const t0 = performance.now();
  const result = await scenario.run(variant, params, prepared);
  const timeMs = performance.now() - t0;
  const cpuMs = mainThreadCpuMs() - cpu0;
  const processMs = processCpuMs() - proc0;
  const memory = probe.finish();
  await profiler.stop();
  collect();
  const retainedHeap = process.memoryUsage().heapUsed - heapBefore;
  const facts = result.facts?.() ?? {};
  const sample: Sample = {
    scenario: scenarioName,
    variant,
    timeMs,
    cpuMs,
    processCpuMs: processMs,
    peakRssDelta: memory.peakRssDelta,
    retainedHeap,
    processPeakRss: memory.processPeakRss,
    memoryMethod: memory.method,
    facts,
  };
  keepAlive(result.keep);
  result.cleanup?.();
  if (process.send) {
    process.send(sample, () => process.exit(0));
  } else {
    console.log(JSON.stringify(sample));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
