/**
 * A called module's outputs as its caller reads them (`module.NAME.OUTPUT`). Once a module is expanded, a caller's
 * `${module.etl.role_name}` is what the module's `output "role_name"` computes, read in the module's scope: a policy
 * the root module attaches to a module's role (`role = module.etl.role_name`, the usual shape with
 * terraform-aws-modules' IAM modules) names that role (`${module.etl.aws_iam_role.this.name}`), so the role's token
 * grants, trusts and credentials are joined as if the caller had named the resource itself.
 *
 * - A value that is the reference alone (`${module.etl.role_name}`) becomes the output's value, whatever it is (a
 *   literal, a list, a reference).
 * - Inside a longer expression or template (`"${module.etl.role_arn}/*"`, `${upper(module.etl.name)}`), the reference
 *   is replaced only when the output is itself a plain reference (`aws_iam_role.this.arn`); an output of any other
 *   shape leaves the caller's text as written. So does an output the module does not declare.
 * - An attribute after the output (`module.etl.role.arn`, for `output "role" { value = aws_iam_role.this }`) follows
 *   the reference the output names.
 * - A reference to an output the module does not declare (Terraform refuses it: "Unsupported attribute") is left as
 *   written, and a note names it.
 *
 * Engine-neutral; internal module of the Terraform readers.
 */
import { NormalizedResource, Writable } from '../model';
import { nestsDeeperThan, TOO_DEEP } from '../nesting';
import { interpolations, mapInterpolations } from '../policy/interpolation';
import { mapStrings } from '../policy/json';
import { escapeRegExp } from '../regexp';
import { InputError } from './input-error';

/** One expanded module call, named as its caller's code names it (`module.etl`, `module.etl[0]`), with its outputs. */
export interface CalledModule {
  readonly reference: string;
  readonly outputs: ReadonlyMap<string, unknown>;
}

/** A reference and nothing else: names, `.attribute`s and literal index keys; no operator, call or space inside. */
const PLAIN_REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])+$/;

/** The reference an output's value is, when it is one `${...}` holding a plain reference. */
function plainReference(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('${') || !value.endsWith('}')) return undefined;
  const inner = interpolations(value);
  if (inner.length !== 1 || inner[0].length !== value.length - 3) return undefined;
  const expression = inner[0].trim();
  return PLAIN_REFERENCE.test(expression) ? expression : undefined;
}

/**
 * A function that rewrites a value of the calling module with the outputs of `called`: the same value (not a copy)
 * when nothing in it names one of their outputs. `undeclared` hears of each reference to an output a called module
 * does not declare.
 */
function moduleOutputReader(called: readonly CalledModule[], undeclared: (reference: string) => void = () => undefined): (value: unknown) => unknown {
  const matchers = called.map((c) => {
    const reference = escapeRegExp(c.reference);
    return {
      reference: c.reference,
      outputs: c.outputs,
      whole: new RegExp(`^\\$\\{\\s*${reference}\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*\\}$`),
      inside: new RegExp(`(?<![\\w.$"'-])${reference}\\.([A-Za-z_][A-Za-z0-9_-]*)(?![\\w-])`, 'g'),
    };
  });
  const rewriteString = (text: string): unknown => {
    if (!text.includes('module.')) return text;
    for (const m of matchers) {
      const whole = m.whole.exec(text);
      if (whole && m.outputs.has(whole[1])) return m.outputs.get(whole[1]);
    }
    const rewritten = mapInterpolations(text, (expression) => {
      let out = expression;
      for (const m of matchers) {
        out = out.replace(m.inside, (found: string, name: string) => {
          if (!m.outputs.has(name)) undeclared(`${m.reference}.${name}`);
          return plainReference(m.outputs.get(name)) ?? found;
        });
      }
      return out;
    });
    return rewritten === text ? text : rewritten;
  };
  const rewrite = (value: unknown): unknown => mapStrings(value, rewriteString);
  return rewrite;
}

/**
 * Reads the outputs of `called` into the caller's resources (their `properties` are replaced, never edited: they may
 * be the parsed input's own objects) and into the caller's own outputs, which are returned for its caller. A
 * resource that names an output its module does not declare gets a note in `notes`.
 * A resource that an output's value makes nest deeper than 512 levels throws {@link InputError}.
 */
export function readCalledOutputs(
  resources: readonly NormalizedResource[], outputs: ReadonlyMap<string, unknown>, called: readonly CalledModule[], notes: string[],
): ReadonlyMap<string, unknown> {
  if (called.length === 0) return outputs;
  let at: NormalizedResource | undefined;
  const rewrite = moduleOutputReader(called, (reference) => {
    if (at !== undefined) notes.push(`${at.file}: ${at.address}: ${reference} is no output of its module; the value is read as written`);
  });
  for (const resource of resources) {
    at = resource;
    const properties = rewrite(resource.properties) as Record<string, unknown>;
    if (properties === resource.properties) continue;
    if (nestsDeeperThan(properties)) throw new InputError(resource.file, `${TOO_DEEP} (${resource.address})`);
    (resource as Writable<NormalizedResource>).properties = properties;
  }
  at = undefined;
  const read = new Map<string, unknown>();
  for (const [name, value] of outputs) read.set(name, rewrite(value));
  return read;
}
