import * as path from 'path';
import { Annotations, App, Aspects, IAspect, TerraformProvider, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { KeylessValidationError } from '../../core/errors';
import {
  evaluateOptions, KeylessGuardrailsProps, refuseAmbiguousExemptions, reportOptions, resolveGuardrailSettings, ResolvedGuardrailSettings,
} from '../settings';
import { evaluate } from '../evaluate';
import { Evaluation, Finding, ResourceSet } from '../model';
import { withDeployedTemplates } from '../normalize/deployed-templates';
import { normalizeTerraformJsonModules } from '../normalize/hcl';
import { stackModuleReader } from '../normalize/load';
import { normalizeTerraformJson } from '../normalize/terraform-json';
import { buildReport, writeReport } from '../report';
import { ruleById } from '../rules';

const SITE = 'KeylessTerraformGuardrails';

/**
 * The cdk-keyless guardrails for CDK for Terraform: an aspect that runs the rule catalog (KL-AWS-*, KL-SF-*,
 * KL-AZ-*, KL-TR-*) over each `TerraformStack`'s FINAL Terraform JSON (`toTerraform()`, after every aspect,
 * override and escape hatch), as a stack validation.
 *
 * An `error` finding fails `app.synth()` / `cdktf synth` with a message naming the rule id, the Terraform address,
 * the construct path and the fix; `warning` findings become warning annotations and are printed on stderr
 * (`[Warning at <construct path>] [KL-AZ-04] ...`), once per finding. The inventory report
 * (`keyless-report.json`, `keyless-report.md`) is written into the app's output directory (`cdktf.out`).
 *
 * Validations run in `app.synth()` unless the App has `skipValidation: true`. In unit tests,
 * `Testing.synth(stack)` runs no validations: use `Testing.synth(stack, true)` with the guardrails enabled on the
 * stack (or on the App after the stack was created), or `app.synth()`.
 *
 * @example
 * KeylessTerraformGuardrails.enable(app);
 */
export class KeylessTerraformGuardrails implements IAspect {
  /**
   * Adds the guardrails to `scope` (the App, or one stack) and returns them.
   *
   * cdktf applies aspects per stack, starting at the stack, so an aspect added to the App never runs. `enable(app)`
   * therefore checks every stack that exists now as part of that stack's synthesis, and every stack added later as
   * part of the App's validation at the end of `app.synth()` (before `manifest.json` is written).
   */
  public static enable(scope: IConstruct, props: KeylessGuardrailsProps = {}): KeylessTerraformGuardrails {
    const guardrails = new KeylessTerraformGuardrails(props);
    Aspects.of(scope).add(guardrails);
    for (const child of scope.node.findAll()) guardrails.visit(child);
    if (App.isApp(scope)) {
      const app = scope;
      app.node.addValidation({
        validate: () => app.node.findAll()
          .filter((c): c is TerraformStack => TerraformStack.isStack(c) && !guardrails.registered.has(c))
          .flatMap((stack) => guardrails.validateStack(stack)),
      });
    }
    return guardrails;
  }

  /** Where the last check wrote `keyless-report.json`, if it wrote one. */
  public reportFile?: string;
  private readonly settings: ResolvedGuardrailSettings;
  private readonly registered = new Set<TerraformStack>();
  private readonly evaluations = new Map<string, { file: string; evaluation: Evaluation; sets: readonly ResourceSet[] }>();
  private readonly warned = new Set<string>();

  constructor(props: KeylessGuardrailsProps = {}) {
    this.settings = resolveGuardrailSettings(props, SITE);
  }

  /**
   * Registers the check on a `TerraformStack` (called by cdktf for aspects added to a stack or one of its scopes
   * below the App): it runs as a stack validation after every aspect, on the stack's final Terraform JSON.
   */
  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.registered.has(node)) return;
    const stack = node;
    this.registered.add(stack);
    stack.node.addValidation({ validate: () => this.validateStack(stack) });
  }

  private validateStack(stack: TerraformStack): string[] {
    const app = findApp(stack);
    const file = stackFile(stack, app);
    let evaluation: Evaluation;
    let sets: ResourceSet[];
    try {
      // Local module calls are followed where their files can be read now (Terraform JSON); the rest are noted.
      // The CloudFormation templates the stack deploys (an aws_cloudformation_stack_set's template_body) are checked
      // with it.
      sets = withDeployedTemplates(normalizeTerraformJsonModules(stack.toTerraform(), file, stackModuleReader(path.dirname(file))));
      // The other stacks of the App, read once: exemptions name resources of the whole App, and the federation
      // graph sees every stack (a role in one, the trusts in another); this stack reports the findings on its own.
      const others = (app ? app.node.findAll() : [])
        .filter((c): c is TerraformStack => TerraformStack.isStack(c) && c !== stack)
        .flatMap((other) => withDeployedTemplates(normalizeTerraformJson(other.toTerraform(), stackFile(other, app))));
      const ambiguity = this.ambiguousExemption(sets, others);
      if (ambiguity !== undefined) return [ambiguity];
      evaluation = evaluate(sets, { ...evaluateOptions(this.settings), ...(others.length > 0 ? { federationSets: [...sets, ...others] } : {}) });
    } catch (e) {
      // fail closed: a configuration the guardrails cannot read never passes silently
      return [`cdk-keyless could not check the synthesized Terraform of stack ${stack.node.path}: ${(e as Error).message}`];
    }
    this.evaluations.set(stack.node.path, { file, evaluation, sets });

    for (const f of evaluation.findings) {
      if (f.severity !== 'warning') continue;
      const key = `${stack.node.path}\u0000${f.ruleId}\u0000${f.resource}\u0000${f.message}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      const text = describeFinding(f, stack);
      Annotations.of(constructFor(stack, f)).addWarning(text);
      // cdktf keeps warning annotations in manifest.json only (and those of stacks checked in the App's validation
      // not even there): print each once, so a warning is seen at synth like an error is.
      console.warn(`[Warning at ${constructFor(stack, f).node.path}] ${text}`);
    }
    if (this.settings.writeReport) this.writeReport(app);
    return evaluation.findings.filter((f) => f.severity === 'error').map((f) => describeFinding(f, stack));
  }

  /**
   * Each stack is evaluated on its own, but an exemption names one resource of the whole App: one that would cover
   * the same address in several stacks (prod and dev) fails the synth, naming the entry and the stacks.
   */
  private ambiguousExemption(sets: readonly ResourceSet[], others: readonly ResourceSet[]): string | undefined {
    if (this.settings.exemptions.length === 0) return undefined;
    try {
      // this stack's sets share its file
      refuseAmbiguousExemptions(this.settings, [...sets, ...others], SITE, sets[0]);
      return undefined;
    } catch (e) {
      if (e instanceof KeylessValidationError) return e.message;
      throw e;
    }
  }

  /** One report over every stack checked so far (stacks are validated one after the other). */
  private writeReport(app: App | undefined): void {
    const dir = this.settings.reportDirectory ?? app?.outdir;
    if (dir === undefined) return;
    const all = [...this.evaluations.values()];
    const merged: Evaluation = {
      findings: all.flatMap((e) => e.evaluation.findings),
      trusts: all.flatMap((e) => e.evaluation.trusts),
      resourceCount: all.reduce((n, e) => n + e.evaluation.resourceCount, 0),
      // each stack's check joins the federation graph of every stack: the same pair or note once
      notes: unique(all.flatMap((e) => e.evaluation.notes)),
      federation: unique(all.flatMap((e) => e.evaluation.federation ?? [])),
      organizationGuardrails: all.flatMap((e) => e.evaluation.organizationGuardrails ?? []),
    };
    const files = all.map((e) => e.file);
    const report = buildReport(merged, reportOptions(this.settings, 'cdktf-aspect', dir, files, files, all.flatMap((e) => e.sets)));
    this.reportFile = writeReport(report, dir).json;
  }
}

/** Each value once (by its JSON), in first-seen order. */
function unique<T>(values: readonly T[]): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `[KL-AZ-01] azuread_application_password.ci at stack/ci: <message> Fix: <fix>`. */
function describeFinding(f: Finding, stack: TerraformStack): string {
  const rule = ruleById(f.ruleId);
  const construct = constructFor(stack, f);
  const constructPath = f.constructPath ?? (construct !== stack ? construct.node.path : undefined);
  const where = constructPath ? ` at ${constructPath}` : '';
  const fix = rule && !f.message.includes('Fix:') ? ` Fix: ${rule.fix}` : '';
  return `[${f.ruleId}] ${f.resource}${where}: ${f.message}${fix}`;
}

/** The file a stack's Terraform is written to (what findings and an exemption's `stack` refer to). */
function stackFile(stack: TerraformStack, app: App | undefined): string {
  return app
    ? path.join(app.outdir, 'stacks', stack.node.id, app.hclOutput ? 'cdk.tf' : 'cdk.tf.json')
    : `stacks/${stack.node.id}/cdk.tf.json`;
}

function findApp(construct: IConstruct): App | undefined {
  let current: IConstruct | undefined = construct;
  while (current !== undefined) {
    if (App.isApp(current)) return current;
    current = current.node.scope;
  }
  return undefined;
}

/**
 * The construct a finding is about: by the construct path cdktf recorded in the resource's `//` metadata (the
 * deepest construct above it when none has that path), or, for provider blocks (which carry no metadata), the
 * provider construct of that type and alias; else the stack.
 */
function constructFor(stack: TerraformStack, f: Finding): IConstruct {
  const all = stack.node.findAll();
  if (f.constructPath !== undefined) {
    const wanted = f.constructPath.replace(/^\//, '');
    // a resource of a template the stack deploys (`<construct>/template_body/<logical id>`): the construct deploying it
    return all.find((c) => c.node.path === wanted)
      ?? all.filter((c) => wanted.startsWith(`${c.node.path}/`)).sort((a, b) => b.node.path.length - a.node.path.length)[0]
      ?? stack;
  }
  const provider = /^provider\.([^.]+)(?:\.(.+))?$/.exec(f.resource);
  if (provider) {
    const [, type, alias] = provider;
    const found = all.find((c) => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type
      && (alias === undefined ? c.alias === undefined : c.alias === alias));
    if (found) return found;
  }
  return stack;
}
