/**
 * The switches modules turn their optional resources on and off with, read statically: `count = var.create ? 1 : 0`,
 * `count = var.create && var.create_access_key ? 1 : 0`, `count = local.create_policy ? 1 : 0` (with
 * `create_policy = var.create && length(var.policy_statements) > 0`), `count = var.name != null ? 1 : 0`. These are
 * how terraform-aws-modules and most module authors write them.
 *
 * What is read: `var.NAME` (the value the call binds or the module's default), `local.NAME` (its expression, read the
 * same way), `true` / `false` / `null`, numbers, plain quoted strings, `!`, `&&`, `||`, `==`, `!=`, `<`, `<=`, `>`,
 * `>=`, parentheses, `length(...)` and the conditional `COND ? A : B`. `false && X` is false and `true || X` true
 * whatever `X` is; anything else with a value not known (a variable nobody binds, a resource attribute, another
 * function) makes the whole count not known, and the block is then read once, as before.
 *
 * The same switches choose what a dynamic block iterates over (`for_each = var.enable_github_oidc ? [1] : []`,
 * `for_each = length(var.subjects) > 0 ? [1] : []`, `var.x ? var.conditions : []`): {@link readSwitchValue} reads
 * them, with list literals (`[1]`, `["a", "b"]`, `[]`) and the empty object `{}`.
 *
 * Engine-neutral; internal module of the Terraform reader.
 */

/** Where a switch's names are looked up. */
export interface SwitchScope {
  /** The value of `var.NAME` (already read: a literal, a list, or a `${...}` string when not known); `undefined` when unbound. */
  variable(name: string): unknown;
  /** The expression of `local.NAME` as written (a literal or a `${...}` string); `undefined` when there is none. */
  local(name: string): unknown;
}

/** A value this reader could not know. */
const UNKNOWN: unique symbol = Symbol('unknown');
type Value = boolean | number | string | null | readonly unknown[] | Readonly<Record<string, unknown>> | typeof UNKNOWN;

/** Locals that refer to locals deeper than this are not read. */
const MAX_LOCAL_DEPTH = 16;

/**
 * The number of instances a `count` value (the Terraform JSON representation: a number, or a string `${...}`) asks
 * for, when statically known; `undefined` otherwise.
 */
export function readCountSwitch(count: unknown, scope: SwitchScope): number | undefined {
  if (typeof count === 'number') return Number.isInteger(count) && count >= 0 ? count : undefined;
  if (typeof count !== 'string') return undefined;
  if (/^\s*\d+\s*$/.test(count)) return Number(count);
  const expression = wholeInterpolation(count);
  if (expression === undefined) return undefined;
  const value = evaluate(expression, scope, 0);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * The value a switch expression (a string that is exactly `${...}`) reads as, when every part of it is known: a list
 * or object (a `for_each`), a bool, number, string or null; `undefined` otherwise. A value that is no such string is
 * returned as it is.
 */
export function readSwitchValue(value: unknown, scope: SwitchScope): unknown {
  if (typeof value !== 'string') return value;
  const expression = wholeInterpolation(value);
  if (expression === undefined) return value.replace(/\$\$\{/g, '').includes('${') ? undefined : value;
  const read = evaluate(expression, scope, 0);
  return read === UNKNOWN ? undefined : read;
}

/** `X` of a string that is exactly `${X}`, X holding no further interpolation; `undefined` otherwise. */
function wholeInterpolation(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('${') || !trimmed.endsWith('}')) return undefined;
  const inner = trimmed.slice(2, -1);
  // braces are no part of what this reader reads (tokenize refuses them)
  return inner.includes('${') ? undefined : inner;
}

function evaluate(expression: string, scope: SwitchScope, depth: number): Value {
  const tokens = tokenize(expression);
  if (tokens === undefined) return UNKNOWN;
  const parser = new Parser(tokens, scope, depth);
  const value = parser.conditional();
  return parser.atEnd() ? value : UNKNOWN;
}

type Token =
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'op'; readonly text: string };

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '!', '<', '>', '?', ':', '(', ')', '.', '[', ']', ',', '{', '}'];

/** The tokens of a switch, or `undefined` for text outside what this reader reads (templates, escapes, other symbols). */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      i += name[0].length;
      continue;
    }
    const number = /^\d+(?:\.\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    if (c === '"') {
      // a plain string only: no escapes, no template sequences
      const end = text.indexOf('"', i + 1);
      if (end < 0) return undefined;
      const value = text.slice(i + 1, end);
      if (/[\\$%]/.test(value)) return undefined;
      tokens.push({ kind: 'string', value });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) return undefined;
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[], private readonly scope: SwitchScope, private readonly depth: number) {}

  atEnd(): boolean {
    return this.pos === this.tokens.length;
  }

  /** `COND ? A : B`; only the branch the condition takes is evaluated (the other is read past). */
  conditional(): Value {
    const condition = this.or();
    if (!this.takeOp('?')) return condition;
    const yes = this.conditional();
    if (!this.takeOp(':')) return this.fail();
    const no = this.conditional();
    if (condition === true) return yes;
    if (condition === false) return no;
    return UNKNOWN;
  }

  private or(): Value {
    let left = this.and();
    while (this.takeOp('||')) {
      const right = this.and();
      left = left === true || right === true ? true : left === false && right === false ? false : UNKNOWN;
    }
    return left;
  }

  private and(): Value {
    let left = this.comparison();
    while (this.takeOp('&&')) {
      const right = this.comparison();
      left = left === false || right === false ? false : left === true && right === true ? true : UNKNOWN;
    }
    return left;
  }

  /** Comparisons, left to right (`a == b == c` is `(a == b) == c`, as in HCL). */
  private comparison(): Value {
    let left = this.unary();
    for (;;) {
      const op = this.peekOp();
      if (op !== '==' && op !== '!=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return left;
      this.pos++;
      left = compare(op, left, this.unary());
    }
  }

  private unary(): Value {
    if (this.takeOp('!')) {
      const value = this.unary();
      return typeof value === 'boolean' ? !value : UNKNOWN;
    }
    return this.primary();
  }

  private primary(): Value {
    const token = this.tokens[this.pos++];
    if (token === undefined) return this.fail();
    if (token.kind === 'number' || token.kind === 'string') return token.value;
    if (token.kind === 'op') {
      if (token.text === '[') return this.list();
      // only the empty object: `var.x ? var.map : {}`
      if (token.text === '{') return this.takeOp('}') ? {} : this.fail();
      if (token.text !== '(') return this.fail();
      const value = this.conditional();
      return this.takeOp(')') ? value : this.fail();
    }
    switch (token.text) {
      case 'true': return true;
      case 'false': return false;
      case 'null': return null;
      case 'length': {
        if (!this.takeOp('(')) return this.fail();
        const value = this.conditional();
        if (!this.takeOp(')')) return this.fail();
        return lengthOf(value);
      }
      case 'var':
      case 'local': {
        if (!this.takeOp('.')) return this.fail();
        const name = this.tokens[this.pos++];
        if (name === undefined || name.kind !== 'name') return this.fail();
        // an attribute or index after the name (`var.settings.enabled`) is not read
        if (this.peekOp() === '.') return this.fail();
        return token.text === 'var' ? known(this.scope.variable(name.text)) : this.local(name.text);
      }
      default: return this.fail();
    }
  }

  /** `[A, B, ...]` after its `[`: known when every element is (a trailing comma is allowed, as in HCL). */
  private list(): Value {
    const elements: unknown[] = [];
    let known = true;
    while (!this.takeOp(']')) {
      if (this.atEnd()) return this.fail();
      const element = this.conditional();
      if (element === UNKNOWN) known = false;
      else elements.push(element);
      if (!this.takeOp(',') && this.peekOp() !== ']') return this.fail();
    }
    return known ? elements : UNKNOWN;
  }

  private local(name: string): Value {
    const value = this.scope.local(name);
    if (value === undefined || this.depth >= MAX_LOCAL_DEPTH) return UNKNOWN;
    if (typeof value === 'string') {
      const expression = wholeInterpolation(value);
      if (expression !== undefined) return evaluate(expression, this.scope, this.depth + 1);
    }
    return known(value);
  }

  /** Text this reader does not read: the rest is skipped and the value is not known. */
  private fail(): Value {
    this.pos = this.tokens.length;
    return UNKNOWN;
  }

  private peekOp(): string | undefined {
    const token = this.tokens[this.pos];
    return token?.kind === 'op' ? token.text : undefined;
  }

  private takeOp(op: string): boolean {
    if (this.peekOp() !== op) return false;
    this.pos++;
    return true;
  }
}

function compare(op: string, left: Value, right: Value): Value {
  if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
  if (op === '==' || op === '!=') {
    const a = primitive(left);
    const b = primitive(right);
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    return (a === b) === (op === '==');
  }
  if (typeof left !== 'number' || typeof right !== 'number') return UNKNOWN;
  switch (op) {
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    default: return left >= right;
  }
}

/** A bound value as this reader sees it: a string holding an interpolation is not known. */
function known(value: unknown): Value {
  if (value === undefined) return UNKNOWN;
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '').includes('${') ? UNKNOWN : value;
  if (typeof value === 'boolean' || typeof value === 'number' || value === null) return value;
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return value as Value;
  return UNKNOWN;
}

function primitive(value: Value): boolean | number | string | null | typeof UNKNOWN {
  return typeof value === 'object' && value !== null ? UNKNOWN : value;
}

/** `length` of a list (known elements or not), an object's attributes or a known string's characters. */
function lengthOf(value: Value): Value {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return [...value].length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return UNKNOWN;
}
