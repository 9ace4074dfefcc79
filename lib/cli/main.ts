/**
 * `keyless` — the guardrails over synthesized artifacts (DESIGN §4). Engine-neutral; internal module.
 *
 * Every failure is caught here: unusable input prints ONE line on stderr (`keyless: FILE: reason`) and exits 2;
 * never a stack trace (set KEYLESS_DEBUG=1 to see one for an internal error).
 */
import * as fs from 'fs';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import type { CheckFormat } from '../guardrails/format';
import type { FederationGraph } from '../guardrails/federation/model';
import type { Evaluation, Exemption } from '../guardrails/model';
import { InputError } from '../guardrails/normalize/input-error';
import type { NormalizedSet } from '../guardrails/normalize/set';
import type { Codeowners, OwnerAttribution } from '../guardrails/owners';
import type { InventoryReport, ReportDiff } from '../guardrails/report';
import { parseClock } from '../guardrails/clock';
import { fitMarkdown } from '../guardrails/display';
import { toolVersion } from '../guardrails/version';
import { ParsedArgs, parseArgs, UsageError, USAGE } from './args';

/** Where the CLI writes and what it knows about its environment (injectable for tests). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: { readonly [name: string]: string | undefined };
  /** Whether stderr is a terminal (progress line). */
  readonly stderrIsTty: boolean;
}

/** Exit statuses (DESIGN §4). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

/** Number of files from which a progress line is shown (on a terminal). */
export const PROGRESS_THRESHOLD = 10;

const NO_TEMPLATES = 'no templates found (expected a cdk.out or cdktf.out directory, CloudFormation templates '
  + '(.json, .yaml, .yml), Terraform files (.tf, .tf.json), or a directory of them)';

// The engine is loaded on first use so that --help, --version and usage errors answer at once.
const engine = {
  evaluate: () => import('../guardrails/evaluate'),
  exemptions: () => import('../guardrails/exemptions'),
  format: () => import('../guardrails/format'),
  federation: () => import('../guardrails/federation/cli'),
  load: () => import('../guardrails/normalize/load'),
  owners: () => import('../guardrails/owners'),
  provenance: () => import('../guardrails/provenance'),
  report: () => import('../guardrails/report'),
  history: () => import('./history'),
};

/** A one-line progress indicator on a terminal's stderr; silent otherwise. */
class Progress {
  private shown = false;
  constructor(private readonly io: CliIo) {}

  update(text: string): void {
    if (!this.io.stderrIsTty) return;
    this.io.stderr(`\r\x1b[K${text}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }
}

/** Runs the CLI; resolves to the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const progress = new Progress(io);
  try {
    const args = parseArgs(argv);
    if (args.version) {
      io.stdout(`${toolVersion()}\n`);
      return EXIT_OK;
    }
    if (args.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (args.command === undefined) throw new UsageError('keyless: no command given; expected "check", "report" or "history" (see keyless --help)');
    if (args.command === 'history') return await (await engine.history()).history(args, io, clock(io));
    if (args.paths.length === 0) throw new UsageError(`keyless ${args.command}: no PATH given (see keyless --help)`);
    const now = clock(io);
    const exemptions = args.exemptions !== undefined ? await readExemptions(resolve(io, args.exemptions), args.exemptions) : [];
    const baseline = args.baseline !== undefined ? await readBaseline(resolve(io, args.baseline), args.baseline) : undefined;
    const codeowners = args.codeowners !== undefined ? await readCodeownersFile(resolve(io, args.codeowners), args.codeowners) : undefined;
    const manifests = (await engine.federation()).trustManifestsOf(args.paths.map((p) => resolve(io, p)));
    const sets = await loadAll(args, io, progress, new Set(manifests.files));
    if (sets.length >= PROGRESS_THRESHOLD) {
      progress.update(`keyless: checking ${sets.length} files (${sets.reduce((n, s) => n + s.resources.length, 0)} resources)`);
    }
    if (args.exemptions !== undefined) {
      const [ambiguous] = (await engine.exemptions()).ambiguousExemptions(exemptions, sets);
      if (ambiguous) {
        throw new InputError(args.exemptions, `exemptions[${ambiguous.index}].resource ${JSON.stringify(ambiguous.exemption.resource)}: ${ambiguous.reason} [rule exemption.ambiguous]`);
      }
    }
    const federation = await (await engine.federation()).federationOptions(args, manifests, (file) => resolve(io, file));
    let graph: FederationGraph | undefined;
    const evaluated = (await engine.evaluate()).evaluate(sets, { exemptions, now, federation, onFederationGraph: (g) => { graph = g; } });
    // the token simulation is asynchronous (jose), so it runs here rather than inside the evaluator
    const evaluation: Evaluation = graph ? { ...evaluated, federation: await (await engine.federation()).verifyPairs(graph, now.getTime()) } : evaluated;
    progress.done();
    const files = sets.map((s) => s.file);
    if (args.command === 'check') return await check(args, evaluation, files, io);
    const owners = (await engine.owners()).OwnerAttribution.fromSets(sets, {
      ...(args.ownerTags.length > 0 ? { tagKeys: args.ownerTags } : {}),
      ...(codeowners !== undefined ? { codeowners } : {}),
      ...(args.defaultOwner !== undefined ? { defaultOwner: args.defaultOwner } : {}),
    });
    return await report(args, evaluation, files, now, baseline, owners, io);
  } catch (e) {
    progress.done();
    return fail(e, io);
  }
}

async function check(args: ParsedArgs, evaluation: Evaluation, files: string[], io: CliIo): Promise<number> {
  const format = (args.format ?? 'text') as CheckFormat;
  io.stdout((await engine.format()).formatEvaluation(format, evaluation, { cwd: io.cwd, files }));
  return evaluation.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

async function report(
  args: ParsedArgs, evaluation: Evaluation, files: string[], now: Date, baseline: InventoryReport | undefined, owners: OwnerAttribution, io: CliIo,
): Promise<number> {
  const { buildReport, diffReports, renderDiffMarkdown, renderDiffText, renderReportMarkdown, renderReportText, REPORT_MARKDOWN, writeReport } = await engine.report();
  const { reportOptionsFor } = await engine.provenance();
  const current = buildReport(evaluation, {
    ...reportOptionsFor({ producer: 'cli', now, root: io.cwd, sources: files, inputs: args.paths, env: io.env }),
    owners,
  });
  const diff: ReportDiff | undefined = baseline ? diffReports(baseline, current, now) : undefined;
  const format = args.format ?? 'text';
  // rendered once: keyless-report.md and --format markdown print the same report
  const markdown = args.outputDir !== undefined || format === 'markdown' ? renderReportMarkdown(current) : undefined;
  if (args.outputDir !== undefined) {
    try {
      writeReport(current, resolve(io, args.outputDir), markdown);
    } catch (e) {
      throw new InputError(args.outputDir, `cannot write the report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  switch (format) {
    case 'json':
      io.stdout(`${JSON.stringify(diff ? { ...current, diff } : current, undefined, 2)}\n`);
      break;
    case 'markdown':
      // the report's header says when the current report was generated: the scoreboard above it does not repeat it
      // for a job summary (GitHub keeps at most 1 MiB of one): the whole report is keyless-report.md / --format json
      io.stdout(fitMarkdown(
        diff ? `${renderDiffMarkdown(diff, { currentTimeShownBelow: true })}\n${markdown!}` : markdown!,
        args.outputDir !== undefined ? `the whole report is ${path.join(args.outputDir, REPORT_MARKDOWN)}` : 'keyless report --output-dir DIR writes the whole report, and --format json prints it',
      ));
      break;
    default:
      io.stdout(diff ? `${renderDiffText(diff)}${renderReportText(current)}` : renderReportText(current));
  }
  return diff && diff.added.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

/** Loads every PATH; a trust manifest given as a PATH is read by the federation graph instead, and a directory of manifests only is no empty input. */
async function loadAll(args: ParsedArgs, io: CliIo, progress: Progress, manifests: ReadonlySet<string>): Promise<NormalizedSet[]> {
  const sets: NormalizedSet[] = [];
  for (const [i, given] of args.paths.entries()) {
    if (args.paths.length > 1) progress.update(`keyless: reading ${given} (${i + 1}/${args.paths.length}), ${sets.length} files so far`);
    const at = resolve(io, given);
    if (manifests.has(at)) continue;
    const loaded = await (await engine.load()).loadPath(at, { followDownloadedModules: args.followDownloadedModules });
    if (loaded.length === 0 && ![...manifests].some((m) => m.startsWith(`${at}${path.sep}`))) throw new InputError(given, NO_TEMPLATES);
    sets.push(...loaded);
  }
  return sets;
}

function resolve(io: CliIo, given: string): string {
  return path.resolve(io.cwd, given);
}

function readText(file: string, shown: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory, expected a file' : `cannot read file: ${code ?? (e as Error).message}`);
  }
}

async function readExemptions(file: string, shown: string): Promise<Exemption[]> {
  const text = readText(file, shown);
  try {
    const { parseExemptionsFile } = await engine.exemptions();
    return parseExemptionsFile(text, shown);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(shown, (e as Error).message);
  }
}

/** `--codeowners FILE`, read and parsed; unreadable: exit 2 naming the file as given. */
async function readCodeownersFile(file: string, shown: string): Promise<Codeowners> {
  try {
    return (await engine.owners()).readCodeowners(file);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(shown, e.reason);
    throw e;
  }
}

async function readBaseline(file: string, shown: string): Promise<InventoryReport> {
  const text = readText(file, shown);
  try {
    const { parseReport } = await engine.report();
    return parseReport(text);
  } catch (e) {
    throw new InputError(shown, (e as Error).message);
  }
}

function clock(io: CliIo): Date {
  const value = io.env.KEYLESS_NOW;
  if (value === undefined || value === '') return new Date();
  const date = parseClock(value);
  if (date === undefined) {
    throw new UsageError(`keyless: KEYLESS_NOW ${JSON.stringify(value)} is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`);
  }
  return date;
}

/** One line on stderr, the exit status for it. */
function fail(e: unknown, io: CliIo): number {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (e instanceof UsageError) {
    io.stderr(`${oneLine(e.message)}\n`);
    return EXIT_INPUT;
  }
  if (e instanceof InputError) {
    io.stderr(`keyless: ${oneLine(e.message)}\n`);
    return EXIT_INPUT;
  }
  const error = e as { message?: unknown; name?: unknown; file?: unknown; reason?: unknown };
  // an InputError from another copy of the module (e.g. compiled and source side by side)
  if (error && error.name === 'InputError' && typeof error.message === 'string') {
    io.stderr(`keyless: ${oneLine(error.message)}\n`);
    return EXIT_INPUT;
  }
  const message = error && typeof error.message === 'string' ? error.message : String(e);
  io.stderr(`keyless: internal error: ${oneLine(message)} (please report this; set KEYLESS_DEBUG=1 for details)\n`);
  if (io.env.KEYLESS_DEBUG === '1' && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return EXIT_INPUT;
}

/**
 * How many bytes of a WebAssembly function V8 runs before compiling it again with its optimizing compiler (V8's
 * default: 1,800,000). hcl2json parses HCL in a Go WebAssembly module; on the few hundred kilobytes of HCL of a usual
 * configuration, optimizing its hot functions costs more than it saves (`keyless check` over terraform-aws-eks:
 * 3.4 s -> 2.7 s wall, 4.9 s -> 3.9 s CPU with this budget; over terraform-aws-iam's examples 2.1 s -> 1.9 s). Large
 * inputs still reach it and are optimized (6 MB of HCL parsed as fast as with the default). The CLI owns its process and sets it; the library never
 * changes V8 flags.
 */
const WASM_TIERING_BUDGET = 50_000_000;

/** Entry point of `bin/keyless`: runs with the real process, flushes, exits. */
export function run(argv: readonly string[] = process.argv.slice(2)): void {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  const io: CliIo = {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    cwd: process.cwd(),
    env: process.env,
    stderrIsTty: Boolean(process.stderr.isTTY),
  };
  // a closed pipe (`keyless check ... | head`) is not an error of ours
  let broken = false;
  process.stdout.on('error', () => { broken = true; });
  main(argv, io).then((code) => {
    // exit explicitly: the HCL parser's WebAssembly runtime would otherwise keep the process alive
    if (broken) process.exit(code);
    process.stdout.write('', () => process.exit(code));
  }, () => process.exit(EXIT_INPUT));
}
