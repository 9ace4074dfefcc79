/**
 * A small, synchronous reader for HCL expression literals, enough to read the argument of `jsonencode(...)`
 * statically in both HCL (`.tf`) and Terraform JSON (cdktf writes `${jsonencode({"a" = "b"})}`).
 *
 * Output uses the Terraform JSON representation: objects, tuples, strings, numbers, bools and null as JSON;
 * anything that is not a literal (a reference such as `aws_iam_role.r.arn`, a function call, a conditional, a
 * `for` expression, an operator) becomes the string `${<expression text>}`, exactly like Terraform JSON spells
 * an interpolation. Quoted strings keep their template sequences (`"arn:${var.x}"` stays `arn:${var.x}`) and
 * their escapes `$${` / `%%{`, again as in Terraform JSON.
 *
 * The reader never throws: unreadable text yields `undefined`. {@link readHclExpression} never evaluates anything;
 * {@link evaluateHclExpression} and {@link renderTemplate} (given an {@link EvaluationScope}) also evaluate what is
 * statically known: function calls over known values (`join`, `format`, `lower`, `upper`, `replace`, `concat`,
 * `element`, `trimspace`, `chomp`, `jsonencode`, `file`, `templatefile`, `toset`, `trimprefix`, `trimsuffix`,
 * `coalesce`, `coalescelist`, `tolist`, `flatten`, `compact`, `distinct`, `keys`, `values`, `length`, `contains`,
 * `lookup`, `merge`, `zipmap`, `try`, `can`),
 * `local.NAME`, a called module's `var.NAME` (when the scope has {@link EvaluationScope.variable}), indexing
 * (`local.sqls[1]`, `local.m["k"]`, `local.m.k`), `for` expressions over known collections, operators with HCL's
 * precedence (`!`, unary `-`, `* / %`, `+ -`, `< <= > >=`, `== !=`, `&&`, `||`) and conditionals, splats
 * (`x[*].attr`), data sources the scope knows ({@link EvaluationScope.dataSource}), `path.module` and parentheses.
 * `false && X` is false and `true || X` true whatever `X` is, and only the branch a known condition takes is read:
 * the switches modules write (`var.create && var.create_key ? 1 : 0`) are known when the variables they decide on
 * are. Anything else (a root module's variables, resource references, other functions) is not
 * known, and an expression with any unknown part it needs is not evaluated: it stays `${...}`.
 *
 * One exception to "never throws": text nested deeper than 512 levels (brackets, parentheses, template
 * interpolations) throws `NestingError` (see `nesting.ts`), which the normalizer reports as unusable input naming
 * the file.
 */

import { MAX_NESTING, NestingError } from '../nesting';
import { elementsOf } from './iteration';
import { isObject } from '../policy/json';
import { hasInterpolation } from '../policy/interpolation';

// The reader's two internal signals are thrown and caught inside this module for control flow, once per
// reference in a typical configuration (`${aws_iam_role.r.arn}` is not statically known). They are not Errors:
// an Error captures a stack trace when it is made, which cost more than reading the expression.

/** Thrown internally when the text is not something this reader understands. */
class Unreadable {
  constructor(readonly reason: string) {}
}

/**
 * Inside an expression, a part whose value is not statically known: the reader reads on past it, since `false && X`
 * and a conditional's branch not taken need no value; at the end of the expression it becomes NotStatic.
 */
const UNKNOWN: unique symbol = Symbol('unknown');

/** Thrown internally when an expression is not statically known (a variable, an unknown function, a type error). */
class NotStatic {
  constructor(readonly reason: string) {}
}

/**
 * Thrown internally when Terraform itself fails on known values (an index a known list does not have, an attribute a
 * known object does not have): `try(...)` goes on to its next argument. Anywhere else it is not known, as NotStatic.
 */
class Fails extends NotStatic {}

/**
 * Marks an object whose attributes the reader knows only in part (a data source's `{json, minified_json}`): another
 * attribute of it is not known, not a failure.
 */
const PARTIAL: unique symbol = Symbol('attributes known in part');

/**
 * What an expression may read besides literals. Values are in the Terraform JSON representation: strings may hold
 * `${...}` interpolations (values only known at apply time) and `$${` escapes.
 */
export interface EvaluationScope {
  /** The value of `local.NAME`, or `undefined` when it is not known. */
  local(name: string): unknown;
  /**
   * The text of the file `path` (as written in `file(...)` / `templatefile(...)`), or `undefined` when it cannot be
   * read; the scope records why.
   */
  readFile(path: string, fn: string): string | undefined;
  /** Records something that could not be read statically. */
  note(message: string): void;
  /** Template variables (`templatefile`'s second argument), by name. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /**
   * The value of the module variable `var.NAME` when the module's call sets it (or its default), else `undefined`.
   * Read inside function calls and `for` expressions; absent in a root module, whose variables tfvars set.
   */
  variable?(name: string): unknown;
  /**
   * The value of `data.TYPE.NAME` when statically known (an `aws_iam_policy_document`: `{json, minified_json}`, a
   * list of them when it has a known `count`), else `undefined`.
   */
  dataSource?(type: string, name: string): unknown;
}

/** Nested evaluations (a template's interpolation calling a function reading a template ...) deeper than this are not evaluated. */
const MAX_EVALUATION_DEPTH = 32;

/** Returned by {@link evaluateHclExpression} when the expression is not statically known. */
export const NOT_STATIC: unique symbol = Symbol('not statically known');

/**
 * Evaluates one HCL expression (the text inside `${...}`) when everything it uses is statically known; otherwise
 * returns {@link NOT_STATIC}. Object and tuple constructors are always known: an element that is not becomes a
 * `${...}` string, as in Terraform JSON. Never throws on any input.
 */
export function evaluateHclExpression(text: string, scope: EvaluationScope, depth = 0): unknown {
  if (depth > MAX_EVALUATION_DEPTH) return NOT_STATIC;
  const leading = unknownLeadingName(text, scope?.variables);
  if (leading !== undefined && !(leading === 'var' && scope?.variable !== undefined)) return NOT_STATIC;
  try {
    const reader = new Reader(text, scope, depth);
    reader.skipSpace(true);
    const value = reader.expression(true);
    reader.skipSpace(true);
    if (!reader.atEnd()) return NOT_STATIC;
    return value;
  } catch (e) {
    if (e instanceof Unreadable || e instanceof NotStatic || e instanceof RangeError) return NOT_STATIC;
    throw e;
  }
}

/** The name an expression starts with (`aws_iam_role` of `aws_iam_role.r.arn`). */
const LEADING_NAME = /^\s*([A-Za-z_][A-Za-z0-9_-]*)/;
/** Names the reader may know at the start of an expression: `local.X`, `path.module` and the literal words. */
const KNOWN_NAMES = new Set(['local', 'path', 'true', 'false', 'null']);

/**
 * The name the expression starts with when it is not statically known and is not a function call: a resource,
 * data source, variable or module reference (`aws_iam_role` of `aws_iam_role.r.arn`, `var` of `var.x == "a" ? ...`);
 * `undefined` for anything else (a literal, `local.X`, a call, a template variable in `variables`). The reader
 * gives up at such a name whatever follows it, so this answers most expressions of a configuration without
 * reading them.
 */
export function unknownLeadingName(text: string, variables?: Readonly<Record<string, unknown>>): string | undefined {
  const m = LEADING_NAME.exec(text);
  if (!m || text.charAt(m[0].length) === '(' || KNOWN_NAMES.has(m[1])) return undefined;
  return variables && Object.prototype.hasOwnProperty.call(variables, m[1]) ? undefined : m[1];
}

/**
 * A Terraform string in its JSON representation with every `${...}` that is statically known replaced by its value:
 * exactly one whole `${...}` becomes the value itself (a list, an object, a number ...); interpolations inside text
 * are replaced when their value is a string, number or bool; the others stay as written. Strings with template
 * directives (`%{...}`) are returned as they are.
 */
export function renderTemplate(value: string, scope: EvaluationScope, depth = 0): unknown {
  return renderParts(value, scope, depth).value;
}

/** {@link renderTemplate}, also counting the interpolations that stayed as written. */
function renderParts(value: string, scope: EvaluationScope, depth: number): { value: unknown; unresolved: number } {
  if (!value.includes('${') || depth > MAX_EVALUATION_DEPTH || hasDirective(value)) return { value, unresolved: 0 };
  const parts = templateParts(value);
  if (parts === undefined) return { value, unresolved: 1 };
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const whole = evaluateHclExpression(parts[0].expression, scope, depth + 1);
    return whole === NOT_STATIC ? { value, unresolved: 1 } : { value: whole, unresolved: 0 };
  }
  let out = '';
  let unresolved = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const v = evaluateHclExpression(part.expression, scope, depth + 1);
    const text = v === NOT_STATIC ? undefined : primitiveText(v);
    if (text === undefined) unresolved++;
    out += text ?? `\${${part.expression}}`;
  }
  return { value: unresolved === parts.filter((p) => typeof p !== 'string').length ? value : out, unresolved };
}

/** `%{` not escaped as `%%{`. */
function hasDirective(value: string): boolean {
  return value.includes('%{') && /(^|[^%])%\{/.test(value);
}

/** Splits a template into literal text (escapes kept) and `${...}` expressions; `undefined` when braces do not balance. */
function templateParts(value: string): Array<string | { expression: string }> | undefined {
  const parts: Array<string | { expression: string }> = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    // Only a `$` can start an escape or an interpolation: the text up to the next one is copied as it is.
    const dollar = value.indexOf('$', i);
    if (dollar < 0) {
      text += value.slice(i);
      break;
    }
    text += value.slice(i, dollar);
    i = dollar;
    if (value.startsWith('$${', i)) {
      text += '$${';
      i += 3;
      continue;
    }
    if (value.startsWith('${', i)) {
      const reader = new Reader(value);
      reader.pos = i + 1;
      try {
        reader.skipBracketed();
      } catch (e) {
        if (e instanceof Unreadable) return undefined;
        throw e;
      }
      if (text !== '') parts.push(text);
      text = '';
      parts.push({ expression: value.slice(i + 2, reader.pos - 1) });
      i = reader.pos;
      continue;
    }
    text += value[i];
    i++;
  }
  if (text !== '') parts.push(text);
  return parts;
}

/** The text a string, number or bool interpolates as; `undefined` for other values. */
function primitiveText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** A string of the Terraform JSON representation that holds an interpolation (not only `$${` escapes). */

/** Raw file text in the Terraform JSON representation: a literal `${` / `%{` is escaped. */
function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function knownText(v: unknown): string {
  if (typeof v !== 'string' || hasInterpolation(v)) throw new NotStatic('not a known string');
  return v;
}

function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new NotStatic('not a list');
  return v;
}

function wholeNumber(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new NotStatic('not a whole number');
}

/** A number, or a string Terraform converts to one (`"3"`, `"-0.5"`). */
function finiteNumber(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  throw new NotStatic('not a number');
}

/** A call's argument count, checked where Terraform's signature is fixed. */
function arity(args: unknown[], count: number, name: string): void {
  if (args.length !== count) throw new NotStatic(`${name} takes ${count} argument(s)`);
}

/** A bool, or the string `"true"` / `"false"` Terraform converts to one. */
function knownBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new NotStatic('not a known bool');
}

/** What Terraform's `range` returns at most. */
const MAX_RANGE_NUMBERS = 1024;

/**
 * A `format` argument that is not statically known (`data.aws_partition.current.partition`), kept as its text: `%s`
 * and `%v` interpolate it as the template `"...${<text>}..."` would, the way an unknown element of a tuple is written
 * `${<text>}`. Any other verb over it is not known.
 */
class UnknownArgument {
  constructor(readonly text: string) {}
}

/**
 * Terraform's `format` verbs `%s`, `%v`, `%d`, `%q` and `%%`; anything else is not evaluated. An argument not known
 * statically is interpolated by `%s` / `%v` (`format("arn:%s:iam::aws:policy/%s", data.aws_partition.p.partition, "X")`
 * is `arn:${data.aws_partition.p.partition}:iam::aws:policy/X`, as `"arn:${...}:iam::aws:policy/X"` would be).
 */
function format(spec: string, args: unknown[]): string {
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw new NotStatic('too few format arguments');
    return args[next++];
  };
  const out = spec.replace(/%(.)/g, (_, verb: string) => {
    switch (verb) {
      case '%': return '%';
      case 's':
      case 'v': {
        const arg = take();
        if (arg instanceof UnknownArgument) return `\${${arg.text}}`;
        const text = primitiveText(arg);
        if (text === undefined) throw new NotStatic('not a string');
        return text;
      }
      case 'd': return String(wholeNumber(take()));
      case 'q': return JSON.stringify(knownText(take()));
      default: throw new NotStatic(`format verb %${verb}`);
    }
  });
  if (/%$/.test(spec.replace(/%%/g, ''))) throw new NotStatic('dangling %');
  return out;
}

type TerraformFunction = (args: unknown[], scope: EvaluationScope, depth: number) => unknown;

/** The Terraform functions evaluated over known values. */
const FUNCTIONS: Readonly<Record<string, TerraformFunction>> = {
  join: ([separator, ...lists]) => {
    if (lists.length === 0) throw new NotStatic('join needs a list');
    const items = lists.flatMap(list).map((v) => {
      const text = primitiveText(v);
      if (text === undefined) throw new NotStatic('join of a non-string');
      return text;
    });
    const sep = primitiveText(separator);
    if (sep === undefined) throw new NotStatic('join separator');
    return items.join(sep);
  },
  format: ([spec, ...args]) => format(knownText(spec), args),
  lower: ([v]) => knownText(v).toLowerCase(),
  upper: ([v]) => knownText(v).toUpperCase(),
  trimspace: ([v]) => knownText(v).trim(),
  chomp: ([v]) => knownText(v).replace(/(\r\n|\n|\r)+$/, ''),
  replace: ([v, search, replacement]) => {
    const needle = knownText(search);
    // `/regex/` is RE2, not JavaScript: not evaluated.
    if (needle.length >= 2 && needle.startsWith('/') && needle.endsWith('/')) throw new NotStatic('regular expression');
    return knownText(v).split(needle).join(knownText(replacement));
  },
  concat: (args) => args.flatMap(list),
  trimprefix: ([v, prefix]) => {
    const text = knownText(v);
    const p = knownText(prefix);
    return text.startsWith(p) ? text.slice(p.length) : text;
  },
  trimsuffix: ([v, suffix]) => {
    const text = knownText(v);
    const x = knownText(suffix);
    return x !== '' && text.endsWith(x) ? text.slice(0, -x.length) : text;
  },
  // The first list that is not empty (terraform-aws-modules: `coalescelist(var.oidc_audiences, ["sts.amazonaws.com"])`).
  coalescelist: (args) => {
    for (const arg of args) if (list(arg).length > 0) return arg;
    throw new NotStatic('coalescelist of empty lists');
  },
  // The first argument that is neither null nor an empty string.
  coalesce: (args) => {
    for (const arg of args) {
      if (typeof arg === 'string' && hasInterpolation(arg)) throw new NotStatic('coalesce of a value not known');
      if (arg !== null && arg !== '') return arg;
    }
    throw new NotStatic('coalesce of nothing');
  },
  tolist: ([v]) => list(v),
  flatten: ([v]) => {
    const flat = (items: unknown[]): unknown[] => items.flatMap((item) => (Array.isArray(item) ? flat(item) : [item]));
    return flat(list(v));
  },
  compact: ([v]) => list(v).filter((item) => {
    if (item !== null && typeof item !== 'string') throw new NotStatic('compact of a value that is not a string');
    return item !== null && item !== '';
  }),
  distinct: ([v]) => {
    const seen = new Set<string>();
    return list(v).filter((item) => {
      const text = JSON.stringify(item);
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
  },
  keys: ([v]) => {
    if (!isObject(v)) throw new NotStatic('keys of a value that is not an object');
    return Object.keys(v).sort();
  },
  values: ([v]) => {
    if (!isObject(v)) throw new NotStatic('values of a value that is not an object');
    return Object.keys(v).sort().map((k) => v[k]);
  },
  length: ([v]) => {
    if (Array.isArray(v)) return v.length;
    if (typeof v === 'object' && v !== null) return Object.keys(v).length;
    return [...knownText(v)].length;
  },
  contains: ([l, v]) => {
    const items = list(l);
    const wanted = comparable(v);
    if (wanted === UNKNOWN) throw new NotStatic('contains of a value not known');
    if (items.some((item) => comparable(item) === wanted)) return true;
    if (items.some((item) => comparable(item) === UNKNOWN)) throw new NotStatic('contains over elements not known');
    return false;
  },
  // `lookup(each.value, "iam_role_additional_policies", null)`: the element, else the default (without one, an error)
  lookup: ([map, key, ...fallback]) => {
    if (!isObject(map)) throw new NotStatic('lookup in a value that is not a map');
    const name = knownText(key);
    if (Object.prototype.hasOwnProperty.call(map, name)) return map[name];
    if (PARTIAL in map) throw new NotStatic(`attribute ${name} not known`);
    if (fallback.length === 1) return fallback[0];
    throw new Fails('lookup of a missing key without a default');
  },
  // Later maps win, key by key (terraform-aws-modules: `merge(local.default_rules, var.rules)`).
  merge: (args) => {
    const out: Record<string, unknown> = {};
    for (const arg of args) {
      if (!isObject(arg)) throw new NotStatic('merge of a value that is not a map');
      for (const [k, v] of Object.entries(arg)) out[k] = v;
    }
    return out;
  },
  // `zipmap(["current_version", "unqualified_alias"], [var.a ? true : null, ...])`: keys to values, pairwise
  zipmap: ([keyList, valueList]) => {
    const names = list(keyList).map(knownText);
    const items = list(valueList);
    if (names.length !== items.length) throw new Fails('zipmap of lists of different lengths');
    const out: Record<string, unknown> = {};
    names.forEach((name, i) => { out[name] = items[i]; });
    return out;
  },
  // A set of strings (for_each's usual argument), in Terraform's order: sorted, duplicates removed.
  toset: ([v]) => {
    const items = list(v).map((item) => {
      const text = primitiveText(item);
      if (text === undefined || text.includes('${')) throw new NotStatic('toset of a value not known');
      return text;
    });
    return [...new Set(items)].sort();
  },
  // `split("/", var.role_path)`: Go's strings.Split (an empty separator splits into characters)
  split: (args) => {
    arity(args, 2, 'split');
    const sep = knownText(args[0]);
    const text = knownText(args[1]);
    return sep === '' ? [...text] : text.split(sep);
  },
  // `formatlist("arn:aws:s3:::%s/*", var.buckets)`: format per element; lists pair up, other arguments repeat
  formatlist: ([spec, ...args]) => {
    const text = knownText(spec);
    const lengths = [...new Set(args.filter(Array.isArray).map((a) => a.length))];
    if (lengths.length > 1) throw new Fails('formatlist of lists of different lengths');
    // without a list among the arguments Terraform formats once
    return Array.from({ length: lengths[0] ?? 1 }, (_, i) => format(text, args.map((a) => (Array.isArray(a) ? a[i] : a))));
  },
  tostring: (args) => {
    arity(args, 1, 'tostring');
    const [v] = args;
    if (v === null) return null;
    const text = primitiveText(v);
    if (text === undefined) throw new NotStatic('tostring of a value that is not a primitive');
    return text;
  },
  tonumber: (args) => {
    arity(args, 1, 'tonumber');
    const [v] = args;
    if (v === null) return null;
    if (typeof v === 'string' && hasInterpolation(v)) throw new NotStatic('tonumber of a value not known');
    if (typeof v === 'string' && !/^-?\d+(\.\d+)?$/.test(v)) throw new Fails('tonumber of a string that is not a number');
    return finiteNumber(v);
  },
  startswith: (args) => {
    arity(args, 2, 'startswith');
    return knownText(args[0]).startsWith(knownText(args[1]));
  },
  endswith: (args) => {
    arity(args, 2, 'endswith');
    return knownText(args[0]).endsWith(knownText(args[1]));
  },
  strcontains: (args) => {
    arity(args, 2, 'strcontains');
    return knownText(args[0]).includes(knownText(args[1]));
  },
  // `one(var.providers)`: null for an empty list, the element of a list of one; Terraform fails on more
  one: (args) => {
    arity(args, 1, 'one');
    const items = list(args[0]);
    if (items.length > 1) throw new Fails('one of a list of more than one element');
    return items.length === 0 ? null : items[0];
  },
  reverse: (args) => {
    arity(args, 1, 'reverse');
    return [...list(args[0])].reverse();
  },
  // strings in lexical order, as keys() and toset() give them
  sort: (args) => {
    arity(args, 1, 'sort');
    return list(args[0]).map((item) => {
      const text = primitiveText(item);
      if (text === undefined || hasInterpolation(text)) throw new NotStatic('sort of a value not known');
      return text;
    }).sort();
  },
  // `slice(var.subnets, 0, 2)`: start inclusive, end exclusive; Terraform fails on indices outside the list
  slice: (args) => {
    arity(args, 3, 'slice');
    const items = list(args[0]);
    const start = wholeNumber(args[1]);
    const end = wholeNumber(args[2]);
    if (start < 0 || end > items.length || start > end) throw new Fails('slice out of range');
    return items.slice(start, end);
  },
  alltrue: (args) => {
    arity(args, 1, 'alltrue');
    const values = list(args[0]).map(knownBool);
    return values.every((v) => v);
  },
  anytrue: (args) => {
    arity(args, 1, 'anytrue');
    const values = list(args[0]).map(knownBool);
    return values.some((v) => v);
  },
  // `[for i in range(length(var.audiences)) : {...}]`: Terraform's sequence, at most 1,024 numbers (Terraform fails past that)
  range: (args) => {
    if (args.length < 1 || args.length > 3) throw new NotStatic('range takes one to three arguments');
    const [start, limit] = args.length === 1 ? [0, finiteNumber(args[0])] : [finiteNumber(args[0]), finiteNumber(args[1])];
    const step = args.length === 3 ? finiteNumber(args[2]) : (limit >= start ? 1 : -1);
    if (step === 0) throw new Fails('range step of 0');
    if ((step > 0 && limit < start) || (step < 0 && limit > start)) throw new Fails('range step in the wrong direction');
    const out: number[] = [];
    for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
      if (out.length === MAX_RANGE_NUMBERS) throw new Fails(`range of more than ${MAX_RANGE_NUMBERS} numbers`);
      out.push(n);
    }
    return out;
  },
  element: ([l, index]) => {
    const items = list(l);
    const i = wholeNumber(index);
    if (items.length === 0 || i < 0) throw new NotStatic('element out of range');
    return items[i % items.length];
  },
  jsonencode: (args) => {
    if (args.length !== 1) throw new NotStatic('jsonencode takes one argument');
    const text = JSON.stringify(args[0]);
    if (text === undefined) throw new NotStatic('not encodable');
    return text;
  },
  file: ([path], scope) => {
    const text = scope.readFile(knownText(path), 'file');
    if (text === undefined) throw new NotStatic('file not readable');
    return escapeTemplate(text);
  },
  templatefile: ([path, variables], scope, depth) => {
    const name = knownText(path);
    if (!isObject(variables)) throw new NotStatic('templatefile variables');
    const text = scope.readFile(name, 'templatefile');
    if (text === undefined) throw new NotStatic('file not readable');
    if (hasDirective(text)) {
      scope.note(`templatefile("${name}") uses template directives (%{...}), which are not read statically; rules see the expression text`);
      throw new NotStatic('template directives');
    }
    const rendered = renderParts(text, { ...scope, local: () => undefined, variables }, depth + 1);
    const result = rendered.unresolved === 0 ? primitiveText(rendered.value) : undefined;
    if (result === undefined) {
      scope.note(`templatefile("${name}") has interpolations that are not statically known; rules see the expression text`);
      throw new NotStatic('template not known');
    }
    return result;
  },
};


/** `data.TYPE.NAME`, or a called module's own `module.A.module.B["k"].data.TYPE.NAME` (its address in front). */
const DATA_SOURCE = /^(?:module\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d+|"[^"\\]*")\])?\.)*data\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?![A-Za-z0-9_-])/;
const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

/** Reads one HCL expression (the whole text). Returns `undefined` when the text cannot be read. */
export function readHclExpression(text: string): unknown {
  try {
    const reader = new Reader(text);
    reader.skipSpace(true);
    const value = reader.value('top');
    reader.skipSpace(true);
    if (!reader.atEnd()) throw new Unreadable(`unexpected ${JSON.stringify(reader.peek())} at ${reader.pos}`);
    return value;
  } catch (e) {
    if (e instanceof Unreadable) return undefined;
    throw e;
  }
}

/**
 * When `text` is exactly one interpolation of one call to `fn` (`${jsonencode(...)}`), returns the argument text.
 * `${jsonencode(a)}-${x}` or `prefix${jsonencode(a)}` return `undefined`.
 */
export function singleCallArgument(text: string, fn: string): string | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  try {
    const reader = new Reader(text);
    reader.pos = 2;
    reader.skipSpace(true);
    const start = reader.pos;
    if (text.slice(start, start + fn.length) !== fn) return undefined;
    reader.pos = start + fn.length;
    reader.skipSpace(true);
    if (reader.peek() !== '(') return undefined;
    const open = reader.pos;
    reader.skipBracketed();
    const close = reader.pos - 1;
    reader.skipSpace(true);
    if (reader.pos !== text.length - 1) return undefined;
    return text.slice(open + 1, close);
  } catch (e) {
    if (e instanceof Unreadable) return undefined;
    throw e;
  }
}

type Context = 'top' | 'object' | 'tuple' | 'paren' | 'index' | 'argument';

class Reader {
  public pos = 0;
  /** Open brackets, parentheses and interpolations around `pos`; each is a stack frame or more. */
  private nesting = 0;
  /** Arguments of `try(...)` being read around `pos`: inside one, a failure ({@link Fails}) is not read past. */
  private trying = 0;
  /** With a scope, values that are statically known are evaluated (see {@link evaluateHclExpression}). */
  constructor(private readonly text: string, private readonly scope?: EvaluationScope, private readonly depth = 0) {}

  private enter(): void {
    if (++this.nesting > MAX_NESTING) throw new NestingError();
  }

  private leave(): void {
    this.nesting--;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  /** Skips blanks and comments; newlines too when `newlines`. */
  skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) {
        this.pos++;
      } else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (!this.atEnd() && this.peek() !== '\n') this.pos++;
      } else if (c === '/' && this.peek(1) === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw new Unreadable('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  /** Reads a value; falls back to an opaque `${...}` expression when it is not a plain literal (or, with a scope, not known). */
  value(context: Context): unknown {
    const start = this.pos;
    if (this.scope) {
      const evaluated = this.evaluated(context);
      if (evaluated.ok) return evaluated.value;
      this.pos = start;
    }
    const literal = this.literal();
    if (literal.ok) {
      // A literal followed by an operator (`1 + 2`, `"a" == var.b ? x : y`) is an expression.
      const save = this.pos;
      this.skipSpace(context !== 'object');
      if (this.atValueEnd(context)) {
        this.pos = save;
        return literal.value;
      }
    }
    this.pos = start;
    this.skipExpression(context);
    const raw = this.text.slice(start, this.pos).trim();
    if (raw === '') throw new Unreadable(`expected a value at ${start}`);
    return `\${${raw}}`;
  }

  private atValueEnd(context: Context): boolean {
    if (this.atEnd()) return true;
    const c = this.peek();
    switch (context) {
      case 'object': return c === ',' || c === '\n' || c === '}';
      case 'tuple': return c === ',' || c === ']';
      case 'paren': return c === ')';
      case 'index': return c === ']';
      case 'argument': return c === ',' || c === ')';
      default: return false;
    }
  }

  /** A statically known value ending where `context` ends, or not ok (position then undefined). */
  private evaluated(context: Context): { ok: true; value: unknown } | { ok: false } {
    try {
      const value = this.expression(context !== 'object');
      const save = this.pos;
      this.skipSpace(context !== 'object');
      if (!this.atValueEnd(context)) return { ok: false };
      this.pos = save;
      return { ok: true, value };
    } catch (e) {
      if (e instanceof Fails && this.trying > 0) throw e;
      if (e instanceof NotStatic || e instanceof Unreadable) return { ok: false };
      throw e;
    }
  }

  /** A known value that must end where `context` ends. */
  private known(context: Context): unknown {
    this.skipSpace(true);
    const value = this.expression(true);
    this.skipSpace(true);
    if (!this.atValueEnd(context) || this.atEnd()) throw new NotStatic(`expected the end of the ${context} at ${this.pos}`);
    return value;
  }

  /**
   * A whole expression: operands joined by operators, and conditionals. Throws NotStatic when its value is not known.
   * `newlines`: whether a newline may sit between an operand and an operator (inside brackets it may; between an
   * object's items it ends the value).
   */
  expression(newlines: boolean): unknown {
    const value = this.conditional(true, newlines);
    if (value === UNKNOWN) throw new NotStatic('not known');
    return value;
  }

  /**
   * `COND ? A : B`. With `live` false the text is only read past (a branch not taken). Only the branch the condition
   * takes is evaluated; a condition that is not a known bool reads both past and is not known.
   */
  private conditional(live: boolean, newlines: boolean): unknown {
    const condition = this.binary(0, live, newlines);
    const save = this.pos;
    this.skipSpace(newlines);
    if (this.peek() !== '?') {
      this.pos = save;
      return condition;
    }
    this.pos++;
    this.skipSpace(newlines);
    const yes = this.conditional(live && condition === true, newlines);
    this.skipSpace(newlines);
    if (this.peek() !== ':') throw new Unreadable(`expected : in a conditional at ${this.pos}`);
    this.pos++;
    this.skipSpace(newlines);
    const no = this.conditional(live && condition === false, newlines);
    if (!live) return UNKNOWN;
    return condition === true ? yes : condition === false ? no : UNKNOWN;
  }

  /** Binary operators of at least `level` (see {@link PRECEDENCE}), left to right (`a == b == c` is `(a == b) == c`). */
  private binary(level: number, live: boolean, newlines: boolean): unknown {
    let left = this.unary(live, newlines);
    for (;;) {
      const save = this.pos;
      this.skipSpace(newlines);
      const op = this.binaryOperator();
      if (op === undefined || PRECEDENCE[op] < level) {
        this.pos = save;
        return left;
      }
      this.pos += op.length;
      this.skipSpace(newlines);
      const right = this.binary(PRECEDENCE[op] + 1, live, newlines);
      left = live ? applyOperator(op, left, right) : UNKNOWN;
    }
  }

  private binaryOperator(): string | undefined {
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=' || two === '<=' || two === '>=') return two;
    const c = this.peek();
    if (c === '<' || c === '>' || c === '+' || c === '-' || c === '*' || c === '/' || c === '%') return c;
    return undefined;
  }

  /** `!X`, `-X` or an operand. */
  private unary(live: boolean, newlines: boolean): unknown {
    const c = this.peek();
    if ((c === '!' && this.peek(1) !== '=') || (c === '-' && !/[0-9]/.test(this.peek(1)))) {
      this.pos++;
      this.skipSpace(newlines);
      const value = this.unary(live, newlines);
      if (c === '!') return typeof value === 'boolean' ? !value : UNKNOWN;
      return typeof value === 'number' ? unsignedZero(-value) : UNKNOWN;
    }
    return this.term(live);
  }

  /** An operand's value, or UNKNOWN (it is then read past) when it is not statically known or `live` is false. */
  private term(live: boolean): unknown {
    const start = this.pos;
    if (live) {
      try {
        return this.operand();
      } catch (e) {
        if (!(e instanceof NotStatic) || (e instanceof Fails && this.trying > 0)) throw e;
        this.pos = start;
      }
    }
    this.skipOperand();
    return UNKNOWN;
  }

  /** Reads past one operand without evaluating it: a literal, string, bracketed group, name or call, and its accessors. */
  private skipOperand(): void {
    const c = this.peek();
    if (c === '"') {
      this.quoted();
    } else if (c === '<' && this.peek(1) === '<') {
      this.heredoc();
    } else if (c === '(' || c === '[' || c === '{') {
      this.skipBracketed();
    } else {
      const word = /^(?:[A-Za-z_][A-Za-z0-9_-]*|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(this.text.slice(this.pos, this.pos + 256));
      if (!word) throw new Unreadable(`expected an operand at ${this.pos}`);
      this.pos += word[0].length;
      if (this.peek() === '(') this.skipBracketed();
    }
    for (;;) {
      if (this.peek() === '[') {
        this.skipBracketed();
      } else if (this.peek() === '.' && /[A-Za-z_0-9*]/.test(this.peek(1))) {
        this.pos++;
        if (this.peek() === '*') this.pos++;
        else while (IDENT_CHAR.test(this.peek())) this.pos++;
      } else {
        return;
      }
    }
  }

  /** A primary value followed by any index (`[i]`) or attribute (`.name`) accesses; throws NotStatic when not known. */
  operand(): unknown {
    const scope = this.scope;
    if (!scope) throw new NotStatic('no scope');
    let value = this.primary(scope);
    for (;;) {
      if (this.atSplat()) {
        // `x[*].a.b`: the accessors after the splat apply to each element (a value that is no list is one element,
        // null none), as in Terraform
        this.pos = this.text.indexOf(']', this.pos) + 1;
        const items = Array.isArray(value) ? value : value === null ? [] : [value];
        const keys = this.accessorKeys();
        value = items.map((item) => keys.reduce(access, item));
        continue;
      }
      const key = this.accessorKeys(1)[0];
      if (key === undefined) return value;
      value = access(value, key);
    }
  }

  /** Whether a `[*]` splat starts here. */
  private atSplat(): boolean {
    return this.peek() === '[' && /^\[\s*\*\s*\]/.test(this.text.slice(this.pos, this.pos + 8));
  }

  /** The keys of the next `[key]` / `.name` accessors (at most `max`). */
  private accessorKeys(max = Infinity): unknown[] {
    const keys: unknown[] = [];
    while (keys.length < max) {
      if (this.peek() === '[' && !this.atSplat()) {
        this.pos++;
        keys.push(this.known('index'));
        this.pos++; // ]
      } else if (this.peek() === '.' && IDENT_START.test(this.peek(1))) {
        this.pos++;
        keys.push(this.identifier());
      } else {
        break;
      }
    }
    return keys;
  }

  private primary(scope: EvaluationScope): unknown {
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const value = this.known('paren');
      this.pos++; // )
      return value;
    }
    if (c === '"') {
      const text = this.quoted();
      if (!text.includes('${')) return text;
      return renderTemplate(text, scope, this.depth + 1);
    }
    if ((c === '[' || c === '{') && this.startsForExpression()) return this.forExpression(scope);
    const literal = this.literal();
    if (literal.ok) return literal.value;
    if (!IDENT_START.test(c)) throw new NotStatic(`not a known value at ${this.pos}`);
    const name = this.identifier();
    if (this.peek() === '(') return this.call(name, scope);
    if (name === 'var' && this.peek() === '.' && scope.variable !== undefined) {
      this.pos++;
      const value = scope.variable(this.identifier());
      // a value the caller passes that is known only at apply time stays its `${...}` text (as a local's does), which
      // operators and functions over strings do not read
      if (value === undefined) throw new NotStatic('variable not known');
      return value;
    }
    if ((name === 'data' || name === 'module') && scope.dataSource !== undefined) {
      // inside a called module the reader writes its own data sources with the module's address in front
      // (`module.irsa.data.aws_iam_policy_document.x`); another module's data sources cannot be referenced
      const reference = DATA_SOURCE.exec(this.text.slice(this.pos - name.length, this.pos + 512));
      if (reference === null) throw new NotStatic(name === 'module' ? 'a module output' : 'data source name');
      this.pos += reference[0].length - name.length;
      const value = scope.dataSource(reference[1], reference[2]);
      if (value === undefined) throw new NotStatic('data source not known');
      return knownInPart(value);
    }
    if (name === 'local' && this.peek() === '.') {
      this.pos++;
      const value = scope.local(this.identifier());
      if (value === undefined) throw new NotStatic('local not known');
      return value;
    }
    if (name === 'path' && this.text.startsWith('.module', this.pos) && !IDENT_CHAR.test(this.peek(7))) {
      this.pos += 7;
      return '.';
    }
    if (scope.variables && Object.prototype.hasOwnProperty.call(scope.variables, name)) return scope.variables[name];
    throw new NotStatic(`${name} is not statically known`);
  }

  private identifier(): string {
    const start = this.pos;
    if (!IDENT_START.test(this.peek())) throw new NotStatic(`expected a name at ${this.pos}`);
    while (IDENT_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private call(name: string, scope: EvaluationScope): unknown {
    if (name === 'try') return this.tryCall();
    if (name === 'can') return this.canCall();
    const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new NotStatic(`function ${name}`);
    this.pos++; // (
    const args: unknown[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.peek() === ')') {
        this.pos++;
        break;
      }
      // format's arguments after the spec may be unknown: %s and %v interpolate them
      args.push(name === 'format' && args.length > 0 ? this.knownOrText() : this.known('argument'));
      if (this.peek() === ',') this.pos++;
    }
    return fn(args, scope, this.depth);
  }

  /**
   * A call argument's value, or its text ({@link UnknownArgument}) when it is not statically known. Not inside
   * `try` / `can`: there the call must not fail, and `%s` of a value known only at apply fails if it is a list.
   */
  private knownOrText(): unknown {
    const start = this.pos;
    try {
      return this.known('argument');
    } catch (e) {
      // Terraform fails on it (a known list's missing index): so does the call
      if (!(e instanceof NotStatic) || e instanceof Fails || this.trying > 0) throw e;
    }
    this.pos = start;
    this.conditional(false, true);
    const end = this.pos;
    this.skipSpace(true);
    if (!this.atValueEnd('argument') || this.atEnd()) throw new NotStatic(`expected the end of the argument at ${this.pos}`);
    return new UnknownArgument(this.text.slice(start, end));
  }

  /**
   * `try(a, b, ...)`: the first argument Terraform evaluates without failing (`try(statement.value.principals, [])`
   * over a statement that has none is `[]`). An argument known only at apply makes the call not known: at apply it
   * may not fail. Arguments after the one taken are read past, not evaluated.
   */
  private tryCall(): unknown {
    this.pos++; // (
    for (;;) {
      this.skipSpace(true);
      if (this.peek() === ')') throw new Fails('every argument of try fails');
      const argument = this.attempt();
      if (argument.failed) {
        if (this.peek() === ',') this.pos++;
        continue;
      }
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace(true);
        if (this.peek() === ')') break;
        this.conditional(false, true);
        this.skipSpace(true);
      }
      this.closeCall();
      return argument.value;
    }
  }

  /** `can(x)`: whether Terraform evaluates `x` without failing; not known when `x` is known only at apply. */
  private canCall(): boolean {
    this.pos++; // (
    this.skipSpace(true);
    const succeeds = !this.attempt().failed;
    this.closeCall();
    return succeeds;
  }

  /**
   * One argument of `try` / `can`: its value, or `failed` (read past, up to the `,` or `)` after it) when Terraform
   * fails on it. Not known only at apply: thrown, as for any other call.
   */
  private attempt(): { failed: false; value: unknown } | { failed: true } {
    const start = this.pos;
    this.trying++;
    try {
      return { failed: false, value: this.known('argument') };
    } catch (e) {
      if (!(e instanceof Fails)) throw e;
      this.pos = start;
      this.conditional(false, true);
      this.skipSpace(true);
      return { failed: true };
    } finally {
      this.trying--;
    }
  }

  private closeCall(): void {
    if (this.peek() !== ')') throw new Unreadable(`expected ) at ${this.pos}`);
    this.pos++;
  }

  private literal(): { ok: true; value: unknown } | { ok: false } {
    const c = this.peek();
    if (c === '{') {
      if (this.startsForExpression()) return { ok: false };
      return { ok: true, value: this.object() };
    }
    if (c === '[') {
      if (this.startsForExpression()) return { ok: false };
      return { ok: true, value: this.tuple() };
    }
    if (c === '"') return { ok: true, value: this.quoted() };
    if (c === '<' && this.peek(1) === '<') return { ok: true, value: this.heredoc() };
    const rest = this.text.slice(this.pos);
    const number = NUMBER.exec(rest);
    if (number && !IDENT_CHAR.test(rest.charAt(number[0].length)) && rest.charAt(number[0].length) !== '.') {
      this.pos += number[0].length;
      return { ok: true, value: Number(number[0]) };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (rest.startsWith(word) && !IDENT_CHAR.test(rest.charAt(word.length)) && rest.charAt(word.length) !== '.') {
        this.pos += word.length;
        return { ok: true, value };
      }
    }
    return { ok: false };
  }

  /**
   * `[for V in C : BODY if COND]`, `[for I, V in C : ...]`, `{for K, V in C : KEY => VALUE if COND}`, evaluated
   * when the collection and every element's parts are known: a list iterates by index, an object by key in lexical
   * order (as Terraform does). Grouping (`VALUE...`), a duplicate key, a condition that is not a bool or a result
   * still naming an iterator is not known.
   */
  private forExpression(scope: EvaluationScope): unknown {
    const close = this.peek() === '[' ? ']' : '}';
    this.pos++;
    this.enter();
    this.skipSpace(true);
    this.keyword('for');
    this.skipSpace(true);
    const first = this.identifier();
    this.skipSpace(true);
    let second: string | undefined;
    if (this.peek() === ',') {
      this.pos++;
      this.skipSpace(true);
      second = this.identifier();
      this.skipSpace(true);
    }
    this.keyword('in');
    const collection = this.partUntil(close, () => this.peek() === ':');
    if (this.peek() !== ':') throw new Unreadable(`expected : in a for expression at ${this.pos}`);
    this.pos++;
    let key: string | undefined;
    if (close === '}') {
      key = this.partUntil(close, () => this.text.startsWith('=>', this.pos));
      if (!this.text.startsWith('=>', this.pos)) throw new Unreadable(`expected => in a for expression at ${this.pos}`);
      this.pos += 2;
    }
    const body = this.partUntil(close, () => this.keywordAt('if') || this.text.startsWith('...', this.pos));
    if (this.text.startsWith('...', this.pos)) throw new NotStatic('grouping in a for expression');
    let condition: string | undefined;
    if (this.keywordAt('if')) {
      this.pos += 2;
      condition = this.partUntil(close, () => false);
    }
    this.pos++; // ] or }
    this.leave();

    const read = (text: string, within: EvaluationScope): unknown => {
      const value = evaluateHclExpression(text, within, this.depth + 1);
      if (value === NOT_STATIC) throw new NotStatic('a part of a for expression is not known');
      return value;
    };
    const entries = elementsOf(read(collection, scope));
    if (entries === undefined) throw new NotStatic('for over a value that is not a collection');
    if (entries.length > MAX_FOR_ELEMENTS) throw new NotStatic('for over too many elements');
    const iterators = second === undefined ? [first] : [first, second];
    const tuple: unknown[] = [];
    const object = new Map<string, unknown>();
    for (const { key: index, value: element } of entries) {
      const variables = { ...(scope.variables ?? {}), ...(second === undefined ? { [first]: element } : { [first]: index, [second]: element }) };
      const within: EvaluationScope = { ...scope, variables };
      if (condition !== undefined) {
        const keep = read(condition, within);
        if (typeof keep !== 'boolean') throw new NotStatic('for condition is not a bool');
        if (!keep) continue;
      }
      const value = read(body, within);
      if (namesIterator(value, iterators)) throw new NotStatic('a for expression result that names its iterator');
      if (key === undefined) {
        tuple.push(value);
        continue;
      }
      const name = primitiveText(read(key, within));
      if (name === undefined || hasInterpolation(name) || object.has(name)) throw new NotStatic('for expression key');
      object.set(name, value);
    }
    // fromEntries, not assignment: a `__proto__` key stays an own property.
    return key === undefined ? tuple : Object.fromEntries(object);
  }

  /** The text of one part of a `for` expression, from here to where `stop` holds at depth 0 or to `close`. */
  private partUntil(close: string, stop: () => boolean): string {
    const start = this.pos;
    for (;;) {
      this.skipSpace(true);
      if (this.atEnd()) throw new Unreadable('unterminated for expression');
      if (this.peek() === close || stop()) break;
      this.skipToken();
    }
    const text = this.text.slice(start, this.pos).trim();
    if (text === '') throw new Unreadable(`expected an expression at ${start}`);
    return text;
  }

  /** Whether the word `word` (not part of a longer name) starts here. */
  private keywordAt(word: string): boolean {
    return this.text.startsWith(word, this.pos) && !IDENT_CHAR.test(this.peek(word.length))
      && (this.pos === 0 || !/[A-Za-z0-9_.-]/.test(this.text.charAt(this.pos - 1)));
  }

  private keyword(word: string): void {
    if (!this.keywordAt(word)) throw new Unreadable(`expected ${word} at ${this.pos}`);
    this.pos += word.length;
    this.skipSpace(true);
  }

  /** `[for x in y : z]` and `{for k, v in m : k => v}` are expressions, not constructors. */
  private startsForExpression(): boolean {
    return /^[[{]\s*for\s/.test(this.text.slice(this.pos, this.pos + 32));
  }

  private object(): Record<string, unknown> {
    this.pos++; // {
    this.enter();
    const result: Record<string, unknown> = {};
    for (;;) {
      this.skipSpace(true);
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace(true);
      }
      if (this.peek() === '}') {
        this.pos++;
        this.leave();
        return result;
      }
      if (this.atEnd()) throw new Unreadable('unterminated object');
      const key = this.key();
      this.skipSpace(false);
      const sep = this.peek();
      if (sep !== '=' && sep !== ':') throw new Unreadable(`expected = after key at ${this.pos}`);
      this.pos++;
      this.skipSpace(false);
      result[key] = this.value('object');
      this.skipSpace(false);
      const next = this.peek();
      if (next !== ',' && next !== '\n' && next !== '}') throw new Unreadable(`expected , or newline at ${this.pos}`);
    }
  }

  private key(): string {
    const c = this.peek();
    if (c === '"') return this.quoted();
    if (c === '(') {
      const start = this.pos;
      this.skipBracketed();
      return `\${${this.text.slice(start + 1, this.pos - 1).trim()}}`;
    }
    if (IDENT_START.test(c)) {
      const start = this.pos;
      while (IDENT_CHAR.test(this.peek())) this.pos++;
      if (this.peek() === '.' || this.peek() === '[') {
        // `var.x = 1` as a key is an expression key.
        while (!this.atEnd() && !/[=:\n]/.test(this.peek())) this.pos++;
        return `\${${this.text.slice(start, this.pos).trim()}}`;
      }
      return this.text.slice(start, this.pos);
    }
    const number = NUMBER.exec(this.text.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return number[0];
    }
    throw new Unreadable(`expected an object key at ${this.pos}`);
  }

  private tuple(): unknown[] {
    this.pos++; // [
    this.enter();
    const result: unknown[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.peek() === ']') {
        this.pos++;
        this.leave();
        return result;
      }
      if (this.atEnd()) throw new Unreadable('unterminated tuple');
      result.push(this.value('tuple'));
      this.skipSpace(true);
      if (this.peek() === ',') {
        this.pos++;
      } else if (this.peek() !== ']') {
        throw new Unreadable(`expected , or ] at ${this.pos}`);
      }
    }
  }

  /** A quoted template string. Escapes are decoded; `${...}` / `%{...}` sequences are kept verbatim. */
  private quoted(): string {
    this.pos++; // "
    let out = '';
    for (;;) {
      if (this.atEnd()) throw new Unreadable('unterminated string');
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\n') throw new Unreadable('newline in string');
      if (c === '\\') {
        out += this.escape();
        continue;
      }
      if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
        out += `${c}${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && this.peek(1) === '{') {
        const start = this.pos;
        this.pos++;
        this.skipBracketed();
        out += this.text.slice(start, this.pos);
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  private escape(): string {
    const c = this.peek(1);
    this.pos += 2;
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': {
        const length = c === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + length);
        if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(hex)) throw new Unreadable('bad unicode escape');
        this.pos += length;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw new Unreadable('bad unicode escape');
        return String.fromCodePoint(code);
      }
      default:
        throw new Unreadable(`unknown escape \\${c}`);
    }
  }

  /** `<<EOT` / `<<-EOT` heredoc; `<<-` strips the common leading whitespace. */
  private heredoc(): string {
    const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.text.slice(this.pos));
    if (!header) throw new Unreadable('bad heredoc');
    const indent = header[1] === '-';
    const marker = header[2];
    this.pos += header[0].length;
    const lines: string[] = [];
    for (;;) {
      if (this.atEnd()) throw new Unreadable('unterminated heredoc');
      let end = this.text.indexOf('\n', this.pos);
      if (end < 0) end = this.text.length;
      const line = this.text.slice(this.pos, end).replace(/\r$/, '');
      this.pos = end;
      if (line.trim() === marker) break;
      lines.push(line);
      if (this.pos < this.text.length) this.pos++;
    }
    let body = lines;
    if (indent) {
      const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const strip = widths.length > 0 ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(Math.min(strip, /^[ \t]*/.exec(l)![0].length)));
    }
    return body.map((l) => `${l}\n`).join('');
  }

  /** Skips a bracketed group starting at `(`, `[` or `{` (also `${`/`%{` after the sigil), nesting aware. */
  skipBracketed(): void {
    const open = this.peek();
    const close = open === '(' ? ')' : open === '[' ? ']' : open === '{' ? '}' : undefined;
    if (!close) throw new Unreadable(`expected a bracket at ${this.pos}`);
    this.pos++;
    this.enter();
    for (;;) {
      this.skipSpace(true);
      if (this.atEnd()) throw new Unreadable(`unterminated ${open}`);
      const c = this.peek();
      if (c === close) {
        this.pos++;
        this.leave();
        return;
      }
      this.skipToken();
    }
  }

  /** Skips one token of an expression: a string, heredoc, bracketed group or single character. */
  private skipToken(): void {
    const c = this.peek();
    if (c === '"') {
      this.quoted();
    } else if (c === '<' && this.peek(1) === '<' && /^<<-?[A-Za-z_]/.test(this.text.slice(this.pos, this.pos + 4))) {
      this.heredoc();
    } else if (c === '(' || c === '[' || c === '{') {
      this.skipBracketed();
    } else if (c === ')' || c === ']' || c === '}') {
      throw new Unreadable(`unbalanced ${c} at ${this.pos}`);
    } else {
      this.pos++;
    }
  }

  /** Skips an expression up to the delimiter that ends it in `context`. */
  private skipExpression(context: Context): void {
    for (;;) {
      this.skipSpace(context !== 'object');
      if (this.atEnd() || this.atValueEnd(context)) return;
      this.skipToken();
    }
  }
}

/** Elements a `for` expression reads at most. */
const MAX_FOR_ELEMENTS = 1000;

/** Whether a string in `value` still interpolates one of a `for` expression's iterators (out of scope after it). */
function namesIterator(value: unknown, iterators: readonly string[]): boolean {
  if (typeof value === 'string') {
    if (!hasInterpolation(value)) return false;
    return iterators.some((name) => new RegExp(`(?<![A-Za-z0-9_.-])${name}(?![A-Za-z0-9_-])`).test(value));
  }
  if (Array.isArray(value)) return value.some((v) => namesIterator(v, iterators));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((v) => namesIterator(v, iterators));
  return false;
}

/** `value[key]` / `value.key` over known values. */
function access(value: unknown, key: unknown): unknown {
  if (Array.isArray(value)) {
    const i = wholeNumber(key);
    if (i < 0 || i >= value.length) throw new Fails('index out of range');
    return value[i];
  }
  if (typeof value === 'object' && value !== null && (typeof key === 'string' || typeof key === 'number')) {
    const k = String(key);
    if (!Object.prototype.hasOwnProperty.call(value, k)) {
      if (PARTIAL in value) throw new NotStatic(`attribute ${k} not known`);
      throw new Fails(`no key ${k}`);
    }
    return (value as Record<string, unknown>)[k];
  }
  // Terraform: an attribute or index of null fails ("Attempt to get attribute from null value")
  if (value === null) throw new Fails('an attribute of null');
  throw new NotStatic('not indexable');
}

/** A data source's value (or list of values, one per instance), marked as known in part (see {@link PARTIAL}). */
function knownInPart(value: unknown): unknown {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item === 'object' && item !== null && !(PARTIAL in item) && Object.isExtensible(item)) {
      Object.defineProperty(item, PARTIAL, { value: true });
    }
  }
  return value;
}


/** Binary operators by precedence, as in HCL: higher binds tighter. */
const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 0, '&&': 1, '==': 2, '!=': 2, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5,
};

/**
 * A binary operator over known values. `false && X` is false and `true || X` true whatever `X` is; otherwise an
 * operand not known (or of a type the operator does not take: Terraform would fail) makes the result not known.
 * `==` / `!=` compare bools, numbers, strings and null (a string holding `${...}` is not known; lists and objects are
 * not compared: `var.list == []` is false in Terraform whatever the list, as their types differ).
 */
function applyOperator(op: string, left: unknown, right: unknown): unknown {
  if (op === '&&') return left === false || right === false ? false : left === true && right === true ? true : UNKNOWN;
  if (op === '||') return left === true || right === true ? true : left === false && right === false ? false : UNKNOWN;
  if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
  if (op === '==' || op === '!=') {
    // a list or object is never null, whatever its elements are (`var.groups != null` with a group known only at apply)
    if ((left === null && isCollection(right)) || (right === null && isCollection(left))) return op === '!=';
    const a = comparable(left);
    const b = comparable(right);
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    return (a === b) === (op === '==');
  }
  if (typeof left !== 'number' || typeof right !== 'number') return UNKNOWN;
  switch (op) {
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    case '+': return unsignedZero(left + right);
    case '-': return unsignedZero(left - right);
    case '*': return unsignedZero(left * right);
    case '/': return right === 0 ? UNKNOWN : unsignedZero(left / right);
    default: return right === 0 ? UNKNOWN : unsignedZero(left % right);
  }
}

/** Terraform's numbers have no negative zero (`-1 * 0` is `0`); JavaScript's do, and `Object.is` tells them apart. */
function unsignedZero(n: number): number {
  return n === 0 ? 0 : n;
}

/** A list or an object (not a value known only at apply, which is a `${...}` string). */
function isCollection(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** A bool, number, string (without `${...}`) or null as `==` compares it; UNKNOWN for anything else. */
function comparable(value: unknown): boolean | number | string | null | typeof UNKNOWN {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return hasInterpolation(value) ? UNKNOWN : value;
  return UNKNOWN;
}
