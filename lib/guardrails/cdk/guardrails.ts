import * as fs from 'fs';
import * as path from 'path';
import {
  CfnElement, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage, Token,
  Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { evaluate } from '../evaluate';
import { Finding, NormalizedResource, propertiesRead } from '../model';
import { loadStackTemplates } from '../normalize/assembly';
import { buildReport, REPORT_JSON, REPORT_MARKDOWN, writeReport } from '../report';
import { CATALOG, ruleById } from '../rules';
import {
  evaluateOptions, KeylessGuardrailsProps, refuseAmbiguousExemptions, reportOptions, resolveGuardrailSettings, ResolvedGuardrailSettings,
} from '../settings';
import { toolVersion } from '../version';

const SITE = 'KeylessGuardrails';

/** Said under an error that has no exemption: how to let it stand, since `Validations.acknowledge()` cannot. */
const EXEMPT_INSTEAD = '(Validations.acknowledge() cannot silence a keyless error; to let it stand for a while, add an exemption '
  + '{ ruleId, resource, justification, owner, expires } to KeylessGuardrails (exemptions or exemptionsFile).)';

/** Properties (as `Properties/<name>`) a rule's finding is about, for the validation report's `locations`. */
function locationsFor(finding: Finding, resource: NormalizedResource | undefined): string[] {
  const rule = ruleById(finding.ruleId);
  const names = rule !== undefined && resource !== undefined ? propertiesRead(rule, resource.type) : [];
  const present = names.filter((n) => resource !== undefined && n in resource.properties);
  return present.length > 0 ? present.map((n) => `Properties/${n}`) : ['Type'];
}

/** Template path → (logical id → construct path). */
export type ConstructPathIndex = Map<string, Map<string, string>>;

/**
 * Construct paths of every CloudFormation element in the tree, per template file. Templates synthesized without
 * `aws:cdk:path` metadata (`app.synth()` outside the CDK CLI) still get construct paths, so findings name the
 * construct and exemptions can be written with construct paths.
 */
export function constructPathIndex(root: IConstruct | undefined): ConstructPathIndex {
  const index: ConstructPathIndex = new Map();
  if (root === undefined) return index;
  // the elements of each stack, so each stack resolves its logical ids in one call (a resolve per element cost more
  // than the rest of the index)
  const byStack = new Map<Stack, CfnElement[]>();
  for (const construct of root.node.findAll()) {
    if (!CfnElement.isCfnElement(construct)) continue;
    const elements = byStack.get(construct.stack);
    if (elements === undefined) byStack.set(construct.stack, [construct]);
    else elements.push(construct);
  }
  for (const [stack, elements] of byStack) {
    const stage = Stage.of(stack);
    if (stage === undefined) continue;
    const file = path.resolve(stage.outdir, stack.templateFile);
    let byId = index.get(file);
    if (byId === undefined) {
      byId = new Map();
      index.set(file, byId);
    }
    let logicalIds: unknown[];
    try {
      logicalIds = stack.resolve(elements.map((e) => e.logicalId));
    } catch {
      // one element the tree cannot place: resolve them one by one, leaving that one out
      logicalIds = elements.map((e) => {
        try {
          return stack.resolve(e.logicalId);
        } catch {
          return undefined; // its template metadata (if any) still applies
        }
      });
    }
    elements.forEach((element, i) => {
      const logicalId = logicalIds[i];
      if (typeof logicalId === 'string') byId!.set(logicalId, element.node.path);
    });
  }
  return index;
}

/** Template path -> the account its stack deploys to, for stacks whose `env.account` is concrete (the federation graph's ARNs). */
export function stackAccounts(root: IConstruct | undefined): Map<string, string> {
  const accounts = new Map<string, string>();
  if (root === undefined) return accounts;
  for (const construct of root.node.findAll()) {
    if (!Stack.isStack(construct) || Token.isUnresolved(construct.account)) continue;
    const stage = Stage.of(construct);
    if (stage !== undefined && /^\d{12}$/.test(construct.account)) accounts.set(path.resolve(stage.outdir, construct.templateFile), construct.account);
  }
  return accounts;
}

/**
 * The cdk-keyless guardrails as an aws-cdk-lib policy validation plugin: at `cdk synth` (and `app.synth()`), every
 * stack template, nested stack template and nested Stage's templates are checked against the rule catalog
 * (KL-AWS-*, KL-SF-*, KL-AZ-*, KL-TR-*) on the FINAL CloudFormation, so L2 constructs, raw L1 resources, escape
 * hatches (`addPropertyOverride`) and third-party constructs are all caught.
 *
 * An `error` finding fails synthesis with CDK's validation report (rule id, resource, construct path, fix), with
 * CDK's severity `fatal` because `Validations.acknowledge()` cannot silence it (exemptions can);
 * `warning` findings are reported without failing. The inventory report (`keyless-report.json`,
 * `keyless-report.md`) is written into the cloud assembly directory.
 *
 * @example
 * Validations.of(app).addPlugins(new KeylessGuardrails());
 */
export class KeylessGuardrails implements IPolicyValidationPlugin {
  /**
   * Registers the guardrails on an App or Stage (`Validations.of(scope).addPlugins(...)`) and returns the plugin.
   */
  public static enable(scope: Stage, props: KeylessGuardrailsProps = {}): KeylessGuardrails {
    const plugin = new KeylessGuardrails(props);
    Validations.of(scope).addPlugins(plugin);
    return plugin;
  }

  /** Plugin name shown in CDK's validation report. */
  public readonly name: string = 'cdk-keyless';
  /** Version of cdk-keyless. */
  public readonly version?: string;
  /** Ids of the rules the plugin evaluates. */
  public readonly ruleIds?: string[];
  /** Where the last run wrote `keyless-report.json`, if it wrote one. */
  public reportFile?: string;
  private readonly settings: ResolvedGuardrailSettings;

  constructor(props: KeylessGuardrailsProps = {}) {
    this.settings = resolveGuardrailSettings(props, SITE);
    this.version = toolVersion();
    this.ruleIds = CATALOG.map((r) => r.id);
  }

  /** Called by the CDK at synthesis: checks the templates and returns the violations. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // the CDK lists the stack templates of every Stage below the plugin's scope, not their nested stack templates:
    // the one cloud assembly reader (shared with `keyless check cdk.out`) finds those
    const constructPaths = constructPathIndex(context.appConstruct);
    const accounts = stackAccounts(context.appConstruct);
    const sets = loadStackTemplates(context.templatePaths.map((p) => path.resolve(p)), {
      constructPaths: (file) => constructPaths.get(file),
      accounts: (file) => accounts.get(file),
    });
    // an exemption that would cover the same logical id in several templates fails the synth (CDK reports a plugin
    // that throws as failed, with this message)
    refuseAmbiguousExemptions(this.settings, sets, SITE);
    const evaluation = evaluate(sets, evaluateOptions(this.settings));
    const byKey = new Map<string, NormalizedResource>();
    for (const set of sets) for (const r of set.resources) byKey.set(`${r.file}\u0000${r.address}`, r);

    const acks = acknowledgements(context.appConstruct, this.name);
    const violations: PolicyViolation[] = evaluation.findings.map((f) => {
      const rule = ruleById(f.ruleId);
      // CDK lets `Validations.of(x).acknowledge({ id: 'cdk-keyless::KL-AWS-01', reason })` suppress an `error`
      // violation, which would bypass the owner, justification and expiry an exemption requires (and the rule that a
      // fallback next to federation is never exempt). `fatal` violations cannot be acknowledged.
      // Every error is therefore reported as `fatal`, CDK's severity for a violation that cannot be acknowledged: the
      // CDK CLI then prints no "Acknowledge with 'cdk-keyless::...'" hint under it, and the description says how to
      // exempt instead. Warnings stay `warning`: acknowledging them works.
      const acknowledgedAt = f.severity === 'error' ? acks.find((a) => a.ruleId === f.ruleId && covers(a.path, f.constructPath)) : undefined;
      const description = acknowledgedAt
        ? `${f.message} (Validations.acknowledge() at "${acknowledgedAt.path}" cannot silence a keyless error: `
          + 'add an exemption with justification, owner and expiry to KeylessGuardrails instead.)'
        : f.severity === 'error' && !f.federatedIdentity && !f.exemption ? `${f.message} ${EXEMPT_INSTEAD}` : f.message;
      const resource = byKey.get(`${f.file}\u0000${f.resource}`);
      const ruleMetadata: { [key: string]: string } = { resourceType: f.resourceType };
      if (f.identity !== undefined) ruleMetadata.identity = f.identity;
      if (f.federatedIdentity) ruleMetadata.federatedIdentity = 'true';
      if (f.exemption) {
        ruleMetadata.exemption = f.exemption.status;
        ruleMetadata.exemptionOwner = f.exemption.owner;
        ruleMetadata.exemptionExpires = f.exemption.expires;
      }
      return {
        ruleName: f.ruleId,
        description,
        fix: rule?.fix ?? 'See the description.',
        severity: f.severity === 'error' ? 'fatal' : f.severity,
        ruleMetadata,
        violatingResources: [{
          resourceLogicalId: f.resource,
          templatePath: f.file,
          locations: locationsFor(f, resource),
          ...(f.constructPath !== undefined ? { constructPath: f.constructPath.replace(/^\//, '') } : {}),
        }],
      };
    });

    const metadata: { [key: string]: string } = {
      templates: String(sets.length),
      resources: String(evaluation.resourceCount),
      errors: String(evaluation.findings.filter((f) => f.severity === 'error').length),
      warnings: String(evaluation.findings.filter((f) => f.severity === 'warning').length),
    };
    if (evaluation.notes.length > 0) metadata.notCheckedStatically = evaluation.notes.join(' | ');

    if (this.settings.writeReport) {
      const dir = this.settings.reportDirectory ?? assemblyDirectory(context);
      if (dir !== undefined) {
        const report = buildReport(evaluation, reportOptions(this.settings, 'cdk-plugin', dir, sets.map((s) => s.file), context.templatePaths, sets));
        if (this.settings.reportDirectory === undefined && forbidsReplacingReport(context, dir)) {
          // The App checks that plugins leave files that existed before validation untouched; a report from an
          // earlier synth into the same directory must not be replaced (CDK would fail the synth for it).
          metadata.report = `not written: the App has confirmValidationPluginsDoNotMutate and ${path.join(dir, REPORT_JSON)} exists `
            + 'from an earlier synth; set reportDirectory outside the cloud assembly';
        } else {
          this.reportFile = writeReport(report, dir).json;
          metadata.report = this.reportFile;
        }
      }
    }
    return {
      success: !evaluation.findings.some((f) => f.severity === 'error'),
      violations,
      pluginVersion: this.version,
      metadata,
    };
  }
}

/** `cdk-keyless::RULE` acknowledgements recorded by `Validations.of(construct).acknowledge(...)`. */
function acknowledgements(root: IConstruct | undefined, pluginName: string): Array<{ path: string; ruleId: string }> {
  if (root === undefined) return [];
  const prefix = `${pluginName.replace(/ /g, '-')}::`;
  const out: Array<{ path: string; ruleId: string }> = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const id of Object.keys(entry.data as object)) {
        if (id.startsWith(prefix)) out.push({ path: construct.node.path, ruleId: id.slice(prefix.length) });
      }
    }
  }
  return out;
}

function covers(ackPath: string, constructPath: string | undefined): boolean {
  if (ackPath === '') return true;
  if (constructPath === undefined) return false;
  const p = constructPath.replace(/^\//, '');
  return p === ackPath || p.startsWith(`${ackPath}/`);
}

/** Whether the App refuses plugins that change files existing before validation, and a report already exists. */
function forbidsReplacingReport(context: IPolicyValidationContext, dir: string): boolean {
  const root = context.appConstruct as unknown as { _confirmValidationPluginsDoNotMutate?: boolean } | undefined;
  if (!root || root._confirmValidationPluginsDoNotMutate !== true) return false;
  return fs.existsSync(path.join(dir, REPORT_JSON)) || fs.existsSync(path.join(dir, REPORT_MARKDOWN));
}

/** The root cloud assembly directory (`cdk.out`), or the directory of the first template. */
function assemblyDirectory(context: IPolicyValidationContext): string | undefined {
  const root = context.appConstruct;
  if (root !== undefined && Stage.isStage(root)) return root.outdir;
  return context.templatePaths.length > 0 ? path.dirname(context.templatePaths[0]) : undefined;
}
