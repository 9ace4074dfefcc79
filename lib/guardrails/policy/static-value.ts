/**
 * What is statically known of a value, for both engines: whether it is known at all, its text when it is, and its
 * literal pieces when only parts of it are.
 */
import { hasInterpolation, literalText, Placeholder } from './interpolation';
import { isIntrinsic, mapValues } from './intrinsics';
import { isObject } from './json';
import { ResourceSet } from '../model';

/** True when a value is not statically known: an intrinsic, or a string with an interpolation. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return hasInterpolation(value);
  return isIntrinsic(value);
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
