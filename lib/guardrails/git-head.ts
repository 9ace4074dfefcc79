/**
 * The commit and branch a directory's git checkout is at, read from the repository's files (`HEAD`, the ref it names,
 * `packed-refs`), as `git rev-parse HEAD` and `git rev-parse --abbrev-ref HEAD` would say them, without starting a git
 * process: a report is built at every synth, and two git processes cost more than the rest of the report.
 *
 * Only the layouts whose meaning is certain are read: a `.git` directory or a `.git` file pointing at one (a worktree,
 * a submodule, with its `commondir`), a `HEAD` that is a commit id or a `ref: refs/heads/...`, and the ref as a loose
 * file or a `packed-refs` line. Anything else (the reftable format, `GIT_DIR` and similar variables that change where
 * git looks, a `HEAD` naming a ref outside `refs/heads/`) answers `unknown`, and the caller asks git itself.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';
import { statOrUndefined } from './normalize/files';

/** What the files say: the commit (and branch), no repository at all, or `unknown` (ask git). */
export type GitHead =
  | { readonly kind: 'head'; readonly commit?: string; readonly branch?: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown' };

/** Variables that change which repository git reads, or where its search stops: then only git itself knows. */
const GIT_LOCATION_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM'];

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const UNKNOWN: GitHead = { kind: 'unknown' };

function readSmallFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The git directory of the checkout `dir` is in, walking up as git does; `none` when there is none, `unknown` when unsure. */
function gitDirectoryOf(dir: string): string | GitHead {
  let at = path.resolve(dir);
  for (;;) {
    const dotGit = path.join(at, '.git');
    const stat = statOrUndefined(dotGit);
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readSmallFile(dotGit) ?? '')?.[1]?.trim();
      return pointer === undefined ? UNKNOWN : path.resolve(at, pointer);
    }
    if (stat !== undefined) return UNKNOWN;
    const up = path.dirname(at);
    if (up === at) return { kind: 'none' };
    at = up;
  }
}

/** The commit a ref points at: its loose file, else its `packed-refs` line; undefined when neither has it (unborn). */
function resolveRef(ref: string, gitDir: string, commonDir: string): string | undefined | GitHead {
  for (const base of gitDir === commonDir ? [gitDir] : [gitDir, commonDir]) {
    const loose = readSmallFile(path.join(base, ref));
    if (loose === undefined) continue;
    const value = loose.trim();
    return COMMIT.test(value) ? value : UNKNOWN;
  }
  const packed = readSmallFile(path.join(commonDir, 'packed-refs'));
  for (const line of packed?.split('\n') ?? []) {
    const [commit, name] = line.trim().split(' ');
    if (name === ref && commit !== undefined && COMMIT.test(commit)) return commit;
  }
  return undefined;
}

/** Reads the checkout `dir` is in (see the module comment). */
export function readGitHead(dir: string, env: { readonly [name: string]: string | undefined } = process.env): GitHead {
  if (GIT_LOCATION_VARIABLES.some((name) => env[name] !== undefined && env[name] !== '')) return UNKNOWN;
  const gitDir = gitDirectoryOf(dir);
  if (typeof gitDir !== 'string') return gitDir;
  // the reftable format keeps refs in binary tables, and its HEAD names a placeholder ref
  if (statOrUndefined(path.join(gitDir, 'reftable')) !== undefined) return UNKNOWN;
  const common = readSmallFile(path.join(gitDir, 'commondir'))?.trim();
  const commonDir = common !== undefined && common !== '' ? path.resolve(gitDir, common) : gitDir;
  const head = readSmallFile(path.join(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return UNKNOWN;
  if (COMMIT.test(head)) return { kind: 'head', commit: head };
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  if (ref === undefined || ref.includes('..')) return UNKNOWN;
  const commit = resolveRef(ref, gitDir, commonDir);
  if (typeof commit === 'object') return commit;
  // an unborn branch has no commit, and git names no branch without one (`rev-parse` fails)
  return commit === undefined ? { kind: 'head' } : { kind: 'head', commit, branch: ref.slice('refs/heads/'.length) };
}
