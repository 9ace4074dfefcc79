/**
 * `keyless history`: the trend over report snapshots from files, directories and git, its outputs, and the exit 2
 * lines for what it cannot use.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../lib/cli/main';
import { report } from '../guardrails/history/reports';

const BIN = path.join(__dirname, '..', 'support', 'keyless-from-source.js');

interface Run { code: number; stdout: string; stderr: string }

let work: string;
beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-history-cli-')); });
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = { KEYLESS_NOW: '2026-06-01' }): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: work, env, stderrIsTty: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function write(name: string, doc: unknown): string {
  const file = path.join(work, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, undefined, 2));
  return name;
}

const KEY = { ruleId: 'KL-AWS-01', resource: 'DeployKey', owner: '@acme/platform' };
const PASSWORD = { ruleId: 'KL-SF-01', resource: 'snowflake_user.etl', exemption: { owner: 'data@acme.example', expires: '2026-06-15' } };
const PAT = { ruleId: 'KL-SF-03', resource: 'snowflake_user_programmatic_access_token.etl' };

/** Three snapshots: 3 -> 2 -> 1 credentials, 0 -> 1 -> 2 trusts. */
function series(): string[] {
  return [
    write('s/jan.json', report('2026-01-05T09:00:00Z', [KEY, PASSWORD, PAT])),
    write('s/feb.json', report('2026-02-05T09:00:00Z', [KEY, PASSWORD], 1)),
    write('s/mar.json', report('2026-03-05T09:00:00Z', [PASSWORD], 2)),
  ];
}

describe('keyless history SNAPSHOT...', () => {
  test('Markdown by default: headline, chart, tables; exit 0', async () => {
    const [jan, feb, mar] = series();
    const r = await run(['history', mar, jan, feb]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('**Long-lived credentials: 3 -> 1 over 3 snapshots; federated trusts 0 -> 2**');
    expect(r.stdout).toContain('  x-axis ["2026-01-05", "2026-02-05", "2026-03-05"]\n  y-axis "count" 0 --> 3\n  bar [3, 2, 1]\n  line [0, 1, 2]');
    expect(r.stdout).toContain('| Snowflake password | 1 | 1 | 1 |\n| Snowflake PAT | 1 | 0 | 0 |');
    expect(r.stdout).toContain('| data@acme.example | 1 | 1 | 1 | 0 |\n| (unowned) | 1 | 0 | 0 | -1 |\n| @acme/platform | 1 | 1 | 0 | -1 |');
    expect(r.stdout).toContain('| KL-SF-01 | `snowflake_user.etl` | data@acme.example | 2026-06-15 | 14 |');
  });

  test('--format json is the keyless-trend.json document; --output-dir writes both files', async () => {
    series();
    const r = await run(['history', 's', '--format', 'json', '--output-dir', 'trend']);
    expect(r.code).toBe(0);
    const trend = JSON.parse(r.stdout);
    expect(trend.schema).toBe('cdk-keyless/trend@1');
    expect(trend.points.map((p: any) => [p.source, p.credentials, p.federatedTrusts])).toEqual([
      ['s/jan.json', 3, 0], ['s/feb.json', 2, 1], ['s/mar.json', 1, 2],
    ]);
    expect(trend.steps.map((s: any) => s.retired.map((f: any) => f.ruleId))).toEqual([['KL-SF-03'], ['KL-AWS-01']]);
    expect(JSON.parse(fs.readFileSync(path.join(work, 'trend', 'keyless-trend.json'), 'utf8'))).toEqual(trend);
    expect(fs.readFileSync(path.join(work, 'trend', 'keyless-trend.md'), 'utf8')).toBe((await run(['history', 's'])).stdout);
  });

  test('KEYLESS_NOW judges the exemptions: expired by then', async () => {
    series();
    const trend = JSON.parse((await run(['history', 's', '--format=json'], { KEYLESS_NOW: '2026-06-16' })).stdout);
    expect([trend.expiringExemptions, trend.expiredExemptions.map((e: any) => e.resource)]).toEqual([[], ['snowflake_user.etl']]);
  });

  test.each([
    ['one snapshot', () => [write('a.json', report('2026-01-01T00:00:00Z', []))],
      'keyless history: only 1 report snapshot (a.json); a trend needs at least 2'],
    ['a file that is not a report', () => [write('a.json', report('2026-01-01T00:00:00Z', [])), write('b.json', { findings: [] })],
      'keyless: b.json: not a keyless report: "schema" is undefined, expected "cdk-keyless/report@1" (write one with `keyless report PATH --format json`)'],
    ['a newer schema', () => [write('a.json', report('2026-01-01T00:00:00Z', [])), write('b.json', { ...report('2026-01-02T00:00:00Z', []), schema: 'cdk-keyless/report@3' })],
      'keyless: b.json: report schema "cdk-keyless/report@3" is newer than this keyless reads ("cdk-keyless/report@1"); upgrade cdk-keyless'],
    ['malformed JSON', () => [write('a.json', report('2026-01-01T00:00:00Z', [])), write('b.json', '{"schema": "cdk-keyless/report@1",\n')],
      /^keyless: b\.json: malformed JSON: .* at line 2, column 1\n$/],
    ['a missing file', () => ['a.json', 'nope.json'], 'keyless: a.json: no such file or directory'],
    ['an empty directory', () => { fs.mkdirSync(path.join(work, 'empty')); return ['empty']; },
      'keyless: empty: no report snapshots found (expected keyless-report.json files, *.json snapshots, or directories holding a keyless-report.json)'],
    ['no SNAPSHOT', () => [], 'keyless history: no SNAPSHOT given (see keyless --help)'],
  ])('%s: exit 2 with one line naming it', async (_what, given, message) => {
    const r = await run(['history', ...given()]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    if (typeof message === 'string') expect(r.stderr).toBe(`${message}\n`);
    else expect(r.stderr).toMatch(message);
  });

  test.each([
    [['--baseline', 'x.json'], 'keyless history: unknown option "--baseline" (options: --format, --output-dir, --git, --report, --last, --help; see keyless --help)'],
    [['--format', 'text'], 'keyless history: --format "text" is not one of markdown, json'],
    [['--last', '3'], 'keyless history: --report and --last go with --git REPO (see keyless --help)'],
    [['--git', '.'], 'keyless history: --git needs --report PATH_IN_REPO, the report\'s path inside the repository'],
    [['--git', '.', '--report', 'r.json', 'a.json'], 'keyless history: give SNAPSHOT paths or --git REPO --report PATH, not both (see keyless --help)'],
    [['--git', '.', '--report', 'r.json', '--last', '0'], 'keyless history: --last "0" is not a positive whole number of commits'],
    [['--git', '.', '--report', 'r.json', '--last', '2x'], 'keyless history: --last "2x" is not a positive whole number of commits'],
  ])('usage %j: exit 2', async (args, message) => {
    const r = await run(['history', ...args]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `${message}\n`]);
  });

  test('history options are not options of check or report', async () => {
    const r = await run(['report', 'cdk.out', '--git', '.']);
    expect([r.code, r.stderr]).toEqual([2, 'keyless report: unknown option "--git" (options: --format, --exemptions, --baseline, --output-dir, --follow-downloaded-modules, --codeowners, --owner-tag, --default-owner, --help; see keyless --help)\n']);
  });
});

describe('keyless history --git REPO --report PATH', () => {
  const git = (repo: string, args: string[], date?: string) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
  }).trim();

  /**
   * A repository where `out/keyless-report.json` was committed four times (and another file once in between), at
   * `work/repo`. Tests that only read it share one (linked into each test's `work`); `fresh` makes one to change.
   */
  let shared: { dir: string; repo: string; commits: string[] } | undefined;
  afterAll(() => { if (shared) fs.rmSync(shared.dir, { recursive: true, force: true }); });
  function repository(options: { fresh?: boolean } = {}): { repo: string; commits: string[] } {
    const link = path.join(work, 'repo');
    if (!options.fresh) {
      if (!shared) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-history-git-'));
        shared = { dir, ...makeRepository(path.join(dir, 'repo')) };
      }
      fs.symlinkSync(shared.repo, link);
      return { repo: link, commits: shared.commits };
    }
    return makeRepository(link);
  }

  function makeRepository(repo: string): { repo: string; commits: string[] } {
    fs.mkdirSync(repo);
    const put = (name: string, doc: unknown) => fs.writeFileSync(path.join(repo, name), typeof doc === 'string' ? doc : JSON.stringify(doc, undefined, 2));
    fs.mkdirSync(path.join(repo, 'out'));
    git(repo, ['init', '-q', '-b', 'main']);
    const commits: string[] = [];
    const commitReport = (doc: unknown, subject: string, date: string) => {
      put('out/keyless-report.json', doc);
      git(repo, ['add', '-A']);
      git(repo, ['commit', '-q', '-m', subject], date);
      commits.push(git(repo, ['rev-parse', 'HEAD']));
    };
    commitReport(report('2026-01-01T00:00:00Z', [KEY, PASSWORD, PAT, { ruleId: 'KL-AZ-01', resource: 'azuread_application_password.ci' }]), 'Start the inventory', '2026-01-01T12:00:00Z');
    commitReport(report('2026-01-10T00:00:00Z', [KEY, PASSWORD, PAT]), 'Retire the Entra secret', '2026-01-10T12:00:00Z');
    put('README.md', 'unrelated');
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'Docs only'], '2026-01-15T12:00:00Z');
    commitReport(report('2026-02-01T00:00:00Z', [KEY, PASSWORD], 1), 'Federate the ETL | PAT gone', '2026-02-01T12:00:00Z');
    commitReport(report('2026-03-01T00:00:00Z', [PASSWORD], 2), 'Deploy role federated', '2026-03-01T12:00:00Z');
    return { repo, commits };
  }

  test('--last 3: the report at each of the last three commits that changed it, oldest first, labelled by commit', async () => {
    const { commits } = repository();
    const r = await run(['history', '--git', 'repo', '--report', 'out/keyless-report.json', '--last', '3', '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const trend = JSON.parse(r.stdout);
    const expected = commits.slice(1);
    expect(trend.points.map((p: any) => [p.label, p.commit, p.date, p.subject, p.source, p.credentials, p.federatedTrusts])).toEqual([
      [expected[0].slice(0, 7), expected[0], '2026-01-10T12:00:00.000Z', 'Retire the Entra secret', `repo@${expected[0].slice(0, 7)}:out/keyless-report.json`, 3, 0],
      [expected[1].slice(0, 7), expected[1], '2026-02-01T12:00:00.000Z', 'Federate the ETL | PAT gone', `repo@${expected[1].slice(0, 7)}:out/keyless-report.json`, 2, 1],
      [expected[2].slice(0, 7), expected[2], '2026-03-01T12:00:00.000Z', 'Deploy role federated', `repo@${expected[2].slice(0, 7)}:out/keyless-report.json`, 1, 2],
    ]);
    expect(trend.steps.map((s: any) => s.retired.map((f: any) => f.ruleId))).toEqual([['KL-SF-03'], ['KL-AWS-01']]);

    const md = (await run(['history', '--git', 'repo', '--report', './out/keyless-report.json', '--last=3'])).stdout;
    expect(md).toContain(`  x-axis ["${expected[0].slice(0, 7)}", "${expected[1].slice(0, 7)}", "${expected[2].slice(0, 7)}"]`);
    expect(md).toContain(`| ${expected[1].slice(0, 7)} | 2026-02-01 | Federate the ETL \\| PAT gone | 2 | 1 | 1 | 1 |`);
  });

  test('without --last: up to 10 commits, here all four', async () => {
    repository();
    const trend = JSON.parse((await run(['history', '--git', 'repo', '--report', 'out/keyless-report.json', '--format', 'json'])).stdout);
    expect(trend.points.map((p: any) => p.credentials)).toEqual([4, 3, 2, 1]);
  });

  test('the CLI as a process: the same trend, from the sources', () => {
    repository();
    const r = spawnSync(process.execPath, [BIN, 'history', '--git', 'repo', '--report', 'out/keyless-report.json', '--last', '2'], { cwd: work, encoding: 'utf8', env: { ...process.env, KEYLESS_NOW: '2026-06-01' } });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('**Long-lived credentials: 2 -> 1 over 2 snapshots; federated trusts 1 -> 2**');
  });

  test('a revision whose report is not a report: exit 2 naming the commit', async () => {
    const { repo } = repository({ fresh: true });
    write('repo/out/keyless-report.json', '{"schema": "something else"}');
    git(repo, ['commit', '-q', '-am', 'Oops'], '2026-04-01T12:00:00Z');
    const head = git(repo, ['rev-parse', '--short=7', 'HEAD']);
    const r = await run(['history', '--git', 'repo', '--report', 'out/keyless-report.json', '--last', '2']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`keyless: repo@${head}:out/keyless-report.json: not a keyless report: "schema" is "something else", expected "cdk-keyless/report@1" (write one with \`keyless report PATH --format json\`)\n`);
  });

  test('an unreadable revision (its object is missing): exit 2 naming it, no stack trace', async () => {
    const { repo, commits } = repository({ fresh: true });
    const blob = git(repo, ['rev-parse', `${commits[2]}:out/keyless-report.json`]);
    fs.rmSync(path.join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const r = await run(['history', '--git', 'repo', '--report', 'out/keyless-report.json', '--last', '3']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(new RegExp(`^keyless: repo@${commits[2].slice(0, 7)}:out/keyless-report\\.json: cannot read the report at that revision: .+\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  test.each([
    ['a directory that is not a repository', (_repo: string) => { fs.mkdirSync(path.join(work, 'plain')); return ['--git', 'plain', '--report', 'r.json']; },
      /^keyless: plain: not a git repository: fatal: not a git repository/],
    ['a missing directory', () => ['--git', 'nowhere', '--report', 'r.json'], /^keyless: nowhere: no such file or directory\n$/],
    ['a report no commit changed', () => ['--git', 'repo', '--report', 'out/other.json'],
      /^keyless: repo: no commit among the last 10 changed out\/other\.json; a trend needs at least 2 snapshots\n$/],
    ['one commit only', () => ['--git', 'repo', '--report', 'out/keyless-report.json', '--last', '1'],
      /^keyless: repo: only 1 commit among the last 1 changed out\/keyless-report\.json; a trend needs at least 2 snapshots\n$/],
    ['a report path outside the repository', () => ['--git', 'repo', '--report', '../x.json'],
      /^keyless: repo: --report "\.\.\/x\.json" is not a file inside the repository\n$/],
  ])('%s: exit 2', async (_what, args, message) => {
    repository();
    const r = await run(['history', ...args('repo')]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(message);
  });

  test('a path that looks like an option is a path, never a git option', async () => {
    const { repo } = repository();
    const r = await run(['history', '--git', 'repo', '--report=--output=/tmp/pwned', '--last', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^keyless: repo: no commit among the last 2 changed --output=\/tmp\/pwned;/);
    expect(fs.existsSync(path.join(repo, '--output=', 'tmp'))).toBe(false);
  });
});
