/**
 * The source file CODEOWNERS patterns are matched against, for a checked file: a Terraform `.tf` / `.tf.json` file is
 * its own source; a template inside a `cdk.out` or `cdktf.out` comes from the app's entry file, the `app` command of
 * the `cdk.json` / `cdktf.json` next to the output directory (`npx ts-node --prefer-ts-exts bin/app.ts` ->
 * `bin/app.ts`). When no source can be told, the file itself.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The app configurations that name an entry, and their default output directory. */
const APP_CONFIGS: ReadonlyArray<readonly [config: string, defaultOutput: string]> = [['cdk.json', 'cdk.out'], ['cdktf.json', 'cdktf.out']];

/** File extensions of an app's entry file in an `app` command. */
const ENTRY = /\.(?:[cm]?[tj]sx?|py|java|kts?|go|cs|fs|rb)$/i;

/** The entry file an `app` command runs, relative to `dir`: its last argument that names a source file. */
export function appEntry(command: string, dir: string): string | undefined {
  const args = command.trim().split(/\s+/).filter((a) => a !== '' && !a.startsWith('-'));
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i].replace(/^['"]|['"]$/g, '');
    if (ENTRY.test(arg) && !arg.includes('=')) return path.resolve(dir, arg);
  }
  return undefined;
}

/**
 * The source of `file` (absolute or relative to the process's directory): the app entry when `file` is inside the
 * output directory of a `cdk.json` / `cdktf.json` with an `app` command, else `file`. The walk up stops at the
 * repository root (the directory with `.git`).
 */
export function sourceFileOf(file: string): string {
  const absolute = path.resolve(file);
  let dir = path.dirname(absolute);
  for (let depth = 0; depth < 64; depth++) {
    for (const [config, defaultOutput] of APP_CONFIGS) {
      const entry = entryFromConfig(path.join(dir, config), defaultOutput, absolute);
      if (entry !== undefined) return entry;
    }
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return absolute;
}

function entryFromConfig(configFile: string, defaultOutput: string, file: string): string | undefined {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (config === null || typeof config !== 'object') return undefined;
  const { app, output } = config as { app?: unknown; output?: unknown };
  const dir = path.dirname(configFile);
  const outdir = path.resolve(dir, typeof output === 'string' && output !== '' ? output : defaultOutput);
  const relative = path.relative(outdir, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return typeof app === 'string' ? appEntry(app, dir) : undefined;
}
