import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { BenchConfig } from '../harness/config';
import { median, round } from '../harness/stats';
import { BenchDef, BenchEntry, Row } from '../harness/types';

export const B5_TARGET_SECONDS = 60;
const ROOT = path.resolve(__dirname, '..', '..');

interface NpmTestRun {
  readonly wallSeconds: number;
  readonly exitCode: number | null;
  /** Jest's "Test Suites:" and "Tests:" lines. */
  readonly summary: string;
}

function npmTest(): Promise<NpmTestRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('npm', ['test', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let out = '';
    const keep = (d: Buffer) => { out = (out + String(d)).slice(-20000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => {
      const lines = out.split('\n').filter((l) => /^(Test Suites|Tests|Time):/.test(l.trim())).map((l) => l.trim());
      resolve({ wallSeconds: (performance.now() - t0) / 1000, exitCode: code, summary: lines.join('; ') });
    });
  });
}

/** A table row: one wall time against the budget. */
function wallRow(metric: string, seconds: number): Row {
  const value = `${seconds.toFixed(1)} s`;
  return { metric, value, target: `<= ${B5_TARGET_SECONDS} s`, a: value, b: `${B5_TARGET_SECONDS} s`, pass: seconds <= B5_TARGET_SECONDS };
}

/** B5 is not a child-process comparison: it times `npm test` itself. */
export function b5(config: BenchConfig): BenchDef & { runNpmTest(log: (s: string) => void): Promise<{ entry: Omit<BenchEntry, 'id' | 'title'>; rows: Row[] }> } {
  return {
    id: 'B5',
    title: `wall time of \`npm test\` (jest, whole suite) on this machine; target <= ${B5_TARGET_SECONDS} s`,
    variants: [],
    unavailable() {
      return config.npmTest ? undefined : 'not run (set BENCH_NPM_TEST=1)';
    },
    summarize() {
      throw new Error('B5 is measured by runNpmTest');
    },
    async runNpmTest(log) {
      // First as a fresh checkout runs it (CI): no jest cache, so every TypeScript file is transpiled (the suite's
      // globalSetup fills .jest-cache/keyless-from-source for the CLI tests' child processes). Then warm, as a developer reruns it.
      fs.rmSync(path.join(ROOT, '.jest-cache'), { recursive: true, force: true });
      const cold = await npmTest();
      log(`  B5 cold run (no .jest-cache): ${cold.wallSeconds.toFixed(1)} s, exit ${cold.exitCode} (${cold.summary})`);
      const coldWall = round(cold.wallSeconds, 1);
      const runs: NpmTestRun[] = [];
      for (let r = 0; r < config.npmTestRuns; r++) {
        const run = await npmTest();
        runs.push(run);
        log(`  B5 run ${r + 1}/${config.npmTestRuns}: ${run.wallSeconds.toFixed(1)} s, exit ${run.exitCode} (${run.summary})`);
      }
      const wall = round(median(runs.map((r) => r.wallSeconds)), 1);
      const ratio = round(wall / B5_TARGET_SECONDS, 3);
      return {
        entry: {
          compared: { A: '`npm test` (CI=true; the jest config runs one worker per core)', B: `the ${B5_TARGET_SECONDS} s budget` },
          runs: runs.length,
          target: { wallSeconds: B5_TARGET_SECONDS, ratio: 1 },
          ratio,
          ratios: { wallVsBudget: ratio },
          medians: { A: { wallSeconds: wall }, B: { wallSeconds: B5_TARGET_SECONDS } },
          checks: { exitCode: runs[runs.length - 1].exitCode ?? -1, coldExitCode: cold.exitCode ?? -1, coldWallSeconds: coldWall, jest: runs[runs.length - 1].summary, samplesSeconds: runs.map((r) => round(r.wallSeconds, 1)).join(' / ') },
          pass: wall <= B5_TARGET_SECONDS,
          notes: [
            `ratio = median wall time of the warm runs / ${B5_TARGET_SECONDS} s budget. The machine is shared: other processes running during the tests lengthen it.`,
            `cold run (no .jest-cache, as in CI on a fresh checkout): ${coldWall} s (${round(coldWall / B5_TARGET_SECONDS, 3)} of the budget).`,
          ],
        },
        rows: [wallRow('npm test wall time, warm jest cache', wall), wallRow('npm test wall time, cold (no .jest-cache, as CI)', coldWall)],
      };
    },
  };
}
