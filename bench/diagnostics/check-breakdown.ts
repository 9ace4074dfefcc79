/**
 * Where `keyless check` spends its time, phase by phase, in one warm process (diagnostic for B4; not part of
 * `npm run bench`):
 *   npx ts-node -P bench/tsconfig.json bench/diagnostics/check-breakdown.ts [PATH...]
 * Default paths: the B4 inputs under $TMPDIR/keyless-bench-b4 (run `BENCH_ONLY=B4 npm run bench` once first).
 * Each phase runs 2 times to warm up, then BENCH_RUNS (5) times; medians of CPU time. Every run analyses afresh
 * (a new analysis context per set, as one `keyless check` does), so nothing one run worked out speeds up the next.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analysisContext } from '../../lib/guardrails/analysis';
import { evaluate } from '../../lib/guardrails/evaluate';
import { formatEvaluation } from '../../lib/guardrails/format';
import { federatedIdentities } from '../../lib/guardrails/identities';
import { ResourceSet } from '../../lib/guardrails/model';
import { loadPath } from '../../lib/guardrails/normalize/load';
import { CATALOG } from '../../lib/guardrails/rules';
import { findTrusts } from '../../lib/guardrails/trusts';
import { median } from '../harness/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  let value: T | undefined;
  const samples: number[] = [];
  for (let i = 0; i < 2 + RUNS; i++) {
    const c0 = process.cpuUsage();
    value = await fn();
    const c = process.cpuUsage(c0);
    if (i >= 2) samples.push((c.user + c.system) / 1000);
  }
  return { ms: median(samples), value: value as T };
}

function readAll(p: string): number {
  const files = fs.statSync(p).isDirectory() ? fs.readdirSync(p).filter((f) => f.endsWith('.json')).map((f) => path.join(p, f)) : [p];
  let n = 0;
  for (const f of files) n += Object.keys(JSON.parse(fs.readFileSync(f, 'utf8'))).length;
  return n;
}

function runRule(sets: readonly ResourceSet[], rule: typeof CATALOG[number]): number {
  let hits = 0;
  for (const set of sets) {
    const context = analysisContext(set);
    for (const r of set.resources) {
      if (!rule.appliesTo.includes('*') && !rule.appliesTo.includes(r.type)) continue;
      try {
        hits += rule.check(r, context).length;
      } catch {
        hits++;
      }
    }
  }
  return hits;
}

async function main(): Promise<void> {
  const base = path.join(os.tmpdir(), 'keyless-bench-b4');
  const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [path.join(base, 'tf-10000', 'main.tf.json'), path.join(base, 'cfn-20x480')];
  for (const target of targets) {
    const rows: [string, number, string][] = [];
    const floor = await time(() => readAll(target));
    rows.push(['floor: read + JSON.parse', floor.ms, '']);
    const load = await time(() => loadPath(target));
    const sets = load.value;
    const resources = sets.reduce((n, s) => n + s.resources.length, 0);
    rows.push(['loadPath (read, parse, normalize)', load.ms, `${sets.length} sets, ${resources} resources`]);
    const ids = await time(() => sets.map((s) => federatedIdentities(analysisContext(s))));
    rows.push(['federatedIdentities', ids.ms, `${ids.value.reduce((n, m) => n + m.size, 0)} identities`]);
    const trusts = await time(() => sets.map((s) => findTrusts(analysisContext(s))));
    rows.push(['findTrusts', trusts.ms, `${trusts.value.reduce((n, t) => n + t.length, 0)} trusts`]);
    for (const rule of CATALOG) {
      const r = await time(() => runRule(sets, rule));
      if (r.ms >= 1 || r.value > 0) rows.push([`rule ${rule.id}`, r.ms, `${r.value} hits`]);
    }
    const ev = await time(() => evaluate(sets));
    rows.push(['evaluate (all of the above but loading)', ev.ms, `${ev.value.findings.length} findings`]);
    const fmt = await time(() => formatEvaluation('json', ev.value, { cwd: process.cwd(), files: sets.map((s) => s.file) }));
    rows.push(['format json', fmt.ms, `${fmt.value.length} chars`]);
    console.log(`\n${target}`);
    for (const [what, ms, note] of rows) {
      console.log(`  ${what.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / floor.ms).toFixed(1).padStart(6)}x floor  ${note}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
