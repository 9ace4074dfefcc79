import { NormalizedResource } from '../model';
import { nestsDeeperThan, TOO_DEEP } from '../nesting';
import { unreadableCallNotes } from './custom-resource';
import { InputError, isObject } from './input-error';
import type { NormalizedSet } from './set';

/** Top-level sections a CloudFormation template may have (besides `Resources`). */
const CFN_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions',
  'Transform', 'Outputs', 'Hooks',
]);

/** Options for {@link normalizeCloudFormation}. */
export interface CloudFormationOptions {
  /**
   * Construct paths by logical id, for templates synthesized without `aws:cdk:path` metadata (read from the
   * cloud assembly's stack metadata). Template metadata wins when both exist.
   */
  readonly constructPaths?: ReadonlyMap<string, string>;
}

/** Whether a parsed document looks like a CloudFormation template (used to tell CFN JSON from Terraform JSON). */
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
 * A template without `Resources` but with other template sections (a CDK stack with no resources has only
 * `Parameters`/`Rules`) yields an empty set. Anything else that is not template-shaped throws {@link InputError}.
 */
export function normalizeCloudFormation(template: unknown, file: string, options: CloudFormationOptions = {}): NormalizedSet {
  if (!isObject(template)) {
    throw new InputError(file, `not a CloudFormation template: expected a JSON/YAML object, got ${describe(template)}`);
  }
  const resources: NormalizedResource[] = [];
  if (!('Resources' in template)) {
    if (Object.keys(template).some((k) => CFN_SECTIONS.has(k))) {
      return { file, engine: 'cloudformation', resources };
    }
    throw new InputError(file, 'not a CloudFormation template: no Resources section');
  }
  const section = template.Resources;
  if (!isObject(section)) {
    throw new InputError(file, `not a CloudFormation template: Resources must be an object, got ${describe(section)}`);
  }
  for (const [logicalId, resource] of Object.entries(section)) {
    if (!isObject(resource)) {
      throw new InputError(file, `Resources.${logicalId} must be an object, got ${describe(resource)}`);
    }
    if (typeof resource.Type !== 'string' || resource.Type === '') {
      throw new InputError(file, `Resources.${logicalId} has no Type`);
    }
    const properties = resource.Properties ?? {};
    if (!isObject(properties)) {
      throw new InputError(file, `Resources.${logicalId}.Properties must be an object, got ${describe(properties)}`);
    }
    // Rules walk properties recursively: a bound here keeps any depth from overflowing the stack (see nesting.ts).
    if (nestsDeeperThan(properties)) throw new InputError(file, `${TOO_DEEP} (Resources.${logicalId}.Properties)`);
    const metadataPath = isObject(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
    const constructPath = typeof metadataPath === 'string' ? metadataPath : options.constructPaths?.get(logicalId);
    resources.push({
      engine: 'cloudformation',
      kind: 'resource',
      type: resource.Type,
      address: logicalId,
      properties,
      file,
      ...(constructPath !== undefined ? { constructPath } : {}),
    });
  }
  const notes = unreadableCallNotes(resources);
  return { file, engine: 'cloudformation', resources, ...(notes.length > 0 ? { notes } : {}) };
}

/** A short description of a value's JSON type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
