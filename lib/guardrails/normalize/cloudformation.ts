import { NormalizedResource, ResourceSet, Writable } from '../model';
import { nestsDeeperThan, TOO_DEEP } from '../nesting';
import { unreadableCallNotes } from './custom-resource';
import { isObject } from '../policy/json';
import { shortValue } from '../policy/messages';
import { InputError } from './input-error';
import type { NormalizedSet } from './set';

/** Top-level sections a CloudFormation template may have (besides `Resources`). */
const CFN_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions',
  'Transform', 'Outputs', 'Hooks', 'Globals',
]);

const FOR_EACH = 'Fn::ForEach::';

/** Options for {@link normalizeCloudFormation}. */
export interface CloudFormationOptions {
  /**
   * Construct paths by logical id, for templates synthesized without `aws:cdk:path` metadata (read from the
   * cloud assembly's stack metadata). Template metadata wins when both exist.
   */
  readonly constructPaths?: ReadonlyMap<string, string>;
}

/** Whether a parsed document looks like a CloudFormation template (used to tell CFN JSON from Terraform JSON). */
/** Whether a parsed document has any top-level section of a CloudFormation template (`Resources`, `Parameters`, ...). */
export function hasTemplateSection(doc: unknown): boolean {
  return isObject(doc) && ('Resources' in doc || Object.keys(doc).some((k) => CFN_SECTIONS.has(k)));
}

export function looksLikeCloudFormation(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  if ('AWSTemplateFormatVersion' in doc) return true;
  const resources = doc.Resources;
  return isObject(resources) && Object.values(resources).every((r) => isObject(r) && typeof r.Type === 'string');
}

/**
 * Turns a CloudFormation template (already parsed: JSON, or YAML with short-form tags converted to long form)
 * into the resources rules see: `type` = `Type`, `address` = logical id, `properties` = `Properties` (or `{}`),
 * intrinsics such as `{"Ref": ...}` and `{"Fn::Sub": ...}` kept as they are; `constructPath` from
 * `Metadata["aws:cdk:path"]`.
 *
 * Properties nested deeper than 512 levels (`MAX_NESTING`) throw {@link InputError}: `<file>: nested deeper than 512
 * levels (Resources.ID.Properties)`.
 *
 * Custom resource SDK calls (`AwsCustomResource`'s `Create`/`Update`/`Delete`) that cannot be read statically are
 * listed in `notes` (see `custom-resource.ts`).
 *
 * Dialects are read as CloudFormation deploys them:
 * - `AWS::LanguageExtensions` `Fn::ForEach::Name` loops in `Resources` become the resources they create, logical ids
 *   and `Ref`/`Fn::Sub` of the identifier substituted (nested loops too); loops inside a resource's properties expand
 *   into the object that holds them. A loop over something that is not a literal
 *   list (a `Ref` to a list parameter) is checked once with the identifier unresolved, and a note says so.
 * - SAM: `Globals.Function` is merged into every `AWS::Serverless::Function` (maps merged, the function's own value
 *   winning; lists appended), as the SAM transform does, less what the function's `IgnoreGlobals` attribute leaves
 *   out (`'*'`, or a list of property names). The other `Globals` sections are not merged: none sets a property a
 *   rule reads (`Globals.StateMachine` takes only `PropagateTags`; Api, HttpApi, SimpleTable and LayerVersion
 *   carry no credential or trust).
 * The template's `Parameters` and `Mappings` are kept on the set (see {@link ResourceSet.parameters}).
 *
 * A template without `Resources` but with other template sections (a CDK stack with no resources has only
 * `Parameters`/`Rules`) yields an empty set. Anything else that is not template-shaped throws {@link InputError}.
 */
export function normalizeCloudFormation(template: unknown, file: string, options: CloudFormationOptions = {}): NormalizedSet {
  if (!isObject(template)) {
    throw new InputError(file, `not a CloudFormation template: expected a JSON/YAML object, got ${jsonTypeOf(template)}`);
  }
  const resources: NormalizedResource[] = [];
  const sections: Pick<ResourceSet, 'parameters' | 'mappings'> = {
    parameters: isObject(template.Parameters) ? template.Parameters : {},
    ...(isObject(template.Mappings) ? { mappings: template.Mappings } : {}),
  };
  if (!('Resources' in template)) {
    if (hasTemplateSection(template)) {
      return { file, engine: 'cloudformation', resources, ...sections };
    }
    throw new InputError(file, 'not a CloudFormation template: no Resources section');
  }
  const section = template.Resources;
  if (!isObject(section)) {
    throw new InputError(file, `not a CloudFormation template: Resources must be an object, got ${jsonTypeOf(section)}`);
  }
  // what is read in part or not at all: loops over a non-literal list, Rain modules
  const unread: string[] = [];
  const globals = isObject(template.Globals) && isObject(template.Globals.Function) ? template.Globals.Function : undefined;
  const transforms = Array.isArray(template.Transform) ? template.Transform : [template.Transform];
  const languageExtensions = transforms.includes('AWS::LanguageExtensions');
  for (const [logicalId, resource] of expandLoops(section, 'Resources', file, unread)) {
    if (!isObject(resource)) {
      throw new InputError(file, `Resources.${logicalId} must be an object, got ${jsonTypeOf(resource)}`);
    }
    if (isObject(resource.Type) && typeof resource.Type['Rain::Module'] === 'string') {
      unread.push(`${file}: Resources.${logicalId} is a Rain module (${resource.Type['Rain::Module']}), which rain pkg expands into resources before the template is deployed: those are not checked (check the packaged template)`);
      continue;
    }
    if (resource.Type === undefined || resource.Type === '') throw new InputError(file, `Resources.${logicalId} has no Type`);
    if (typeof resource.Type !== 'string') {
      throw new InputError(file, `Resources.${logicalId}.Type must be a resource type name (a string), got ${jsonTypeOf(resource.Type)}`);
    }
    const own = resource.Properties ?? {};
    if (!isObject(own)) {
      throw new InputError(file, `Resources.${logicalId}.Properties must be an object, got ${jsonTypeOf(own)}`);
    }
    // Rules (and the loop expansion and Globals merge below) walk properties recursively: a bound here keeps any
    // depth from overflowing the stack (see nesting.ts).
    if (nestsDeeperThan(own)) throw new InputError(file, `${TOO_DEEP} (Resources.${logicalId}.Properties)`);
    const looped = languageExtensions ? expandPropertyLoops(own, `Resources.${logicalId}.Properties`, file, unread) as Record<string, unknown> : own;
    const inherited = globals && resource.Type === 'AWS::Serverless::Function' ? functionGlobals(globals, resource.IgnoreGlobals, logicalId, file) : undefined;
    const properties = inherited ? mergeGlobals(inherited, looped) as Record<string, unknown> : looped;
    if (properties !== own && nestsDeeperThan(properties)) throw new InputError(file, `${TOO_DEEP} (Resources.${logicalId}.Properties)`);
    const metadataPath = isObject(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
    const constructPath = typeof metadataPath === 'string' ? metadataPath : options.constructPaths?.get(logicalId);
    const normalized: Writable<NormalizedResource> = {
      engine: 'cloudformation', kind: 'resource', type: resource.Type, address: logicalId, properties, file,
    };
    if (constructPath !== undefined) normalized.constructPath = constructPath;
    resources.push(normalized);
  }
  const notes = [...unread, ...unreadableCallNotes(resources)];
  return { file, engine: 'cloudformation', resources, ...sections, ...(notes.length > 0 ? { notes } : {}) };
}

/**
 * The entries of a section with its `Fn::ForEach::Name` loops expanded: `[Identifier, Collection, {OutputKey: value}]`
 * gives one entry per item of a literal collection and output key, `${Identifier}` / `&{Identifier}` (the item without
 * non-alphanumeric characters) replaced in the key, and `Ref: Identifier` / `${Identifier}` in `Fn::Sub` replaced in
 * the value. Loops nested in the fragment expand the same way.
 */
function expandLoops(section: Record<string, unknown>, where: string, file: string, notes: string[], depth = 0): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(section)) {
    if (!key.startsWith(FOR_EACH)) {
      out.push([key, value]);
      continue;
    }
    const at = `${where}.${key}`;
    if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || !isObject(value[2])) {
      throw new InputError(file, `${at} must be [Identifier, Collection, {OutputKey: OutputValue}], got ${jsonTypeOf(value)}`);
    }
    if (depth >= 5) throw new InputError(file, `${at}: Fn::ForEach loops nest more than 5 deep`);
    const [identifier, collection, fragment] = value as [string, unknown, Record<string, unknown>];
    const items = Array.isArray(collection) && collection.every((c) => typeof c === 'string' || typeof c === 'number') ? collection.map(String) : undefined;
    if (items === undefined) {
      notes.push(`${file}: ${at} loops over ${describeCollection(collection)}, not a literal list: what it creates is checked once, `
        + `with ${identifier} unresolved (names keep \${${identifier}}); values that depend on an item are not checked`);
      out.push(...expandLoops(fragment, at, file, notes, depth + 1));
      continue;
    }
    for (const item of items) {
      out.push(...expandLoops(substitute(fragment, identifier, item) as Record<string, unknown>, at, file, notes, depth + 1));
    }
  }
  return out;
}

/**
 * Loops inside a resource's properties (a `Fn::ForEach::Name` key in an `Environment.Variables` map, say) expand
 * into the object that holds them, as in `Resources` (see {@link expandLoops}).
 */
function expandPropertyLoops(value: unknown, where: string, file: string, notes: string[], depth = 0): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((v, i) => expandPropertyLoops(v, `${where}[${i}]`, file, notes, depth + 1));
  if (!isObject(value)) return value;
  const entries = Object.keys(value).some((k) => k.startsWith(FOR_EACH)) ? expandLoops(value, where, file, notes) : Object.entries(value);
  return Object.fromEntries(entries.map(([k, v]) => [k, expandPropertyLoops(v, `${where}.${k}`, file, notes, depth + 1)]));
}

function describeCollection(collection: unknown): string {
  if (isObject(collection) && typeof collection.Ref === 'string') return `the parameter ${collection.Ref}`;
  if (isObject(collection) && Object.keys(collection).length === 1) return `an ${Object.keys(collection)[0]} value`;
  return jsonTypeOf(collection);
}

/** One item of a `Fn::ForEach` loop put in for its identifier (see {@link expandLoops}). */
function substitute(value: unknown, identifier: string, item: string): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, identifier, item));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && value.Ref === identifier) return item;
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = value['Fn::Sub'];
    const template = Array.isArray(arg) ? arg[0] : arg;
    const locals = Array.isArray(arg) && isObject(arg[1]) ? arg[1] : {};
    if (typeof template === 'string' && !(identifier in locals)) {
      const filled = template.split(`\${${identifier}}`).join(item);
      return { 'Fn::Sub': Array.isArray(arg) ? [filled, substitute(arg[1], identifier, item), ...arg.slice(2)] : filled };
    }
  }
  const alphanumeric = item.replace(/[^A-Za-z0-9]/g, '');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [
    k.split(`\${${identifier}}`).join(item).split(`&{${identifier}}`).join(alphanumeric),
    substitute(v, identifier, item),
  ]));
}

/**
 * The part of SAM's `Globals.Function` a function inherits: all of it, none of it (`IgnoreGlobals: '*'`), or all but
 * the properties it lists (`IgnoreGlobals: [Environment]`). Anything else fails the SAM transform, and so does a listed
 * property that `Globals.Function` does not set: the template cannot be deployed, and the error says why.
 */
function functionGlobals(globals: Record<string, unknown>, ignore: unknown, logicalId: string, file: string): Record<string, unknown> | undefined {
  if (ignore === undefined) return globals;
  if (ignore === '*') return undefined;
  const where = `Resources.${logicalId}.IgnoreGlobals`;
  if (!Array.isArray(ignore) || !ignore.every((key) => typeof key === 'string')) {
    throw new InputError(file, `${where} must be "*" or a list of Globals.Function property names, got ${shortValue(ignore)} (the SAM transform refuses it)`);
  }
  const kept: Record<string, unknown> = { ...globals };
  for (const key of ignore as string[]) {
    if (!(key in globals)) {
      throw new InputError(file, `${where} lists ${JSON.stringify(key)}, which Globals.Function does not set (the SAM transform refuses it)`);
    }
    delete kept[key];
  }
  return kept;
}

/** SAM `Globals.Function` under a function's own properties: maps merged (the function's value wins), lists appended. */
function mergeGlobals(global: unknown, own: unknown): unknown {
  if (own === undefined) return global;
  if (Array.isArray(global) && Array.isArray(own)) return [...global, ...own];
  if (!isObject(global) || !isObject(own) || isIntrinsicLike(global) || isIntrinsicLike(own)) return own;
  const out: Record<string, unknown> = { ...global };
  for (const [k, v] of Object.entries(own)) out[k] = mergeGlobals(global[k], v);
  return out;
}

function isIntrinsicLike(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** A value's JSON type, as error messages name it: `null`, `an array`, `a string`, ... */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
