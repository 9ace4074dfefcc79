/**
 * CloudFormation intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If`, `Fn::FindInMap`, ...): recognised
 * and classified, never evaluated.
 */
import { ResourceSet } from '../model';
import { isObject, Obj } from './json';

/** A CloudFormation intrinsic function object: exactly one key, `Ref` or `Fn::*` or `Condition`. */
export function isIntrinsic(value: unknown): value is Obj {
  if (!isObject(value)) return false;
  // asked of nearly every object a rule reads: the own keys are walked up to the second, not listed
  let only: string | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (only !== undefined) return false;
    only = key;
  }
  return only !== undefined && (only === 'Ref' || only.startsWith('Fn::'));
}

/**
 * The values a CloudFormation property may take when deployed: both branches of an `Fn::If` (nested ones too),
 * nothing for `{"Ref": "AWS::NoValue"}` (the property is removed), else the value itself. For reading a whole block
 * (`Environment`, `Variables`, `Policies`) that a condition chooses: each branch is a possible deployment.
 */
export function alternatives(value: unknown): unknown[] {
  return conditionalAlternatives(value).map((a) => a.value);
}

/** One value a CloudFormation property may take when deployed, and the condition outcomes that choose it. */
export interface Alternative {
  readonly value: unknown;
  /** `condition IsProd is true`, one entry per `Fn::If` on the way to the value (outermost first); empty when unconditional. */
  readonly when: readonly string[];
}

/** How {@link conditionalAlternatives} reads `AWS::NoValue`. */
export interface AlternativeOptions {
  /**
   * True where a removed property still leaves a deployment to judge (a statement whose `Condition` block is
   * removed is a statement without conditions): `AWS::NoValue` gives the value `undefined` instead of nothing.
   */
  readonly keepNoValue?: boolean;
}

const UNCONDITIONAL: readonly string[] = Object.freeze([]);

/**
 * {@link alternatives} with the condition outcomes that choose each value, for messages that must say which deployment
 * holds a finding: `Fn::If [IsProd, A, B]` gives A `when` `condition IsProd is true` and B `when` `condition IsProd is
 * false`; `AWS::NoValue` gives nothing.
 */
export function conditionalAlternatives(value: unknown, when: readonly string[] = UNCONDITIONAL, options: AlternativeOptions = {}): Alternative[] {
  if (isIntrinsic(value)) {
    if (value.Ref === 'AWS::NoValue') return options.keepNoValue ? [{ value: undefined, when }] : [];
    const branches = value['Fn::If'];
    if (Array.isArray(branches) && branches.length === 3) {
      const name = typeof branches[0] === 'string' ? branches[0] : JSON.stringify(branches[0]);
      return [
        ...conditionalAlternatives(branches[1], [...when, `condition ${name} is true`], options),
        ...conditionalAlternatives(branches[2], [...when, `condition ${name} is false`], options),
      ];
    }
  }
  return [{ value, when }];
}

/** ` (deployed when condition IsProd is true)` for a label, or `''` for an unconditional value. */
export function whenText(when: readonly string[] | undefined): string {
  return when === undefined || when.length === 0 ? '' : ` (deployed when ${when.join(' and ')})`;
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

