/**
 * Where a value comes from, as far as the template shows (a literal, a parameter typed in at deploy time, a dynamic
 * reference, a reference to another resource): what credential rules judge a value by.
 */
import type { AnalysisContext } from '../analysis';
import { NormalizedResource } from '../model';
import { hasInterpolation, interpolations, isStaticExpression, tfReferences, tfVariables } from './interpolation';
import { cfnReferences, isIntrinsic, mapValues } from './intrinsics';
import { isObject, Obj } from './json';
import { isSecretName } from './secrets';

/** Where a value comes from, as far as the template shows. */
export type Origin =
  /** Not set, `null` or an empty string. */
  | { readonly kind: 'absent' }
  /** Fully static text written in the template or configuration. */
  | { readonly kind: 'literal'; readonly text: string }
  /**
   * A CloudFormation Parameter (`{Ref: DbPassword}`) or a Terraform variable (`${var.db_password}`): a value typed in by hand at deploy time.
   * `noEcho`: the template declares the parameter `NoEcho` (its value is masked in the console and API output, nothing more).
   */
  | { readonly kind: 'parameter'; readonly name: string; readonly noEcho?: boolean }
  /** A CloudFormation dynamic reference `{{resolve:secretsmanager:...}}` / `{{resolve:ssm:...}}`: fetched at deploy time, not in the template. */
  | { readonly kind: 'dynamic-reference'; readonly text: string }
  /** Computed from other resources, pseudo parameters, data sources or expressions the template cannot show. */
  | { readonly kind: 'reference'; readonly refs: string[] };

const PSEUDO = /^AWS::/;

/**
 * Classifies a value for credential rules. A value mixing literal text with a parameter counts as a
 * parameter (`Bearer ${var.token}`); mixing it with a resource reference counts as a reference.
 */
export function origin(value: unknown, resource: Pick<NormalizedResource, 'engine'>, context: AnalysisContext): Origin {
  const set = context.set;
  if (value === undefined || value === null || value === '') return { kind: 'absent' };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', text: String(value) };
  if (typeof value === 'string') {
    if (/\{\{resolve:/.test(value)) return { kind: 'dynamic-reference', text: value };
    if (!hasInterpolation(value)) return { kind: 'literal', text: value };
    const exprs = interpolations(value);
    for (const expr of exprs) {
      const vars = tfVariables(expr);
      if (vars.length > 0) return { kind: 'parameter', name: `var.${vars[0]}` };
    }
    // `${jsonencode({password = "x"})}`, `${file("key.pem")}`: built from constants only, so as static as a literal.
    if (exprs.every(isStaticExpression)) return { kind: 'literal', text: value };
    return { kind: 'reference', refs: exprs.flatMap((e) => tfReferences(e, context).map((r) => r.address)) };
  }
  if (Array.isArray(value)) {
    return combine(context, value.map((v) => origin(v, resource, context)));
  }
  if (isIntrinsic(value)) {
    const [fn, arg] = Object.entries(value)[0];
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string' || PSEUDO.test(arg)) return { kind: 'reference', refs: [] };
        if (resource.engine === 'cloudformation' && !context.resource(arg)) {
          // A name the template neither declares as a parameter nor defines as a resource (`${Qualifier}` in a path
          // copied from the bootstrap template) is filled in by something outside it, not typed in as a parameter.
          if (set.parameters && !(arg in set.parameters)) return { kind: 'reference', refs: [] };
          const declared = set.parameters?.[arg];
          const noEcho = isObject(declared) && (declared.NoEcho === true || declared.NoEcho === 'true');
          return { kind: 'parameter', name: arg, ...(noEcho ? { noEcho } : {}) };
        }
        return { kind: 'reference', refs: [arg] };
      case 'Fn::Sub': {
        const template = Array.isArray(arg) ? arg[0] : arg;
        const vars = Array.isArray(arg) && isObject(arg[1]) ? (arg[1] as Obj) : {};
        if (typeof template !== 'string') return { kind: 'reference', refs: [] };
        if (/\{\{resolve:/.test(template)) return { kind: 'dynamic-reference', text: template };
        const parts: Origin[] = [];
        const literal = template.replace(/\$\{([^}!][^}]*)\}/g, (_, expr: string) => {
          const name = expr.trim();
          if (name in vars) parts.push(origin(vars[name], resource, context));
          else if (!name.includes('.')) parts.push(origin({ Ref: name }, resource, context));
          else parts.push({ kind: 'reference', refs: [name.split('.')[0]] });
          return '';
        });
        if (parts.length === 0) return literal === '' ? { kind: 'absent' } : { kind: 'literal', text: template.replace(/\$\{!/g, '${') };
        return combine(context, parts);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || !Array.isArray(arg[1])) return { kind: 'reference', refs: [] };
        const parts = (arg[1] as unknown[]).map((p) => origin(p, resource, context));
        const dynamic = parts.find((p) => p.kind === 'dynamic-reference');
        if (dynamic) return dynamic;
        if (parts.every((p) => p.kind === 'literal' || p.kind === 'absent')) {
          const text = (arg[1] as unknown[]).map((p) => (p === null || p === undefined ? '' : String(p))).join(String(arg[0] ?? ''));
          return text === '' ? { kind: 'absent' } : { kind: 'literal', text };
        }
        return combine(context, parts);
      }
      case 'Fn::If':
        // Either branch may be deployed: the worst one counts (a literal branch is a literal).
        if (!Array.isArray(arg)) return { kind: 'reference', refs: [] };
        return worst(arg.slice(1).map((p) => origin(p, resource, context)));
      case 'Fn::FindInMap': {
        // Any value the keys can select may be deployed: the worst one counts, as for Fn::If.
        const candidates = mapValues(arg, set);
        if (candidates === undefined) return { kind: 'reference', refs: cfnReferences(arg).map((r) => r.id) };
        return worst(candidates.map((c) => origin(c, resource, context)));
      }
      case 'Fn::Base64':
        return origin(arg, resource, context);
      case 'Fn::Select':
        if (Array.isArray(arg)) return origin(arg[1], resource, context);
        return { kind: 'reference', refs: [] };
      default: {
        const refs = cfnReferences(value).map((r) => r.id);
        return { kind: 'reference', refs };
      }
    }
  }
  return { kind: 'reference', refs: [] };
}

const RANK = { parameter: 4, literal: 3, 'dynamic-reference': 2, reference: 1, absent: 0 } as const;

/** The worst of the values a deployment may choose between (Fn::If branches, Fn::FindInMap values). */
function worst(choices: Origin[]): Origin {
  return choices.reduce((a, b) => (RANK[b.kind] > RANK[a.kind] ? b : a), { kind: 'absent' } as Origin);
}

/**
 * Combines parts of one value: parameter beats dynamic reference beats reference beats literal. Of several
 * parameters (`{"username":"${DbUser}","password":"${DbPassword}"}`) the one that holds the secret is named: a
 * `NoEcho` one, else one named like a secret, else the first.
 */
function combine(context: AnalysisContext, parts: Origin[]): Origin {
  const params = parts.filter((p): p is Extract<Origin, { kind: 'parameter' }> => p.kind === 'parameter');
  const param = params.find((p) => p.noEcho) ?? params.find((p) => isSecretName(p.name, context)) ?? params[0];
  if (param) return param;
  const dynamic = parts.find((p) => p.kind === 'dynamic-reference');
  if (dynamic) return dynamic;
  const refs = parts.filter((p) => p.kind === 'reference');
  if (refs.length > 0) return { kind: 'reference', refs: refs.flatMap((r) => (r.kind === 'reference' ? r.refs : [])) };
  const literals = parts.filter((p): p is { kind: 'literal'; text: string } => p.kind === 'literal');
  if (literals.length > 0) return { kind: 'literal', text: literals.map((l) => l.text).join('') };
  return { kind: 'absent' };
}

