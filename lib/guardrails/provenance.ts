/**
 * Where a report comes from (its `run`): the commit and branch its inputs were built from, the CI system, which
 * producer built it and the inputs it checked. Read from the CI system's environment variables first, else from git in
 * the input's directory; what neither says is absent, never guessed.
 *
 * The environment and the git runner are parameters (tests pass their own); nothing is kept between calls.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { displayPath } from './display';
import { readGitHead } from './git-head';
import type { BuildReportOptions } from './report/build';
import type { ReportRun } from './report/model';

/** The environment provenance is read from. */
export type ProvenanceEnv = { readonly [name: string]: string | undefined };

/** Runs `git ARGS` in `cwd`; returns its trimmed stdout, or undefined when git is missing, fails or is not in a repository. */
export type GitRunner = (args: readonly string[], cwd: string) => string | undefined;

/** How long git may take before it counts as absent. */
export const GIT_TIMEOUT_MS = 3000;

/** The git on PATH, with a short timeout; silent (undefined) when it is missing or the directory is not a repository. */
export const runGit: GitRunner = (args, cwd) => {
  try {
    const out = execFileSync('git', [...args], { cwd, timeout: GIT_TIMEOUT_MS, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    const text = out.trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
};

/** A CI system: its name in the report and the variables holding the commit and branch, in the order tried. */
interface CiSystem {
  readonly name: string;
  readonly commit: string;
  readonly branches: readonly string[];
}

/**
 * CI systems by their commit variable. GitHub Actions: the pull request's source branch (`GITHUB_HEAD_REF`) before the
 * ref name, which for a pull request is `<number>/merge`.
 */
export const CI_SYSTEMS: readonly CiSystem[] = [
  { name: 'github-actions', commit: 'GITHUB_SHA', branches: ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME'] },
  { name: 'gitlab-ci', commit: 'CI_COMMIT_SHA', branches: ['CI_COMMIT_REF_NAME'] },
  { name: 'circleci', commit: 'CIRCLE_SHA1', branches: ['CIRCLE_BRANCH'] },
  { name: 'buildkite', commit: 'BUILDKITE_COMMIT', branches: ['BUILDKITE_BRANCH'] },
  { name: 'bitbucket-pipelines', commit: 'BITBUCKET_COMMIT', branches: ['BITBUCKET_BRANCH'] },
];

/** A commit id: 7 to 64 hex digits (SHA-1 or SHA-256, possibly abbreviated); anything else is not taken. */
function commitId(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v !== undefined && /^[0-9a-f]{7,64}$/i.test(v) ? v.toLowerCase() : undefined;
}

/**
 * A branch or tag name as git allows it (no control characters, spaces, `~^:?*[\`), at most 255 characters; `HEAD`
 * (a detached checkout) is no branch.
 */
function branchName(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (v === undefined || v === '' || v === 'HEAD' || v.length > 255) return undefined;
  return /^[^\x00-\x20\x7f~^:?*[\\]+$/.test(v) ? v : undefined;
}

/** Options of {@link readProvenance}. */
export interface ProvenanceOptions {
  /** Default: `process.env`. */
  readonly env?: ProvenanceEnv;
  /**
   * Asked for the commit and branch. Default: the repository's files are read (see `git-head.ts`), and {@link runGit}
   * is asked only when they are in a layout that reader does not know.
   */
  readonly git?: GitRunner;
  /** The directory git is asked in (the input's). Without it, git is not asked. */
  readonly dir?: string;
}

/** Commit, branch and CI system, as far as the CI environment and git say. */
export function readProvenance(options: ProvenanceOptions = {}): Pick<ReportRun, 'commit' | 'branch' | 'ci'> {
  const env = options.env ?? process.env;
  const ci = CI_SYSTEMS.find((c) => commitId(env[c.commit]) !== undefined);
  let commit = ci ? commitId(env[ci.commit]) : undefined;
  let branch = ci ? ci.branches.map((name) => branchName(env[name])).find((b) => b !== undefined) : undefined;
  if ((commit === undefined || branch === undefined) && options.dir !== undefined) {
    const dir = options.dir;
    // the repository's files first (no process started); git itself when a runner is given or the files are unsure
    const read = options.git === undefined ? readGitHead(dir) : { kind: 'unknown' as const };
    const git = options.git ?? runGit;
    const head = read.kind === 'head' ? commitId(read.commit) : read.kind === 'none' ? undefined : commitId(git(['rev-parse', 'HEAD'], dir));
    commit ??= head;
    // the branch git names belongs to git's commit: it is not put next to another commit a CI variable named
    if (branch === undefined && head !== undefined && head === commit) {
      branch = branchName(read.kind === 'head' ? read.branch : git(['rev-parse', '--abbrev-ref', 'HEAD'], dir));
    }
  }
  return {
    ...(commit !== undefined ? { commit } : {}),
    ...(branch !== undefined ? { branch } : {}),
    ...(ci !== undefined ? { ci: ci.name } : {}),
  };
}

/** What a producer says about its run (see {@link reportOptionsFor}). */
export interface ReportContext extends ProvenanceOptions {
  readonly producer: ReportRun['producer'];
  /** The clock of the run. Default: now. */
  readonly now?: Date;
  /** Paths in the report are shown relative to this directory (where the report is written, or the working directory). */
  readonly root: string;
  /** Files checked (templates, Terraform configurations). */
  readonly sources: readonly string[];
  /** The inputs as given (cdk.out / cdktf.out directories, files). */
  readonly inputs: readonly string[];
}

/**
 * The options every producer (CDK plugin, cdktf aspect, CLI, `npm run synth`) builds its report with: one mapping, so
 * the reports of one run agree wherever they are produced. Git is asked in `dir`, else in the first input's directory.
 */
export function reportOptionsFor(context: ReportContext): BuildReportOptions {
  const first = context.inputs[0];
  const dir = context.dir ?? (first !== undefined ? directoryOf(path.resolve(context.root, first)) : context.root);
  const provenance = readProvenance({ ...(context.env ? { env: context.env } : {}), ...(context.git ? { git: context.git } : {}), dir });
  const run: ReportRun = { ...provenance, producer: context.producer, inputs: context.inputs.map((i) => displayPath(i, context.root)) };
  return { ...(context.now ? { now: context.now } : {}), root: context.root, sources: context.sources, run };
}

/** The input itself when it is a directory, else the directory it is in. */
function directoryOf(input: string): string {
  try {
    return fs.statSync(input).isDirectory() ? input : path.dirname(input);
  } catch {
    return path.dirname(input);
  }
}
