/**
 * The one nesting bound of the engine. Readers, normalizers and rules walk values recursively; a value nested
 * deeper than the JavaScript stack allows would end in a `RangeError` (and, inside the HCL parser's Go runtime, in a
 * crash of the whole process). Every reader therefore refuses input nested deeper than {@link MAX_NESTING} levels
 * with the same reason, {@link TOO_DEEP}, whatever the format: CloudFormation JSON or YAML, Terraform JSON, HCL,
 * and JSON held in strings (policy documents, container definitions).
 *
 * 512 is far above anything real (synthesized templates and policies nest a few dozen levels at most) and well
 * below what the parsers survive on Node's default stack (the YAML parser fails near 950 levels of block nesting,
 * hcl2json near 1,000 levels of nested blocks), so the bound is reported instead of a crash.
 *
 * Internal module (not part of the jsii API).
 */

/** Deepest nesting of objects and arrays (or HCL brackets) any reader accepts. */
export const MAX_NESTING = 512;

/** The reason given for input nested deeper than {@link MAX_NESTING}. */
export const TOO_DEEP = `nested deeper than ${MAX_NESTING} levels`;

/**
 * Thrown where a value nested deeper than {@link MAX_NESTING} is met and the file is not known (JSON held in a
 * string, an HCL expression); callers that know the file turn it into an `InputError`. Internal.
 */
export class NestingError extends Error {
  constructor(what?: string) {
    super(what ? `${what} is ${TOO_DEEP}` : TOO_DEEP);
    this.name = 'NestingError';
    Object.setPrototypeOf(this, NestingError.prototype);
  }
}

/**
 * Whether a value nests objects and arrays deeper than `limit` levels (a scalar is 0 levels, `[]` and `{}` are 1,
 * `[[]]` is 2). Safe on any depth: it recurses at most `limit` frames and stops at the first path that is too deep.
 * A cyclic value counts as too deep.
 */
export function nestsDeeperThan(value: unknown, limit: number = MAX_NESTING): boolean {
  return typeof value === 'object' && value !== null && deeper(value, limit);
}

/** `remaining`: levels still allowed, this one included. Recursive (bounded by `remaining`): faster than a stack. */
function deeper(value: object, remaining: number): boolean {
  if (remaining <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null && deeper(child, remaining - 1)) return true;
    }
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const child = record[key];
    if (typeof child === 'object' && child !== null && deeper(child, remaining - 1)) return true;
  }
  return false;
}

/** `JSON.parse` for JSON held in a value (a policy string, container definitions): throws {@link NestingError} when too deep. */
export function parseNestedJson(text: string, what: string): unknown {
  const parsed: unknown = JSON.parse(text);
  if (nestsDeeperThan(parsed)) throw new NestingError(what);
  return parsed;
}

/** Whether an error is a stack overflow (`RangeError: Maximum call stack size exceeded`), possibly re-wrapped by a parser. */
export function isStackOverflow(e: unknown): boolean {
  const message = (e as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /maximum call stack size exceeded/i.test(message);
}
