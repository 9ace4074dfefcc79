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

/**
 * `value` with every string in it replaced by `map(string)`, copied only where something changed: the same value (not
 * a copy) when `map` returns every string as it is. Never edits `value`. (The Terraform reader's `resolve` walks
 * values the same way but carries a nesting bound and the reading's place through every call: it is the hot path of
 * normalizing, and stays a loop of its own.)
 */
export function mapStrings(value: unknown, map: (text: string) => unknown): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const r = mapStrings(value[i], map);
      if (out === undefined && r !== value[i]) out = value.slice(0, i);
      if (out !== undefined) out.push(r);
    }
    return out ?? value;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    let entries: [string, unknown][] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const r = mapStrings(value[keys[i]], map);
      if (entries === undefined && r !== value[keys[i]]) entries = keys.slice(0, i).map((k): [string, unknown] => [k, value[k]]);
      if (entries !== undefined) entries.push([keys[i], r]);
    }
    // fromEntries, not assignment: a `__proto__` key stays an own property.
    return entries ? Object.fromEntries(entries) : value;
  }
  return value;
}
