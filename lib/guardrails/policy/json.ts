/**
 * Plain JSON as synthesized output holds it: objects, lists, nested Terraform blocks, case-insensitive keys.
 */

/** A plain JSON object. */
export type Obj = Record<string, unknown>;

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a list: arrays as they are, absent as `[]`, anything else as a one-element list. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A nested block as a list of objects. Terraform JSON (and cdktf) may write a nested block as one object or as an
 * array of objects; HCL input (via hcl2json) always gives an array. Anything that is not an object is dropped.
 */
export function blocks(value: unknown): Obj[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The first object of a nested block (see {@link blocks}). */
export function block(value: unknown): Obj | undefined {
  return blocks(value)[0];
}

/** Property lookup ignoring case (IAM policy JSON keys, condition keys). */
export function getCi(obj: Obj, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) {
    if (k.toLowerCase() === lower) return obj[k];
  }
  return undefined;
}
