import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitRunner, readProvenance, reportOptionsFor, runGit } from '../../lib/guardrails/provenance';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const GIT_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

/** A git that answers like a repository on `branch` at `commit`, and records what it was asked. */
function fakeGit(commit: string | undefined, branch: string | undefined): GitRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const git = ((args: readonly string[], cwd: string) => {
    calls.push([cwd, ...args]);
    if (args.join(' ') === 'rev-parse HEAD') return commit;
    if (args.join(' ') === 'rev-parse --abbrev-ref HEAD') return branch;
    return undefined;
  }) as GitRunner & { calls: string[][] };
  git.calls = calls;
  return git;
}
const noGit: GitRunner = () => undefined;

describe('readProvenance: CI environment variables first', () => {
  test.each([
    ['github-actions', { GITHUB_SHA: SHA, GITHUB_REF_NAME: 'main' }, 'main'],
    ['github-actions', { GITHUB_SHA: SHA, GITHUB_REF_NAME: '42/merge', GITHUB_HEAD_REF: 'feature/keyless' }, 'feature/keyless'],
    ['github-actions', { GITHUB_SHA: SHA, GITHUB_REF_NAME: 'main', GITHUB_HEAD_REF: '' }, 'main'],
    ['gitlab-ci', { CI_COMMIT_SHA: SHA, CI_COMMIT_REF_NAME: 'release-1' }, 'release-1'],
    ['circleci', { CIRCLE_SHA1: SHA, CIRCLE_BRANCH: 'dev' }, 'dev'],
    ['buildkite', { BUILDKITE_COMMIT: SHA, BUILDKITE_BRANCH: 'bk' }, 'bk'],
    ['bitbucket-pipelines', { BITBUCKET_COMMIT: SHA, BITBUCKET_BRANCH: 'bb' }, 'bb'],
  ])('%s: %j', (ci, env, branch) => {
    const git = fakeGit(GIT_SHA, 'local-branch');
    expect(readProvenance({ env, git, dir: '/repo' })).toEqual({ commit: SHA, branch, ci });
    expect(git.calls).toEqual([]); // the environment said everything: git is not asked
  });

  test('the CI environment wins over git; git fills a branch only when it is at the same commit', () => {
    expect(readProvenance({ env: { GITHUB_SHA: SHA }, git: fakeGit(GIT_SHA, 'local'), dir: '/repo' })).toEqual({ commit: SHA, ci: 'github-actions' });
    expect(readProvenance({ env: { GITHUB_SHA: SHA }, git: fakeGit(SHA, 'local'), dir: '/repo' })).toEqual({ commit: SHA, branch: 'local', ci: 'github-actions' });
  });

  test('without CI variables, git in the input\'s directory says commit and branch', () => {
    const git = fakeGit(GIT_SHA, 'main');
    expect(readProvenance({ env: {}, git, dir: '/repo/cdk.out' })).toEqual({ commit: GIT_SHA, branch: 'main' });
    expect(git.calls.map((c) => c[0])).toEqual(['/repo/cdk.out', '/repo/cdk.out']);
  });

  test('git absent, or the directory not a repository: no commit, no branch, no error', () => {
    expect(readProvenance({ env: {}, git: noGit, dir: '/repo' })).toEqual({});
    expect(readProvenance({ env: {} })).toEqual({}); // no directory: git is not asked
  });

  test('a detached checkout (HEAD) has no branch', () => {
    expect(readProvenance({ env: {}, git: fakeGit(GIT_SHA, 'HEAD'), dir: '/repo' })).toEqual({ commit: GIT_SHA });
  });

  test('adversarial values are not taken: a commit that is no hex id, a branch with line breaks, pipes or spaces', () => {
    expect(readProvenance({ env: { GITHUB_SHA: 'main; rm -rf /', GITHUB_REF_NAME: 'main' }, git: noGit, dir: '/repo' })).toEqual({});
    expect(readProvenance({ env: { GITHUB_SHA: SHA, GITHUB_REF_NAME: 'main\n# Injected heading' }, git: noGit, dir: '/repo' }))
      .toEqual({ commit: SHA, ci: 'github-actions' });
    expect(readProvenance({ env: { CI_COMMIT_SHA: SHA, CI_COMMIT_REF_NAME: 'a b' }, git: noGit })).toEqual({ commit: SHA, ci: 'gitlab-ci' });
    expect(readProvenance({ env: { CI_COMMIT_SHA: SHA, CI_COMMIT_REF_NAME: 'x'.repeat(256) }, git: noGit })).toEqual({ commit: SHA, ci: 'gitlab-ci' });
    expect(readProvenance({ env: {}, git: fakeGit('not a sha', 'main'), dir: '/repo' })).toEqual({});
    expect(readProvenance({ env: { GITHUB_SHA: SHA.toUpperCase() }, git: noGit })).toEqual({ commit: SHA, ci: 'github-actions' });
  });
});

describe('runGit (the real git)', () => {
  test('in a directory that is no repository it is silently absent', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-provenance-'));
    try {
      expect(runGit(['rev-parse', 'HEAD'], dir)).toBeUndefined();
      expect(runGit(['rev-parse', 'HEAD'], path.join(dir, 'missing'))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reportOptionsFor: one mapping for every producer', () => {
  test('the run records producer, inputs as given (relative to the root), and provenance; git runs in the first input\'s directory', () => {
    const git = fakeGit(GIT_SHA, 'main');
    const now = new Date('2026-06-01T00:00:00Z');
    const options = reportOptionsFor({
      producer: 'cli', now, root: '/repo', sources: ['/repo/cdk.out/A.template.json'], inputs: ['cdk.out', '/repo/cdktf.out'], env: {}, git,
    });
    expect(options).toEqual({
      now, root: '/repo', sources: ['/repo/cdk.out/A.template.json'],
      run: { commit: GIT_SHA, branch: 'main', producer: 'cli', inputs: ['cdk.out', 'cdktf.out'] },
    });
    expect(git.calls[0][0]).toBe('/repo'); // /repo/cdk.out is not on disk here: the directory it would be in
  });

  test('a directory input is where git is asked; a file input, its directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-provenance-'));
    try {
      fs.mkdirSync(path.join(dir, 'cdk.out'));
      fs.writeFileSync(path.join(dir, 'main.tf'), '');
      const asked = (input: string) => {
        const git = fakeGit(undefined, undefined);
        reportOptionsFor({ producer: 'library', root: dir, sources: [], inputs: [input], env: {}, git });
        return git.calls[0][0];
      };
      expect(asked('cdk.out')).toBe(path.join(dir, 'cdk.out'));
      expect(asked('main.tf')).toBe(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
