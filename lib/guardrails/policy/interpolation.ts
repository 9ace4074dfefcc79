/**
 * Terraform expressions as synthesized output writes them: `${...}` interpolations (recognised, never evaluated),
 * the resource and data-source references inside them, and the module addresses the normalizer puts in front.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';

const INTERPOLATION = /\$\{/;

/** True when a string holds a Terraform interpolation `${...}` (not the `$${` escape). */
export function hasInterpolation(value: string): boolean {
  // Removing `$${` can only matter when both occur; without allocating for the common cases.
  if (!value.includes('${')) return false;
  if (!value.includes('$${')) return true;
  return INTERPOLATION.test(value.replace(/\$\$\{/g, ''));
}


/**
 * Where the `${` interpolation starting at `start` ends: just past its closing brace (braces balanced, braces
 * inside quoted strings ignored), or the end of `value` when it is never closed.
 */
function interpolationEnd(value: string, start: number): { end: number; closed: boolean } {
  let depth = 1;
  let j = start + 2;
  let quote = false;
  for (; j < value.length && depth > 0; j++) {
    const c = value[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return { end: j, closed: depth === 0 };
}

/** The `${...}` expressions of a Terraform string, braces balanced, outermost first. */
export function interpolations(value: string): string[] {
  const out: string[] = [];
  if (!value.includes('${')) return out;
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      i += 3;
      continue;
    }
    if (value.startsWith('${', i)) {
      const { end: j } = interpolationEnd(value, i);
      out.push(value.slice(i + 2, j - 1));
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * What stands for a value not known statically: a fixed string, or one made from the expression it replaces (the
 * `${...}` text, or the intrinsic function object).
 */
export type Placeholder = string | ((expression: unknown) => string);

/**
 * The literal text of a Terraform string with each `${...}` replaced by `placeholder` (`$${` is the literal `${`).
 * Braces inside quoted strings of an interpolation do not end it (see {@link interpolationEnd}).
 */
export function literalText(value: string, placeholder: Placeholder = '\u0000'): string {
  // Without `${` there is neither an interpolation nor a `$${` escape: the text is the value (no char-by-char copy).
  if (!value.includes('${')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (value.startsWith('${', i)) {
      // The same scanner as `interpolations()`: a brace inside a quoted string (`${format("%s}", x)}`) does not end it.
      const { end: j } = interpolationEnd(value, i);
      out += typeof placeholder === 'string' ? placeholder : placeholder(value.slice(i, j));
      i = j;
      continue;
    }
    out += value[i];
    i++;
  }
  return out;
}

const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'each', 'count', 'path', 'module', 'self', 'terraform']);

/** A Terraform reference found in an expression. */
export interface TfReference {
  /** `aws_iam_role.etl` or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  /** Attribute after the address, e.g. `arn`, `fully_qualified_name` (first segment only). */
  readonly attribute?: string;
  /** A literal instance key after the name (`[0]`, `["ci"]`) of a resource with count / for_each, as written. */
  readonly instance?: string;
}

/** Resource and data-source references in a Terraform expression (`var.`, `local.` etc. excluded). */
/**
 * Resource and data-source references in a Terraform expression (`var.`, `local.` etc. excluded). With a context,
 * each expression is parsed once per check (the same `${azuread_application.etl.client_id}` is read by many rules).
 * The result is shared: do not mutate it.
 */
export function tfReferences(expression: string, context?: AnalysisContext): TfReference[] {
  if (context === undefined) return readReferences(expression);
  const table = context.check.table(REFERENCES);
  let out = table.get(expression);
  if (out === undefined) {
    out = readReferences(expression);
    table.set(expression, out);
  }
  return out;
}

/** The references of each expression read in a check (see {@link tfReferences}). */
const REFERENCES = new Memo<string, TfReference[]>('references of a Terraform expression');

/** A literal instance key as Terraform addresses write it (`[0]`, `["ci"]`), as a regular expression source. */
export const INSTANCE_KEY_SOURCE = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;

/**
 * The module address the normalizer puts in front of the blocks and references of a called module (`module.etl.`,
 * `module.etl[0].`, `module.etl["ci"].module.inner.`: see {@link qualifyReferences}), as a regular expression source.
 */
export const MODULE_ADDRESS_PREFIX = String.raw`(?:module\.[A-Za-z_][A-Za-z0-9_-]*(?:${INSTANCE_KEY_SOURCE})?\.)*`;
/** A reference: its module address, `data.`, type, name, an index, the first attribute. */
const REFERENCE = new RegExp(String.raw`(?<![\w.$"'-])(${MODULE_ADDRESS_PREFIX})(data\.)?([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][A-Za-z0-9_]*))?`, 'g');
/** The reference pattern with the index captured, for {@link readReferences}. */
const REFERENCE_WITH_INDEX = new RegExp(String.raw`(?<![\w.$"'-])(${MODULE_ADDRESS_PREFIX})(data\.)?([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?(?:\.([A-Za-z_][A-Za-z0-9_]*))?`, 'g');
/** A literal instance key as written: a whole number or one quoted string. */
const LITERAL_INSTANCE = new RegExp(`^${INSTANCE_KEY_SOURCE}$`);
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/** Whether `type` (with or without `data.`) names a resource or data source, not `var`, `local`, `each`, ... */
function isBlockType(data: string | undefined, type: string): boolean {
  return Boolean(data) || (!NON_RESOURCE_ROOTS.has(type) && /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(type)); // provider_thing
}

function readReferences(expression: string): TfReference[] {
  const out: TfReference[] = [];
  const re = new RegExp(REFERENCE_WITH_INDEX.source, 'g');
  // Skip string literals inside the expression; blanked to the same length, so an index is read from the expression.
  const code = expression.replace(QUOTED, (q) => `"${' '.repeat(q.length - 2)}"`);
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const [, blanked, data, type, name, index, attribute] = m;
    if (!isBlockType(data, type)) continue;
    // The module address as written: a `for_each` instance key in it (`module.etl["ci"].`) was blanked with the strings.
    const module = blanked.includes('"') ? expression.slice(m.index, m.index + blanked.length) : blanked;
    const at = m.index + m[0].indexOf(index ?? '\u0000', module.length + (data ? 5 : 0) + type.length + name.length + 1);
    const instance = index === undefined ? undefined : expression.slice(at, at + index.length);
    out.push({
      address: `${module}${data ? 'data.' : ''}${type}.${name}`,
      ...(attribute ? { attribute } : {}),
      ...(instance !== undefined && LITERAL_INSTANCE.test(instance) ? { instance } : {}),
    });
  }
  return out;
}

/**
 * Puts `moduleAddress` (`module.etl.`) in front of every resource and data-source reference inside the
 * interpolations of `value`, so references between the blocks of a called module name their module addresses
 * (`${aws_iam_user.this.name}` → `${module.etl.aws_iam_user.this.name}`). Text outside `${...}`, quoted strings
 * inside it, `var.`/`local.`/`each.` and references that already carry a module address are left as they are.
 */
export function qualifyReferences(value: string, moduleAddress: string): string {
  if (!value.includes('${')) return value;
  const pattern = new RegExp(`${QUOTED.source}|${REFERENCE.source}`, 'g');
  return mapInterpolations(value, (inner) => inner.replace(pattern, (match: string, module: string | undefined, data: string | undefined, type: string | undefined) => (
    type === undefined || module || !isBlockType(data, type) ? match : `${moduleAddress}${match}`)));
}

/**
 * `value` with the expression inside each of its `${...}` interpolations replaced by `map(expression)`; text outside
 * them and `$${` escapes stay as they are.
 */
export function mapInterpolations(value: string, map: (expression: string) => string): string {
  if (!value.includes('${')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      out += '$${';
      i += 3;
      continue;
    }
    if (value.startsWith('${', i)) {
      const { end: j, closed } = interpolationEnd(value, i);
      out += `\${${map(value.slice(i + 2, closed ? j - 1 : j))}${closed ? '}' : ''}`;
      i = j;
      continue;
    }
    out += value[i];
    i++;
  }
  return out;
}

/**
 * True when a Terraform expression refers to nothing (no `var.`, `local.`, resource, data source,
 * `each.`...): only constants and function calls such as `jsonencode({...})` or `file("x")`.
 */
export function isStaticExpression(expression: string): boolean {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return !/(?<![\w.])[A-Za-z_][\w-]*(\[[^\]]*\])?\.[A-Za-z_]/.test(code);
}

/** `var.x` names referenced in a Terraform expression. */
export function tfVariables(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const out: string[] = [];
  const re = /(?<![\w.])var\.([A-Za-z_][A-Za-z0-9_-]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) out.push(m[1]);
  return out;
}

/** A provider reference as written: `aws`, `aws.prod` (`${aws.prod}` in HCL read by hcl2json). */
const PROVIDER_NAME = /^(?:\$\{\s*)?([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)?)(?:\s*\})?$/;

/**
 * The provider a Terraform `provider` argument or a module call's `providers` value names (`aws.prod`), or
 * `undefined` when it is not one literal provider name.
 */
export function providerName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const m = PROVIDER_NAME.exec(text);
  // `${aws.prod` or `aws.prod}`: the braces come in pairs
  return m && text.startsWith('${') === text.endsWith('}') ? m[1] : undefined;
}

/**
 * The provider a Terraform resource of `type` uses as its module's code names it: its `provider` argument
 * (`aws.prod`), else the provider its type is of (`aws_iam_role`: `aws`); `undefined` when the argument is not one
 * literal provider name.
 */
export function resourceProviderName(type: string, providerArgument: unknown): string | undefined {
  return providerArgument === undefined ? type.split('_')[0] : providerName(providerArgument);
}
