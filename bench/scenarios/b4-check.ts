/**
 * B4: `keyless check` in-process (the CLI's `main`, exactly what bin/keyless runs, minus node start-up) vs the
 * floor: reading the same files and `JSON.parse`-ing them in one process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { RunResult, Scenario } from '../harness/scenario';

export interface B4Params {
  /** A file or a directory of templates. */
  readonly input: string;
  /** A small input of the same kind, for the warm-up. */
  readonly warmup: string;
}

function files(input: string): string[] {
  if (!fs.statSync(input).isDirectory()) return [input];
  return fs.readdirSync(input).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(input, f));
}

async function check(input: string): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', input, '--format', 'json'], {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    cwd: process.cwd(),
    env: {},
    stderrIsTty: false,
  });
  return {
    keep: stdout,
    facts: () => {
      const facts: { [k: string]: number | string | boolean } = { exitCode: code };
      try {
        const out = JSON.parse(stdout) as { findings: { severity: string; ruleId: string }[]; summary?: { resources?: number } };
        facts.findings = out.findings.length;
        facts.errors = out.findings.filter((f) => f.severity === 'error').length;
        facts.rulesFired = [...new Set(out.findings.map((f) => f.ruleId))].sort().join(' ');
        if (out.summary?.resources !== undefined) facts.resources = out.summary.resources;
      } catch {
        facts.output = (stderr || stdout).slice(0, 300);
      }
      return facts;
    },
  };
}

function floor(input: string): RunResult {
  const docs: unknown[] = [];
  let bytes = 0;
  for (const file of files(input)) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    docs.push(JSON.parse(text));
  }
  return { keep: docs, facts: () => ({ files: docs.length, bytes }) };
}

export const scenario: Scenario<B4Params> = {
  // Small inputs are cheap; more warm-up runs make the 1,000-resource figure (the scaling baseline) stable.
  warmups: 5,
  warmupParams: (params) => ({ ...params, input: params.warmup }),
  run: (variant, params) => (variant === 'check' ? check(params.input) : floor(params.input)),
};
