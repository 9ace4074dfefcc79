/**
 * Reads report snapshots for the trend: `keyless-report.json` files (or directories of them), ordered by each
 * report's run time, or the report as committed at each of the last N commits that changed it in a git repository.
 * Every snapshot that cannot be used throws an `InputError` naming it (the CLI prints one line and exits 2).
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { displayPath } from '../display';
import { InputError, ioReason, parseJson, printable } from '../normalize/input-error';
import { isObject } from '../policy/json';
import { parseReport } from '../report/io';
import { InventoryReport, REPORT_JSON, REPORT_SCHEMA } from '../report/model';
import { Snapshot, SnapshotOrigin, TREND_JSON } from './model';

/** How many commits `--git` reads when `--last` is not given. */
export const DEFAULT_LAST = 10;
/** Largest report read from git (bytes of `git show` output). */
const MAX_GIT_OUTPUT = 256 * 1024 * 1024;

const REPORT_SCHEMA_PATTERN = /^cdk-keyless\/report@(\d+)$/;

/**
 * Parses one snapshot's text; `shown` names it in errors. Beyond what `parseReport` checks: a newer schema is named
 * as such, `generatedAt` must be a date-time (the points are ordered by it) and `run.commit`, when present, a string.
 */
export function parseSnapshot(text: string, shown: string): InventoryReport {
  const doc = parseJson(text, shown) as { schema?: unknown; generatedAt?: unknown; run?: { commit?: unknown } } | null;
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && typeof doc.schema === 'string') {
    const m = REPORT_SCHEMA_PATTERN.exec(doc.schema);
    if (m && Number(m[1]) > Number(REPORT_SCHEMA_PATTERN.exec(REPORT_SCHEMA)![1])) {
      throw new InputError(shown, `report schema "${printable(doc.schema)}" is newer than this keyless reads ("${REPORT_SCHEMA}"); upgrade cdk-keyless`);
    }
  }
  let report: InventoryReport;
  try {
    report = parseReport(text);
  } catch (e) {
    throw new InputError(shown, printable((e as Error).message));
  }
  if (typeof report.generatedAt !== 'string' || Number.isNaN(Date.parse(report.generatedAt))) {
    throw new InputError(shown, `not a keyless report: "generatedAt" ${printable(JSON.stringify(report.generatedAt) ?? 'undefined')} is not an ISO date-time`);
  }
  const run = report.run as { commit?: unknown } | undefined;
  if (run !== undefined && (run === null || typeof run !== 'object' || (run.commit !== undefined && typeof run.commit !== 'string'))) {
    throw new InputError(shown, 'not a keyless report: "run" must be an object whose "commit" is a string');
  }
  for (const [i, f] of report.findings.entries()) {
    const reason = findingFault(f as unknown as { [key: string]: unknown });
    if (reason !== undefined) throw new InputError(shown, `not a keyless report: findings[${i}].${reason}`);
  }
  return report;
}

/** What the trend reads of a finding beyond `parseReport`'s checks, when it is there: why it cannot be read. */
function findingFault(f: { [key: string]: unknown }): string | undefined {
  if (f.severity !== 'error' && f.severity !== 'warning') return `severity ${printable(JSON.stringify(f.severity) ?? 'undefined')} is not "error" or "warning"`;
  if (f.owner !== undefined && !(isObject(f.owner) && typeof f.owner.name === 'string')) return 'owner must be an object with a "name" string';
  if (f.exemption !== undefined) {
    const e = f.exemption;
    if (!isObject(e) || typeof e.owner !== 'string' || typeof e.status !== 'string' || typeof e.expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.expires)) {
      return 'exemption must be an object with "owner", "status" and "expires" (YYYY-MM-DD) strings';
    }
  }
  return undefined;
}

/** The snapshot files a given path stands for: a file; a directory holding `keyless-report.json`; or a directory of snapshots. */
function snapshotFiles(at: string, shown: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(at);
  } catch (e) {
    throw new InputError(shown, ioReason(e, 'cannot read'));
  }
  if (!stat.isDirectory()) return [at];
  const own = path.join(at, REPORT_JSON);
  if (fs.existsSync(own)) return [own];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(at, { withFileTypes: true });
  } catch (e) {
    throw new InputError(shown, ioReason(e, 'cannot read the directory'));
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const file = path.join(at, entry.name);
    // keyless-trend.json is what `keyless history --output-dir` writes, often next to the snapshots
    if (entry.isFile() && entry.name.endsWith('.json') && entry.name !== TREND_JSON) files.push(file);
    else if (entry.isDirectory() && fs.existsSync(path.join(file, REPORT_JSON))) files.push(path.join(file, REPORT_JSON));
  }
  if (files.length === 0) {
    throw new InputError(shown, `no report snapshots found (expected ${REPORT_JSON} files, *.json snapshots, or directories holding a ${REPORT_JSON})`);
  }
  return files;
}

/** A snapshot's own name: the file's name without `.json`, or its directory's name for a `keyless-report.json`. */
function snapshotName(file: string): string {
  return path.basename(file) === REPORT_JSON ? path.basename(path.dirname(file)) : path.basename(file).replace(/\.json$/, '');
}

/**
 * Reads the snapshots `given` (files, or directories: see README) relative to `cwd`, and orders them by each
 * report's run time (`generatedAt`); snapshots of the same time keep the order given (a directory's: by name).
 * Labels: the short commit (`run.commit`), else the date; where two points would share a label, their names.
 */
export function readSnapshotFiles(given: readonly string[], cwd: string): Snapshot[] {
  const read: { snapshot: Snapshot; name: string }[] = [];
  for (const g of given) {
    for (const file of snapshotFiles(path.resolve(cwd, g), g)) {
      const shown = displayPath(file, cwd);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new InputError(shown, ioReason(e, 'cannot read'));
      }
      const report = parseSnapshot(text, shown);
      const commit = report.run?.commit;
      const origin: SnapshotOrigin = {
        label: commit !== undefined && commit !== '' ? commit.slice(0, 7) : new Date(Date.parse(report.generatedAt)).toISOString().slice(0, 10),
        source: shown,
        ...(commit !== undefined && commit !== '' ? { commit } : {}),
        date: report.generatedAt,
      };
      read.push({ snapshot: { origin, report }, name: snapshotName(file) });
    }
  }
  // Array.prototype.sort is stable: equal run times keep the order given
  const ordered = read.sort((a, b) => Date.parse(a.snapshot.report.generatedAt) - Date.parse(b.snapshot.report.generatedAt));
  return uniqueLabels(ordered.map((r) => r.snapshot), ordered.map((r) => r.name));
}

/** Points that would share a label are labelled by their names instead; names still shared get ` (2)`, ` (3)`. */
function uniqueLabels(snapshots: Snapshot[], names: readonly string[]): Snapshot[] {
  const tally = (labels: readonly string[]) => labels.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const first = tally(snapshots.map((s) => s.origin.label));
  const labels = snapshots.map((s, i) => (first.get(s.origin.label)! > 1 ? names[i] : s.origin.label));
  const seen = new Map<string, number>();
  const second = tally(labels);
  return snapshots.map((s, i) => {
    let label = labels[i];
    if (second.get(label)! > 1) {
      const n = (seen.get(label) ?? 0) + 1;
      seen.set(label, n);
      if (n > 1) label = `${label} (${n})`;
    }
    return { ...s, origin: { ...s.origin, label } };
  });
}

/** Runs git in `repo` with an argument array (never a shell); a failure throws an InputError naming `shown`. */
function git(repo: string, args: readonly string[], shown: string, what: string): string {
  try {
    return execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: MAX_GIT_OUTPUT,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
    });
  } catch (e) {
    const error = e as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT') throw new InputError(shown, 'git is not installed (needed by --git)');
    const line = String(error.stderr ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '') ?? error.message;
    throw new InputError(shown, `${what}: ${printable(line)}`);
  }
}

/**
 * The report at `reportPath` (relative to `repo`) as committed at each of the last `last` commits that changed it
 * (deletions skipped), oldest first; each point is labelled by its short commit and carries the commit's date and
 * subject. `repoShown` names the repository in errors.
 */
export function readGitSnapshots(repo: string, repoShown: string, reportPath: string, last: number): Snapshot[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(repo);
  } catch (e) {
    throw new InputError(repoShown, ioReason(e, 'cannot read'));
  }
  if (!stat.isDirectory()) throw new InputError(repoShown, 'not a directory (--git takes a git repository)');
  git(repo, ['rev-parse', '--git-dir'], repoShown, 'not a git repository');
  const relative = (path.isAbsolute(reportPath) ? path.relative(repo, reportPath) : reportPath).split(path.sep).join('/').replace(/^(\.\/)+/, '');
  if (relative === '' || relative.startsWith('../')) throw new InputError(repoShown, `--report ${JSON.stringify(reportPath)} is not a file inside the repository`);
  const log = git(repo, ['log', `--max-count=${last}`, '--format=%H%x1f%cI%x1f%s', '--diff-filter=ACMRT', '--', relative],
    repoShown, `cannot list the commits that changed ${relative}`);
  const commits = log.split('\n').filter((l) => l !== '').map((l) => {
    const [commit, date, subject] = l.split('\x1f');
    // git's strict ISO form (+00:00) as the reports write theirs (UTC, Z)
    const time = Date.parse(date);
    return { commit, date: Number.isNaN(time) ? date : new Date(time).toISOString(), subject: subject ?? '' };
  }).reverse();
  return commits.map(({ commit, date, subject }) => {
    const shown = `${repoShown}@${commit.slice(0, 7)}:${relative}`;
    const text = git(repo, ['show', `${commit}:./${relative}`], shown, 'cannot read the report at that revision');
    const report = parseSnapshot(text, shown);
    return { report, origin: { label: commit.slice(0, 7), source: shown, commit, date, ...(subject !== '' ? { subject } : {}) } };
  });
}
