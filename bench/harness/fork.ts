import { fork } from 'child_process';
import * as path from 'path';
import { Sample } from './scenario';

const BENCH_DIR = path.resolve(__dirname, '..');

/**
 * Runs one measurement in a fresh node process: `node --expose-gc -r ts-node/register bench/child.ts ...`,
 * with ts-node configured by bench/tsconfig.json (transpile only, lib/*.ts preferred over stale lib/*.js).
 */
export function runChild(scenario: string, variant: string, params: unknown, extraNodeArgs: string[] = []): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(BENCH_DIR, 'child.ts'), [scenario, variant, JSON.stringify(params)], {
      execArgv: ['--expose-gc', ...extraNodeArgs, '-r', 'ts-node/register'],
      env: { ...process.env, TS_NODE_PROJECT: path.join(BENCH_DIR, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    let sample: Sample | undefined;
    // Output (e.g. a validation report) is not shown; the tail of stderr explains a failure.
    child.stdout?.resume();
    child.stderr?.on('data', (d) => { stderr = (stderr + String(d)).slice(-20000); });
    child.on('message', (m) => { sample = m as Sample; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (sample !== undefined) resolve(sample);
      else reject(new Error(`${scenario}/${variant} exited with ${code}: ${stderr.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}
