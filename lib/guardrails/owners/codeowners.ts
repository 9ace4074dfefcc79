/**
 * CODEOWNERS, the GitHub / GitLab convention: where the file is, what its lines say, and who owns a path.
 *
 * - Lines are `PATTERN OWNER...`; `#` starts a comment (a whole line, or after whitespace); `\#` is a literal `#` and
 *   `\ ` a literal space in a pattern. Patterns are gitignore patterns, matched with the `ignore` package.
 * - The LAST matching line wins. A line with a pattern and no owners un-owns what it matches.
 * - GitLab sections: `[Section]`, `^[Optional section]`, `[Section][2]`, each optionally followed by default owners,
 *   are headers, not patterns; a pattern line without owners inside a section with default owners gets those.
 *   (GitLab combines the owners of every section that matches; one owner is reported here, so the last matching line
 *   of the whole file wins, as on GitHub.)
 * - GitHub does not support `!` negation: such a line is reported as a problem and skipped.
 *
 * Engine-neutral; internal module (not part of the jsii API). No module state.
 */
import * as fs from 'fs';
import * as path from 'path';
import ignore, { Ignore } from 'ignore';
import { isFile, statOrUndefined } from '../normalize/files';

/** Where GitHub looks (in this order), then GitLab's own location, relative to a repository root. */
export const CODEOWNERS_LOCATIONS: readonly string[] = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

/** One pattern line. */
export interface CodeownersRule {
  /** 1-based line number. */
  readonly line: number;
  readonly pattern: string;
  /** Owners as written (`@org/team`, `@user`, `someone@example.com`); empty: the line un-owns what it matches. */
  readonly owners: readonly string[];
  readonly matcher: Ignore;
}

/** A parsed CODEOWNERS file. */
export interface Codeowners {
  /** The CODEOWNERS file. */
  readonly file: string;
  /** The directory its patterns are relative to (the repository root). */
  readonly root: string;
  readonly rules: readonly CodeownersRule[];
  /** Lines that were skipped, and why (`line 4: ...`). */
  readonly problems: readonly string[];
}

/** Who owns a path: the last matching line. `owners` is empty when that line un-owns the path. */
export interface CodeownersMatch {
  readonly line: number;
  readonly pattern: string;
  readonly owners: readonly string[];
}

/** A GitLab section header: optional `^`, `[name]`, optional `[approvals]`, then whitespace + default owners or nothing. */
const SECTION = /^\^?\[[^\]]+\](?:\[\d+\])?(?:\s+(.*))?$/;

/** Splits on whitespace that is not escaped by a backslash, after dropping a comment (`#` at the start or after whitespace). */
function tokens(line: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      current += c + line[i + 1];
      i++;
      continue;
    }
    if (c === '#' && current === '') break;
    if (/\s/.test(c)) {
      if (current !== '') out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current !== '') out.push(current);
  return out;
}

/** Parses CODEOWNERS text. `file` and `root` are recorded as given. */
export function parseCodeowners(text: string, file: string, root: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const problems: string[] = [];
  let sectionOwners: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const section = SECTION.exec(trimmed);
    if (section) {
      sectionOwners = tokens(section[1] ?? '');
      continue;
    }
    const [pattern, ...owners] = tokens(trimmed);
    if (pattern === undefined) continue;
    if (pattern.startsWith('!')) {
      problems.push(`line ${line}: ${JSON.stringify(pattern)}: negation (!) is not supported in CODEOWNERS; line skipped`);
      continue;
    }
    rules.push({
      line,
      pattern,
      owners: owners.length > 0 ? owners : sectionOwners,
      matcher: ignore({ ignorecase: false }).add(pattern),
    });
  }
  return { file, root, rules, problems };
}

/**
 * The last line of `codeowners` whose pattern matches `file` (absolute, or relative to the process's directory), or
 * undefined when none does or the file is outside the CODEOWNERS root.
 */
export function matchCodeowners(codeowners: Codeowners, file: string): CodeownersMatch | undefined {
  const relative = path.relative(codeowners.root, path.resolve(file)).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) return undefined;
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i];
    if (rule.matcher.ignores(relative)) return { line: rule.line, pattern: rule.pattern, owners: rule.owners };
  }
  return undefined;
}

/** The directory a CODEOWNERS file's patterns are relative to: its directory, or the parent of `.github`, `.gitlab`, `docs`. */
export function codeownersRoot(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return ['.github', '.gitlab', 'docs'].includes(path.basename(dir)) ? path.dirname(dir) : dir;
}

/**
 * The CODEOWNERS file that governs `start` (a file or directory): walking up from it, the first directory holding one
 * at a {@link CODEOWNERS_LOCATIONS} location, stopping at the repository root (the directory with `.git`).
 */
export function findCodeowners(start: string): string | undefined {
  let dir = path.resolve(start);
  if (!statOrUndefined(dir)?.isDirectory()) dir = path.dirname(dir);
  for (;;) {
    for (const location of CODEOWNERS_LOCATIONS) {
      const candidate = path.join(dir, location);
      if (isFile(candidate)) return candidate;
    }
    if (fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
