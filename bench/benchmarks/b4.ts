import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { cloudFormationTemplate, terraformConfig } from '../apps/templates';
import { BenchConfig } from '../harness/config';
import { median, round } from '../harness/stats';
import { BenchDef, Row } from '../harness/types';
import { factsByKey, labels, mediansByKey, memoryRatio, ms, ratio, timeOf, x } from './common';

export const B4_TARGETS = { checkVsParseFloor: 4, scaling1kTo10k: 11 };
const ROOT = path.resolve(__dirname, '..', '..');
const TF_LARGE = 10000;
const TF_SMALL = 1000;
const CFN_TEMPLATES = 20;
const CFN_RESOURCES = 480;

interface Inputs {
  readonly tf10k: string;
  readonly tf1k: string;
  readonly cfnDir: string;
  readonly tfWarmup: string;
  readonly cfnWarmup: string;
}

function inputs(dir: string): Inputs {
  return {
    tf10k: path.join(dir, `tf-${TF_LARGE}`, 'main.tf.json'),
    tf1k: path.join(dir, `tf-${TF_SMALL}`, 'main.tf.json'),
    cfnDir: path.join(dir, `cfn-${CFN_TEMPLATES}x${CFN_RESOURCES}`),
    tfWarmup: path.join(dir, 'tf-100', 'main.tf.json'),
    cfnWarmup: path.join(dir, 'cfn-warmup'),
  };
}

function write(file: string, value: object, indent: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, indent));
}

/** Writes the inputs as the tools do: cdktf indents Terraform JSON by 2, the CDK CloudFormation templates by 1. */
function generate(i: Inputs): void {
  write(i.tf10k, terraformConfig(TF_LARGE), 2);
  write(i.tf1k, terraformConfig(TF_SMALL), 2);
  write(i.tfWarmup, terraformConfig(100), 2);
  for (let t = 0; t < CFN_TEMPLATES; t++) write(path.join(i.cfnDir, `Stack${t}.template.json`), cloudFormationTemplate(t, CFN_RESOURCES), 1);
  for (let t = 0; t < 2; t++) write(path.join(i.cfnWarmup, `Stack${t}.template.json`), cloudFormationTemplate(t, 48), 1);
}

function bytesOf(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, f) => n + fs.statSync(path.join(p, f)).size, 0);
}

/** Wall time of `node bin/keyless check PATH --format json` (node start-up and module loading included). */
function subprocessWall(target: string, runs: number): { medianMs: number; samplesMs: number[]; exitCode: number | null; mode: string } {
  const samples: number[] = [];
  let exitCode: number | null = null;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'keyless'), 'check', target, '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
    samples.push(performance.now() - t0);
    exitCode = res.status;
  }
  const compiled = path.join(ROOT, 'lib', 'cli', 'main.js');
  const source = path.join(ROOT, 'lib', 'cli', 'main.ts');
  const fromSource = !fs.existsSync(compiled) || fs.statSync(source).mtimeMs > fs.statSync(compiled).mtimeMs;
  return { medianMs: round(median(samples), 1), samplesMs: samples.map((s) => round(s, 1)), exitCode, mode: fromSource ? 'ts-node from lib/*.ts (no fresh build)' : 'compiled lib/*.js' };
}

export function b4(config: BenchConfig): BenchDef {
  const dir = path.join(os.tmpdir(), 'keyless-bench-b4');
  const i = inputs(dir);
  const scenario = 'b4-check';
  const tf = (input: string) => ({ input, warmup: i.tfWarmup });
  const cfn = { input: i.cfnDir, warmup: i.cfnWarmup };
  const subprocess: { [k: string]: ReturnType<typeof subprocessWall> } = {};
  return {
    id: 'B4',
    title: `keyless check: Terraform JSON of ${TF_LARGE} resources and ${CFN_TEMPLATES} CloudFormation templates x ${CFN_RESOURCES} vs read + JSON.parse of the same bytes`,
    variants: [
      { key: 'A_tf10k', label: `keyless check (in-process main) on one ${TF_LARGE}-resource Terraform JSON file`, scenario, variant: 'check', params: tf(i.tf10k) },
      { key: 'B_tf10k', label: 'floor: readFileSync + JSON.parse of the same file', scenario, variant: 'floor', params: tf(i.tf10k) },
      { key: 'A_cfn', label: `keyless check (in-process main) on a directory of ${CFN_TEMPLATES} CloudFormation templates x ${CFN_RESOURCES} resources`, scenario, variant: 'check', params: cfn },
      { key: 'B_cfn', label: 'floor: readFileSync + JSON.parse of the same 20 files', scenario, variant: 'floor', params: cfn },
      { key: 'A_tf1k', label: `keyless check (in-process main) on a ${TF_SMALL}-resource Terraform JSON file (same mix)`, scenario, variant: 'check', params: tf(i.tf1k) },
    ],
    unavailable() {
      return fs.existsSync(path.join(ROOT, 'lib', 'cli', 'main.ts')) ? undefined : 'lib/cli/main.ts has not landed';
    },
    setup() {
      fs.rmSync(dir, { recursive: true, force: true });
      generate(i);
    },
    async afterMeasure(log) {
      for (const [key, target] of [['tf10k', i.tf10k], ['cfn', i.cfnDir], ['tf1k', i.tf1k]] as const) {
        subprocess[key] = subprocessWall(target, config.cliRuns);
        log(`  B4 subprocess bin/keyless check ${key}: median ${subprocess[key].medianMs.toFixed(0)} ms (${subprocess[key].mode})`);
      }
    },
    summarize(stats) {
      const t = (k: string) => timeOf(stats[k], config.timeMetric);
      const ratios = {
        terraform: ratio(t('A_tf10k'), t('B_tf10k')),
        cloudformation: ratio(t('A_cfn'), t('B_cfn')),
        scaling1kTo10k: ratio(t('A_tf10k'), t('A_tf1k')),
        terraformWall: ratio(stats.A_tf10k.medians.wallMs, stats.B_tf10k.medians.wallMs),
        cloudformationWall: ratio(stats.A_cfn.medians.wallMs, stats.B_cfn.medians.wallMs),
        terraformMemory: memoryRatio(stats.A_tf10k, stats.B_tf10k),
        cloudformationMemory: memoryRatio(stats.A_cfn, stats.B_cfn),
      };
      const worst = Math.max(ratios.terraform, ratios.cloudformation);
      const pass = worst <= B4_TARGETS.checkVsParseFloor && ratios.scaling1kTo10k <= B4_TARGETS.scaling1kTo10k;
      const m = config.timeMetric === 'cpu' ? 'main-thread CPU' : 'wall';
      const rows: Row[] = [
        { metric: `check vs parse, Terraform ${TF_LARGE} (${m})`, value: x(ratios.terraform), target: `<= ${B4_TARGETS.checkVsParseFloor}`, a: ms(t('A_tf10k')), b: ms(t('B_tf10k')), pass: ratios.terraform <= B4_TARGETS.checkVsParseFloor },
        { metric: `check vs parse, CFN ${CFN_TEMPLATES}x${CFN_RESOURCES} (${m})`, value: x(ratios.cloudformation), target: `<= ${B4_TARGETS.checkVsParseFloor}`, a: ms(t('A_cfn')), b: ms(t('B_cfn')), pass: ratios.cloudformation <= B4_TARGETS.checkVsParseFloor },
        { metric: `scaling ${TF_SMALL} -> ${TF_LARGE} resources (${m})`, value: x(ratios.scaling1kTo10k), target: `<= ${B4_TARGETS.scaling1kTo10k}`, a: ms(t('A_tf10k')), b: ms(t('A_tf1k')), pass: ratios.scaling1kTo10k <= B4_TARGETS.scaling1kTo10k },
      ];
      for (const [key, s] of Object.entries(subprocess)) {
        rows.push({ metric: `subprocess wall, bin/keyless check ${key}`, value: ms(s.medianMs), target: '-', a: '', b: '', pass: null });
      }
      return {
        rows,
        compared: labels(stats),
        target: { ...B4_TARGETS, timeMetric: config.timeMetric },
        ratio: worst,
        ratios,
        medians: {
          ...mediansByKey(stats),
          ...Object.fromEntries(Object.entries(subprocess).map(([k, s]) => [`subprocess_${k}`, { wallMs: s.medianMs }])),
        },
        checks: {
          ...factsByKey(stats),
          tf10kBytes: bytesOf(i.tf10k), tf1kBytes: bytesOf(i.tf1k), cfnBytes: bytesOf(i.cfnDir),
          ...Object.fromEntries(Object.entries(subprocess).map(([k, s]) => [`subprocess_${k}`, `${s.samplesMs.join(' / ')} ms, exit ${s.exitCode}, ${s.mode}`])),
        },
        pass,
        notes: ['ratio = the worse of the Terraform and CloudFormation check/parse ratios; subprocess figures include node start-up and are for reference.'],
      };
    },
  };
}
