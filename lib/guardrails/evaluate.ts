/**
 * The evaluator: runs the rule catalog over normalized resource sets and applies exemptions (DESIGN §3).
 * Engine-neutral; the CLI, the CDK validation plugin and the cdktf aspect all call {@link evaluate}.
 */
import { AnalysisContext, CheckAnalysis } from './analysis';
import { readableName } from './display';
import { describeExemption, exemptionMatches, exemptionStatus } from './exemptions';
import { federatedIdentities } from './identities';
import {
  Evaluation, Exemption, ExemptionStatus, FederatedTrust, Finding, NormalizedResource, ResourceSet, Rule, RuleHit, RuleOptions,
  ruleAppliesTo, Writable,
} from './model';
import type { NormalizedSet } from './normalize/set';
import { showUnresolved } from './policy/document';
import { CATALOG } from './rules';
import { checkFederation } from './federation/check';
import { CrossInputRule, FederationOptions, isCrossInputRule } from './federation/graph';
import type { FederationGraph, FederationHit } from './federation/model';
import { issuersOfAccount } from './federation/workloads';
import { findOrganizationGuardrails, OrganizationGuardrail } from './organization';
import { findTrusts } from './trusts';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Exemptions to apply (already validated: see `parseExemptionsFile` / `validateExemptions`). */
  readonly exemptions?: readonly Exemption[];
  /** The clock exemptions are judged by. Default: now. */
  readonly now?: Date;
  /** Rules to run. Default: the catalog. */
  readonly rules?: readonly Rule[];
  readonly ruleOptions?: Partial<RuleOptions>;
  /**
   * Identity address → evidence of its federated credential, per set (the context's). Default:
   * `federatedIdentities` from `identities.ts`.
   */
  readonly federatedIdentities?: (context: AnalysisContext) => ReadonlyMap<string, string>;
  /** Federated trusts of a set (the context's), for the inventory. Default: `findTrusts` from `trusts.ts`. */
  readonly findTrusts?: (context: AnalysisContext) => readonly FederatedTrust[];
  /** What the federation graph is told besides the sets (issuers, a plan's roles, trust manifests). */
  readonly federation?: FederationOptions;
  /** The federation graph, when the caller built it already (`keyless check` does, with the token simulation). */
  readonly federationGraph?: FederationGraph;
  /**
   * The sets the federation graph is built over, when more than `sets` (the cdktf aspect checks one stack but joins
   * the roles and trusts of every stack of the App). KL-FED findings on resources outside `sets` are left to the
   * check of their own set. Default: `sets`.
   */
  readonly federationSets?: readonly ResourceSet[];
  /** Called with the federation graph once it is built (`keyless check` simulates its tokens afterwards). */
  readonly onFederationGraph?: (graph: FederationGraph) => void;
  /** Cross-input rules (KL-FED-*) to run. Default: those among `rules`. */
  readonly crossInputRules?: readonly CrossInputRule[];
}

/**
 * Runs every rule whose `appliesTo` names the resource's type (or `*`, or a prefix pattern such as `Custom::*`) on
 * every resource of every set, turns rule hits into findings, and applies exemptions:
 * - an active exemption turns an `error` into a `warning` (status `active`);
 * - an expired exemption leaves (or makes) the finding an `error` (status `expired`), and the message says
 *   when it expired;
 * - a credential rule's hit whose `identity` also has a federated credential is always an `error` with
 *   `federatedIdentity: true`; its message names the fallback and the federated credential; a matching exemption
 *   is `refused`. Trust findings (KL-TR-*, KL-SF-05) name their identity too, but are not fallback credentials:
 *   they stay ordinary findings, exemptable like any other (DESIGN §3).
 * Exemptions that matched nothing, what the normalizers could not read and what rules could not check
 * (`AnalysisContext.note`) are returned as notes.
 * One {@link CheckAnalysis} is made per call and dropped at its end: rules, the trust inventory and the identity
 * index share what it works out about the sets (parsed policies, SQL, indexes), and nothing outlives the call.
 * A rule that throws does not stop the evaluation: the resource gets an `error` finding saying it could not be
 * checked (fail closed).
 */
export function evaluate(sets: readonly ResourceSet[], options: EvaluateOptions = {}): Evaluation {
  const rules = options.rules ?? CATALOG;
  const analysis = new CheckAnalysis(options.ruleOptions);
  const exemptions = options.exemptions ?? [];
  const now = options.now ?? new Date();
  const federated = options.federatedIdentities ?? federatedIdentities;
  const trustsOf = options.findTrusts ?? findTrusts;
  const used = new Set<Exemption>();
  // Rules that apply to a type (or to `*`), in catalog order, worked out once per type instead of per resource.
  const byType = new Map<string, readonly Rule[]>();
  const rulesFor = (type: string): readonly Rule[] => {
    let list = byType.get(type);
    if (!list) {
      list = rules.filter((rule) => ruleAppliesTo(rule, type));
      byType.set(type, list);
    }
    return list;
  };

  const findings: Finding[] = [];
  const trusts: FederatedTrust[] = [];
  const guardrails: OrganizationGuardrail[] = [];
  const notes: string[] = [];
  let resourceCount = 0;

  for (const set of sets) {
    resourceCount += set.resources.length;
    notes.push(...((set as NormalizedSet).notes ?? []));
    const context = analysis.of(set);
    const noted = analysis.notes.length;
    const identities = federated(context);
    trusts.push(...trustsOf(context).map(withOriginalExpressions));
    guardrails.push(...findOrganizationGuardrails(context));
    for (const resource of set.resources) {
      for (const rule of rulesFor(resource.type)) {
        let hits: RuleHit[];
        try {
          hits = rule.check(resource, context);
        } catch (e) {
          hits = [{
            message: `${resource.address} could not be checked by ${rule.id} (${(e as Error)?.message ?? String(e)}); `
              + 'treated as a finding so that an unreadable resource never passes silently',
            severity: 'error',
          }];
        }
        for (const hit of hits) {
          const matching = exemptions.filter((ex) => exemptionMatches(ex, rule.id, resource));
          matching.forEach((ex) => used.add(ex));
          const identityName = hit.identity !== undefined ? identityNameOf(hit.identity, context) : undefined;
          findings.push(toFinding(rule, resource, identityName !== undefined ? { ...hit, identityName } : hit, identities, pickExemption(matching, now), now));
        }
      }
    }
    notes.push(...analysis.notes.slice(noted).map(showUnresolved));
  }
  // The federation graph of all sets together (DESIGN §2): its KL-FED hits are findings like any other.
  const crossInputRules = options.crossInputRules ?? rules.filter(isCrossInputRule);
  const graph = options.federationGraph ?? (crossInputRules.length > 0
    ? checkFederation((options.federationSets ?? sets).map((set) => analysis.of(set)), options.federation, crossInputRules)
    : undefined);
  if (graph) {
    options.onFederationGraph?.(graph);
    notes.push(...graph.notes);
    const own = new Set(sets.map((s) => s.file));
    for (const hit of graph.hits) {
      if (options.federationSets !== undefined && !own.has(hit.file)) continue;
      const resource = hitResource(hit);
      const matching = exemptions.filter((ex) => exemptionMatches(ex, hit.ruleId, resource));
      matching.forEach((ex) => used.add(ex));
      findings.push(toFinding({ id: hit.ruleId, severity: hit.severity, category: 'trust' }, resource, { message: hit.message }, new Map(), pickExemption(matching, now), now));
    }
  }
  for (const ex of exemptions) {
    if (!used.has(ex)) {
      notes.push(`exemption ${describeExemption(ex)} (owner ${ex.owner}, expires ${ex.expires}) matched no finding; remove it`);
    }
  }
  return {
    // A module two roots call, or a file two inputs share, gives the same note twice: it is said once.
    findings, trusts: graph ? trusts.map((t) => withAccountIssuer(t, graph.issuers)) : trusts, resourceCount, notes: [...new Set(notes)],
    ...(graph ? { federation: [...graph.pairs] } : {}),
    ...(guardrails.length > 0 ? { organizationGuardrails: guardrails } : {}),
  };
}

/**
 * A token grant's trust with the issuer of the role's account, when the federation graph of the whole check knows it
 * (another stack's switch, `--issuer`, `--plan`) and the grant's own input did not say.
 */
function withAccountIssuer(trust: FederatedTrust, issuers: FederationGraph['issuers']): FederatedTrust {
  if (trust.side !== 'minting' || trust.issuer !== undefined || trust.subject === undefined) return trust;
  const { urls } = issuersOfAccount(trust.subject.split(':')[4], issuers);
  return urls.length === 1 ? { ...trust, issuer: urls[0] } : trust;
}

/**
 * A finding names its identity by address; the report shows the identity by its construct path when it has one (looked
 * up in the set's address index when a finding names one, not indexed for every set up front).
 */
function identityNameOf(address: string, context: AnalysisContext): string | undefined {
  const identity = context.resource(address);
  return identity !== undefined && identity.address === address && identity.constructPath !== undefined ? readableName(identity) : undefined;
}

/** The resource a KL-FED hit is reported on, as exemptions and formats see resources. */
function hitResource(hit: FederationHit): NormalizedResource {
  return {
    engine: hit.engine ?? 'cloudformation',
    kind: 'resource',
    type: hit.resourceType,
    address: hit.resource,
    properties: {},
    file: hit.file,
    ...(hit.constructPath !== undefined ? { constructPath: hit.constructPath } : {}),
  };
}

/** Prefers an active exemption over an expired one when several match. */
function pickExemption(matching: readonly Exemption[], now: Date): Exemption | undefined {
  return matching.find((ex) => exemptionStatus(ex, now) === 'active') ?? matching[0];
}

/** A trust's values as the template wrote them (`${Audience}`), not as the policy reader saw them. */
function withOriginalExpressions(trust: FederatedTrust): FederatedTrust {
  if (!Object.values(trust).some((value) => typeof value === 'string' && showUnresolved(value) !== value)) return trust;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(trust)) out[key] = typeof value === 'string' ? showUnresolved(value) : value;
  return out as unknown as FederatedTrust;
}

function toFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'category'>, resource: NormalizedResource, ruleHit: RuleHit & { readonly identityName?: string }, identities: ReadonlyMap<string, string>,
  exemption: Exemption | undefined, now: Date,
): Finding {
  const message = showUnresolved(ruleHit.message);
  const identity = ruleHit.identity;
  // Built field by field in the order findings list them, not as `{ ...base, severity, message }`: one per finding,
  // and a spread that opens an object literal costs several microseconds until the JIT has compiled it.
  const finding: Writable<Finding> = {
    ruleId: rule.id,
    file: resource.file,
    resource: resource.address,
    resourceType: resource.type,
    engine: resource.engine,
  } as Finding;
  if (resource.constructPath !== undefined) finding.constructPath = resource.constructPath;
  if (identity !== undefined) finding.identity = identity;
  if (ruleHit.identityName !== undefined) finding.identityName = ruleHit.identityName;
  // Only a credential is a fallback that defeats the federation; a fault in the trust itself (KL-TR-05 on the
  // application's own federated credential) is an ordinary finding.
  const evidence = identity !== undefined && rule.category === 'credential' ? identities.get(identity) : undefined;
  if (evidence !== undefined) {
    const refused = exemption ? ' The exemption for it is refused: a fallback next to federation is never exempt.' : '';
    finding.severity = 'error';
    finding.federatedIdentity = true;
    finding.message = `${message} ${identity} is federated (${evidence}), so this fallback credential defeats the `
      + `federation: remove it.${refused}`;
    if (exemption) finding.exemption = withStatus(exemption, 'refused');
    return finding;
  }
  if (!exemption) {
    finding.severity = ruleHit.severity ?? rule.severity;
    finding.message = message;
    return finding;
  }
  if (exemptionStatus(exemption, now) === 'active') {
    finding.severity = 'warning';
    finding.message = `${message} Exempted until ${exemption.expires} (owner ${exemption.owner}): ${exemption.justification}`;
    finding.exemption = withStatus(exemption, 'active');
    return finding;
  }
  finding.severity = 'error';
  finding.message = `${message} The exemption expired on ${exemption.expires} (owner ${exemption.owner}): remove the `
    + 'credential or renew the exemption with a new justification.';
  finding.exemption = withStatus(exemption, 'expired');
  return finding;
}

function withStatus(exemption: Exemption, status: ExemptionStatus): Exemption & { readonly status: ExemptionStatus } {
  return { ...exemption, status };
}
