/**
 * Route tests: every catalog rule reached through every way a credential can get into synthesized output.
 * Each test file builds ONE CDK app, ONE cdktf app and ONE HCL tree (in beforeAll) holding all its route cases,
 * each case under its own construct / stack / directory, and then asks who was flagged where.
 *
 * - CDK: the real plugin (`KeylessGuardrails`) on `app.synth()`; hits come from the inventory report it writes,
 *   so each hit has the construct path the user sees.
 * - cdktf: the real aspect (`KeylessTerraformGuardrails`) on every stack, run with `Testing.synth(stack, true)`;
 *   one stack per case so cross-resource logic (identities, policies) cannot leak between cases.
 * - HCL: the `keyless check` CLI (`main()`), `--format json`, over one directory per case.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { App as TfApp, TerraformStack, Testing } from 'cdktf';
import { CliIo, main } from '../../../lib/cli/main';
import { KeylessGuardrails, KeylessGuardrailsProps, KeylessTerraformGuardrails } from '../../../lib/guardrails';

export const NOW = '2026-03-01';
export const ACCOUNT = '111122223333';
export const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/etl-role`;
export const GITHUB = 'token.actions.githubusercontent.com';
export const GITHUB_PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}`;

/** One finding, wherever it came from. */
export interface Hit {
  readonly ruleId: string;
  readonly severity: string;
  readonly resource: string;
  readonly message: string;
  /** CDK / cdktf construct path (CDK: always; cdktf: for resources, not provider blocks). */
  readonly constructPath?: string;
  /** CDK: template file (relative to cdk.out); cdktf: the stack id; HCL: the case directory. */
  readonly where: string;
}

export interface RouteResult {
  readonly hits: Hit[];
  /** Why synthesis failed (CDK: the whole app; cdktf: per stack id; HCL: the CLI exit status). */
  readonly errors: { [where: string]: string };
  /** What the run says it could not check statically (the report's / the CLI summary's notes). */
  readonly notes?: readonly string[];
  /** CDK: the cloud assembly directory the app synthesized into (for `keyless check` over the same output). */
  readonly assembly?: string;
}

/** Hits of `ruleId` whose construct path is `prefix` or below it. */
export function at(result: RouteResult, ruleId: string, prefix: string): Hit[] {
  return result.hits.filter((h) => h.ruleId === ruleId && h.constructPath !== undefined
    && (h.constructPath === prefix || h.constructPath.startsWith(`${prefix}/`)));
}

/** Hits of any rule whose construct path is `prefix` or below it. */
export function anyAt(result: RouteResult, prefix: string): Hit[] {
  return result.hits.filter((h) => h.constructPath !== undefined && (h.constructPath === prefix || h.constructPath.startsWith(`${prefix}/`)));
}

/** Hits of `ruleId` in a cdktf stack / HCL directory. */
export function inCase(result: RouteResult, ruleId: string, where: string): Hit[] {
  return result.hits.filter((h) => h.ruleId === ruleId && h.where === where);
}

/** Hits of any rule in a cdktf stack / HCL directory. */
export function anyInCase(result: RouteResult, where: string): Hit[] {
  return result.hits.filter((h) => h.where === where);
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Builds a CDK app (the built-in CloudFormation validation is off: it costs seconds and is not under test). */
export function cdkRoutes(build: (app: App) => void, props: KeylessGuardrailsProps = {}): RouteResult {
  const app = new App({ outdir: tmp('keyless-routes-cdk-'), builtinCloudFormationValidation: false });
  const plugin = KeylessGuardrails.enable(app, { now: NOW, ...props });
  build(app);
  const errors: { [where: string]: string } = {};
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (e) {
    errors.app = (e as Error).message;
  } finally {
    spy.mockRestore();
  }
  if (plugin.reportFile === undefined) throw new Error(`the plugin did not run: ${errors.app}`);
  const report = JSON.parse(fs.readFileSync(plugin.reportFile, 'utf8'));
  return {
    errors,
    notes: report.notes,
    assembly: app.outdir,
    hits: report.findings.map((f: any) => ({
      ruleId: f.ruleId, severity: f.severity, resource: f.resource, message: f.message, constructPath: f.constructPath, where: f.file,
    })),
  };
}

/** A stack in a nested Stage: `<id>Stage/S`. */
export function stageStack(app: App, id: string): Stack {
  return new Stack(new Stage(app, `${id}Stage`), 'S');
}

/** Builds a cdktf app; every stack is checked on its own. */
export function cdktfRoutes(build: (app: TfApp) => void, props: KeylessGuardrailsProps = {}): RouteResult {
  const app = Testing.app();
  build(app);
  const guardrails = new KeylessTerraformGuardrails({ now: NOW, ...props });
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  stacks.forEach((s) => guardrails.visit(s));
  const errors: { [where: string]: string } = {};
  for (const stack of stacks) {
    try {
      Testing.synth(stack, true);
    } catch (e) {
      errors[stack.node.id] = (e as Error).message;
    }
  }
  if (guardrails.reportFile === undefined) throw new Error(`the guardrails did not run: ${JSON.stringify(errors)}`);
  const report = JSON.parse(fs.readFileSync(guardrails.reportFile, 'utf8'));
  return {
    errors,
    notes: report.notes,
    hits: report.findings.map((f: any) => ({
      ruleId: f.ruleId, severity: f.severity, resource: f.resource, message: f.message, constructPath: f.constructPath,
      where: /stacks\/([^/]+)\//.exec(f.file)?.[1] ?? f.file,
    })),
  };
}

/** Writes `{ 'case/main.tf': text }` and runs `keyless check . --format json`; `where` is the case directory. */
export async function hclRoutes(files: { [file: string]: string }): Promise<RouteResult & { code: number; stderr: string }> {
  const cwd = tmp('keyless-routes-hcl-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    fs.writeFileSync(path.join(cwd, name), text);
  }
  return checkRoutes(cwd, ['.']);
}

/**
 * Runs `keyless check ARGS --format json` in `cwd` (a usage error or unusable input fails the test); `where` is the
 * directory of each finding's file.
 */
export async function checkRoutes(cwd: string, args: readonly string[]): Promise<RouteResult & { code: number; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
  const code = await main(['check', ...args, '--format', 'json'], io);
  if (code === 2) throw new Error(`keyless check refused ${args.join(' ')}: ${stderr}`);
  const out = JSON.parse(stdout);
  return {
    code,
    stderr,
    errors: {},
    notes: out.summary.notes,
    hits: out.findings.map((f: any) => ({ ruleId: f.ruleId, severity: f.severity, resource: f.resource, message: f.message, where: path.dirname(f.file) })),
  };
}
