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

/**
 * An integer with thousands separators, as `n.toLocaleString('en-US')` writes it (`3,100`, `-1,234,567`), without
 * asking ICU: the first `toLocaleString` of a process loads its locale data, about 20 ms of a `cdk synth` or a
 * `keyless check` that writes one count. Other numbers (fractions, beyond 2^53) are left to `toLocaleString`.
 */
export function withThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}

/** `n` and the noun for it, `n` with thousands separators: `1 finding`, `3,100 findings`. */
export function counted(n: number, one: string, many: string): string {
  return `${withThousands(n)} ${n === 1 ? one : many}`;
}

/** What a job summary holds, in UTF-8 bytes, with room to spare: GitHub drops a step's whole summary past 1 MiB. */
export const JOB_SUMMARY_MAX_BYTES = 1_000_000;

const TABLE_SEPARATOR = /^\|(\s*:?-+:?\s*\|)+\s*$/;

/**
 * A Markdown document cut to at most `maxBytes` UTF-8 bytes by shortening its tables and bullet lists alike (each keeps
 * its first rows, the same number for all), each followed by a line saying how many rows it left out and `where` they
 * all are; headings, text and fenced blocks are kept. Returned unchanged when it fits.
 */
export function fitMarkdown(markdown: string, where: string, maxBytes: number = JOB_SUMMARY_MAX_BYTES): string {
  const size = (text: string): number => Buffer.byteLength(text, 'utf8') + 1;
  if (Buffer.byteLength(markdown, 'utf8') <= maxBytes) return markdown;
  // the document as fixed lines and runs of rows (table body rows after a separator, or `- ` items)
  type Run = { rows: string[]; table: boolean };
  const parts: (string | Run)[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) fenced = !fenced;
    const last = parts[parts.length - 1];
    const inTable = typeof last === 'object' && last.table ? line.startsWith('|') : i > 0 && TABLE_SEPARATOR.test(lines[i - 1]) && line.startsWith('|');
    const item = !fenced && /^- /.test(line);
    if (!fenced && inTable) {
      if (typeof last === 'object' && last.table) last.rows.push(line);
      else parts.push({ rows: [line], table: true });
    } else if (item && typeof last === 'object' && !last.table) last.rows.push(line);
    else if (item) parts.push({ rows: [line], table: false });
    else parts.push(line);
  }
  const runs = parts.filter((p): p is Run => typeof p === 'object');
  const note = (left: number): string => `_${counted(left, 'more row', 'more rows')} not shown (a job summary holds at most 1 MiB): ${where}._`;
  const fixed = parts.reduce((n, p) => n + (typeof p === 'string' ? size(p) : size('') + size(note(p.rows.length))), 0);
  const cost = (keep: number): number => runs.reduce((n, r) => n + r.rows.slice(0, keep).reduce((m, row) => m + size(row), 0), 0);
  // the most rows every run may keep within the budget
  let low = 0;
  let high = Math.max(0, ...runs.map((r) => r.rows.length));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fixed + cost(mid) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      out.push(p);
      continue;
    }
    out.push(...p.rows.slice(0, low));
    if (p.rows.length > low) out.push('', note(p.rows.length - low));
  }
  return out.join('\n');
}
