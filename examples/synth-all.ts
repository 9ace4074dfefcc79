/**
 * `npm run synth`: synthesizes every example (CDK and CDKTF, programmatically, no CLI and no network), with the
 * guardrails on, and writes everything under one folder:
 *
 *   out/<example>/cdk.out               CloudFormation (+ the CDK plugin's keyless-report.json/.md)
 *   out/<example>/cdktf.out             Terraform JSON (+ the cdktf aspect's keyless-report.json/.md)
 *   out/<example>/keyless-report.json   one inventory over both apps (and .md)
 *   out/ecs-openai-anthropic/trust-manifests/<workload>-<target>.json/.md
 *   out/gcp-kubernetes-workload/kubernetes/{authentication-config.yaml,rbac.yaml,kubernetes-trust.md} (the first joins the graph)
 *   out/migration/{legacy,bridged,federated}/...  out/migration/scoreboard.md (legacy -> federated) and
 *   out/migration/keyless-trend.md/.json (legacy -> bridged -> federated, as `keyless history` writes it)
 *
 * Prints one line per example and a summary; exits 1 if any error finding (or a failed synth) remains.
 * KEYLESS_NOW=YYYY-MM-DD judges exemption expiry at that date instead of today.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App as CdkApp } from 'aws-cdk-lib';
import { App as TerraformApp } from 'cdktf';
import { KeylessGuardrailsProps } from '../lib';
import { evaluate } from '../lib/guardrails/evaluate';
import { looksLikeKubernetesAuthentication, readKubernetesAuthentication } from '../lib/guardrails/federation/kubernetes';
import { looksLikeTrustManifest, readTrustManifest } from '../lib/guardrails/federation/manifest';
import type { FederationPair } from '../lib/guardrails/federation/model';
import { parseExemptionsFile } from '../lib/guardrails/exemptions';
import { loadPath } from '../lib/guardrails/normalize/load';
import { buildTrend, Trend, writeTrend } from '../lib/guardrails/history';
import { OwnerAttribution } from '../lib/guardrails/owners';
import { reportOptionsFor } from '../lib/guardrails/provenance';
import { buildReport, diffReports, InventoryReport, renderDiffMarkdown, writeReport } from '../lib/guardrails/report';
import * as bridgedCdk from './migration/bridged/cdk-app';
import * as bridgedTerraform from './migration/bridged/terraform-app';
import * as ecsOpenAiAnthropic from './ecs-openai-anthropic/cdk-app';
import * as gcpKubernetesCdk from './gcp-kubernetes-workload/cdk-app';
import * as gcpKubernetesTerraform from './gcp-kubernetes-workload/terraform-app';
import * as githubActionsDeploy from './github-actions-deploy/cdk-app';
import * as lambdaCdk from './lambda-snowflake-entra/cdk-app';
import * as lambdaTerraform from './lambda-snowflake-entra/terraform-app';
import * as federatedCdk from './migration/federated/cdk-app';
import * as federatedTerraform from './migration/federated/terraform-app';
import * as legacyCdk from './migration/legacy/cdk-app';
import * as legacyTerraform from './migration/legacy/terraform-app';
import * as organizationGuardrails from './organization-guardrails/cdk-app';
import * as terraformOnly from './terraform-only/terraform-app';
import { BRIDGED_EXEMPTIONS, EXEMPTIONS } from './migration/plan';

/** One synthesized state of an example: a CDK app, a CDKTF app, or both, checked together. */
export interface ExampleStage {
  /** Sub-folder under `out/<example>/`; empty for single-stage examples. */
  readonly dir: string;
  readonly cdk?: (outdir: string, guardrails: KeylessGuardrailsProps) => CdkApp;
  readonly terraform?: (outdir: string, guardrails: KeylessGuardrailsProps) => TerraformApp;
  /** Exemptions file the stage's apps and its inventory use. */
  readonly exemptionsFile?: string;
  /** Extra files written after synth (e.g. trust manifests); returns their paths. */
  readonly artifacts?: (dir: string) => string[];
  /** A stage whose state this one replaces: the report is compared with it (the migration scoreboard). */
  readonly baseline?: string;
}

/** An example as `npm run synth` knows it. */
export interface Example {
  readonly name: string;
  readonly stages: readonly ExampleStage[];
  /**
   * Stage dirs, oldest first, whose reports form a trend written as `<example>/keyless-trend.md` and `.json`
   * (what `keyless history` writes over those snapshots). Every stage but the last is a past state, not a current one.
   */
  readonly trend?: readonly string[];
}

export const EXAMPLES: readonly Example[] = [
  {
    name: 'lambda-snowflake-entra',
    stages: [{ dir: '', cdk: lambdaCdk.buildCdkApp, terraform: lambdaTerraform.buildTerraformApp }],
  },
  {
    name: 'ecs-openai-anthropic',
    stages: [{
      dir: '',
      cdk: ecsOpenAiAnthropic.buildCdkApp,
      artifacts: (dir) => ecsOpenAiAnthropic.writeTrustManifests(path.join(dir, 'trust-manifests')),
    }],
  },
  {
    name: 'gcp-kubernetes-workload',
    stages: [{
      dir: '',
      cdk: gcpKubernetesCdk.buildCdkApp,
      terraform: gcpKubernetesTerraform.buildTerraformApp,
      artifacts: (dir) => gcpKubernetesCdk.writeKubernetesTrust(path.join(dir, 'kubernetes')),
    }],
  },
  {
    name: 'github-actions-deploy',
    stages: [{ dir: '', cdk: githubActionsDeploy.buildCdkApp }],
  },
  {
    name: 'organization-guardrails',
    stages: [{ dir: '', cdk: organizationGuardrails.buildCdkApp }],
  },
  {
    name: 'terraform-only',
    stages: [{ dir: '', terraform: terraformOnly.buildTerraformApp }],
  },
  {
    name: 'migration',
    stages: [
      { dir: 'legacy', cdk: legacyCdk.buildCdkApp, terraform: legacyTerraform.buildTerraformApp, exemptionsFile: EXEMPTIONS },
      { dir: 'bridged', cdk: bridgedCdk.buildCdkApp, terraform: bridgedTerraform.buildTerraformApp, exemptionsFile: BRIDGED_EXEMPTIONS },
      { dir: 'federated', cdk: federatedCdk.buildCdkApp, terraform: federatedTerraform.buildTerraformApp, baseline: 'legacy' },
    ],
    trend: ['legacy', 'bridged', 'federated'],
  },
];

/** What one stage produced. */
export interface StageResult {
  readonly example: string;
  readonly stage: string;
  readonly dir: string;
  readonly report: InventoryReport;
  /** Workload -> service trusts; the report already counts a trust seen from both sides (IAM grant, relying party) once. */
  readonly trusts: number;
  readonly artifacts: string[];
  /** The federation graph's workload -> trust pairs over the stage's outputs (and its trust manifests). */
  readonly federation: FederationPair[];
  readonly scoreboard?: { readonly from: number; readonly to: number; readonly file: string };
}

/** A synth that failed, with what the engine printed while it ran. */
class SynthFailure extends Error {
  constructor(readonly cause: unknown, readonly output: string) {
    super(String((cause as Error)?.message ?? cause));
  }
}

/**
 * Runs `fn` with console output captured, so a clean run prints one line per example. When `fn` throws, the output
 * is replayed (the CDK prints its validation report there) and travels with the error for the summary line.
 */
function quietly<T>(fn: () => T): T {
  const captured: [(...args: unknown[]) => void, unknown[]][] = [];
  const originals = { log: console.log, error: console.error, warn: console.warn };
  for (const key of Object.keys(originals) as (keyof typeof originals)[]) {
    console[key] = (...args: unknown[]) => captured.push([originals[key], args]);
  }
  try {
    return fn();
  } catch (e) {
    Object.assign(console, originals);
    for (const [write, args] of captured) write(...args);
    throw new SynthFailure(e, captured.map(([, args]) => args.map(String).join(' ')).join('\n'));
  } finally {
    Object.assign(console, originals);
  }
}

/** One line for a stage that did not synthesize: the rule ids the guardrails failed it on, or the error. */
export function failureSummary(e: unknown): string {
  const message = String((e as Error)?.message ?? e);
  const text = `${message}\n${e instanceof SynthFailure ? e.output : ''}`;
  const rules = [...new Set([...text.matchAll(/(?:cdk-keyless::|\[)(KL-[A-Z]+-\d+)/g)].map((m) => m[1]))].sort();
  if (rules.length > 0) return `guardrails failed the synth: ${rules.join(', ')}`;
  return message.split('\n').find((l) => l.trim() !== '') ?? message;
}

/** Synthesizes one stage into `dir` and builds its inventory over both apps' output. */
export async function runStage(example: Example, stage: ExampleStage, root: string, now: Date, baselines: Map<string, InventoryReport>): Promise<StageResult> {
  const dir = path.join(root, example.name, stage.dir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const guardrails: KeylessGuardrailsProps = { now: now.toISOString() };
  const outputs: string[] = [];
  if (stage.cdk) {
    const outdir = path.join(dir, 'cdk.out');
    quietly(() => stage.cdk!(outdir, guardrails).synth());
    outputs.push(outdir);
  }
  if (stage.terraform) {
    const outdir = path.join(dir, 'cdktf.out');
    quietly(() => stage.terraform!(outdir, guardrails).synth());
    outputs.push(outdir);
  }
  const artifacts = stage.artifacts ? stage.artifacts(dir) : [];

  const sets = (await Promise.all(outputs.map((o) => loadPath(o)))).flat();
  const exemptions = stage.exemptionsFile ? parseExemptionsFile(fs.readFileSync(stage.exemptionsFile, 'utf8'), stage.exemptionsFile) : [];
  // One federation graph over both apps' outputs and the trust files written beside them (trust manifests, Kubernetes
  // authentication configurations): a KL-FED error (a trust the other app's role cannot use) fails the stage like any
  // other error.
  const kubernetes = artifacts.filter(looksLikeKubernetesAuthentication).map(readKubernetesAuthentication);
  const manifestTrusts = [...artifacts.filter(looksLikeTrustManifest).map(readTrustManifest), ...kubernetes.flatMap((k) => k.trusts)];
  const evaluation = evaluate(sets, { exemptions, now, federation: { manifestTrusts, manifestNotes: kubernetes.flatMap((k) => k.notes) } });
  // owners as `keyless report` attributes them: tags, the exemption's owner, CODEOWNERS, no default
  const report = buildReport(evaluation, {
    ...reportOptionsFor({ producer: 'library', now, root: dir, sources: sets.map((s) => s.file), inputs: outputs }),
    owners: OwnerAttribution.fromSets(sets),
  });
  writeReport(report, dir);
  baselines.set(`${example.name}/${stage.dir}`, report);

  let scoreboard: StageResult['scoreboard'];
  if (stage.baseline !== undefined) {
    const before = baselines.get(`${example.name}/${stage.baseline}`);
    if (before === undefined) throw new Error(`${example.name}/${stage.dir}: baseline stage "${stage.baseline}" did not synthesize, so there is no scoreboard`);
    const diff = diffReports(before, report, now);
    const file = path.join(root, example.name, 'scoreboard.md');
    fs.writeFileSync(file, renderDiffMarkdown(diff));
    scoreboard = { from: diff.counts.baselineCredentials, to: diff.counts.currentCredentials, file };
  }
  return {
    example: example.name,
    stage: stage.dir,
    dir,
    report,
    federation: evaluation.federation ?? [],
    trusts: report.identities.length,
    artifacts,
    ...(scoreboard ? { scoreboard } : {}),
  };
}

function clock(): Date {
  const value = process.env.KEYLESS_NOW;
  if (value === undefined || value === '') return new Date();
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new Error(`KEYLESS_NOW ${JSON.stringify(value)} is not an ISO date`);
  return date;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Options of {@link synthAll}. */
export interface SynthAllOptions {
  /** Output folder; each example goes to `<root>/<example>`. */
  readonly root: string;
  /** The clock exemptions are judged by. */
  readonly now: Date;
  /** Examples to build. Default: all of {@link EXAMPLES}. */
  readonly examples?: readonly Example[];
  /** Where progress lines go. Default: console.log. */
  readonly log?: (line: string) => void;
}

/** What {@link synthAll} did. */
export interface SynthAllResult {
  /** Every stage that synthesized, in order (baseline stages included). */
  readonly stages: StageResult[];
  /** Stages that failed to synthesize or have error findings. */
  readonly failed: number;
  /** Distinct workload -> service trusts in the current (non-baseline) stages. */
  readonly trusts: number;
  /** Long-lived credentials left in the current (non-baseline) stages. */
  readonly credentials: number;
  /** The trends written (examples with a `trend`), with the Markdown file's path. */
  readonly trends: { readonly example: string; readonly file: string; readonly trend: Trend }[];
}

/**
 * The trend over an example's stages, as `keyless history` builds it over their keyless-report.json files, labelled
 * by stage; written as `<example>/keyless-trend.md` and `.json`. Undefined when a stage of it did not synthesize.
 */
export function writeStageTrend(example: Example, results: readonly StageResult[], root: string, now: Date): { file: string; trend: Trend } | undefined {
  const stages = (example.trend ?? []).map((dir) => results.find((r) => r.example === example.name && r.stage === dir));
  if (stages.length === 0 || stages.some((r) => r === undefined)) return undefined;
  const trend = buildTrend(stages.map((r) => ({
    report: r!.report,
    origin: { label: r!.stage, source: path.join(example.name, r!.stage, 'keyless-report.json'), date: r!.report.generatedAt },
  })), now);
  return { file: writeTrend(trend, path.join(root, example.name)).markdown, trend };
}

/** Builds every example and prints one line per stage and a summary. */
export async function synthAll(options: SynthAllOptions): Promise<SynthAllResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const examples = options.examples ?? EXAMPLES;
  const baselines = new Map<string, InventoryReport>();
  const stages: StageResult[] = [];
  const current: StageResult[] = [];
  const trends: SynthAllResult['trends'] = [];
  let failed = 0;
  log(`Synthesizing ${plural(examples.length, 'example')} into ${path.relative(process.cwd(), options.root) || '.'}/`);
  for (const example of examples) {
    for (const stage of example.stages) {
      const label = stage.dir ? `${example.name}/${stage.dir}` : example.name;
      const started = Date.now();
      try {
        const result = await runStage(example, stage, options.root, options.now, baselines);
        const s = result.report.summary;
        const parts = [
          [stage.cdk ? 'cdk.out' : '', stage.terraform ? 'cdktf.out' : ''].filter(Boolean).join(' + '),
          plural(result.trusts, 'federated trust'),
          `${plural(s.credentials, 'long-lived credential')}${s.exempted > 0 ? ` (${s.exempted} exempted)` : ''}`,
          plural(s.errors, 'error'),
          ...(result.federation.length > 0
            ? [`${result.federation.filter((p) => p.reachable).length}/${plural(result.federation.length, 'pair')} reachable`] : []),
          ...(result.artifacts.length > 0 ? [`${result.artifacts.length} trust manifest files`] : []),
          ...(result.scoreboard ? [`scoreboard ${result.scoreboard.from} -> ${result.scoreboard.to}`] : []),
        ];
        log(`${s.errors > 0 ? 'FAIL' : 'ok  '} ${label.padEnd(32)} ${parts.join(' · ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        if (s.errors > 0) failed++;
        stages.push(result);
        const past = example.stages.some((other) => other.baseline === stage.dir)
          || (example.trend ?? []).slice(0, -1).includes(stage.dir);
        if (!past) current.push(result);
      } catch (e) {
        failed++;
        log(`FAIL ${label.padEnd(32)} ${failureSummary(e)}`);
      }
    }
    const written = writeStageTrend(example, stages, options.root, options.now);
    if (written) trends.push({ example: example.name, ...written });
  }
  const trusts = current.reduce((n, r) => n + r.trusts, 0);
  const credentials = current.reduce((n, r) => n + r.report.summary.credentials, 0);
  const scoreboards = current.filter((r) => r.scoreboard)
    .map((r) => `${r.example} went from ${r.scoreboard!.from} to ${r.scoreboard!.to} (${path.relative(process.cwd(), r.scoreboard!.file)})`);
  const trendFiles = trends.map((t) => path.relative(process.cwd(), t.file));
  log(`\nIdentities federated: ${trusts} workload -> service trusts. Long-lived credentials left: ${credentials}.`
    + `${scoreboards.length > 0 ? ` Scoreboard: ${scoreboards.join(', ')}.` : ''}`
    + `${trendFiles.length > 0 ? ` Trend: ${trendFiles.join(', ')}.` : ''}`);
  if (failed > 0) log(`${plural(failed, 'example stage')} failed.`);
  return { stages, failed, trusts, credentials, trends };
}

if (require.main === module) {
  synthAll({ root: path.resolve(__dirname, '..', 'out'), now: clock() }).then((r) => process.exit(r.failed > 0 ? 1 : 0), (e) => {
    console.error(e);
    process.exit(1);
  });
}
