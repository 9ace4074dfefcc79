/**
 * Module variables' type constraints, as far as reading a called module needs them. Terraform converts the value a
 * module call passes (and a variable's default) to the variable's type before the module reads it, and an attribute
 * an object type declares `optional` that the value leaves out, or sets to null, becomes the attribute's default, or
 * null (Terraform 1.3+). terraform-aws-modules pass maps of such objects (`self_managed_node_groups = { default = {} }`,
 * typed `map(object({ create = optional(bool), ... }))`) and read them attribute by attribute
 * (`create = each.value.create`): without the conversion each such attribute was missing, so every switch reading it
 * was not known.
 *
 * Only what changes a value's shape is kept: collections, objects (with their optional attributes and defaults) and
 * tuples. Primitive conversions (`"true"` to a bool) are not made: a value keeps what the caller wrote.
 *
 * Internal module of the Terraform readers.
 */
import { hasInterpolation } from '../policy/interpolation';
import { isObject } from '../policy/json';
import { readHclExpression } from './hcl-expression';

/** A variable's `type`, as far as it shapes a value. */
export type TypeConstraint =
  /** `string`, `number`, `bool`, `any`: the value is kept as it is. */
  | { readonly kind: 'primitive' }
  /** `list(T)`, `set(T)`, `map(T)`: each element is converted to T. */
  | { readonly kind: 'collection'; readonly element: TypeConstraint }
  | { readonly kind: 'object'; readonly attributes: ReadonlyMap<string, ObjectAttribute> }
  | { readonly kind: 'tuple'; readonly elements: readonly TypeConstraint[] };

/** One attribute of an `object({...})` type. */
export interface ObjectAttribute {
  readonly type: TypeConstraint;
  /** Declared `optional(T)` or `optional(T, default)`. */
  readonly optional: boolean;
  /**
   * The default of `optional(T, default)`, when declared; `UNREADABLE_DEFAULT` when it is declared but could not be
   * read (the attribute is then left as the value has it).
   */
  readonly default?: unknown;
}

/** The default of an optional attribute that is declared but could not be read. */
export const UNREADABLE_DEFAULT: unique symbol = Symbol('unreadable optional default');

const PRIMITIVE: TypeConstraint = { kind: 'primitive' };
const PRIMITIVES = new Set(['string', 'number', 'bool', 'any']);
const COLLECTIONS = new Set(['list', 'set', 'map']);

/**
 * Reads a type constraint as hcl2json gives it (`${map(object({...}))}`) or as Terraform JSON writes it
 * (`map(object({...}))`), comments included. `undefined` when it is not one this reader knows.
 */
export function parseTypeConstraint(written: unknown): TypeConstraint | undefined {
  if (typeof written !== 'string') return undefined;
  const trimmed = written.trim();
  const text = trimmed.startsWith('${') && trimmed.endsWith('}') ? trimmed.slice(2, -1) : trimmed;
  const reader = new TypeReader(text);
  try {
    const type = reader.type();
    reader.skipSpace();
    return reader.atEnd() ? type : undefined;
  } catch (e) {
    if (e instanceof NotAType) return undefined;
    throw e;
  }
}

/**
 * `value` converted to `type` as Terraform does before a module reads it: optional object attributes that are absent
 * or null filled in with their default (itself converted) or null, through collections, objects and tuples. A value
 * that is not the shape the type expects (a `${...}` known only at apply, a primitive) is returned as it is.
 */
export function convertToType(value: unknown, type: TypeConstraint): unknown {
  switch (type.kind) {
    case 'collection':
      if (Array.isArray(value)) return value.map((v) => convertToType(v, type.element));
      if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertToType(v, type.element)]));
      return value;
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => (i < type.elements.length ? convertToType(v, type.elements[i]) : v)) : value;
    case 'object': {
      if (!isObject(value)) return value;
      const out: Record<string, unknown> = Object.fromEntries(Object.entries(value));
      for (const [name, attribute] of type.attributes) {
        const present = Object.prototype.hasOwnProperty.call(value, name);
        const given = present ? value[name] : undefined;
        if (attribute.optional && (!present || given === null)) {
          if (attribute.default === UNREADABLE_DEFAULT) continue;
          out[name] = 'default' in attribute ? convertToType(attribute.default, attribute.type) : null;
        } else if (present) {
          out[name] = convertToType(given, attribute.type);
        }
      }
      return out;
    }
    default:
      return value;
  }
}

class NotAType extends Error {}

/** Whether a value read from HCL holds a `${...}` (an expression, not a constant) anywhere; `$${` is an escape. */
function interpolates(value: unknown): boolean {
  if (typeof value === 'string') return hasInterpolation(value);
  if (Array.isArray(value)) return value.some(interpolates);
  if (isObject(value)) return Object.values(value).some(interpolates);
  return false;
}

/** A small reader of HCL type expressions; `#`, `//` and `/* *\/` comments are skipped. */
class TypeReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
      if (this.text[this.pos] === '#' || this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw new NotAType('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  type(): TypeConstraint {
    this.skipSpace();
    const name = this.identifier();
    if (PRIMITIVES.has(name)) return PRIMITIVE;
    this.expect('(');
    let type: TypeConstraint;
    if (COLLECTIONS.has(name)) {
      type = { kind: 'collection', element: this.type() };
    } else if (name === 'object') {
      type = { kind: 'object', attributes: this.attributes() };
    } else if (name === 'tuple') {
      type = { kind: 'tuple', elements: this.elements() };
    } else {
      throw new NotAType(`unknown type ${name}`);
    }
    this.expect(')');
    return type;
  }

  private attributes(): Map<string, ObjectAttribute> {
    this.expect('{');
    const attributes = new Map<string, ObjectAttribute>();
    for (;;) {
      this.skipSpace();
      if (this.take('}')) return attributes;
      const name = this.text[this.pos] === '"' ? this.quoted() : this.identifier();
      this.skipSpace();
      if (!this.take('=') && !this.take(':')) throw new NotAType(`expected = after ${name}`);
      attributes.set(name, this.attribute());
      this.skipSpace();
      this.take(',');
    }
  }

  private attribute(): ObjectAttribute {
    this.skipSpace();
    const start = this.pos;
    if (this.identifier() !== 'optional') {
      this.pos = start;
      return { type: this.type(), optional: false };
    }
    this.expect('(');
    const type = this.type();
    this.skipSpace();
    if (this.take(')')) return { type, optional: true };
    this.expect(',');
    const text = this.expressionText();
    this.expect(')');
    const value = readHclExpression(text);
    // Terraform allows only constants here: anything the reader keeps as `${...}` is not one it could read
    return { type, optional: true, default: value === undefined || interpolates(value) ? UNREADABLE_DEFAULT : value };
  }

  private elements(): TypeConstraint[] {
    this.expect('[');
    const elements: TypeConstraint[] = [];
    for (;;) {
      this.skipSpace();
      if (this.take(']')) return elements;
      elements.push(this.type());
      this.skipSpace();
      this.take(',');
    }
  }

  /** The text of an optional attribute's default: up to the `)` that closes `optional(`, outside strings and brackets. */
  private expressionText(): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.quoted();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return this.text.slice(start, this.pos);
        depth--;
      }
      this.pos++;
    }
    throw new NotAType('unterminated optional(...)');
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos, this.pos + 256));
    if (!match) throw new NotAType(`expected a name at ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }

  /** A quoted string (an attribute name, or a string inside a default), returned without its quotes and unescaped. */
  private quoted(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    if (this.pos >= this.text.length) throw new NotAType('unterminated string');
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw new NotAType('string escapes JSON does not read');
    }
  }

  private take(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (!this.take(c)) throw new NotAType(`expected ${c} at ${this.pos}`);
  }
}
