import { dirname } from 'path';
import { BlockKind, NormalizedResource, Writable } from '../model';
import { MAX_NESTING, NestingError, TOO_DEEP } from '../nesting';
import { jsonTypeOf } from './cloudformation';
import { DynamicBlockReader, expandKnownDynamicStatements } from './dynamic-statements';
import { elementsOf } from './iteration';
import { EvaluationScope, readHclExpression, renderTemplate, singleCallArgument, unknownLeadingName } from './hcl-expression';
import { blocks, isObject } from '../policy/json';
import { shortExpression } from '../policy/messages';
import { InputError } from './input-error';
import { MODULE_ADDRESS_PREFIX, providerName, qualifyReferences, resourceProviderName } from '../policy/interpolation';
import { readCallerAccounts } from './caller-identity';
import { readModuleFile } from './module-file';
import { buildPolicyDocument } from './policy-document';
import { convertToType, parseTypeConstraint, TypeConstraint } from './variable-types';
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
  /** `module "NAME"` calls, in file order. */
  readonly modules: ModuleCall[];
  /** `output "NAME" { value = ... }`: each output's value as written. */
  readonly outputs: Array<[string, unknown]>;
  /**
   * `variable "NAME" { default = ..., type = ..., nullable = ... }`: what a called module's binding needs of each
   * variable that declares a default, a type that shapes values (see `variable-types.ts`) or `nullable = false`.
   * Absent when no variable of the part declares any of them.
   */
  readonly variables?: Array<[string, VariableDeclaration]>;
}

/** What binding a called module's variable needs of its `variable` block. */
export interface VariableDeclaration {
  /** The default, when declared (a constant: Terraform allows no references in it). */
  readonly default?: unknown;
  /** The type constraint, when it shapes values (collections, objects, tuples) and could be read. */
  readonly type?: TypeConstraint;
  /** `nullable = false`: a null argument means the default. */
  readonly nonNullable?: boolean;
}

/** One `module "NAME" { source = ..., ... }` block as written. */
export interface ModuleCall {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly file: string;
}

/**
 * Where a module's blocks are read: the module address its resources are reported under (`''` for the root module,
 * `module.etl.` inside `module "etl"`) and the arguments its caller binds to its variables, already read in the
 * caller's module. Inside a called module, a variable the caller does not bind is its default (only the module call
 * sets a called module's variables); without a default, and in the root module (whose variables tfvars and `-var`
 * set), it stays `${var.NAME}`.
 */
export interface ModuleScope {
  readonly address: string;
  readonly variables: ReadonlyMap<string, unknown>;
  /**
   * Inside a called module: the root module's provider configuration (`provider.aws.prod`) for a provider name as the
   * module's code writes it (`aws`, `aws.west`), `null` when the calls do not say. Absent for the root module.
   */
  readonly providers?: ProviderMapping;
}

/** A module's provider names (`aws`, `aws.west`) to the root module's provider configurations (see {@link ModuleScope}). */
export type ProviderMapping = (name: string) => string | null;

/**
 * The provider mapping inside a module call (Terraform: a call without `providers` passes its caller's default,
 * unaliased providers; a call with `providers` passes only those it lists).
 */
function callProviders(providers: unknown, caller: ProviderMapping): ProviderMapping {
  if (providers === undefined) return (name) => (name.includes('.') ? null : caller(name));
  if (!isObject(providers)) return () => null;
  return (name) => {
    if (!Object.prototype.hasOwnProperty.call(providers, name)) return null;
    const passed = providerName(providers[name]);
    return passed === undefined ? null : caller(passed);
  };
}

/** The root module's own provider names: `aws.prod` is `provider.aws.prod`. */
const ROOT_PROVIDERS: ProviderMapping = (name) => `provider.${name}`;

/** The root module: no address prefix, no bound variables. */
export function rootModule(): ModuleScope {
  return { address: '', variables: new Map() };
}

/** A module call after its arguments were read in the caller's module. */
export interface ReadModuleCall {
  /**
   * `module.etl`, or `module.etl[0]` / `module.etl["ci"]` for one instance of a call with `count` / `for_each` (with
   * the caller's own module address in front when nested).
   */
  readonly address: string;
  /** The call's name (`etl`), as `modules.json` keys name it: without an instance key. */
  readonly name: string;
  readonly file: string;
  /** The `source` argument, or `undefined` when it is not a literal string (Terraform requires one). */
  readonly source?: string;
  /** The arguments bound to the module's variables (meta-arguments removed). */
  readonly variables: ReadonlyMap<string, unknown>;
  /** The provider configurations the called module's code uses (see {@link ModuleScope.providers}). */
  readonly providers: ProviderMapping;
}

/** What one Terraform module reads as: its own resources and notes, and the module calls it makes. */
export interface ReadModule {
  readonly resources: NormalizedResource[];
  readonly notes: string[];
  readonly calls: ReadModuleCall[];
  /** A called module's outputs, read in its scope (empty for the root module, whose outputs no caller reads). */
  readonly outputs: ReadonlyMap<string, unknown>;
}

/** Arguments of a module block that are not input variables. */
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

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
 * `${local.X}` becomes the local's value, function calls over known values are evaluated (`file()` relative to
 * the file's directory), and dynamic blocks expand to the blocks they generate. Everything else that is not a
 * literal stays a `${...}` string.
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
    throw new InputError(file, `not ${what}: expected an object, got ${jsonTypeOf(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (!TOP_LEVEL.has(key)) {
      throw new InputError(file, `not ${what}: unknown top-level block "${key}"`);
    }
  }
  const part: TerraformPart = { file, blocks: [], locals: [], modules: [], outputs: [] };
  for (const kind of ['resource', 'data'] as const) {
    const prefix = kind === 'data' ? 'data.' : '';
    for (const byType of objects(config[kind], kind, file)) {
      for (const type of Object.keys(byType)) {
        for (const byName of objects(byType[type], `${kind}.${type}`, file)) {
          const typePrefix = `${prefix}${type}.`;
          for (const name of Object.keys(byName)) {
            const bodies = byName[name];
            // one body, the usual shape: no list is built for it (a configuration has thousands)
            if (isObject(bodies)) {
              part.blocks.push({ kind, type, address: typePrefix + name, body: bodies, file });
              continue;
            }
            for (const body of objects(bodies, `${kind}.${type}.${name}`, file)) {
              part.blocks.push({ kind, type, address: typePrefix + name, body, file });
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
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of objects(bodies, `module.${name}`, file)) part.modules.push({ name, body, file });
    }
  }
  for (const byName of objects(config.output, 'output', file)) {
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of objects(bodies, `output.${name}`, file)) if ('value' in body) part.outputs.push([name, body.value]);
    }
  }
  const variables: Array<[string, VariableDeclaration]> = [];
  for (const byName of objects(config.variable, 'variable', file)) {
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of objects(bodies, `variable.${name}`, file)) {
        const declaration: Writable<VariableDeclaration> = {};
        if ('default' in body) declaration.default = body.default;
        const type = parseTypeConstraint(body.type);
        if (type !== undefined && type.kind !== 'primitive') declaration.type = type;
        if (body.nullable === false) declaration.nonNullable = true;
        if (Object.keys(declaration).length > 0) variables.push([name, declaration]);
      }
    }
  }
  return variables.length > 0 ? { ...part, variables } : part;
}

/** One object or an array of objects, as Terraform JSON allows at every block level. */
function objects(value: unknown, where: string, file: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (!isObject(item)) throw new InputError(file, `${where} must be an object, got ${jsonTypeOf(item)}`);
  }
  return list as Record<string, unknown>[];
}

const VAR_REF = /^\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/;
/** `${var.NAME}` inside a longer template; `$${` is an escaped literal and is not matched. */
const VAR_IN_TEMPLATE = /(?<!\$)\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}/g;
const LOCAL_REF = /^\$\{\s*local\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/;
/** Looks like one `${jsonencode(...)}` call, for the note when it cannot be read. */
const JSONENCODE = /^\$\{\s*jsonencode\s*\([^]*\)\s*\}$/;
// Inside a called module, the module's own address is in front (`module.etl.data.aws_iam_policy_document.x.json`,
// `module.etl[0].data...` in an instance of a module call with `count`).
const POLICY_DOC_REF = new RegExp(String.raw`^\$\{\s*${MODULE_ADDRESS_PREFIX}data\.aws_iam_policy_document\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.(?:minified_)?json\s*\}$`);

/**
 * Turns the parts of one Terraform module (one file, or all `.tf`/`.tf.json` files of a directory) into one
 * resource set, resolving locals, policy documents and `jsonencode` across files. Module calls are not followed
 * here (that needs the module's files): each is named in a note. `normalizeTerraformModule` follows them.
 */
export function assembleTerraform(parts: readonly TerraformPart[], setFile: string): NormalizedSet {
  const { resources, notes, calls } = readModule(parts, rootModule());
  for (const call of calls) {
    notes.push(`${call.file}: ${call.address} is a module call and is not expanded; check the module's own directory or the synthesized configuration`);
  }
  readCallerAccounts(resources);
  return { file: setFile, engine: 'terraform', resources, ...(notes.length > 0 ? { notes: [...new Set(notes)] } : {}) };
}

/**
 * Reads the parts of one module in `scope`: resources get the scope's module address in front of `type.name`,
 * `${var.NAME}` of a variable the caller binds becomes the caller's value, and a block (or module call) whose
 * `count` is statically 0 or whose `for_each` is statically empty does not exist and is left out.
 */
export function readModule(given: readonly TerraformPart[], called: ModuleScope): ReadModule {
  const scope = called.address === '' ? called : withDefaults(called, given);
  const parts = scope.address === '' ? given : given.map((part) => qualifyPart(part, scope.address));
  const locals = new Map<string, unknown>();
  for (const part of parts) for (const [name, value] of part.locals) locals.set(name, value);
  const localFiles = new Map<string, string>();
  for (const part of parts) for (const [name] of part.locals) localFiles.set(name, part.file);
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
  // `file` is the file the value is written in: `file()` / `templatefile()` paths are relative to its directory.
  // `level` is how deep `value` nests when it is an object or array (a block body is 1): locals and jsonencode can
  // make a value deeper than its file, so the bound is kept here, where every value is walked (see nesting.ts).
  const resolve = (value: unknown, where: string, stack: readonly string[], file: string, level: number): unknown => {
    if (typeof value === 'string') return resolveString(value, where, stack, file, level);
    if (typeof value === 'object' && value !== null && level > MAX_NESTING) throw new NestingError();
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const r = resolve(v, where, stack, file, level + 1);
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
        const r = resolve(v, where, stack, file, level + 1);
        if (entries === undefined && r !== v) entries = keys.slice(0, i).map((k): [string, unknown] => [k, value[k]]);
        if (entries !== undefined) entries.push([keys[i], r]);
      }
      // fromEntries, not assignment: a `__proto__` key stays an own property.
      return entries ? Object.fromEntries(entries) : value;
    }
    return value;
  };

  // `count.index` / `each.key` / `each.value` of the resource instance being read (see `instancesOf`), else undefined.
  let iteration: Readonly<Record<string, unknown>> | undefined;

  /** What an expression in `file` may read: the module's locals, the files of its directory, the instance's iterator. */
  const scopeFor = (where: string, stack: readonly string[], file: string): EvaluationScope => ({
    ...(iteration !== undefined ? { variables: iteration } : {}),
    // a called module's variables, inside function calls and `for` expressions (a root module has none bound)
    ...(scope.variables.size > 0 ? { variable: (name: string) => scope.variables.get(name) } : {}),
    local: (name) => {
      const key = `local.${name}`;
      if (!locals.has(name) || stack.includes(key)) return undefined;
      if (stack.length >= MAX_NESTING) throw new NestingError();
      return resolve(locals.get(name), where, [...stack, key], localFiles.get(name) ?? file, 1);
    },
    readFile: (path, fn) => {
      const read = readModuleFile(dirname(file), path);
      if ('text' in read) return read.text;
      notes.push(`${where}: ${fn}(${JSON.stringify(path)}) could not be read (${read.problem}); rules see the expression text`);
      return undefined;
    },
    note: (message) => notes.push(`${where}: ${message}`),
    dataSource: (type, name) => (type === 'aws_iam_policy_document' ? policyDocumentValue(name, where, stack, file) : undefined),
  });

  /**
   * `data.aws_iam_policy_document.NAME` as an expression reads it (`data.x.y[*].json` in terraform-aws-modules'
   * `source_policy_documents = flatten(concat(...))`): `{json, minified_json}`, a list of one per instance when its
   * `count` is known, `undefined` when the count, a `for_each` or the document is not known.
   */
  const policyDocumentValue = (name: string, where: string, stack: readonly string[], file: string): unknown => {
    const block = docs.get(name);
    const key = `data.aws_iam_policy_document.${name}`;
    // a document whose count reads itself (Terraform refuses the cycle) is not known
    if (block === undefined || block.body.for_each !== undefined || stack.includes(key)) return undefined;
    if (stack.length >= MAX_NESTING) throw new NestingError();
    let instances: number | undefined;
    if (block.body.count !== undefined) {
      instances = countOf(resolve(block.body.count, where, [...stack, key], file, 1));
      if (instances === undefined) return undefined;
      if (instances === 0) return [];
    }
    const json = policyJson(name, stack);
    if (json === undefined) return undefined;
    const value = { json, minified_json: json };
    return instances === undefined ? value : Array.from({ length: instances }, () => value);
  };

  const resolveString = (given: string, where: string, stack: readonly string[], file: string, level: number): unknown => {
    let value = given;
    if (scope.variables.size > 0 && value.includes('var.')) {
      const variable = VAR_REF.exec(value);
      // The caller's value was read in the caller's module: it is not resolved again here.
      if (variable) return scope.variables.has(variable[1]) ? scope.variables.get(variable[1]) : value;
      value = value.replace(VAR_IN_TEMPLATE, (text, name: string) => {
        const bound = scope.variables.get(name);
        return typeof bound === 'string' || typeof bound === 'number' || typeof bound === 'boolean' ? String(bound) : text;
      });
    }
    if (!value.includes('${')) return value;
    // Most interpolations of a configuration are references to other blocks (`${aws_iam_role.r.arn}`, a policy JSON
    // naming a table's ARN), known only at apply time: none of the readings below can change such a string, so it is
    // returned before any of them is tried.
    if (onlyOpaqueReferences(value, iteration, scope.variables.size > 0)) return value;
    const local = LOCAL_REF.exec(value);
    if (local) {
      const key = `local.${local[1]}`;
      if (!locals.has(local[1]) || stack.includes(key)) return value;
      // A chain of locals naming each other is nesting too, and each link is a stack frame.
      if (stack.length >= MAX_NESTING) throw new NestingError();
      return resolve(locals.get(local[1]), where, [...stack, key], localFiles.get(local[1]) ?? file, level);
    }
    const doc = POLICY_DOC_REF.exec(value);
    if (doc) return policyJson(doc[1], stack) ?? value;
    const argument = singleCallArgument(value, 'jsonencode');
    const parsed = argument === undefined ? undefined : readHclExpression(argument);
    if (parsed !== undefined) {
      // The JSON text it becomes is a document of its own (rules parse it again), nested from level 1.
      const resolved = resolve(parsed, where, stack, file, 1);
      if (isObject(resolved) || Array.isArray(resolved)) return JSON.stringify(resolved);
    }
    // Function calls over known values, `local.NAME[...]`, interpolations of known values inside text.
    const rendered = renderTemplate(value, scopeFor(where, stack, file));
    if (rendered !== value) return rendered;
    if (JSONENCODE.test(value) && parsed === undefined) {
      notes.push(`${where}: could not read jsonencode(...) statically; rules see the expression text`);
    }
    return value;
  };

  const policyJson = (name: string, stack: readonly string[]): string | undefined => {
    const key = `data.aws_iam_policy_document.${name}`;
    if (docJson.has(name)) return docJson.get(name);
    const block = docs.get(name);
    if (!block || stack.includes(key)) return undefined;
    const inner = [...stack, key];
    const where = `${block.file}: ${scope.address}${key}`;
    const reader: DynamicBlockReader = {
      read: (value, bindings) => {
        const outer = iteration;
        iteration = bindings;
        try {
          return resolve(value, where, inner, block.file, 1);
        } finally {
          iteration = outer;
        }
      },
      forEach: (value, bindings) => knownCollection(reader.read(value, bindings)),
    };
    const { body: rest, generated } = expandKnownDynamicStatements(stripComment(block.body).properties, reader, {});
    const read = resolve(rest, where, inner, block.file, 1) as Record<string, unknown>;
    const body = generated.length > 0 ? { ...read, statement: [...blocks(read.statement), ...generated] } : read;
    const problems: string[] = [];
    const json = buildPolicyDocument(body, problems);
    for (const problem of problems) notes.push(`${where}: ${problem}; the rest of the document was read`);
    docJson.set(name, json);
    return json;
  };

  // The instances a resource or module call's `count` / `for_each` create: none when statically 0 or empty, one per
  // key when known, else one without an instance key (and a note saying so).
  const blockInstances = (body: Record<string, unknown>, what: 'resource' | 'module', address: string, where: string, file: string): readonly BlockInstance[] => {
    if (body.count === undefined && body.for_each === undefined) return ONE_INSTANCE;
    const meta = resolve({ count: body.count, for_each: body.for_each }, where, [], file, 1) as Record<string, unknown>;
    if (staticallyAbsent(meta)) return NO_INSTANCES;
    const known = instancesOf(meta);
    if (known === undefined) {
      const [argument, value] = meta.count !== undefined ? ['count', body.count] : ['for_each', body.for_each];
      const once = what === 'resource' ? 'the resource is checked once' : 'the module is expanded once';
      notes.push(`${where}: ${argument} = ${shortExpression(value)} is not known statically: ${once}, at ${address} without an instance key`);
      return ONE_INSTANCE;
    }
    if (known.truncated) notes.push(`${where}: ${known.total} instances; only the first ${MAX_INSTANCES} are checked`);
    return known.instances;
  };

  const resources: NormalizedResource[] = [];
  const calls: ReadModuleCall[] = [];
  for (const part of parts) {
    for (const block of part.blocks) {
      const { properties, constructPath } = stripComment(block.body);
      const address = `${scope.address}${block.address}`;
      const where = `${block.file}: ${address}`;
      try {
        const instances = block.kind === 'resource' ? blockInstances(properties, 'resource', address, where, block.file) : ONE_INSTANCE;
        for (const instance of instances) {
          iteration = instance.variables;
          // Policy documents keep their `dynamic "statement"`: the policy JSON read from them expands the ones whose
          // `for_each` is known (dynamic-statements.ts) and notes the others; generating one where `for_each` is not
          // known would make up a statement whose conditions cannot be judged.
          const body = instance.variables === undefined ? properties : bindIndexes(withoutIteration(properties), instance.variables) as Record<string, unknown>;
          const expanded = block.type === 'aws_iam_policy_document'
            ? body
            : expandDynamicBlocks(body, (v) => resolve(v, where, [], block.file, 1));
          const read = resolve(expanded, where, [], block.file, 1) as Record<string, unknown>;
          iteration = undefined;
          if (staticallyAbsent(read)) continue;
          const resource: Writable<NormalizedResource> = {
            engine: 'terraform', kind: block.kind, type: block.type, address: `${address}${instance.key}`, properties: read, file: block.file,
          };
          if (constructPath !== undefined) resource.constructPath = constructPath;
          if (scope.providers !== undefined && block.kind !== 'provider') {
            const name = resourceProviderName(block.type, read.provider);
            resource.provider = name === undefined ? null : scope.providers(name);
          }
          resources.push(resource);
        }
      } catch (e) {
        if (e instanceof NestingError) throw new InputError(block.file, `${TOO_DEEP} (${address})`);
        throw e;
      } finally {
        iteration = undefined;
      }
    }
    for (const module of part.modules) {
      const address = `${scope.address}module.${module.name}`;
      const where = `${module.file}: ${address}`;
      try {
        // A call with `count` / `for_each` is one module instance per key (`module.etl[0]`, `module.etl["ci"]`), each
        // with its own `count.index` / `each.*` in the arguments, as Terraform addresses the resources inside them.
        const instances = blockInstances(module.body, 'module', address, where, module.file);
        for (const instance of instances) {
          iteration = instance.variables;
          const body = instance.variables === undefined ? module.body : bindIndexes(withoutIteration(module.body), instance.variables);
          const read = resolve(body, where, [], module.file, 1) as Record<string, unknown>;
          iteration = undefined;
          if (staticallyAbsent(read)) continue;
          calls.push({
            address: `${address}${instance.key}`,
            name: module.name,
            file: module.file,
            ...(typeof read.source === 'string' && !read.source.includes('${') ? { source: read.source } : {}),
            variables: new Map(Object.entries(read).filter(([name]) => !MODULE_META_ARGUMENTS.has(name))),
            providers: callProviders(read.providers, scope.providers ?? ROOT_PROVIDERS),
          });
        }
      } catch (e) {
        if (e instanceof NestingError) throw new InputError(module.file, `${TOO_DEEP} (${address})`);
        throw e;
      } finally {
        iteration = undefined;
      }
    }
  }
  const outputs = new Map<string, unknown>();
  if (scope.address !== '') {
    for (const part of parts) {
      for (const [name, value] of part.outputs) {
        const address = `${scope.address}output.${name}`;
        try {
          outputs.set(name, resolve(value, `${part.file}: ${address}`, [], part.file, 1));
        } catch (e) {
          if (e instanceof NestingError) throw new InputError(part.file, `${TOO_DEEP} (${address})`);
          throw e;
        }
      }
    }
  }
  return { resources, notes, calls, outputs };
}

/**
 * A called module's scope as Terraform binds it: a variable its caller does not bind is its default; a null argument
 * to a `nullable = false` variable is its default too; and each value is converted to the variable's type (optional
 * object attributes filled in: see `variable-types.ts`).
 */
function withDefaults(scope: ModuleScope, parts: readonly TerraformPart[]): ModuleScope {
  let variables: Map<string, unknown> | undefined;
  for (const part of parts) {
    for (const [name, declaration] of part.variables ?? []) {
      const bound = scope.variables.has(name);
      if (!bound && !('default' in declaration)) continue;
      let value = bound ? scope.variables.get(name) : declaration.default;
      if (bound && value === null && declaration.nonNullable && 'default' in declaration) value = declaration.default;
      if (declaration.type !== undefined) value = convertToType(value, declaration.type);
      if (bound && value === scope.variables.get(name)) continue;
      variables ??= new Map(scope.variables);
      variables.set(name, value);
    }
  }
  return variables === undefined ? scope : { ...scope, variables };
}

/**
 * The part of a called module with its module address in front of the references between its blocks (before the
 * caller's values are bound, so those keep the caller's references).
 */
function qualifyPart(part: TerraformPart, moduleAddress: string): TerraformPart {
  const qualify = (value: unknown): unknown => {
    if (typeof value === 'string') return qualifyReferences(value, moduleAddress);
    if (Array.isArray(value)) return value.map(qualify);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, qualify(v)]));
    return value;
  };
  return {
    file: part.file,
    blocks: part.blocks.map((block) => ({ ...block, body: qualify(block.body) as Record<string, unknown> })),
    locals: part.locals.map(([name, value]): [string, unknown] => [name, qualify(value)]),
    modules: part.modules.map((call) => ({ ...call, body: qualify(call.body) as Record<string, unknown> })),
    outputs: part.outputs.map(([name, value]): [string, unknown] => [name, qualify(value)]),
  };
}

/**
 * Whether a block's `count` (already read: a `count` switch such as `var.create && var.create_key ? 1 : 0` is a
 * number once its variables and locals are known) is statically 0 or its `for_each` statically empty (`{}`, `[]`):
 * Terraform creates no instance of it. Anything not known (`${var.n}` unbound, `${toset(var.users)}`) is not judged:
 * the block exists.
 */
function staticallyAbsent(properties: Record<string, unknown>): boolean {
  if (properties.count !== undefined && countOf(properties.count) === 0) return true;
  const forEach = properties.for_each;
  return (Array.isArray(forEach) && forEach.length === 0) || (isObject(forEach) && Object.keys(forEach).length === 0);
}

/** One instance of a resource: its address suffix (`[0]`, `["ci"]`, `''`) and its `count` / `each` values, if any. */
interface BlockInstance {
  readonly key: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

const ONE_INSTANCE: readonly BlockInstance[] = Object.freeze([{ key: '' }]);
const NO_INSTANCES: readonly BlockInstance[] = Object.freeze([]);
/** More instances of one resource than this are not checked (a note says so). */
const MAX_INSTANCES = 100;

/** `count` / `for_each` are the block's, not an instance's: an instance is one resource. */
function withoutIteration(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([k]) => k !== 'count' && k !== 'for_each'));
}

/**
 * `[count.index]` / `[each.key]` in references of an instance (`aws_iam_user.ci[count.index].name`) become its literal
 * key, so the reference names that instance (references are not evaluated: the iterator alone would not reach them).
 */
function bindIndexes(value: unknown, variables: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('count.index') && !value.includes('each.key')) return value;
    const count = variables.count as { index: number } | undefined;
    const each = variables.each as { key: string } | undefined;
    return value
      .replace(/\[\s*count\.index\s*\]/g, (m) => (count ? `[${count.index}]` : m))
      .replace(/\[\s*each\.key\s*\]/g, (m) => (each ? `[${JSON.stringify(each.key)}]` : m));
  }
  if (Array.isArray(value)) return value.map((v) => bindIndexes(v, variables));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bindIndexes(v, variables)]));
  return value;
}

/**
 * The instances a resource's `count` / `for_each` (already resolved) create, when statically known: `count = N` gives
 * `[0]`..`[N-1]` with `count.index`; a `for_each` map gives `["key"]` per key (in Terraform's order, sorted) with
 * `each.key` / `each.value`; a set or list of strings (`toset([...])`) one per element, `each.value` the element.
 * `undefined` when not known (a variable, a resource attribute, an expression not evaluated).
 */
function instancesOf(meta: Record<string, unknown>): { instances: BlockInstance[]; total: number; truncated: boolean } | undefined {
  const take = (all: BlockInstance[]) => ({ instances: all.slice(0, MAX_INSTANCES), total: all.length, truncated: all.length > MAX_INSTANCES });
  if (meta.count !== undefined) {
    const n = countOf(meta.count);
    if (n === undefined) return undefined;
    const all: BlockInstance[] = [];
    for (let i = 0; i < Math.min(n, MAX_INSTANCES + 1); i++) all.push({ key: `[${i}]`, variables: { count: { index: i } } });
    return { ...take(all), total: n, truncated: n > MAX_INSTANCES };
  }
  const forEach = meta.for_each;
  if (isObject(forEach)) {
    return take(elementsOf(forEach)!.map(({ key, value }) => ({ key: `[${JSON.stringify(key)}]`, variables: { each: { key, value } } })));
  }
  if (Array.isArray(forEach) && forEach.every((v) => typeof v === 'string' && !v.includes('${'))) {
    return take([...new Set(forEach as string[])].sort().map((key) => ({ key: `[${JSON.stringify(key)}]`, variables: { each: { key, value: key } } })));
  }
  return undefined;
}

/** The instances a `count` (already read) asks for when statically known: a whole number, written or evaluated. */
function countOf(count: unknown): number | undefined {
  if (typeof count === 'number') return Number.isInteger(count) && count >= 0 ? count : undefined;
  return typeof count === 'string' && /^\s*\d+\s*$/.test(count) ? Number(count) : undefined;
}

/** A dynamic block's `for_each` (already read) when it is a known list or object, else `undefined`. */
function knownCollection(forEach: unknown): unknown {
  return Array.isArray(forEach) || isObject(forEach) ? forEach : undefined;
}

/** Leading names some reading of {@link readModule}'s `resolveString` may still resolve: policy documents, `jsonencode (...)`. */
const READ_BY_NAME: ReadonlySet<string> = new Set(['data', 'module', 'jsonencode']);

/**
 * Whether every interpolation of a string (it holds at least one) starts with a name that is not statically known
 * (a resource, variable or module reference: see `unknownLeadingName`; in a called module `var.X` is read) and that no reading of `resolveString` looks
 * for (`data.aws_iam_policy_document...`, `module.X.data...`, `jsonencode (...)`): such a string stays as it is
 * written. A string with a `$$` (an escape) or a `%{` (a directive) is left to the full reading.
 */
function onlyOpaqueReferences(value: string, iteration: Readonly<Record<string, unknown>> | undefined, variablesBound: boolean): boolean {
  if (value.includes('$$') || value.includes('%{')) return false;
  for (let at = value.indexOf('${'); at !== -1; at = value.indexOf('${', at + 2)) {
    const name = unknownLeadingName(value.slice(at + 2), iteration);
    if (name === undefined || READ_BY_NAME.has(name) || (variablesBound && name === 'var')) return false;
  }
  return true;
}

/** More generated instances of one dynamic block than this are not useful to rules: the rest are not generated. */
const MAX_DYNAMIC_INSTANCES = 100;

/**
 * Expands `dynamic "NAME" { for_each, content {...} }` (Terraform JSON: `dynamic.NAME = [{for_each, content}]`) into
 * the `NAME` blocks it generates, appended to the static `NAME` blocks, in nested blocks too: one instance per
 * element when `for_each` is a known list or map, none when it is known to be empty, and ONE when it is not known
 * (the block may be generated, and rules judge its content). Iterator references in the content
 * (`password.value`) stay `${...}` interpolations. Returns the body itself when it has no dynamic block.
 */
function expandDynamicBlocks(body: Record<string, unknown>, resolve: (value: unknown) => unknown): Record<string, unknown> {
  // Most blocks have no dynamic block anywhere: they are returned without building anything.
  if (!hasDynamicBlock(body)) return body;
  let changed = false;
  const out = new Map<string, unknown>();
  const generated = new Map<string, Record<string, unknown>[]>();
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic' && isObject(value)) {
      for (const [name, specs] of Object.entries(value)) {
        for (const spec of Array.isArray(specs) ? specs : [specs]) {
          if (!isObject(spec)) continue;
          const forEach = resolve(spec.for_each);
          const count = Array.isArray(forEach) ? forEach.length : isObject(forEach) ? Object.keys(forEach).length : 1;
          const contents = (Array.isArray(spec.content) ? spec.content : [spec.content]).filter(isObject);
          const instances = generated.get(name) ?? [];
          for (let i = 0; i < Math.min(count, MAX_DYNAMIC_INSTANCES); i++) {
            for (const content of contents) instances.push(expandDynamicBlocks(content, resolve));
          }
          generated.set(name, instances);
        }
      }
      changed = true;
      continue;
    }
    const nested = Array.isArray(value) && value.every(isObject)
      ? value.map((b) => expandDynamicBlocks(b, resolve))
      : isObject(value) ? expandDynamicBlocks(value, resolve) : value;
    if (nested !== value) {
      if (Array.isArray(value) && (nested as unknown[]).every((b, i) => b === value[i])) {
        out.set(key, value);
        continue;
      }
      changed = true;
    }
    out.set(key, nested);
  }
  if (!changed) return body;
  for (const [name, instances] of generated) {
    const existing = out.get(name);
    const statics = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    if (statics.length + instances.length > 0) out.set(name, [...statics, ...instances]);
  }
  // fromEntries, not assignment: a `__proto__` key stays an own property.
  return Object.fromEntries(out);
}

/** Whether a `dynamic` block object appears in `body` or in a block nested in it (a quick look, allocating nothing). */
function hasDynamicBlock(body: Record<string, unknown>): boolean {
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isObject(item) && hasDynamicBlock(item)) return true;
    } else if (isObject(value) && ((key === 'dynamic') || hasDynamicBlock(value))) {
      return true;
    }
  }
  return false;
}

/** Removes cdktf's `"//"` comment from a block body, returning its construct path. */
function stripComment(body: Record<string, unknown>): { properties: Record<string, unknown>; constructPath?: string } {
  if (!('//' in body)) return { properties: body };
  const { ['//']: comment, ...properties } = body;
  const metadata = isObject(comment) ? comment.metadata : undefined;
  const path = isObject(metadata) ? metadata.path : undefined;
  return typeof path === 'string' ? { properties, constructPath: path } : { properties };
}
