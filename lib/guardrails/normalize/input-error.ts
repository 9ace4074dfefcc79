import { nestsDeeperThan, TOO_DEEP } from '../nesting';

/**
 * Input that cannot be checked at all: an unreadable file, malformed JSON/YAML/HCL, a JSON document that is
 * not a template, a path that does not exist. The CLI prints `message` as its one stderr line and exits 2.
 *
 * Internal (not part of the jsii API): jsii forbids classes that extend Error.
 */
export class InputError extends Error {
  /** The file or directory that could not be used. */
  public readonly file: string;
  /** One line: why it could not be used. */
  public readonly reason: string;

  constructor(file: string, reason: string) {
    const oneLine = reason.replace(/\s*\n\s*/g, ' ').trim();
    super(`${file}: ${oneLine}`);
    this.name = 'InputError';
    this.file = file;
    this.reason = oneLine;
    Object.setPrototypeOf(this, InputError.prototype);
  }
}

/** Strips a UTF-8 byte order mark, which editors on Windows like to add. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The reason for a file whose bytes are not text. */
export const BINARY = 'not a text file (binary content)';

/**
 * Whether text read as UTF-8 is binary content rather than a template: it holds a NUL, or more than a tenth of its
 * first 8 KiB are control characters (other than tab, newline, carriage return, form feed) or bytes that are not
 * UTF-8 (read as U+FFFD). Text files with a stray control character or a few Latin-1 bytes are still text.
 */
export function isBinaryText(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const head = text.slice(0, 8192);
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f || c === 0xfffd) odd++;
  }
  return odd * 10 > head.length;
}

/**
 * A parser's message made safe for one terminal line: line breaks become a space and every other character outside
 * printable ASCII is escaped (`\x1b`, `\u00e9`), so an excerpt of the input can never carry control sequences or
 * raw bytes.
 */
export function printable(text: string): string {
  // Line breaks become one space, as in every one-line reason (see InputError).
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[^\x20-\x7e]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Parses JSON text, turning a syntax error into an {@link InputError} naming the file; the parser's excerpt of the
 * text is escaped ({@link printable}), and binary content is refused as such (`<file>: not a text file (binary
 * content)`). A document nested deeper than 512 levels (`MAX_NESTING`) is refused too: `<file>: nested deeper than
 * 512 levels`.
 */
export function parseJson(text: string, file: string): unknown {
  const source = stripBom(text);
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    if (isBinaryText(source)) throw new InputError(file, BINARY);
    throw new InputError(file, `malformed JSON: ${printable(withLineColumn((e as Error).message, source))}`);
  }
  if (nestsDeeperThan(doc)) throw new InputError(file, TOO_DEEP);
  return doc;
}

/** `... in JSON at position 54` → `... in JSON at line 3, column 37` (Node 20 gives only the offset). */
function withLineColumn(message: string, source: string): string {
  const text = message.replace(/\s*\(line \d+ column \d+\)$/, '');
  const m = /at position (\d+)$/.exec(text);
  if (!m) return text;
  const before = source.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = Number(m[1]) - before.lastIndexOf('\n');
  return `${text.slice(0, m.index)}at line ${line}, column ${column}`;
}

/** Why a file or directory could not be read, in words (`no such file or directory`, `<what>: permission denied`). */
export function ioReason(e: unknown, what: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return `${what}: permission denied`;
    case 'EISDIR': return `${what}: is a directory`;
    default: return `${what}: ${code ?? (e as Error).message}`;
  }
}
