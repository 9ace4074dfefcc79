import { basename } from 'path';
import { InputError, stripBom } from './input-error';
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
 * {@link InputError} with the line and column.
 */
export async function parseHcl(text: string, file: string): Promise<Record<string, unknown>> {
  const { parse } = await parser();
  try {
    return await parse(basename(file), stripBom(text));
  } catch (e) {
    throw new InputError(file, `malformed HCL: ${hclReason((e as Error).message ?? String(e), basename(file))}`);
  }
}

/** `parse config: [main.tf:3,7-8: Invalid expression; Expected ...]` → `line 3, column 7: Invalid expression; Expected ...`. */
function hclReason(message: string, name: string): string {
  let text = message.replace(/^parse config:\s*\[/, '').replace(/\]\s*$/, '');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  text = text.replace(new RegExp(`^${escaped}:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?:\\s*`), 'line $1, column $2: ');
  return text.split('\n')[0];
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
