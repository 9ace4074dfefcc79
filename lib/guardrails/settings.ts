/**
 * Settings of the guardrails, shared by the CDK validation plugin and the cdktf aspect. No CDK imports here, so
 * the cdktf adapter can use it without aws-cdk-lib.
 */
import * as fs from 'fs';
import { fail } from '../core/errors';
import { validateTokenLifetime } from '../core/token';
import { parseClock } from './clock';
import type { EvaluateOptions } from './evaluate';
import { ambiguousExemptions, exemptionKey, parseExemptionsFile, validateExemptions } from './exemptions';
import { Exemption, ResourceSet } from './model';
import { InputError } from './normalize/input-error';
import type { BuildReportOptions } from './report/build';
import { reportOptionsFor } from './provenance';

/**
 * A finding that may stand for a while: DESIGN §3 requires a justification, an owner and an expiry date.
 * An expired exemption is an error; a fallback credential next to a federated credential is never exempt.
 */
export interface KeylessExemption {
  /** Rule id, e.g. `KL-AWS-01`. */
  readonly ruleId: string;
  /** CloudFormation logical id, Terraform address (`type.name`) or construct path (`Stack/CiUser`). */
  readonly resource: string;
  /**
   * The stack the resource is in (`Prod`; for cdktf the stack id), or its template / configuration file or
   * directory. Required when more than one checked stack holds a resource with that id: an exemption names one
   * resource, and one that would cover the same id in several stacks is refused.
   * @default - the one stack that holds `resource`
   */
  readonly stack?: string;
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
  /** Where each exemption was given, for errors: `exemptions[0]`, `exemptionsFile keyless.json: exemptions[2]`. */
  readonly exemptionSources: string[];
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
  const exemptionSources: string[] = [];
  if (props.exemptions !== undefined) {
    if (!Array.isArray(props.exemptions)) fail({ path: site, property: 'exemptions' }, props.exemptions, 'exemption.shape', 'exemptions is a list');
    exemptions.push(...validateExemptions(props.exemptions.map((e) => ({ ...e })), { path: site, property: 'exemptions' }));
    exemptionSources.push(...props.exemptions.map((_, i) => `exemptions[${i}]`));
  }
  if (props.exemptionsFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(props.exemptionsFile, 'utf8');
    } catch (e) {
      fail({ path: site, property: 'exemptionsFile' }, props.exemptionsFile, 'exemption.file', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      const fromFile = parseExemptionsFile(text, props.exemptionsFile);
      exemptions.push(...fromFile);
      exemptionSources.push(...fromFile.map((_, i) => `exemptionsFile ${props.exemptionsFile}: exemptions[${i}]`));
    } catch (e) {
      if (e instanceof InputError) fail({ path: site, property: 'exemptionsFile' }, props.exemptionsFile, 'exemption.file', e.reason);
      throw e;
    }
  }
  const seen = new Set<string>();
  for (const [i, e] of exemptions.entries()) {
    const key = exemptionKey(e);
    if (seen.has(key)) {
      fail({ path: site, property: `exemptions[${i}]` }, `${e.ruleId} ${e.resource}`, 'exemption.duplicate', 'an exemption for this rule and resource is given twice (in exemptions and exemptionsFile?); keep one');
    }
    seen.add(key);
  }
  let now: Date | undefined;
  if (props.now !== undefined) {
    now = parseClock(props.now);
    if (now === undefined) {
      fail({ path: site, property: 'now' }, props.now, 'guardrails.now', 'now is an ISO 8601 date ("2026-06-30") or date-time ("2026-06-30T12:00:00Z")');
    }
  }
  if (props.maxTokenLifetimeSeconds !== undefined) {
    validateTokenLifetime(props.maxTokenLifetimeSeconds, { path: site, property: 'maxTokenLifetimeSeconds' });
  }
  return {
    exemptions,
    exemptionSources,
    ...(now !== undefined ? { now } : {}),
    ...(props.maxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: props.maxTokenLifetimeSeconds } : {}),
    writeReport: props.writeReport ?? true,
    ...(props.reportDirectory !== undefined ? { reportDirectory: props.reportDirectory } : {}),
  };
}

/** What the adapters pass to `evaluate`: the exemptions, the clock and KL-TR-04's bound, as the settings give them. */
export function evaluateOptions(settings: ResolvedGuardrailSettings): EvaluateOptions {
  return {
    exemptions: settings.exemptions,
    ...(settings.now ? { now: settings.now } : {}),
    ...(settings.maxTokenLifetimeSeconds !== undefined ? { ruleOptions: { maxTokenLifetimeSeconds: settings.maxTokenLifetimeSeconds } } : {}),
  };
}

/**
 * What the adapters pass to `buildReport`: the settings' clock, paths shown relative to `root`, the files checked, and
 * the run's provenance (the same mapping as the CLI's, see `reportOptionsFor`).
 */
export function reportOptions(
  settings: ResolvedGuardrailSettings, producer: 'cdk-plugin' | 'cdktf-aspect', root: string, sources: readonly string[], inputs: readonly string[],
): BuildReportOptions {
  return reportOptionsFor({ producer, ...(settings.now ? { now: settings.now } : {}), root, sources, inputs, dir: root });
}

/**
 * Refuses an exemption that would cover the same resource id in more than one of `sets` (see `ambiguousExemptions`):
 * throws `KeylessValidationError` naming `site`, where the entry was given, its resource and the rule. With
 * `concerning`, only an exemption that matches a resource of that set.
 */
export function refuseAmbiguousExemptions(settings: ResolvedGuardrailSettings, sets: readonly ResourceSet[], site: string, concerning?: ResourceSet): void {
  const ambiguous = ambiguousExemptions(settings.exemptions, sets).find((a) => concerning === undefined || a.files.includes(concerning.file));
  if (ambiguous === undefined) return;
  const source = settings.exemptionSources[ambiguous.index] ?? `exemptions[${ambiguous.index}]`;
  fail({ path: site, property: `${source}.resource` }, ambiguous.exemption.resource, 'exemption.ambiguous', ambiguous.reason);
}
