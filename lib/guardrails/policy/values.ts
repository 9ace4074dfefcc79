/**
 * Reading values out of synthesized output without guessing: CloudFormation intrinsics (`Ref`,
 * `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::If`, ...) and Terraform interpolations (`${var.x}`,
 * `${aws_iam_role.x.arn}`) are recognised and classified, never evaluated.
 */
import { Engine, NormalizedResource, ResourceSet } from '../model';
import { isSecretName } from './secrets';

/** A plain JSON object. */
export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a list: arrays as they are, absent as `[]`, anything else as a one-element list. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A nested block: Terraform JSON writes single blocks as an object, HCL (via hcl2json) and list
 * blocks as an array of objects. Returns every object.
 */
export function blocks(value: unknown): Obj[] {
  return asArray(value).filter(isObject);
}

/** The first object of a nested block (see {@link blocks}). */
export function block(value: unknown): Obj | undefined {
  return blocks(value)[0];
}

/** Property lookup ignoring case (IAM policy JSON keys, condition keys). */
export function getCi(obj: Obj, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) {
    if (k.toLowerCase() === lower) return obj[k];
  }
  return undefined;
}

/** A CloudFormation intrinsic function object: exactly one key, `Ref` or `Fn::*` or `Condition`. */
export function isIntrinsic(value: unknown): value is Obj {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * The values a CloudFormation property may take when deployed: both branches of an `Fn::If` (nested ones too),
 * nothing for `{"Ref": "AWS::NoValue"}` (the property is removed), else the value itself. For reading a whole block
 * (`Environment`, `Variables`, `Policies`) that a condition chooses: each branch is a possible deployment.
 */
export function alternatives(value: unknown): unknown[] {
  if (isIntrinsic(value)) {
    if (value.Ref === 'AWS::NoValue') return [];
    const branches = value['Fn::If'];
    if (Array.isArray(branches) && branches.length === 3) return [...alternatives(branches[1]), ...alternatives(branches[2])];
  }
  return [value];
}

/**
 * The values an `Fn::FindInMap` argument (`[MapName, TopLevelKey, SecondLevelKey, {DefaultValue}?]`) may resolve to
 * from the set's `Mappings`: the one value when every key is literal; every value the non-literal keys could select
 * otherwise (a `Ref` to a parameter or `AWS::Region` chooses among them at deploy time), with the `DefaultValue` of
 * `AWS::LanguageExtensions` when given. `undefined` when the set has no such map (the template cannot show it).
 */
export function mapValues(arg: unknown, set: ResourceSet): unknown[] | undefined {
  if (!Array.isArray(arg) || arg.length < 3 || typeof arg[0] !== 'string') return undefined;
  const map = set.mappings?.[arg[0]];
  if (!isObject(map)) return undefined;
  const pick = (level: Obj, key: unknown): unknown[] => {
    if (typeof key === 'string') return key in level ? [level[key]] : [];
    return Object.values(level);
  };
  const out = pick(map, arg[1]).filter(isObject).flatMap((second) => pick(second, arg[2]));
  const fallback = isObject(arg[3]) ? arg[3].DefaultValue : undefined;
  if (fallback !== undefined && (out.length === 0 || typeof arg[1] !== 'string' || typeof arg[2] !== 'string')) out.push(fallback);
  return out;
}

const INTERPOLATION = /\$\{/;

/** True when a string holds a Terraform interpolation `${...}` (not the `$${` escape). */
export function hasInterpolation(value: string): boolean {
  // Removing `$${` can only matter when both occur; without allocating for the common cases.
  if (!value.includes('${')) return false;
  if (!value.includes('$${')) return true;
  return INTERPOLATION.test(value.replace(/\$\$\{/g, ''));
}

/** True when a value is not statically known: an intrinsic, or a string with an interpolation. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return hasInterpolation(value);
  return isIntrinsic(value);
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

/** The literal text of a Terraform string with each `${...}` replaced by `placeholder`. */
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
      let depth = 1;
      let j = i + 2;
      for (; j < value.length && depth > 0; j++) {
        if (value[j] === '{') depth++;
        else if (value[j] === '}') depth--;
      }
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
}

/** Resource and data-source references in a Terraform expression (`var.`, `local.` etc. excluded). */
export function tfReferences(expression: string): TfReference[] {
  let out = referenceMemo.get(expression);
  if (!out) {
    out = readReferences(expression);
    // Bounded so a long-lived process does not grow forever.
    if (referenceMemo.size >= 10_000) referenceMemo.clear();
    referenceMemo.set(expression, out);
  }
  return out;
}

/** The same expressions (`azuread_application.etl.client_id`) are read by many rules: each is parsed once. Shared: do not mutate. */
const referenceMemo = new Map<string, TfReference[]>();

/**
 * A reference: the module address the normalizer puts in front of references inside a called module
 * (`module.etl.`, see {@link qualifyReferences}), `data.`, type, name, an index, the first attribute.
 */
const REFERENCE = /(?<![\w.$"'-])((?:module\.[A-Za-z_][A-Za-z0-9_-]*\.)*)(data\.)?([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][A-Za-z0-9_]*))?/g;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/** Whether `type` (with or without `data.`) names a resource or data source, not `var`, `local`, `each`, ... */
function isBlockType(data: string | undefined, type: string): boolean {
  return Boolean(data) || (!NON_RESOURCE_ROOTS.has(type) && /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(type)); // provider_thing
}

function readReferences(expression: string): TfReference[] {
  const out: TfReference[] = [];
  const re = new RegExp(REFERENCE.source, 'g');
  // Skip string literals inside the expression.
  const code = expression.replace(QUOTED, '""');
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const [, module, data, type, name, attribute] = m;
    if (!isBlockType(data, type)) continue;
    out.push({ address: `${module}${data ? 'data.' : ''}${type}.${name}`, ...(attribute ? { attribute } : {}) });
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
      const inner = value.slice(i + 2, closed ? j - 1 : j);
      const qualified = inner.replace(pattern, (match: string, module: string | undefined, data: string | undefined, type: string | undefined) => (
        type === undefined || module || !isBlockType(data, type) ? match : `${moduleAddress}${match}`));
      out += `\${${qualified}${closed ? '}' : ''}`;
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

/** Logical ids a CloudFormation value refers to through `Ref`, `Fn::GetAtt` or `Fn::Sub` (with attribute when known). */
export function cfnReferences(value: unknown): { id: string; attribute?: string }[] {
  const out: { id: string; attribute?: string }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (!isObject(v)) return;
    if (isIntrinsic(v)) {
      const [fn, arg] = Object.entries(v)[0];
      if (fn === 'Ref' && typeof arg === 'string') {
        out.push({ id: arg });
        return;
      }
      if (fn === 'Fn::GetAtt') {
        if (Array.isArray(arg) && typeof arg[0] === 'string') {
          out.push({ id: arg[0], ...(typeof arg[1] === 'string' ? { attribute: arg[1] } : {}) });
        } else if (typeof arg === 'string') {
          const dot = arg.indexOf('.');
          out.push(dot === -1 ? { id: arg } : { id: arg.slice(0, dot), attribute: arg.slice(dot + 1) });
        }
        return;
      }
      if (fn === 'Fn::Sub') {
        const template = Array.isArray(arg) ? arg[0] : arg;
        if (typeof template === 'string') {
          const re = /\$\{([^}!][^}]*)\}/g;
          let m: RegExpExecArray | null;
          const locals = Array.isArray(arg) && isObject(arg[1]) ? Object.keys(arg[1]) : [];
          while ((m = re.exec(template)) !== null) {
            const expr = m[1].trim();
            if (locals.includes(expr)) continue;
            const dot = expr.indexOf('.');
            out.push(dot === -1 ? { id: expr } : { id: expr.slice(0, dot), attribute: expr.slice(dot + 1) });
          }
        }
        if (Array.isArray(arg) && isObject(arg[1])) Object.values(arg[1]).forEach(visit);
        return;
      }
      visit(arg);
      return;
    }
    Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

/** Index of a set's resources by address, built once per set. */
const indexCache = new WeakMap<ResourceSet, { length: number; index: Map<string, NormalizedResource> }>();

export function resourceIndex(set: ResourceSet): Map<string, NormalizedResource> {
  // Keyed on the number of resources, not on the index size: when two resources share an address the sizes differ,
  // and the index used to be rebuilt on every lookup.
  const cached = indexCache.get(set);
  if (cached && cached.length === set.resources.length) return cached.index;
  const index = new Map<string, NormalizedResource>();
  for (const r of set.resources) {
    if (!index.has(r.address)) index.set(r.address, r);
  }
  indexCache.set(set, { length: set.resources.length, index });
  return index;
}

/** The resource at `address` in the set (`data.x.y` for data sources). */
export function lookup(set: ResourceSet, address: string): NormalizedResource | undefined {
  return resourceIndex(set).get(address);
}

/**
 * Resources in the set a value refers to, in order, optionally limited to some types.
 * Works for both engines: CloudFormation `Ref`/`Fn::GetAtt`/`Fn::Sub`, Terraform `${type.name...}`.
 */
export function referencedResources(value: unknown, set: ResourceSet, types?: readonly string[]): { resource: NormalizedResource; attribute?: string }[] {
  const out: { resource: NormalizedResource; attribute?: string }[] = [];
  const seen = new Set<string>();
  const add = (address: string, attribute?: string): void => {
    const r = lookup(set, address);
    if (!r || seen.has(r.address)) return;
    if (types && !types.includes(r.type)) return;
    seen.add(r.address);
    out.push({ resource: r, ...(attribute ? { attribute } : {}) });
  };
  const visitStrings = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const expr of interpolations(v)) {
        for (const ref of tfReferences(expr)) add(ref.address, ref.attribute);
      }
    } else if (Array.isArray(v)) v.forEach(visitStrings);
    else if (isObject(v)) Object.values(v).forEach(visitStrings);
  };
  visitStrings(value);
  for (const ref of cfnReferences(value)) add(ref.id, ref.attribute);
  return out;
}

/** The address of the first resource of one of `types` a value refers to. */
export function referencedAddress(value: unknown, set: ResourceSet, types?: readonly string[]): string | undefined {
  return referencedResources(value, set, types)[0]?.resource.address;
}

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
export function origin(value: unknown, resource: Pick<NormalizedResource, 'engine'>, set: ResourceSet): Origin {
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
    return { kind: 'reference', refs: exprs.flatMap((e) => tfReferences(e).map((r) => r.address)) };
  }
  if (Array.isArray(value)) {
    return combine(value.map((v) => origin(v, resource, set)));
  }
  if (isIntrinsic(value)) {
    const [fn, arg] = Object.entries(value)[0];
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string' || PSEUDO.test(arg)) return { kind: 'reference', refs: [] };
        if (resource.engine === 'cloudformation' && !lookup(set, arg)) {
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
          if (name in vars) parts.push(origin(vars[name], resource, set));
          else if (!name.includes('.')) parts.push(origin({ Ref: name }, resource, set));
          else parts.push({ kind: 'reference', refs: [name.split('.')[0]] });
          return '';
        });
        if (parts.length === 0) return literal === '' ? { kind: 'absent' } : { kind: 'literal', text: template.replace(/\$\{!/g, '${') };
        return combine(parts);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || !Array.isArray(arg[1])) return { kind: 'reference', refs: [] };
        const parts = (arg[1] as unknown[]).map((p) => origin(p, resource, set));
        const dynamic = parts.find((p) => p.kind === 'dynamic-reference');
        if (dynamic) return dynamic;
        if (parts.every((p) => p.kind === 'literal' || p.kind === 'absent')) {
          const text = (arg[1] as unknown[]).map((p) => (p === null || p === undefined ? '' : String(p))).join(String(arg[0] ?? ''));
          return text === '' ? { kind: 'absent' } : { kind: 'literal', text };
        }
        return combine(parts);
      }
      case 'Fn::If':
        // Either branch may be deployed: the worst one counts (a literal branch is a literal).
        if (!Array.isArray(arg)) return { kind: 'reference', refs: [] };
        return worst(arg.slice(1).map((p) => origin(p, resource, set)));
      case 'Fn::FindInMap': {
        // Any value the keys can select may be deployed: the worst one counts, as for Fn::If.
        const candidates = mapValues(arg, set);
        if (candidates === undefined) return { kind: 'reference', refs: cfnReferences(arg).map((r) => r.id) };
        return worst(candidates.map((c) => origin(c, resource, set)));
      }
      case 'Fn::Base64':
        return origin(arg, resource, set);
      case 'Fn::Select':
        if (Array.isArray(arg)) return origin(arg[1], resource, set);
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
function combine(parts: Origin[]): Origin {
  const params = parts.filter((p): p is Extract<Origin, { kind: 'parameter' }> => p.kind === 'parameter');
  const param = params.find((p) => p.noEcho) ?? params.find((p) => isSecretName(p.name)) ?? params[0];
  if (param) return param;
  const dynamic = parts.find((p) => p.kind === 'dynamic-reference');
  if (dynamic) return dynamic;
  const refs = parts.filter((p) => p.kind === 'reference');
  if (refs.length > 0) return { kind: 'reference', refs: refs.flatMap((r) => (r.kind === 'reference' ? r.refs : [])) };
  const literals = parts.filter((p): p is { kind: 'literal'; text: string } => p.kind === 'literal');
  if (literals.length > 0) return { kind: 'literal', text: literals.map((l) => l.text).join('') };
  return { kind: 'absent' };
}

/**
 * Every piece of literal text in a value (CloudFormation intrinsic arguments and Terraform strings
 * with interpolations cut out), for shape checks such as "looks like an access key id".
 */
export function literalFragments(value: unknown, set?: ResourceSet): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const part of literalText(v).split('\u0000')) if (part) out.push(part);
    } else if (typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      if (isIntrinsic(v)) {
        const [fn, arg] = Object.entries(v)[0];
        if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') return;
        if (fn === 'Fn::FindInMap') {
          // The map's values, when the set has its Mappings; the keys are names, not values.
          (set ? mapValues(arg, set) : undefined)?.forEach(visit);
          return;
        }
        if (fn === 'Fn::Sub') {
          const template = Array.isArray(arg) ? arg[0] : arg;
          if (typeof template === 'string') template.split(/\$\{[^}]*\}/).forEach((p) => p && out.push(p));
          if (Array.isArray(arg) && isObject(arg[1])) Object.values(arg[1]).forEach(visit);
          return;
        }
        if (fn === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
          // Adjacent literal parts form one string.
          let run = '';
          for (const part of arg[1] as unknown[]) {
            if (typeof part === 'string') run += (run ? String(arg[0] ?? '') : '') + part;
            else {
              if (run) out.push(run);
              run = '';
              visit(part);
            }
          }
          if (run) out.push(run);
          return;
        }
        visit(arg);
        return;
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return out;
}

/**
 * Renders a value as one string, intrinsics and interpolations replaced by `placeholder`; joins
 * `Fn::Join`, fills `Fn::Sub` literal text. Used to read ARNs and JSON built with intrinsics.
 */
export function flatten(value: unknown, placeholder: Placeholder = '\u0000'): string | undefined {
  if (typeof value === 'string') return literalText(value, placeholder);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isIntrinsic(value)) return undefined;
  const hole = (expression: unknown): string => (typeof placeholder === 'string' ? placeholder : placeholder(expression));
  const [fn, arg] = Object.entries(value)[0];
  if (fn === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
    const parts = (arg[1] as unknown[]).map((p) => flatten(p, placeholder) ?? hole(p));
    return parts.join(typeof arg[0] === 'string' ? arg[0] : '');
  }
  if (fn === 'Fn::Sub') {
    const template = Array.isArray(arg) ? arg[0] : arg;
    if (typeof template !== 'string') return hole(value);
    return template.replace(/\$\{([^}!][^}]*)\}/g, (expression) => hole(expression)).replace(/\$\{!/g, '${');
  }
  return hole(value);
}

/** A string value when it is fully static, else undefined. */
export function staticString(value: unknown): string | undefined {
  if (typeof value === 'string' && !hasInterpolation(value)) return value;
  return undefined;
}

/** Short human form of a value for messages (never used for secret values). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Engine-specific name for where a finding lives, for messages. */
export function engineNoun(engine: Engine): string {
  return engine === 'cloudformation' ? 'template' : 'configuration';
}
