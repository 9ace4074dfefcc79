/**
 * Where a value came from: the construct path (or a plan location) and the property.
 */
export interface ValidationSite {
  /** Construct path, e.g. `Stack/EtlRole`, or `FederationPlan` for plan data. */
  readonly path?: string;
  /** Property name as the user wrote it, e.g. `audiences` or `workloads[0].roleName`. */
  readonly property: string;
}

/**
 * Properties of a {@link KeylessValidationError}.
 */
export interface KeylessValidationErrorProps extends ValidationSite {
  /** The offending value, rendered for the message. */
  readonly value: string;
  /** Stable id of the rule the value broke, e.g. `issuer.trailing-slash`. */
  readonly rule: string;
  /** Why the value is rejected and what to write instead. */
  readonly reason: string;
}

/**
 * Thrown at synth time when input cannot produce a safe template.
 *
 * The message names the construct path, the property, the bad value and the rule:
 * `Stack/EtlRole: invalid audiences ["a","b",...]: an STS token carries 1 to 10 audiences, got 11 [rule audience.count]`
 */
export class KeylessValidationError extends Error {
  /** Construct path or plan location. */
  public readonly path: string;
  /** Property that holds the bad value. */
  public readonly property: string;
  /** The bad value as rendered in the message. */
  public readonly value: string;
  /** Stable rule id. */
  public readonly rule: string;
  /** Human explanation. */
  public readonly reason: string;

  constructor(props: KeylessValidationErrorProps) {
    const path = props.path ?? '(no construct path)';
    super(`${path}: invalid ${props.property} ${props.value}: ${props.reason} [rule ${props.rule}]`);
    this.name = 'KeylessValidationError';
    this.path = path;
    this.property = props.property;
    this.value = props.value;
    this.rule = props.rule;
    this.reason = props.reason;
    Object.setPrototypeOf(this, KeylessValidationError.prototype);
  }
}

/** Renders a value for an error message: strings quoted, long values cut. */
export function renderValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Throws a {@link KeylessValidationError} for `value` at `site`. */
export function fail(site: ValidationSite, value: unknown, rule: string, reason: string): never {
  throw new KeylessValidationError({ path: site.path, property: site.property, value: renderValue(value), rule, reason });
}

/** A site for a nested property, e.g. `targets[2].audience`. */
export function child(site: ValidationSite, property: string): ValidationSite {
  return { path: site.path, property: `${site.property}${property.startsWith('[') ? '' : '.'}${property}` };
}
