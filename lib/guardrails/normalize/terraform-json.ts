import { BlockKind, NormalizedResource } from '../model';
import { MAX_NESTING, NestingError, TOO_DEEP } from '../nesting';
import { describe } from './cloudformation';
import { readHclExpression, singleCallArgument } from './hcl-expression';
import { InputError, isObject } from './input-error';
import { buildPolicyDocument } from './policy-document';
import type { NormalizedSet } from './set';

/** Top-level keys a Terraform JSON configuration may have. `//` is a comment (cdktf writes its metadata there). */
const TOP_LEVEL = new Set([
  'resource', 'data', 'ephemeral', 'provider', 'terraform', 'variable', 'locals', 'output', 'module', 'moved', 'import',
  'check', 'removed', '//',
]);

/** One block of a Terraform configuration before resolution. */
export interface TerraformBlock {
  readonly kind: BlockKind;
  readonly type: string;
  readonly address: string;
  readonly body: Record<string, unknown>;
  readonly file: string;
}

/** What one file contributes to a Terraform module. */
export interface TerraformPart {
  readonly file: string;
  readonly blocks: TerraformBlock[];
  readonly locals: Array<[string, unknown]>;
  /** `module.NAME` calls (not expanded). */
  readonly modules: string[];
}

/** Whether a parsed JSON document looks like a Terraform JSON configuration (every top-level key is a Terraform block type). */
export function looksLikeTerraformJson(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  const keys = Object.keys(doc);
  return keys.some((k) => k !== '//') && keys.every((k) => TOP_LEVEL.has(k));
}

/**
 * Normalizes a Terraform JSON configuration (a `*.tf.json` file or cdktf's `cdk.tf.json`):
 * `resource.TYPE.NAME` → kind `resource`, address `TYPE.NAME`; `data.TYPE.NAME` → kind `data`, address
 * `data.TYPE.NAME`; `provider.NAME` (one object or an array of objects, each optionally with `alias`) → kind
 * `provider`, type `NAME`, address `provider.NAME` or `provider.NAME.ALIAS`. Any level may be an array of
 * objects, as Terraform JSON allows. cdktf's `"//": {"metadata": {"path": ...}}` becomes `constructPath` and is
 * removed from the properties.
 *
 * Static reading (see `normalize/index.ts`): `${jsonencode({...})}` with a literal argument becomes the JSON
 * string Terraform would produce, `${data.aws_iam_policy_document.X.json}` becomes the policy JSON, and
 * `${local.X}` becomes the local's value. Everything else that is not a literal stays a `${...}` string.
 *
 * A block whose arguments nest deeper than 512 levels (`MAX_NESTING`), counting what locals and `jsonencode` add,
 * throws {@link InputError}: `<file>: nested deeper than 512 levels (TYPE.NAME)`.
 */
export function normalizeTerraformJson(config: unknown, file: string): NormalizedSet {
  return assembleTerraform([collectTerraform(config, file)], file);
}

/** Reads the blocks of one Terraform JSON document (or hcl2json output) without resolving anything. */
export function collectTerraform(config: unknown, file: string, what = 'a Terraform JSON configuration'): TerraformPart {
  if (!isObject(config)) {
    throw new InputError(file, `not ${what}: expected an object, got ${describe(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (!TOP_LEVEL.has(key)) {
      throw new InputError(file, `not ${what}: unknown top-level block "${key}"`);
    }
  }
  const part: TerraformPart = { file, blocks: [], locals: [], modules: [] };
  for (const kind of ['resource', 'data'] as const) {
    for (const byType of objects(config[kind], kind, file)) {
      for (const [type, named] of Object.entries(byType)) {
        for (const byName of objects(named, `${kind}.${type}`, file)) {
          for (const [name, bodies] of Object.entries(byName)) {
            const prefix = kind === 'data' ? 'data.' : '';
            for (const body of objects(bodies, `${kind}.${type}.${name}`, file)) {
              part.blocks.push({ kind, type, address: `${prefix}${type}.${name}`, body, file });
            }
          }
        }
      }
    }
  }
  for (const byName of objects(config.provider, 'provider', file)) {
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of objects(bodies, `provider.${name}`, file)) {
        const alias = body.alias;
        const address = typeof alias === 'string' && alias !== '' ? `provider.${name}.${alias}` : `provider.${name}`;
        part.blocks.push({ kind: 'provider', type: name, address, body, file });
      }
    }
  }
  for (const locals of objects(config.locals, 'locals', file)) {
    part.locals.push(...Object.entries(locals));
  }
  for (const byName of objects(config.module, 'module', file)) {
    part.modules.push(...Object.keys(byName).map((name) => `module.${name}`));
  }
  return part;
}

/** One object or an array of objects, as Terraform JSON allows at every block level. */
function objects(value: unknown, where: string, file: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (!isObject(item)) throw new InputError(file, `${where} must be an object, got ${describe(item)}`);
  }
  return list as Record<string, unknown>[];
}

const LOCAL_REF = /^\$\{\s*local\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/;
/** Looks like one `${jsonencode(...)}` call, for the note when it cannot be read. */
const JSONENCODE = /^\$\{\s*jsonencode\s*\([^]*\)\s*\}$/;
const POLICY_DOC_REF = /^\$\{\s*data\.aws_iam_policy_document\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.(?:minified_)?json\s*\}$/;

/**
 * Turns the parts of one Terraform module (one file, or all `.tf`/`.tf.json` files of a directory) into one
 * resource set, resolving locals, policy documents and `jsonencode` across files.
 */
export function assembleTerraform(parts: readonly TerraformPart[], setFile: string): NormalizedSet {
  const locals = new Map<string, unknown>();
  for (const part of parts) for (const [name, value] of part.locals) locals.set(name, value);
  const docs = new Map<string, TerraformBlock>();
  for (const part of parts) {
    for (const block of part.blocks) {
      if (block.kind === 'data' && block.type === 'aws_iam_policy_document') {
        docs.set(block.address.slice('data.aws_iam_policy_document.'.length), block);
      }
    }
  }
  const notes: string[] = [];
  const docJson = new Map<string, string | undefined>();

  // Returns the value itself when nothing in it resolves to something else: most values hold no `${...}`, and
  // copying every value of every resource cost more than parsing the file.
  // `level` is how deep `value` nests when it is an object or array (a block body is 1): locals and jsonencode can
  // make a value deeper than its file, so the bound is kept here, where every value is walked (see nesting.ts).
  const resolve = (value: unknown, where: string, stack: readonly string[], level: number): unknown => {
    if (typeof value === 'string') return resolveString(value, where, stack, level);
    if (typeof value === 'object' && value !== null && level > MAX_NESTING) throw new NestingError();
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const r = resolve(v, where, stack, level + 1);
        if (out === undefined && r !== v) out = value.slice(0, i);
        if (out !== undefined) out.push(r);
      }
      return out ?? value;
    }
    if (isObject(value)) {
      // Entries are only built once something changed: most objects are returned as they are.
      const keys = Object.keys(value);
      let entries: [string, unknown][] | undefined;
      for (let i = 0; i < keys.length; i++) {
        const v = value[keys[i]];
        const r = resolve(v, where, stack, level + 1);
        if (entries === undefined && r !== v) entries = keys.slice(0, i).map((k): [string, unknown] => [k, value[k]]);
        if (entries !== undefined) entries.push([keys[i], r]);
      }
      // fromEntries, not assignment: a `__proto__` key stays an own property.
      return entries ? Object.fromEntries(entries) : value;
    }
    return value;
  };

  const resolveString = (value: string, where: string, stack: readonly string[], level: number): unknown => {
    // Every form read below is one whole `${...}` expression.
    if (!value.startsWith('${')) return value;
    const local = LOCAL_REF.exec(value);
    if (local) {
      const key = `local.${local[1]}`;
      if (!locals.has(local[1]) || stack.includes(key)) return value;
      // A chain of locals naming each other is nesting too, and each link is a stack frame.
      if (stack.length >= MAX_NESTING) throw new NestingError();
      return resolve(locals.get(local[1]), where, [...stack, key], level);
    }
    const doc = POLICY_DOC_REF.exec(value);
    if (doc) return policyJson(doc[1], stack) ?? value;
    const argument = singleCallArgument(value, 'jsonencode');
    const parsed = argument === undefined ? undefined : readHclExpression(argument);
    if (parsed === undefined && JSONENCODE.test(value)) {
      notes.push(`${where}: could not read jsonencode(...) statically; rules see the expression text`);
      return value;
    }
    if (parsed !== undefined) {
      // The JSON text it becomes is a document of its own (rules parse it again), nested from level 1.
      const resolved = resolve(parsed, where, stack, 1);
      return isObject(resolved) || Array.isArray(resolved) ? JSON.stringify(resolved) : value;
    }
    return value;
  };

  const policyJson = (name: string, stack: readonly string[]): string | undefined => {
    const key = `data.aws_iam_policy_document.${name}`;
    if (docJson.has(name)) return docJson.get(name);
    const block = docs.get(name);
    if (!block || stack.includes(key)) return undefined;
    const body = resolve(stripComment(block.body).properties, key, [...stack, key], 1) as Record<string, unknown>;
    const problems: string[] = [];
    const json = buildPolicyDocument(body, problems);
    for (const problem of problems) notes.push(`${block.file}: ${key}: ${problem}; the rest of the document was read`);
    docJson.set(name, json);
    return json;
  };

  const resources: NormalizedResource[] = [];
  for (const part of parts) {
    for (const block of part.blocks) {
      const { properties, constructPath } = stripComment(block.body);
      let resolved: Record<string, unknown>;
      try {
        resolved = resolve(properties, `${block.file}: ${block.address}`, [], 1) as Record<string, unknown>;
      } catch (e) {
        if (e instanceof NestingError) throw new InputError(block.file, `${TOO_DEEP} (${block.address})`);
        throw e;
      }
      resources.push({
        engine: 'terraform',
        kind: block.kind,
        type: block.type,
        address: block.address,
        properties: resolved,
        file: block.file,
        ...(constructPath !== undefined ? { constructPath } : {}),
      });
    }
    for (const module of part.modules) {
      notes.push(`${part.file}: ${module} is a module call and is not expanded; check the module's own directory or the synthesized configuration`);
    }
  }
  return { file: setFile, engine: 'terraform', resources, ...(notes.length > 0 ? { notes: [...new Set(notes)] } : {}) };
}

/** Removes cdktf's `"//"` comment from a block body, returning its construct path. */
function stripComment(body: Record<string, unknown>): { properties: Record<string, unknown>; constructPath?: string } {
  if (!('//' in body)) return { properties: body };
  const { ['//']: comment, ...properties } = body;
  const metadata = isObject(comment) ? comment.metadata : undefined;
  const path = isObject(metadata) ? metadata.path : undefined;
  return typeof path === 'string' ? { properties, constructPath: path } : { properties };
}
