/**
 * Reads README.md for the tests under test/readme/: fenced code blocks (with the README line of each) and the
 * anchors a link such as `README.md#kl-aws-01` can land on.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const README_PATH = path.join(REPO_ROOT, 'README.md');

export function readReadme(): string {
  return fs.readFileSync(README_PATH, 'utf8');
}

/** One fenced code block of README.md. */
export interface CodeBlock {
  /** The language, the first word after the opening fence (`ts`, `json`, ...). */
  readonly lang: string;
  /** The rest of the opening fence line (e.g. `nocompile`). */
  readonly info: string;
  /** 1-based README line of the opening fence. */
  readonly fenceLine: number;
  /** The block's text; its line i (0-based) is README line `fenceLine + 1 + i`. */
  readonly code: string;
  /** The nearest heading above the block, without the `#`s. */
  readonly heading: string;
}

/** Every fenced (```) code block, in order. An unterminated fence is an error. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i]);
    if (!open) {
      const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]);
      if (h) heading = h[1];
      continue;
    }
    const fence = open[2];
    const [lang = '', ...rest] = open[3].trim().split(/\s+/);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (new RegExp(`^\\s*${fence}\\s*$`).test(lines[j])) break;
      body.push(lines[j]);
    }
    if (j >= lines.length) {
      throw new Error(`README.md:${i + 1}: code block is never closed`);
    }
    blocks.push({ lang, info: rest.join(' '), fenceLine: i + 1, code: body.join('\n'), heading });
    i = j;
  }
  return blocks;
}

/** GitHub's heading id: lower case, punctuation other than `-` and `_` removed, spaces as `-`. */
export function gitHubSlug(headingText: string): string {
  const text = headingText
    .replace(/`([^`]*)`/g, '$1') // inline code
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/(\*\*|__|\*)/g, '');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/**
 * Every fragment that lands somewhere in the rendered README: explicit `id="..."` / `name="..."` attributes and
 * GitHub's heading slugs (a repeated slug gets `-1`, `-2`, ...). Headings inside code blocks do not count.
 */
export function anchors(markdown: string): Set<string> {
  const result = new Set<string>();
  const slugCount = new Map<string, number>();
  let inFence: string | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(`{3,})/.exec(line);
    if (fence) {
      if (inFence === undefined) inFence = fence[1];
      else if (new RegExp(`^\\s*${inFence}\\s*$`).test(line)) inFence = undefined;
      continue;
    }
    if (inFence !== undefined) continue;
    for (const m of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) {
      result.add(m[1]);
    }
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const slug = gitHubSlug(h[1]);
      const n = slugCount.get(slug) ?? 0;
      slugCount.set(slug, n + 1);
      result.add(n === 0 ? slug : `${slug}-${n}`);
    }
  }
  return result;
}

/** The fence-line marker that keeps a ```ts block out of the snippet tests (```ts nocompile). */
export const NOCOMPILE = 'nocompile';

/** The ```ts blocks of README.md, split into the ones the tests compile and run and the ones opted out. */
export function typeScriptSnippets(markdown: string = readReadme()): { compiled: CodeBlock[]; optedOut: CodeBlock[] } {
  const all = codeBlocks(markdown).filter((b) => b.lang === 'ts' || b.lang === 'typescript');
  const isOptedOut = (b: CodeBlock) => b.info.split(/\s+/).includes(NOCOMPILE);
  return { compiled: all.filter((b) => !isOptedOut(b)), optedOut: all.filter(isOptedOut) };
}

/** The first ```json block under the heading `heading` (exact heading text, e.g. "`plan.json`"). */
export function jsonBlockUnder(markdown: string, heading: string): CodeBlock {
  const block = codeBlocks(markdown).find((b) => b.lang === 'json' && b.heading === heading);
  if (block === undefined) throw new Error(`README.md has no \`\`\`json block under the heading "${heading}"`);
  return block;
}

/** `cdk-keyless` and `cdk-keyless/<path>` are this repository's sources; everything else its node_modules. */
function snippetRequire(id: string): unknown {
  const target = id === 'cdk-keyless' ? path.join(REPO_ROOT, 'lib')
    : id.startsWith('cdk-keyless/') ? path.join(REPO_ROOT, id.slice('cdk-keyless/'.length))
      : id;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a snippet's imports, known only at run time
  return require(target);
}

/**
 * Transpiles `source` (a snippet of `block`, possibly rewritten line for line) to CommonJS and runs it in the
 * current working directory; `globals` are in scope by name. Returns the module's exports.
 */
export function runModule(source: string, block: CodeBlock, globals: Record<string, unknown> = {}): Record<string, unknown> {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    reportDiagnostics: true,
    fileName: `readme-line-${block.fenceLine}.ts`,
  });
  const problems = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (problems.length > 0) throw new Error(`README.md:${block.fenceLine}: ${problems.join('; ')}`);
  const module = { exports: {} as Record<string, unknown> };
  const names = Object.keys(globals);
  new Function('require', 'module', 'exports', ...names, out.outputText)(snippetRequire, module, module.exports, ...names.map((n) => globals[n]));
  return module.exports;
}
