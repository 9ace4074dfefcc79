/**
 * Terraform's iteration order over a known collection, shared by everything that iterates one statically: a
 * resource's `for_each` map, a `dynamic` block's `for_each`, a `for` expression. A list (or tuple, or set already
 * sorted) is iterated by index; an object or map by key, in lexical order, as Terraform does.
 *
 * Engine-neutral; internal module of the Terraform reader.
 */
import { isObject } from '../policy/json';

/** One element of a collection: its index (a list) or key (an object) and its value. */
export interface Element {
  readonly key: number | string;
  readonly value: unknown;
}

/** The elements of a list or object in Terraform's order; `undefined` for a value that is neither. */
export function elementsOf(collection: unknown): Element[] | undefined {
  if (Array.isArray(collection)) return collection.map((value, key) => ({ key, value }));
  if (!isObject(collection)) return undefined;
  return Object.keys(collection).sort().map((key) => ({ key, value: collection[key] }));
}
