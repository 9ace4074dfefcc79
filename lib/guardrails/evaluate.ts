/**
 * The evaluator: runs the rule catalog over normalized resource sets and applies exemptions (DESIGN §3).
 * Engine-neutral; the CLI, the CDK validation plugin and the cdktf aspect all call {@link evaluate}.
 */
import { exemptionMatches, exemptionStatus } from './exemptions';
import { federatedIdentities } from './identities';
import {
  DEFAULT_RULE_OPTIONS, Evaluation, Exemption, ExemptionStatus, FederatedTrust, Finding, NormalizedResource,
  ResourceSet, Rule, RuleContext, RuleHit, RuleOptions, ruleAppliesTo,
} from './model';
import type { NormalizedSet } from './normalize/set';
import { CATALOG } from './rules';
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
   * Identity address → evidence of its federated credential, per set. Default: `federatedIdentities(set)`
   * from `identities.ts`.
   */
  readonly federatedIdentities?: (set: ResourceSet) => ReadonlyMap<string, string>;
  /** Federated trusts of a set, for the inventory. Default: `findTrusts(set)` from `trusts.ts`. */
  readonly findTrusts?: (set: ResourceSet) => readonly FederatedTrust[];
}

/**
 * Runs every rule whose `appliesTo` names the resource's type (or `*`, or a prefix pattern such as `Custom::*`) on
 * every resource of every set, turns rule hits into findings, and applies exemptions:
 * - an active exemption turns an `error` into a `warning` (status `active`);
 * - an expired exemption leaves (or makes) the finding an `error` (status `expired`), and the message says
 *   when it expired;
 * - a hit whose `identity` also has a federated credential is always an `error` with `federatedIdentity: true`;
 *   its message names the fallback and the federated credential; a matching exemption is `refused`.
 * Exemptions that matched nothing, and what the normalizers could not read, are returned as notes.
 * A rule that throws does not stop the evaluation: the resource gets an `error` finding saying it could not be
 * checked (fail closed).
 */
export function evaluate(sets: readonly ResourceSet[], options: EvaluateOptions = {}): Evaluation {
  const rules = options.rules ?? CATALOG;
  const ruleOptions: RuleOptions = { ...DEFAULT_RULE_OPTIONS, ...options.ruleOptions };
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
  const notes: string[] = [];
  let resourceCount = 0;

  for (const set of sets) {
    resourceCount += set.resources.length;
    notes.push(...((set as NormalizedSet).notes ?? []));
    const context: RuleContext = { set, options: ruleOptions };
    const identities = federated(set);
    trusts.push(...trustsOf(set));
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
          findings.push(toFinding(rule, resource, hit, identities, pickExemption(matching, now), now));
        }
      }
    }
  }
  for (const ex of exemptions) {
    if (!used.has(ex)) {
      notes.push(`exemption ${ex.ruleId} on ${ex.resource} (owner ${ex.owner}, expires ${ex.expires}) matched no finding; remove it`);
    }
  }
  return { findings, trusts, resourceCount, notes };
}

/** Prefers an active exemption over an expired one when several match. */
function pickExemption(matching: readonly Exemption[], now: Date): Exemption | undefined {
  return matching.find((ex) => exemptionStatus(ex, now) === 'active') ?? matching[0];
}

function toFinding(
  rule: Rule, resource: NormalizedResource, hit: RuleHit, identities: ReadonlyMap<string, string>,
  exemption: Exemption | undefined, now: Date,
): Finding {
  const base = {
    ruleId: rule.id,
    file: resource.file,
    resource: resource.address,
    resourceType: resource.type,
    engine: resource.engine,
    ...(resource.constructPath !== undefined ? { constructPath: resource.constructPath } : {}),
    ...(hit.identity !== undefined ? { identity: hit.identity } : {}),
  };
  const severity = hit.severity ?? rule.severity;
  const evidence = hit.identity !== undefined ? identities.get(hit.identity) : undefined;
  if (evidence !== undefined) {
    const refused = exemption ? ' The exemption for it is refused: a fallback next to federation is never exempt.' : '';
    return {
      ...base,
      severity: 'error',
      federatedIdentity: true,
      message: `${hit.message} ${hit.identity} is federated (${evidence}), so this fallback credential defeats the `
        + `federation: remove it.${refused}`,
      ...(exemption ? { exemption: withStatus(exemption, 'refused') } : {}),
    };
  }
  if (!exemption) return { ...base, severity, message: hit.message };
  const status = exemptionStatus(exemption, now);
  if (status === 'active') {
    return {
      ...base,
      severity: 'warning',
      message: `${hit.message} Exempted until ${exemption.expires} (owner ${exemption.owner}): ${exemption.justification}`,
      exemption: withStatus(exemption, 'active'),
    };
  }
  return {
    ...base,
    severity: 'error',
    message: `${hit.message} The exemption expired on ${exemption.expires} (owner ${exemption.owner}): remove the `
      + 'credential or renew the exemption with a new justification.',
    exemption: withStatus(exemption, 'expired'),
  };
}

function withStatus(exemption: Exemption, status: ExemptionStatus): Exemption & { readonly status: ExemptionStatus } {
  return { ...exemption, status };
}
