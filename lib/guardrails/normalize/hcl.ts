import { basename } from 'path';
import { MAX_NESTING, nestsDeeperThan, TOO_DEEP } from '../nesting';
import { BINARY, InputError, isBinaryText, printable, stripBom } from './input-error';
import type { NormalizedSet } from './set';
import { assembleTerraform, collectTerraform, TerraformPart } from './terraform-json';

/** One Terraform source file of a module: HCL (`.tf`) or Terraform JSON (`.tf.json`, already parsed). */
export type ModuleFile = { readonly file: string; readonly hcl: string } | { readonly file: string; readonly json: unknown };

type Hcl2Json = { parse(filename: string, contents: string): Promise<Record<string, unknown>> };
let hcl2json: Promise<Hcl2Json> | undefined;

/** Loads the WASM-based parser only when HCL is actually read (it starts a Go runtime). */
function parser(): Promise<Hcl2Json> {
  hcl2json ??= import('@cdktf/hcl2json') as Promise<Hcl2Json>;
  return hcl2json;
}

/**
 * Parses one HCL file with `@cdktf/hcl2json` (which already gives Terraform JSON shapes: block bodies and nested
 * blocks as arrays of objects, expressions as `${...}` strings, heredocs as strings). Syntax errors throw
 * {@link InputError} with the line and column; text nested deeper than 512 levels (`MAX_NESTING`, see
 * {@link hclNestingLine}) throws `<file>: nested deeper than 512 levels (line L)` without being parsed.
 */
export async function parseHcl(text: string, file: string): Promise<Record<string, unknown>> {
  const source = stripBom(text);
  if (isBinaryText(source)) throw new InputError(file, BINARY);
  // Measured on the text first: nesting hcl2json cannot parse would break its runtime for the whole process.
  const deepAt = hclNestingLine(source);
  if (deepAt !== undefined) throw new InputError(file, `${TOO_DEEP} (line ${deepAt})`);
  const { parse } = await parser();
  let parsed: Record<string, unknown>;
  try {
    parsed = await parse(basename(file), source);
  } catch (e) {
    throw new InputError(file, `malformed HCL: ${hclReason((e as Error).message ?? String(e), basename(file))}`);
  }
  // Blocks become arrays of objects, so the parsed value nests deeper than the text.
  if (nestsDeeperThan(parsed)) throw new InputError(file, TOO_DEEP);
  return parsed;
}

/** `parse config: [main.tf:3,7-8: Invalid expression; Expected ...]` → `line 3, column 7: Invalid expression; Expected ...`. */
function hclReason(message: string, name: string): string {
  let text = message.replace(/^parse config:\s*\[/, '').replace(/\]\s*$/, '');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
 * Normalizes the files of one Terraform module (all `.tf` and `.tf.json` files of a directory, which Terraform
 * reads as one configuration) into ONE resource set, so `data "aws_iam_policy_document"` blocks and locals
 * declared in one file resolve in resources declared in another. Each resource keeps its own `file`.
 */
export async function normalizeTerraformModule(files: readonly ModuleFile[], setFile: string): Promise<NormalizedSet> {
  const parts: TerraformPart[] = [];
  for (const source of files) {
    if ('hcl' in source) parts.push(collectTerraform(await parseHcl(source.hcl, source.file), source.file, 'a Terraform configuration'));
    else parts.push(collectTerraform(source.json, source.file));
  }
  return assembleTerraform(parts, setFile);
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
