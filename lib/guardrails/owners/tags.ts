/**
 * Owner tags on a normalized resource: CloudFormation `Tags` (a list of `{Key, Value}` on most types, a map on some,
 * e.g. AWS::SSM::Parameter), Terraform `tags` (AWS) and `labels` (Google). Keys match case-insensitively, in the order
 * the keys are given (`owner` before `team` by default). A value that is not a literal (a CloudFormation intrinsic, a
 * Terraform `${...}` interpolation, a CDK token) names no owner: it is returned in `unresolved` so the caller can say
 * so when nothing else gives an owner.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { NormalizedResource } from '../model';
import { quoteValue } from '../display';

/** The tag keys read by default. */
export const DEFAULT_OWNER_TAG_KEYS: readonly string[] = ['owner', 'team'];

/** What a resource's tags say about its owner. */
export interface OwnerTag {
  /** The owner: the value of the first key (in `keys` order) that holds a literal. */
  readonly owner?: string;
  /** The tag key as written on the resource. */
  readonly key?: string;
  /** Owner tags whose value is not a literal, as `key = value` (for a note). */
  readonly unresolved: readonly string[];
}

/** The tag properties a resource of this engine has, by name. */
function tagHolders(resource: NormalizedResource): Array<[string, unknown]> {
  const p = resource.properties;
  return resource.engine === 'cloudformation' ? [['Tags', p.Tags]] : [['tags', p.tags], ['labels', p.labels]];
}

/** `[key, value]` pairs of the resource's tags (CloudFormation list or map; Terraform `tags` / `labels` maps). */
export function tagEntries(resource: NormalizedResource): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [, holder] of tagHolders(resource)) {
    if (Array.isArray(holder)) {
      for (const entry of holder) {
        if (entry !== null && typeof entry === 'object' && typeof (entry as Record<string, unknown>).Key === 'string') {
          out.push([(entry as Record<string, unknown>).Key as string, (entry as Record<string, unknown>).Value]);
        }
      }
    } else if (holder !== null && typeof holder === 'object' && !isIntrinsic(holder)) {
      for (const [key, value] of Object.entries(holder as Record<string, unknown>)) out.push([key, value]);
    }
  }
  return out;
}

/** The owner `resource`'s tags name, trying `keys` in order (case-insensitive). */
export function ownerTag(resource: NormalizedResource, keys: readonly string[]): OwnerTag {
  const entries = tagEntries(resource);
  // a whole tag map given by a variable or an intrinsic may hold an owner tag nobody can read statically
  const unresolved: string[] = tagHolders(resource)
    .filter(([, holder]) => (typeof holder === 'string' && holder.includes('${'))
      || (holder !== null && typeof holder === 'object' && !Array.isArray(holder) && isIntrinsic(holder)))
    .map(([name, holder]) => `${name} = ${quoteValue(holder)}`);
  for (const wanted of keys) {
    for (const [key, value] of entries) {
      if (key.toLowerCase() !== wanted.toLowerCase()) continue;
      const literal = literalValue(value);
      if (literal !== undefined) return { owner: literal, key, unresolved };
      if (!(typeof value === 'string' && value.trim() === '')) unresolved.push(`${key} = ${quoteValue(value)}`);
    }
  }
  return { unresolved };
}

/** A tag value that is a concrete, non-empty string; undefined for intrinsics, interpolations and tokens. */
function literalValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.includes('${') || /\$\{Token\[/.test(text) || text.includes('#{')) return undefined;
  return text;
}

/** `{Ref: ...}`, `{Fn::...}`: a CloudFormation intrinsic (a whole `Tags` map given by one is unresolved too). */
function isIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
