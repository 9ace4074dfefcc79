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
 * The reader never evaluates anything and never throws for unreadable text (it yields `undefined`), with one
 * exception: text nested deeper than 512 levels (brackets, parentheses, template interpolations) throws
 * `NestingError` (see `nesting.ts`), which the normalizer reports as unusable input naming the file.
 */

import { MAX_NESTING, NestingError } from '../nesting';

/** Thrown internally when the text is not something this reader understands. */
class Unreadable extends Error {}

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

type Context = 'top' | 'object' | 'tuple' | 'paren';

class Reader {
  public pos = 0;
  /** Open brackets, parentheses and interpolations around `pos`; each is a stack frame or more. */
  private depth = 0;
  constructor(private readonly text: string) {}

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw new NestingError();
  }

  private leave(): void {
    this.depth--;
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

  /** Reads a value; falls back to an opaque `${...}` expression when it is not a plain literal. */
  value(context: Context): unknown {
    const start = this.pos;
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
      default: return false;
    }
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
