/**
 * The federation check of one run: build the graph from all inputs, run the cross-input rules (KL-FED-*) over it and
 * draw the workload -> trust pairs.
 */
import { someOf } from '../display';
import { appendTo } from '../lists';
import { CATALOG } from '../rules';
import { CrossInputRule, isCrossInputRule, FederationOptions, JoinedGraph, joinedPairs, joinFederation, unusedGrants } from './graph';
import { SimulatedPair, simulatePairs } from './simulate';
import { FederationGraph, FederationPair } from './model';
import { FederationInput } from './workloads';

/** The cross-input rules of the catalog (KL-FED-*), in catalog order. */
export const CROSS_INPUT_RULES: readonly CrossInputRule[] = Object.freeze(CATALOG.filter(isCrossInputRule));

/** The federation graph of one check, with its KL-FED hits (before exemptions) and notes. */
export function checkFederation(inputs: readonly FederationInput[], options: FederationOptions = {}, rules: readonly CrossInputRule[] = CROSS_INPUT_RULES): FederationGraph {
  return checkJoined(joinFederation(inputs, options), rules);
}

function checkJoined(joined: JoinedGraph, rules: readonly CrossInputRule[]): FederationGraph {
  const hits = rules.flatMap((rule) => rule.checkGraph(joined));
  const notes = [...joined.graph.notes];
  const kinds = new Set(joined.graph.trusts.map((t) => t.kind as string));
  const unchecked = new Map<string, string[]>();
  for (const w of joined.graph.workloads) {
    for (const { token, kind } of unusedGrants(joined, w)) {
      if (!kinds.has(kind)) appendTo(unchecked, token.audience!, w.arn!);
    }
  }
  for (const [audience, roles] of unchecked) {
    notes.push(`no trust for audience ${JSON.stringify(audience)} is among the inputs (minted by ${someOf(roles)}): that side of the federation was not checked`);
  }
  const joinedList = joinedPairs(joined);
  const simulations: SimulatedPair[] = [];
  for (const { pair, join, workload } of joinedList) {
    if (!workload || !pair.reachable) continue;
    const issuer = join.accountIssuer?.url ?? workload.localIssuer?.url;
    if (issuer !== undefined) simulations.push({ pair, workload, trust: join.trust, issuer });
  }
  return { ...joined.graph, notes, pairs: joinedList.map((p) => p.pair), hits, simulations };
}

/**
 * The token simulation (simulate.ts) of every pair the join finds mintable and whose issuer is known: the pairs of
 * the graph, with `reachable` false and the verifier's reason where the relying party refuses the simulated token.
 */
export async function verifyPairs(graph: FederationGraph, now: number = Date.now()): Promise<FederationPair[]> {
  const refused = await simulatePairs(graph.simulations, now);
  return graph.pairs.map((pair) => {
    const reason = refused.get(pair);
    return reason === undefined ? pair : { ...pair, reachable: false, reason: `the simulated token is refused: ${reason}` };
  });
}

/** {@link checkFederation}, then {@link verifyPairs}. */
export async function checkFederationWithTokens(inputs: readonly FederationInput[], options: FederationOptions = {}, now: number = Date.now()): Promise<FederationGraph> {
  const graph = checkFederation(inputs, options);
  return { ...graph, pairs: await verifyPairs(graph, now) };
}
