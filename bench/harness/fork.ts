import { fork } from 'child_process';
import * as path from 'path';
import { parseGcTrace } from './gc-trace';
import { Sample } from './scenario';

const BENCH_DIR = path.resolve(__dirname, '..');

/**
 * Runs one measurement in a fresh node process: `node --expose-gc --trace-gc -r ts-node/register bench/child.ts ...`,
 * with ts-node configured by bench/tsconfig.json (transpile only, lib/*.ts preferred over stale lib/*.js).
 */
export function runChild(scenario: string, variant: string, params: unknown, extraNodeArgs: string[] = []): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(BENCH_DIR, 'child.ts'), [scenario, variant, JSON.stringify(params)], {
      execArgv: ['--expose-gc', '--trace-gc', ...extraNodeArgs, '-r', 'ts-node/register'],
      env: { ...process.env, TS_NODE_PROJECT: path.join(BENCH_DIR, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    let sample: Sample | undefined;
    // stdout carries V8's --trace-gc lines (parsed for the peak heap); other output (e.g. a validation report) is
    // not shown; the tail of stderr explains a failure.
    let stdout = '';
    child.stdout?.on('data', (d) => { stdout += String(d); });
    child.stderr?.on('data', (d) => { stderr = (stderr + String(d)).slice(-20000); });
    child.on('message', (m) => { sample = m as Sample; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (sample !== undefined) {
        const heap = parseGcTrace(stdout);
        resolve({ ...sample, ...(heap ? { peakHeapDelta: (heap.peakMB - heap.startMB) * 1024 * 1024, gcDuringRun: heap.collections } : {}) });
      }
      else reject(new Error(`${scenario}/${variant} exited with ${code}: ${stderr.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}
