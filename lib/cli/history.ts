/**
 * `keyless history`: the trend over report snapshots (files, directories, or the report at each of the last N
 * commits that changed it). The work is done by `guardrails/history`; this module checks the options, reads, and
 * prints. Engine-neutral; internal module.
 */
import * as path from 'path';
import {
  buildTrend, DEFAULT_LAST, MIN_POINTS, readGitSnapshots, readSnapshotFiles, renderTrendMarkdown, Snapshot, writeTrend,
} from '../guardrails/history';
import { InputError } from '../guardrails/normalize/input-error';
import { ParsedArgs, UsageError } from './args';
import type { CliIo } from './main';

function snapshots(args: ParsedArgs, io: CliIo): Snapshot[] {
  if (args.git !== undefined) {
    if (args.paths.length > 0) throw new UsageError('keyless history: give SNAPSHOT paths or --git REPO --report PATH, not both (see keyless --help)');
    if (args.reportPath === undefined) throw new UsageError('keyless history: --git needs --report PATH_IN_REPO, the report\'s path inside the repository');
    const last = args.last ?? DEFAULT_LAST;
    const read = readGitSnapshots(path.resolve(io.cwd, args.git), args.git, args.reportPath, last);
    if (read.length < MIN_POINTS) {
      throw new InputError(args.git, `${read.length === 0 ? 'no commit' : 'only 1 commit'} among the last ${last} changed ${args.reportPath}; a trend needs at least ${MIN_POINTS} snapshots`);
    }
    return read;
  }
  if (args.reportPath !== undefined || args.last !== undefined) {
    throw new UsageError('keyless history: --report and --last go with --git REPO (see keyless --help)');
  }
  if (args.paths.length === 0) throw new UsageError('keyless history: no SNAPSHOT given (see keyless --help)');
  const read = readSnapshotFiles(args.paths, io.cwd);
  if (read.length < MIN_POINTS) {
    throw new UsageError(`keyless history: only ${read.length} report snapshot (${read.map((s) => s.origin.source).join(', ')}); a trend needs at least ${MIN_POINTS}`);
  }
  return read;
}

/** Runs `keyless history`; resolves to the exit status (0). Unusable input throws for `main` to report. */
export async function history(args: ParsedArgs, io: CliIo, now: Date): Promise<number> {
  const trend = buildTrend(snapshots(args, io), now);
  if (args.outputDir !== undefined) {
    try {
      writeTrend(trend, path.resolve(io.cwd, args.outputDir));
    } catch (e) {
      throw new InputError(args.outputDir, `cannot write the trend: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  io.stdout(args.format === 'json' ? `${JSON.stringify(trend, undefined, 2)}\n` : renderTrendMarkdown(trend));
  return 0;
}
