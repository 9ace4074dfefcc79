import { basename, dirname, isAbsolute, resolve as resolvePath } from 'path';
import { MAX_NESTING, nestsDeeperThan, TOO_DEEP } from '../nesting';
import { BINARY, InputError, isBinaryText, printable, stripBom } from './input-error';
import { escapeRegExp } from '../regexp';
import type { NormalizedResource } from '../model';
import type { NormalizedSet } from './set';
import { assembleTerraform, collectTerraform, ModuleScope, readModule, ReadModuleCall, rootModule, TerraformPart } from './terraform-json';
import { readCallerAccounts } from './caller-identity';
import { parseHclWithWorker } from './hcl-sync';
import { CalledModule, readCalledOutputs } from './module-outputs';

/** One Terraform source file of a module: HCL (`.tf`) or Terraform JSON (`.tf.json`, already parsed). */
export type ModuleFile = { readonly file: string; readonly hcl: string } | { readonly file: string; readonly json: unknown };

type Hcl2Json = { parse(filename: string, contents: string): Promise<Record<string, unknown>> };
/**
 * Loads the WASM-based parser only when HCL is actually read (it starts a Go runtime). Node's module cache keeps the
 * loaded module, so this module keeps nothing of its own.
 */
function parser(): Promise<Hcl2Json> {
  return import('@cdktf/hcl2json') as Promise<Hcl2Json>;
}

/**
 * Parses one HCL file with `@cdktf/hcl2json` (which already gives Terraform JSON shapes: block bodies and nested
 * blocks as arrays of objects, expressions as `${...}` strings, heredocs as strings). Syntax errors throw
 * {@link InputError} with the line and column; text nested deeper than 512 levels (`MAX_NESTING`, see
 * {@link hclNestingLine}) throws `<file>: nested deeper than 512 levels (line L)` without being parsed.
 */
export async function parseHcl(text: string, file: string): Promise<Record<string, unknown>> {
  const source = hclSource(text, file);
  const { parse } = await parser();
  let parsed: Record<string, unknown>;
  try {
    parsed = await parse(basename(file), source);
  } catch (e) {
    throw malformedHcl((e as Error).message ?? String(e), file);
  }
  return checkedParse(parsed, file);
}

/**
 * {@link parseHcl} for the files of one module at once, synchronously (the cdktf aspect): the same checks before and
 * after, the parse in a worker thread (`hcl-sync.ts`).
 */
export function parseHclFilesSync(files: readonly { readonly file: string; readonly hcl: string }[]): Record<string, unknown>[] {
  const sources = files.map((f) => ({ name: basename(f.file), text: hclSource(f.hcl, f.file) }));
  return parseHclWithWorker(sources).map((answer, i) => {
    if ('error' in answer) throw malformedHcl(answer.error, files[i].file);
    return checkedParse(answer.json, files[i].file);
  });
}

/** The text hcl2json is given: without a BOM; binary text, and nesting it could not parse, are refused first. */
function hclSource(text: string, file: string): string {
  const source = stripBom(text);
  if (isBinaryText(source)) throw new InputError(file, BINARY);
  // Measured on the text first: nesting hcl2json cannot parse would break its runtime for the whole process.
  const deepAt = hclNestingLine(source);
  if (deepAt !== undefined) throw new InputError(file, `${TOO_DEEP} (line ${deepAt})`);
  return source;
}

function malformedHcl(message: string, file: string): InputError {
  return new InputError(file, `malformed HCL: ${hclReason(message, basename(file))}`);
}

function checkedParse(parsed: Record<string, unknown>, file: string): Record<string, unknown> {
  // Blocks become arrays of objects, so the parsed value nests deeper than the text.
  if (nestsDeeperThan(parsed)) throw new InputError(file, TOO_DEEP);
  return parsed;
}

/** `parse config: [main.tf:3,7-8: Invalid expression; Expected ...]` → `line 3, column 7: Invalid expression; Expected ...`. */
function hclReason(message: string, name: string): string {
  let text = message.replace(/^parse config:\s*\[/, '').replace(/\]\s*$/, '');
  const escaped = escapeRegExp(name);
  text = text.replace(new RegExp(`^${escaped}:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?:\\s*`), 'line $1, column $2: ');
  return printable(text.split('\n')[0]);
}

/**
 * Normalizes one Terraform HCL file. References to blocks in other files of the same module stay `${...}`
 * strings: use {@link normalizeTerraformModule} (or `loadPath` on the directory) to read a module as a whole.
 */
export async function normalizeHcl(text: string, file: string): Promise<NormalizedSet> {
  return normalizeTerraformModule([{ file, hcl: text }], file);
}

/**
 * How module calls are followed: `read` gives the `.tf`/`.tf.json` files of a module directory (with its real path,
 * to tell a module that calls itself), or why it cannot be read; `downloaded` maps module keys (`etl`,
 * `etl.inner`, as in `.terraform/modules/modules.json`) to the directories `terraform init` downloaded them into,
 * when reading them was asked for.
 */
export interface ModuleReader {
  /** The real path of the root module's directory. */
  readonly rootDirectory: string;
  readonly read: (dir: string) => { readonly directory: string; readonly files: readonly ModuleFile[] } | { readonly problem: string };
  readonly downloaded?: ReadonlyMap<string, string>;
  /** Why a call with a non-local source cannot be followed when `downloaded` has no entry for it. */
  readonly notDownloaded: string;
  /**
   * Whether an absolute path source (`/work/modules/keys`) is a local module. cdktf's `TerraformHclModule` keeps the
   * source given to it in the stack's Terraform JSON and copies that directory as an asset only when it writes the
   * stack, so the cdktf aspect sees the absolute path; the `.tf` files Terraform reads use `./` or `../`.
   */
  readonly absoluteSources?: boolean;
  /**
   * The HCL this check has parsed already. A module called from several roots, called several times or also read as
   * a root of its own is parsed once (`keyless check` over terraform-aws-eks, whose examples call `../..`, gave
   * hcl2json 405 files of 59 different texts without it).
   */
  readonly parsed?: ParsedHcl;
}

/**
 * hcl2json's answer for each HCL text one check has parsed, by the text (files of the same content, such as the
 * `versions.tf` of several examples, share it). Never mutated: every reader builds its own values from it.
 */
export type ParsedHcl = Map<string, Record<string, unknown>>;

/**
 * Normalizes the files of one Terraform module (all `.tf` and `.tf.json` files of a directory, which Terraform
 * reads as one configuration) into ONE resource set, so `data "aws_iam_policy_document"` blocks and locals
 * declared in one file resolve in resources declared in another. Each resource keeps its own `file`.
 *
 * With a {@link ModuleReader}, calls to local modules (`source = "./..."` / `"../..."`, relative to the calling
 * file's directory) and, when `downloaded` is given, to modules `terraform init` downloaded are followed: the
 * module's resources join the set at their module address (`module.etl.aws_iam_access_key.this`), with the
 * caller's arguments bound to the module's variables. What cannot be followed is named in a note. Without one,
 * every module call is a note.
 */
export async function normalizeTerraformModule(files: readonly ModuleFile[], setFile: string, modules?: ModuleReader): Promise<NormalizedSet> {
  const parsed: ParsedHcl = modules?.parsed ?? new Map();
  const parts = await parseModuleFiles(files, parsed);
  if (!modules) return assembleTerraform(parts, setFile);
  const resources: NormalizedResource[] = [];
  const notes: string[] = [];
  const walk = expandModule(parts, rootModule(), [{ key: '', directory: modules.rootDirectory, address: '' }], modules, { resources, notes });
  for (let step = walk.next(); !step.done;) step = walk.next(await parseModuleFiles(step.value, parsed));
  readCallerAccounts(resources);
  return { file: setFile, engine: 'terraform', resources, ...(notes.length > 0 ? { notes: [...new Set(notes)] } : {}) };
}

/**
 * {@link normalizeTerraformModule} for one Terraform JSON configuration, synchronously (the cdktf aspect runs inside
 * cdktf's synchronous validation): calls to local modules are followed, their Terraform JSON (`.tf.json`) as it is
 * and their HCL (`.tf`) parsed in a worker thread while the aspect waits ({@link parseHclFilesSync}).
 */
export function normalizeTerraformJsonModules(config: unknown, file: string, modules: ModuleReader): NormalizedSet {
  const resources: NormalizedResource[] = [];
  const notes: string[] = [];
  const walk = expandModule([collectTerraform(config, file)], rootModule(), [{ key: '', directory: modules.rootDirectory, address: '' }], modules, { resources, notes });
  const parsed: ParsedHcl = modules.parsed ?? new Map();
  for (let step = walk.next(); !step.done;) {
    const files = step.value;
    const unread = new Map<string, { file: string; hcl: string }>();
    for (const f of files) if ('hcl' in f && !parsed.has(f.hcl) && !unread.has(f.hcl)) unread.set(f.hcl, f);
    const hcl = [...unread.values()];
    try {
      // one worker round trip for the texts of the module not parsed yet
      const json = hcl.length > 0 ? parseHclFilesSync(hcl) : [];
      hcl.forEach((f, i) => parsed.set(f.hcl, json[i]));
    } catch (e) {
      // Malformed HCL is unusable input, as for keyless check; a parser that could not run is said in a note.
      if (e instanceof InputError) throw e;
      step = walk.next(`holds HCL files (${hcl.map((f) => basename(f.file)).join(', ')}) the cdktf aspect could not parse (${(e as Error).message})`);
      continue;
    }
    step = walk.next(files.map((f) => ('hcl' in f
      ? collectTerraform(parsed.get(f.hcl), f.file, 'a Terraform configuration')
      : collectTerraform(f.json, f.file))));
  }
  readCallerAccounts(resources);
  return { file, engine: 'terraform', resources, ...(notes.length > 0 ? { notes: [...new Set(notes)] } : {}) };
}

async function parseModuleFiles(files: readonly ModuleFile[], parsed: ParsedHcl): Promise<TerraformPart[]> {
  const parts: TerraformPart[] = [];
  for (const source of files) {
    if ('json' in source) {
      parts.push(collectTerraform(source.json, source.file));
      continue;
    }
    let json = parsed.get(source.hcl);
    if (json === undefined) {
      json = await parseHcl(source.hcl, source.file);
      parsed.set(source.hcl, json);
    }
    parts.push(collectTerraform(json, source.file, 'a Terraform configuration'));
  }
  return parts;
}

/** One module being expanded: its key in `modules.json` (`etl.inner`) and its real directory. */
interface Expanding {
  readonly key: string;
  readonly directory: string;
  readonly address: string;
}

/**
 * Reads one module and follows its calls, depth first, and returns the module's outputs (with the outputs of the
 * modules it calls read into its resources and outputs: see `module-outputs.ts`). Parsing is the caller's: the walk
 * yields the files of each module it follows and gets back their parts, or why they cannot be read (so one walk
 * serves the asynchronous reader and the cdktf aspect's synchronous one).
 */
function* expandModule(
  parts: readonly TerraformPart[], scope: ModuleScope, expanding: readonly Expanding[], modules: ModuleReader,
  into: { resources: NormalizedResource[]; notes: string[] },
): Generator<readonly ModuleFile[], ReadonlyMap<string, unknown>, TerraformPart[] | string> {
  const read = readModule(parts, scope);
  const called: CalledModule[] = [];
  // One push per item: spreading a module of 100,000+ resources as arguments would overflow the stack.
  for (const resource of read.resources) into.resources.push(resource);
  for (const note of read.notes) into.notes.push(note);
  for (const call of read.calls) {
    const caller = expanding[expanding.length - 1];
    const key = caller.key === '' ? call.name : `${caller.key}.${call.name}`;
    const dir = moduleDirectory(call, key, modules, into.notes);
    if (dir === undefined) continue;
    const module = modules.read(dir);
    if ('problem' in module) {
      into.notes.push(`${call.file}: ${call.address}: module source ${JSON.stringify(call.source)} ${module.problem}; its resources are not checked`);
      continue;
    }
    const cycle = expanding.find((e) => e.directory === module.directory);
    if (cycle) {
      const whose = cycle.address === '' ? 'the root module' : cycle.address;
      into.notes.push(`${call.file}: ${call.address}: module source ${JSON.stringify(call.source)} is ${whose}, which is already being expanded (a module that calls itself); not expanded again`);
      continue;
    }
    const moduleParts = yield module.files;
    if (typeof moduleParts === 'string') {
      into.notes.push(`${call.file}: ${call.address}: module source ${JSON.stringify(call.source)} ${moduleParts}; its resources are not checked`);
      continue;
    }
    const outputs = yield* expandModule(
      moduleParts,
      { address: `${call.address}.`, variables: call.variables, providers: call.providers },
      [...expanding, { key, directory: module.directory, address: call.address }],
      modules,
      into,
    );
    // as this module's code names the call: `module.inner`, without this module's own address in front
    called.push({ reference: call.address.slice(scope.address.length), outputs });
  }
  return readCalledOutputs(read.resources, read.outputs, called, into.notes);
}

/** The directory a module call's source names, or `undefined` after a note saying why it cannot be followed. */
function moduleDirectory(call: ReadModuleCall, key: string, modules: ModuleReader, notes: string[]): string | undefined {
  if (call.source === undefined) {
    notes.push(`${call.file}: ${call.address}: module source is not a literal string; its resources are not checked`);
    return undefined;
  }
  if (/^\.\.?[\\/]/.test(call.source)) return resolvePath(dirname(call.file), call.source);
  if (modules.absoluteSources && isAbsolute(call.source)) return call.source;
  const downloaded = modules.downloaded?.get(key);
  if (downloaded !== undefined) return downloaded;
  notes.push(`${call.file}: ${call.address}: module source ${JSON.stringify(call.source)} is not a local path (./ or ../) and ${modules.notDownloaded}; its resources are not checked`);
  return undefined;
}

/** A frame of {@link hclNestingLine}'s scanner. */
interface ScanFrame {
  readonly kind: 'bracket' | 'string' | 'heredoc' | 'template';
  /** `}`, `]` or `)` for a bracket; `}` for a template interpolation. */
  readonly close?: string;
  /** Heredoc marker. */
  readonly marker?: string;
  /** `?` of conditionals in this frame since the last item separator: each nests one more expression. */
  conditionals: number;
}

/**
 * The line at which HCL text nests deeper than {@link MAX_NESTING} levels, or `undefined`. hcl2json's parser is
 * recursive and runs in a Go runtime on the JavaScript stack: text nested a few thousand levels deep overflows that
 * stack, and the runtime is then broken for every later parse in the process. So the nesting is measured here, on
 * the text, before hcl2json sees it: brackets, parentheses and block bodies, quoted strings and heredocs inside
 * expressions, template interpolations (`${`, `%{`), chained conditionals (`a ? b : c ? ...`) and runs of unary
 * operators (`!!x`, `- -x`), outside comments and string literals. It over-counts rather than under-counts.
 */
export function hclNestingLine(text: string): number | undefined {
  const frames: ScanFrame[] = [];
  let line = 1;
  let unary = 0;
  const top: ScanFrame = { kind: 'bracket', conditionals: 0 };
  const current = (): ScanFrame => frames[frames.length - 1] ?? top;
  const tooDeep = (): boolean => frames.length + current().conditionals + unary > MAX_NESTING;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    const frame = current();
    if (c === '\n') line++;
    if (frame.kind === 'string' || frame.kind === 'heredoc') {
      if (frame.kind === 'string' && c === '\\') {
        i += 2;
        continue;
      }
      if (frame.kind === 'string' && (c === '"' || c === '\n')) {
        frames.pop();
        i++;
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === '{') {
        frames.push({ kind: 'template', close: '}', conditionals: 0 });
        if (tooDeep()) return line;
        i += 2;
        continue;
      }
      if (frame.kind === 'heredoc' && c === '\n') {
        const end = text.indexOf('\n', i + 1);
        if (text.slice(i + 1, end === -1 ? n : end).trim() === frame.marker) {
          frames.pop();
          i = end === -1 ? n : end;
          continue;
        }
      }
      i++;
      continue;
    }
    // code: the top level, inside brackets, or inside a template interpolation
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '!' || c === '-') {
      unary++;
      if (tooDeep()) return line;
      i++;
      continue;
    }
    unary = 0;
    if (c === '"') {
      frames.push({ kind: 'string', conditionals: 0 });
    } else if (c === '<' && text[i + 1] === '<') {
      const header = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 256));
      if (header) {
        frames.push({ kind: 'heredoc', marker: header[1], conditionals: 0 });
        i += header[0].length - 1; // stop at the newline, which may close an empty heredoc
        continue;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      frames.push({ kind: 'bracket', close: c === '{' ? '}' : c === '[' ? ']' : ')', conditionals: 0 });
    } else if (frame.close !== undefined && c === frame.close) {
      frames.pop();
    } else if (c === '?') {
      frame.conditionals++;
    } else if (c === ',' || (c === '\n' && (frame === top || frame.close === '}'))) {
      frame.conditionals = 0;
    }
    if (tooDeep()) return line;
    i++;
  }
  return undefined;
}
