import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  codeownersRoot, findCodeowners, matchCodeowners, parseCodeowners, readCodeowners,
} from '../../../lib/guardrails/owners';
import { InputError } from '../../../lib/guardrails/normalize/input-error';

const ROOT = path.resolve('/repo');

/** Owners of `file` (relative to /repo) under `text`, or `undefined` when no line matches. */
function ownersOf(text: string, file: string): string[] | undefined {
  return matchCodeowners(parseCodeowners(text, '/repo/.github/CODEOWNERS', ROOT), path.join(ROOT, file))?.owners.slice();
}

describe('CODEOWNERS matching (gitignore patterns, last matching line wins)', () => {
  test('the last matching line wins, not the most specific one', () => {
    const text = ['infra/  @acme/infra', '*.tf    @acme/terraform'].join('\n');
    expect(ownersOf(text, 'infra/main.tf')).toEqual(['@acme/terraform']);
    expect(ownersOf(text, 'infra/app.ts')).toEqual(['@acme/infra']);
    const reversed = ['*.tf    @acme/terraform', 'infra/  @acme/infra'].join('\n');
    expect(ownersOf(reversed, 'infra/main.tf')).toEqual(['@acme/infra']);
  });

  test('a leading slash anchors at the root; without it a name matches at any depth', () => {
    const anchored = '/infra/ @acme/root-infra';
    expect(ownersOf(anchored, 'infra/main.tf')).toEqual(['@acme/root-infra']);
    expect(ownersOf(anchored, 'apps/infra/main.tf')).toBeUndefined();
    const unanchored = 'infra/ @acme/any-infra';
    expect(ownersOf(unanchored, 'apps/infra/main.tf')).toEqual(['@acme/any-infra']);
    // a pattern with a slash in the middle is relative to the root too
    expect(ownersOf('envs/prod @acme/prod', 'x/envs/prod/main.tf')).toBeUndefined();
    expect(ownersOf('envs/prod @acme/prod', 'envs/prod/main.tf')).toEqual(['@acme/prod']);
  });

  test('a directory pattern covers everything below it, and not a file of that name', () => {
    const text = 'stacks/ @acme/stacks';
    expect(ownersOf(text, 'stacks/a/b/c.tf.json')).toEqual(['@acme/stacks']);
    expect(ownersOf(text, 'stacks')).toBeUndefined();
  });

  test('** spans directories; * does not cross a slash in the file name part', () => {
    expect(ownersOf('apps/**/main.tf @acme/apps', 'apps/a/b/main.tf')).toEqual(['@acme/apps']);
    expect(ownersOf('apps/**/main.tf @acme/apps', 'apps/main.tf')).toEqual(['@acme/apps']);
    expect(ownersOf('apps/**/main.tf @acme/apps', 'other/apps/x/main.tf')).toBeUndefined();
    expect(ownersOf('**/bin/app.ts @acme/cdk', 'deep/down/bin/app.ts')).toEqual(['@acme/cdk']);
    expect(ownersOf('/*.tf @acme/top', 'main.tf')).toEqual(['@acme/top']);
    expect(ownersOf('/*.tf @acme/top', 'mod/main.tf')).toBeUndefined();
  });

  test('matching is case-sensitive, as on GitHub', () => {
    expect(ownersOf('Infra/ @acme/x', 'infra/main.tf')).toBeUndefined();
  });

  test('a line with a pattern and no owners un-owns what it matches', () => {
    const text = ['*       @acme/platform', 'vendor/'].join('\n');
    const match = matchCodeowners(parseCodeowners(text, 'CODEOWNERS', ROOT), path.join(ROOT, 'vendor/x.tf'));
    expect(match).toEqual({ line: 2, pattern: 'vendor/', owners: [] });
    expect(ownersOf(text, 'app/x.tf')).toEqual(['@acme/platform']);
  });

  test('several owners are kept in order; e-mail owners too', () => {
    expect(ownersOf('*.tf @acme/a @acme/b dev@acme.example', 'x.tf')).toEqual(['@acme/a', '@acme/b', 'dev@acme.example']);
  });

  test('comments: whole lines, and after whitespace; an escaped # is part of the pattern', () => {
    const text = [
      '# *.tf @acme/commented-out',
      '  # indented comment',
      '*.tf @acme/tf # the Terraform owners',
      '\\#notes.tf @acme/hash',
    ].join('\n');
    expect(ownersOf(text, 'main.tf')).toEqual(['@acme/tf']);
    expect(ownersOf(text, '#notes.tf')).toEqual(['@acme/hash']);
    const rules = parseCodeowners(text, 'CODEOWNERS', ROOT).rules;
    expect(rules.map((r) => [r.line, r.pattern, r.owners])).toEqual([[3, '*.tf', ['@acme/tf']], [4, '\\#notes.tf', ['@acme/hash']]]);
  });

  test('an escaped space is part of the pattern', () => {
    expect(ownersOf('my\\ app/ @acme/spaces', 'my app/main.tf')).toEqual(['@acme/spaces']);
  });

  test('GitLab section headers are not patterns; their default owners apply to lines without owners', () => {
    const text = [
      '[Infrastructure] @acme/infra-leads',
      'infra/',
      'infra/dns/ @acme/dns',
      '^[Optional docs]',
      'docs/',
      '[Security][2] @acme/security',
      '*.tf.json',
    ].join('\n');
    const parsed = parseCodeowners(text, 'CODEOWNERS', ROOT);
    expect(parsed.rules.map((r) => r.pattern)).toEqual(['infra/', 'infra/dns/', 'docs/', '*.tf.json']);
    expect(ownersOf(text, 'infra/main.tf')).toEqual(['@acme/infra-leads']);
    expect(ownersOf(text, 'infra/dns/zone.tf')).toEqual(['@acme/dns']);
    // a section without default owners: the line un-owns
    expect(ownersOf(text, 'docs/a.md')).toEqual([]);
    expect(ownersOf(text, 'infra/stack.tf.json')).toEqual(['@acme/security']);
    // nothing is read as a file named "[Infrastructure]"
    expect(ownersOf(text, '[Infrastructure]')).toBeUndefined();
  });

  test('a gitignore character class at the start of a line is a pattern, not a GitLab section', () => {
    expect(ownersOf('[Ii]nfra/ @acme/infra', 'Infra/main.tf')).toEqual(['@acme/infra']);
  });

  test('negation is not CODEOWNERS syntax: the line is skipped and reported', () => {
    const parsed = parseCodeowners(['* @acme/all', '!secret.tf @acme/nobody'].join('\n'), 'CODEOWNERS', ROOT);
    expect(parsed.rules).toHaveLength(1);
    expect(parsed.problems).toEqual(['line 2: "!secret.tf": negation (!) is not supported in CODEOWNERS; line skipped']);
    expect(matchCodeowners(parsed, path.join(ROOT, 'secret.tf'))?.owners).toEqual(['@acme/all']);
  });

  test('a file outside the CODEOWNERS root matches nothing, whatever the patterns', () => {
    expect(ownersOf('* @acme/all', '../elsewhere/main.tf')).toBeUndefined();
    expect(matchCodeowners(parseCodeowners('* @acme/all', 'CODEOWNERS', ROOT), '/other/main.tf')).toBeUndefined();
  });

  test('CRLF line endings', () => {
    expect(ownersOf('*.tf @acme/tf\r\n*.ts @acme/ts\r\n', 'x.tf')).toEqual(['@acme/tf']);
  });
});

describe('finding the CODEOWNERS file like GitHub does', () => {
  let repo: string;
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-codeowners-'));
    fs.mkdirSync(path.join(repo, '.git'));
    fs.mkdirSync(path.join(repo, 'infra', 'prod'), { recursive: true });
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));
  const put = (rel: string, text = '* @acme/x\n') => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text);
    return path.join(repo, rel);
  };

  test('.github/CODEOWNERS is preferred over CODEOWNERS, docs/CODEOWNERS and .gitlab/CODEOWNERS', () => {
    put('.gitlab/CODEOWNERS');
    expect(findCodeowners(path.join(repo, 'infra', 'prod'))).toBe(path.join(repo, '.gitlab', 'CODEOWNERS'));
    put('docs/CODEOWNERS');
    expect(findCodeowners(path.join(repo, 'infra', 'prod'))).toBe(path.join(repo, 'docs', 'CODEOWNERS'));
    put('CODEOWNERS');
    expect(findCodeowners(path.join(repo, 'infra', 'prod'))).toBe(path.join(repo, 'CODEOWNERS'));
    put('.github/CODEOWNERS');
    expect(findCodeowners(path.join(repo, 'infra', 'prod', 'main.tf'))).toBe(path.join(repo, '.github', 'CODEOWNERS'));
  });

  test('the walk stops at the repository root: a CODEOWNERS above it is not read', () => {
    const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-outer-'));
    try {
      fs.writeFileSync(path.join(outer, 'CODEOWNERS'), '* @acme/outer\n');
      const inner = path.join(outer, 'repo');
      fs.mkdirSync(path.join(inner, '.git'), { recursive: true });
      expect(findCodeowners(inner)).toBeUndefined();
    } finally {
      fs.rmSync(outer, { recursive: true, force: true });
    }
  });

  test('the root of .github/, .gitlab/ and docs/ CODEOWNERS is the directory above them', () => {
    expect(codeownersRoot(put('.github/CODEOWNERS'))).toBe(repo);
    expect(codeownersRoot(put('docs/CODEOWNERS'))).toBe(repo);
    expect(codeownersRoot(put('CODEOWNERS'))).toBe(repo);
    const parsed = readCodeowners(put('.github/CODEOWNERS', '/infra/ @acme/infra\n'));
    expect(matchCodeowners(parsed, path.join(repo, 'infra', 'prod', 'main.tf'))?.owners).toEqual(['@acme/infra']);
  });

  test('an unreadable CODEOWNERS file is an InputError naming it', () => {
    expect(() => readCodeowners(path.join(repo, 'missing'))).toThrow(InputError);
    expect(() => readCodeowners(path.join(repo, 'missing'))).toThrow(`${path.join(repo, 'missing')}: no such file or directory`);
    expect(() => readCodeowners(path.join(repo, 'infra'))).toThrow('is a directory, expected a CODEOWNERS file');
  });
});
