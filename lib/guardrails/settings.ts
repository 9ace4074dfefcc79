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
import { Codeowners, OwnerAttribution, readCodeowners } from './owners';
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
  /**
   * Resource tag keys that name the owner of a finding or trust in the inventory report, tried in order and matched
   * case-insensitively (CloudFormation `Tags`, Terraform `tags` and `labels`). An access key without one takes its IAM
   * user's.
   * @default ["owner", "team"]
   */
  readonly ownerTagKeys?: string[];
  /**
   * The CODEOWNERS file (GitHub / GitLab syntax) owners are read from when a resource has no owner tag and its finding
   * no exemption; patterns are matched against `appSourceFile`.
   * @default - the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`, `.gitlab/CODEOWNERS` found walking up
   * from `appSourceFile` to the repository root
   */
  readonly codeownersFile?: string;
  /**
   * The owner of findings and trusts that no tag, exemption or CODEOWNERS line attributes.
   * @default - none: they are counted under `(unowned)`
   */
  readonly defaultOwner?: string;
  /**
   * The app's source file, matched against the CODEOWNERS patterns.
   * @default - the running app's entry file (`process.argv[1]`)
   */
  readonly appSourceFile?: string;
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
  readonly ownerTagKeys?: string[];
  readonly codeowners?: Codeowners;
  readonly defaultOwner?: string;
  readonly appSourceFile?: string;
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
  const owners = resolveOwnerSettings(props, site);
  return {
    exemptions,
    exemptionSources,
    ...owners,
    ...(now !== undefined ? { now } : {}),
    ...(props.maxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: props.maxTokenLifetimeSeconds } : {}),
    writeReport: props.writeReport ?? true,
    ...(props.reportDirectory !== undefined ? { reportDirectory: props.reportDirectory } : {}),
  };
}

/** The owner settings, validated: tag keys, the CODEOWNERS file (read now, so a bad path fails at construction), default owner. */
function resolveOwnerSettings(props: KeylessGuardrailsProps, site: string): Pick<ResolvedGuardrailSettings, 'ownerTagKeys' | 'codeowners' | 'defaultOwner' | 'appSourceFile'> {
  const nonEmpty = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (props.ownerTagKeys !== undefined) {
    if (!Array.isArray(props.ownerTagKeys) || props.ownerTagKeys.length === 0) {
      fail({ path: site, property: 'ownerTagKeys' }, props.ownerTagKeys, 'owners.tag-keys', 'ownerTagKeys is a non-empty list of tag keys (e.g. ["owner", "team"])');
    }
    for (const [i, key] of props.ownerTagKeys.entries()) {
      if (!nonEmpty(key) || key.length > 128) {
        fail({ path: site, property: `ownerTagKeys[${i}]` }, key, 'owners.tag-keys', 'a tag key is a non-empty string of at most 128 characters');
      }
    }
  }
  let codeowners: Codeowners | undefined;
  if (props.codeownersFile !== undefined) {
    if (!nonEmpty(props.codeownersFile)) fail({ path: site, property: 'codeownersFile' }, props.codeownersFile, 'owners.codeowners-file', 'codeownersFile is the path of a CODEOWNERS file');
    try {
      codeowners = readCodeowners(props.codeownersFile);
    } catch (e) {
      if (e instanceof InputError) fail({ path: site, property: 'codeownersFile' }, props.codeownersFile, 'owners.codeowners-file', `cannot read the CODEOWNERS file: ${e.reason}`);
      throw e;
    }
  }
  if (props.defaultOwner !== undefined && !nonEmpty(props.defaultOwner)) {
    fail({ path: site, property: 'defaultOwner' }, props.defaultOwner, 'owners.default-owner', 'defaultOwner names a team or person (e.g. "@acme/platform")');
  }
  if (props.appSourceFile !== undefined && !nonEmpty(props.appSourceFile)) {
    fail({ path: site, property: 'appSourceFile' }, props.appSourceFile, 'owners.app-source-file', 'appSourceFile is the path of the app\'s entry file (e.g. "bin/app.ts")');
  }
  return {
    ...(props.ownerTagKeys !== undefined ? { ownerTagKeys: props.ownerTagKeys.map((k) => k.trim()) } : {}),
    ...(codeowners !== undefined ? { codeowners } : {}),
    ...(props.defaultOwner !== undefined ? { defaultOwner: props.defaultOwner.trim() } : {}),
    ...(props.appSourceFile !== undefined ? { appSourceFile: props.appSourceFile } : {}),
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
 * the run's provenance (the same mapping as the CLI's, see `reportOptionsFor`), and the owners of what `sets` hold
 * (CODEOWNERS matched against `appSourceFile`, default the running app's entry).
 */
export function reportOptions(
  settings: ResolvedGuardrailSettings, producer: 'cdk-plugin' | 'cdktf-aspect', root: string, sources: readonly string[], inputs: readonly string[],
  sets: readonly ResourceSet[] = [],
): BuildReportOptions {
  const sourceFile = settings.appSourceFile ?? process.argv[1];
  const owners = OwnerAttribution.fromSets(sets, {
    ...(settings.ownerTagKeys ? { tagKeys: settings.ownerTagKeys } : {}),
    ...(settings.codeowners ? { codeowners: settings.codeowners } : {}),
    ...(settings.defaultOwner !== undefined ? { defaultOwner: settings.defaultOwner } : {}),
    ...(sourceFile ? { sourceFile } : {}),
  });
  return { ...reportOptionsFor({ producer, ...(settings.now ? { now: settings.now } : {}), root, sources, inputs, dir: root }), owners };
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
