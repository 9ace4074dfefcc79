/**
 * The resources of a set that a value refers to, for both engines: CloudFormation `Ref` / `Fn::GetAtt` /
 * `Fn::Sub`, Terraform `${type.name...}`. Looked up in the set's index on the analysis context.
 */
import type { AnalysisContext } from '../analysis';
import { NormalizedResource } from '../model';
import { Memo } from '../analysis';
import { interpolations, TfReference, tfReferences } from './interpolation';
import { cfnReferences } from './intrinsics';
import { isObject } from './json';

/**
 * Resources in the set a value refers to, in order, optionally limited to some types.
 * Works for both engines: CloudFormation `Ref`/`Fn::GetAtt`/`Fn::Sub`, Terraform `${type.name...}`.
 */
export function referencedResources(value: unknown, context: AnalysisContext, types?: readonly string[]): { resource: NormalizedResource; attribute?: string }[] {
  const out: { resource: NormalizedResource; attribute?: string }[] = [];
  const seen = new Set<string>();
  const add = (address: string, attribute?: string, instance?: string): void => {
    // `${aws_iam_user.ci[1].name}` names that instance when the set has it, else the resource (its first instance).
    const r = (instance !== undefined ? context.resource(`${address}${instance}`) : undefined) ?? context.resource(address);
    if (!r || seen.has(r.address)) return;
    if (types && !types.includes(r.type)) return;
    seen.add(r.address);
    out.push({ resource: r, ...(attribute ? { attribute } : {}) });
  };
  const visitStrings = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const ref of stringReferences(v, context)) add(ref.address, ref.attribute, ref.instance);
    } else if (Array.isArray(v)) v.forEach(visitStrings);
    else if (isObject(v)) Object.values(v).forEach(visitStrings);
  };
  visitStrings(value);
  for (const ref of cfnReferences(value)) add(ref.id, ref.attribute);
  return out;
}

/** The address of the first resource of one of `types` a value refers to. */
export function referencedAddress(value: unknown, context: AnalysisContext, types?: readonly string[]): string | undefined {
  return referencedResources(value, context, types)[0]?.resource.address;
}


/** The references of every interpolation of a Terraform string, in order (once per check: strings repeat). */
function stringReferences(value: string, context: AnalysisContext): readonly TfReference[] {
  if (!value.includes('${')) return NO_REFERENCES;
  const table = context.check.table(STRING_REFERENCES);
  let refs = table.get(value);
  if (refs === undefined) {
    refs = interpolations(value).flatMap((expr) => tfReferences(expr, context));
    table.set(value, refs);
  }
  return refs;
}

const NO_REFERENCES: readonly TfReference[] = Object.freeze([]);
const STRING_REFERENCES = new Memo<string, readonly TfReference[]>('references of a Terraform string');
