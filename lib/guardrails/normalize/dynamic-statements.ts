import { blocks, isObject } from '../policy/json';
import { elementsOf } from './iteration';

/**
 * `dynamic "statement"` blocks of a `data "aws_iam_policy_document"`, expanded when what they iterate over is known:
 * terraform-aws-modules' roles build their trust policies this way (`dynamic "statement" { for_each =
 * var.enable_github_oidc ? [1] : [] ... }`, with `dynamic "condition" { for_each = length(var.oidc_subjects) > 0 ?
 * [1] : [] ... }` inside), so a role whose call leaves out the subjects has a trust with no `sub` condition, and only
 * the expanded statement shows it.
 *
 * A statement block is generated per element of its `for_each` (a list: `KEY` is the index; a map: one per key, in
 * Terraform's order), its content read with the iterator (`statement.key`, `statement.value`, `statement.value.attr`,
 * or the name given by `iterator`) and the iterators of the blocks around it in scope; nested dynamic blocks
 * (`dynamic "condition"`, `dynamic "principals"`) likewise. A statement is expanded only when every `for_each` in it is
 * known: a condition left out or generated once where Terraform would do otherwise changes what the trust allows, so
 * a `dynamic "statement"` with any `for_each` not known stays in `dynamic` (and the document's reader notes it).
 *
 * Engine-neutral; internal module of the Terraform reader.
 */

/** How the Terraform reader reads a dynamic block's parts. */
export interface DynamicBlockReader {
  /** `value` read as the module's other values are, with the iterators `bindings` (`{statement: {key, value}}`) in scope. */
  read(value: unknown, bindings: Readonly<Record<string, unknown>>): unknown;
  /** What a `for_each` iterates over when known statically (a list or an object), else `undefined`. */
  forEach(value: unknown, bindings: Readonly<Record<string, unknown>>): unknown;
}

/** Dynamic blocks generating more blocks than this are not expanded (a policy has at most a few dozen statements). */
const MAX_GENERATED = 100;

/**
 * The body without the `dynamic "statement"` blocks that could be expanded, and the statement blocks they generate,
 * already read (`reader.read`): the caller reads the rest of the body and appends them to its `statement` blocks.
 */
export function expandKnownDynamicStatements(
  body: Record<string, unknown>,
  reader: DynamicBlockReader,
  bindings: Readonly<Record<string, unknown>>,
): { readonly body: Record<string, unknown>; readonly generated: readonly Record<string, unknown>[] } {
  const dynamic = body.dynamic;
  if (!isObject(dynamic) || dynamic.statement === undefined) return { body, generated: [] };
  const generated: Record<string, unknown>[] = [];
  const remaining: unknown[] = [];
  const specs: unknown[] = Array.isArray(dynamic.statement) ? dynamic.statement : [dynamic.statement];
  for (const spec of specs) {
    const statements = generate(spec, 'statement', reader, bindings);
    if (statements === undefined) remaining.push(spec);
    else generated.push(...statements);
  }
  if (remaining.length === specs.length) return { body, generated: [] };
  const rest = Object.fromEntries(Object.entries(dynamic).filter(([key]) => key !== 'statement'));
  if (remaining.length > 0) rest.statement = remaining;
  const others = Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'dynamic'));
  if (Object.keys(rest).length > 0) others.dynamic = rest;
  return { body: others, generated };
}

/** The blocks one `dynamic "NAME"` block generates, read; `undefined` when any `for_each` in it is not known. */
function generate(
  spec: unknown,
  name: string,
  reader: DynamicBlockReader,
  bindings: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] | undefined {
  if (!isObject(spec)) return undefined;
  const iterations = elementsOf(reader.forEach(spec.for_each, bindings));
  if (iterations === undefined) return undefined;
  const iterator = iteratorName(spec.iterator) ?? name;
  const contents = blocks(spec.content);
  if (iterations.length * contents.length > MAX_GENERATED) return undefined;
  const out: Record<string, unknown>[] = [];
  for (const iteration of iterations) {
    for (const content of contents) {
      const block = readContent(content, reader, { ...bindings, [iterator]: iteration });
      if (block === undefined) return undefined;
      out.push(block);
    }
  }
  return out;
}

/** One generated block: its arguments and static blocks read, its own dynamic blocks generated. */
function readContent(
  content: Record<string, unknown>,
  reader: DynamicBlockReader,
  bindings: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const { dynamic, ...rest } = content;
  const read = reader.read(rest, bindings);
  if (!isObject(read)) return undefined;
  if (dynamic === undefined) return read;
  if (!isObject(dynamic)) return undefined;
  const out = new Map<string, unknown>(Object.entries(read));
  for (const [name, specs] of Object.entries(dynamic)) {
    const generated: Record<string, unknown>[] = [];
    for (const spec of Array.isArray(specs) ? specs : [specs]) {
      const nested = generate(spec, name, reader, bindings);
      if (nested === undefined) return undefined;
      generated.push(...nested);
    }
    const statics = blocks(out.get(name));
    if (statics.length + generated.length > 0) out.set(name, [...statics, ...generated]);
  }
  // fromEntries, not assignment: a `__proto__` key stays an own property.
  return Object.fromEntries(out);
}

/** `iterator = cond` (HCL reads the bare name as `${cond}`). */
function iteratorName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = /^(?:\$\{\s*)?([A-Za-z_][A-Za-z0-9_-]*)(?:\s*\})?$/.exec(value);
  return name?.[1];
}
