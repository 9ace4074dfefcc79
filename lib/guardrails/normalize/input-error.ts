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

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strips a UTF-8 byte order mark, which editors on Windows like to add. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON text, turning a syntax error into an {@link InputError} naming the file. A document nested deeper than
 * 512 levels (`MAX_NESTING`) is refused too: `<file>: nested deeper than 512 levels`.
 */
export function parseJson(text: string, file: string): unknown {
  const source = stripBom(text);
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    throw new InputError(file, `malformed JSON: ${withLineColumn((e as Error).message, source)}`);
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
