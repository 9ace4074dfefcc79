/**
 * readGitHead reads what `git rev-parse HEAD` and `git rev-parse --abbrev-ref HEAD` say from the repository's files:
 * each layout is built with the real git and the answer compared with the real git's.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readGitHead } from '../../lib/guardrails/git-head';
import { readProvenance } from '../../lib/guardrails/provenance';

const ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** What the real git says in `dir`, as readGitHead answers it. */
function realGit(dir: string): { commit?: string; branch?: string } {
  let commit: string | undefined;
  try {
    commit = git(dir, 'rev-parse', 'HEAD');
  } catch {
    return {};
  }
  const branch = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD');
  return { commit, ...(branch !== 'HEAD' ? { branch } : {}) };
}

describe('readGitHead agrees with git', () => {
  let root: string;
  let repo: string;
  beforeAll(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-git-head-')));
    repo = path.join(root, 'repo');
    fs.mkdirSync(path.join(repo, 'infra', 'cdk.out'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'a');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'b');
    git(repo, 'commit', '-q', '-am', 'two');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const head = (dir: string) => {
    const read = readGitHead(dir, {});
    return read.kind === 'head' ? { ...(read.commit ? { commit: read.commit } : {}), ...(read.branch ? { branch: read.branch } : {}) } : read.kind;
  };

  test('a branch with a loose ref, from a subdirectory', () => {
    expect(head(path.join(repo, 'infra', 'cdk.out'))).toEqual(realGit(path.join(repo, 'infra', 'cdk.out')));
    expect(head(repo)).toEqual({ commit: expect.stringMatching(/^[0-9a-f]{40}$/), branch: 'main' });
  });

  test('a branch whose ref is only in packed-refs, and a branch name with slashes', () => {
    git(repo, 'checkout', '-q', '-b', 'feature/keyless');
    git(repo, 'pack-refs', '--all', '--prune');
    expect(fs.existsSync(path.join(repo, '.git', 'refs', 'heads', 'feature', 'keyless'))).toBe(false);
    expect(head(repo)).toEqual(realGit(repo));
    expect(head(repo)).toEqual(expect.objectContaining({ branch: 'feature/keyless' }));
    git(repo, 'checkout', '-q', 'main');
  });

  test('a detached HEAD: the commit, no branch', () => {
    git(repo, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(head(repo)).toEqual(realGit(repo));
    expect(head(repo)).not.toHaveProperty('branch');
    git(repo, 'checkout', '-q', 'main');
  });

  test('a linked worktree (a .git file and a commondir)', () => {
    const tree = path.join(root, 'tree');
    git(repo, 'worktree', 'add', '-q', '-b', 'wt-branch', tree);
    expect(fs.statSync(path.join(tree, '.git')).isFile()).toBe(true);
    expect(head(tree)).toEqual(realGit(tree));
    expect(head(tree)).toEqual(expect.objectContaining({ branch: 'wt-branch' }));
  });

  test('an unborn branch: neither commit nor branch, as git says neither', () => {
    const fresh = path.join(root, 'fresh');
    fs.mkdirSync(fresh);
    git(fresh, 'init', '-q', '-b', 'trunk');
    expect(head(fresh)).toEqual({});
    expect(realGit(fresh)).toEqual({});
  });

  test('no repository up to the filesystem root: none', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-no-repo-'));
    try {
      // os.tmpdir() may itself be inside a checkout on a developer machine: then the answer is that checkout's
      expect(['none', 'head']).toContain(readGitHead(outside, {}).kind);
      if (realGit(outside).commit === undefined) expect(readGitHead(outside, {}).kind).toBe('none');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('layouts it does not read are unknown (git is asked): GIT_DIR set, a HEAD naming a non-branch ref, a reftable, a garbled ref', () => {
    expect(readGitHead(repo, { GIT_DIR: '/elsewhere/.git' })).toEqual({ kind: 'unknown' });
    expect(readGitHead(repo, { GIT_CEILING_DIRECTORIES: root })).toEqual({ kind: 'unknown' });
    const odd = path.join(root, 'odd');
    fs.mkdirSync(path.join(odd, '.git', 'refs', 'heads'), { recursive: true });
    fs.writeFileSync(path.join(odd, '.git', 'HEAD'), 'ref: refs/remotes/origin/main\n');
    expect(readGitHead(odd, {})).toEqual({ kind: 'unknown' });
    fs.writeFileSync(path.join(odd, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(odd, '.git', 'refs', 'heads', 'main'), 'not a commit\n');
    expect(readGitHead(odd, {})).toEqual({ kind: 'unknown' });
    fs.writeFileSync(path.join(odd, '.git', 'HEAD'), 'ref: refs/heads/../../etc/passwd\n');
    expect(readGitHead(odd, {})).toEqual({ kind: 'unknown' });
    fs.mkdirSync(path.join(odd, '.git', 'reftable'));
    fs.writeFileSync(path.join(odd, '.git', 'HEAD'), 'ref: refs/heads/.invalid\n');
    expect(readGitHead(odd, {})).toEqual({ kind: 'unknown' });
  });

  test('readProvenance without a runner reads the files: the same commit and branch git gives', () => {
    expect(readProvenance({ env: {}, dir: path.join(repo, 'infra') })).toEqual(realGit(repo));
  });
});
