/**
 * How the inventory report, the `keyless check` outputs and their messages show things: file paths, Markdown table
 * cells, code spans and values cut to a readable length. Shared by `report/` and `format/`, which depend on this
 * module and not on each other, and by the readers and rules whose notes quote input.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as path from 'path';

/** A path as reports show it: relative to `root` when inside it, with `/` separators. */
export function displayPath(file: string, root?: string): string {
  if (root === undefined) return file.split(path.sep).join('/');
  const absolute = path.resolve(root, file);
  const relative = path.relative(path.resolve(root), absolute);
  const shown = relative === '' ? path.basename(absolute) : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  return shown.split(path.sep).join('/');
}

/**
 * The name a person recognizes a resource by: its construct path (CDK `aws:cdk:path` metadata, cdktf `//` metadata),
 * else its logical id or Terraform address. Logical ids and cdktf addresses carry hashes; construct paths do not.
 */
export function readableName(resource: { readonly address: string; readonly constructPath?: string }): string {
  return resource.constructPath !== undefined && resource.constructPath !== '' ? resource.constructPath.replace(/^\//, '') : resource.address;
}

/** Markdown table cell: pipes escaped, line breaks removed; `—` for nothing. */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return '—';
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/**
 * A Markdown code span for a table cell: line breaks folded, pipes escaped. Text holding a backtick gets a fence of
 * two: `padded` puts a space inside it (`` `` a`b `` ``, the `keyless check --format markdown` output), `tight`
 * does not (` ``a`b`` `, `keyless-report.md`); the two outputs are public and kept as they are.
 */
export function codeSpan(text: string, fence: 'padded' | 'tight' = 'padded'): string {
  const clean = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  if (!clean.includes('`')) return `\`${clean}\``;
  return fence === 'padded' ? `\`\` ${clean} \`\`` : `\`\`${clean}\`\``;
}

/** Text a message quotes, cut to 80 characters (the last three `...`). */
export function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A value as a message quotes it: its JSON (or its `String` when it has none), abbreviated. */
export function quoteValue(value: unknown): string {
  return abbreviate(JSON.stringify(value) ?? String(value));
}

/**
 * The first `shown` of `names`, comma-separated, and how many more there are: a note that named every role of an
 * organization (thousands of ARNs on one line) would not be read.
 */
export function someOf(names: readonly string[], shown = 10): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
