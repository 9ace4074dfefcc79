/**
 * Settings of the guardrails, shared by the CDK validation plugin and the cdktf aspect. No CDK imports here, so
 * the cdktf adapter can use it without aws-cdk-lib.
 */
import * as fs from 'fs';
import { fail } from '../core/errors';
import { validateTokenLifetime } from '../core/token';
import { parseExemptionsFile, validateExemptions } from './exemptions';
import { Exemption } from './model';
import { InputError } from './normalize/input-error';

/**
 * A finding that may stand for a while: DESIGN §3 requires a justification, an owner and an expiry date.
 * An expired exemption is an error; a fallback credential next to a federated credential is never exempt.
 */
export interface KeylessExemption {
  /** Rule id, e.g. `KL-AWS-01`. */
  readonly ruleId: string;
  /** CloudFormation logical id, Terraform address (`type.name`) or construct path (`Stack/CiUser`). */
  readonly resource: string;
  /** Why the credential has to stay, and until when (at least 20 characters, no placeholder). */
  readonly justification: string;
  /** Team or person who removes the credential. */
  readonly owner: string;
  /** `YYYY-MM-DD`; the exemption lapses at the end of that day (UTC). */
  readonly expires: string;
}

/**
 * Properties of the guardrails: the CDK validation plugin ({@link KeylessGuardrails}) and the cdktf aspect
 * (`KeylessTerraformGuardrails`) take the same settings.
 */
export interface KeylessGuardrailsProps {
  /**
   * Findings allowed to stand until their expiry date.
   * @default - none
   */
  readonly exemptions?: KeylessExemption[];
  /**
   * A JSON or YAML exemptions file (`{"exemptions": [...]}`), the same file `keyless check --exemptions` reads.
   * Its entries are added to `exemptions`.
   * @default - none
   */
  readonly exemptionsFile?: string;
  /**
   * The clock exemptions are judged by, as an ISO 8601 date (`2026-06-30`) or date-time
   * (`2026-06-30T12:00:00Z`). Set it in snapshot tests so that an exemption lapsing does not change the output.
   * @default - the current time
   */
  readonly now?: string;
  /**
   * KL-TR-04: the longest token lifetime (seconds, 60-3600) a minting policy may allow without a warning.
   * @default 3600
   */
  readonly maxTokenLifetimeSeconds?: number;
  /**
   * Whether to write the inventory report (`keyless-report.json` and `keyless-report.md`).
   * @default true
   */
  readonly writeReport?: boolean;
  /**
   * Where to write the inventory report.
   * @default - the output directory (`cdk.out` for the CDK plugin, `cdktf.out` for the cdktf aspect)
   */
  readonly reportDirectory?: string;
}

/** Settings after validation (internal). */
export interface ResolvedGuardrailSettings {
  readonly exemptions: Exemption[];
  readonly now?: Date;
  readonly maxTokenLifetimeSeconds?: number;
  readonly writeReport: boolean;
  readonly reportDirectory?: string;
}

/**
 * Validates guardrail options at construction time; throws `KeylessValidationError` naming `site`, the property,
 * the value and the rule (e.g. `KeylessGuardrails: invalid exemptions[0].expires "2026-02-30": ...`).
 */
export function resolveGuardrailSettings(props: KeylessGuardrailsProps, site: string): ResolvedGuardrailSettings {
  const exemptions: Exemption[] = [];
  if (props.exemptions !== undefined) {
    if (!Array.isArray(props.exemptions)) fail({ path: site, property: 'exemptions' }, props.exemptions, 'exemption.shape', 'exemptions is a list');
    exemptions.push(...validateExemptions(props.exemptions.map((e) => ({ ...e })), { path: site, property: 'exemptions' }));
  }
  if (props.exemptionsFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(props.exemptionsFile, 'utf8');
    } catch (e) {
      fail({ path: site, property: 'exemptionsFile' }, props.exemptionsFile, 'exemption.file', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      exemptions.push(...parseExemptionsFile(text, props.exemptionsFile));
    } catch (e) {
      if (e instanceof InputError) fail({ path: site, property: 'exemptionsFile' }, props.exemptionsFile, 'exemption.file', e.reason);
      throw e;
    }
  }
  const seen = new Set<string>();
  for (const [i, e] of exemptions.entries()) {
    const key = `${e.ruleId}\u0000${e.resource}`;
    if (seen.has(key)) {
      fail({ path: site, property: `exemptions[${i}]` }, `${e.ruleId} ${e.resource}`, 'exemption.duplicate', 'an exemption for this rule and resource is given twice (in exemptions and exemptionsFile?); keep one');
    }
    seen.add(key);
  }
  let now: Date | undefined;
  if (props.now !== undefined) {
    const value = props.now;
    const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
      fail({ path: site, property: 'now' }, value, 'guardrails.now', 'now is an ISO 8601 date ("2026-06-30") or date-time ("2026-06-30T12:00:00Z")');
    }
    now = date;
  }
  if (props.maxTokenLifetimeSeconds !== undefined) {
    validateTokenLifetime(props.maxTokenLifetimeSeconds, { path: site, property: 'maxTokenLifetimeSeconds' });
  }
  return {
    exemptions,
    ...(now !== undefined ? { now } : {}),
    ...(props.maxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: props.maxTokenLifetimeSeconds } : {}),
    writeReport: props.writeReport ?? true,
    ...(props.reportDirectory !== undefined ? { reportDirectory: props.reportDirectory } : {}),
  };
}

