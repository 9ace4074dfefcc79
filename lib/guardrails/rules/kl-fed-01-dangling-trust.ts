import { CrossInputRule, hitOnTrust } from '../federation/graph';

/**
 * KL-FED-01: a trust names a role ARN that no checked role has, while that account's roles are among the inputs
 * (a typo, a renamed role, a changed path). Such a trust never works, and whoever later creates a role with that name
 * and path in the account inherits it.
 */
export const KL_FED_01: CrossInputRule = {
  id: 'KL-FED-01',
  severity: 'error',
  category: 'trust',
  title: 'trust names a role that no checked role is',
  fix: 'Name the role\'s exact ARN, path included, in the trust (or build both sides from one FederationPlan); delete the trust if the role is gone.',
  appliesTo: [],
  reads: {},
  check: () => [],
  checkGraph({ joins, graph }) {
    return joins.filter((j) => j.matches.length === 0 && j.accountChecked).map((j) => {
      const roles = graph.workloads.filter((w) => w.account === j.account && w.arn !== undefined).map((w) => w.arn!);
      const hints = j.nearMisses.map((w) => (w.arn!.toLowerCase() === j.trust.subject!.toLowerCase()
        ? `${w.address} is ${w.arn}, which differs only in case (${j.trust.label} compares case-sensitively)`
        : `${w.address} has that name with path ${w.path}: ${w.arn}`));
      return hitOnTrust(KL_FED_01, j.trust, `${j.trust.label} (${j.trust.address}) trusts ${j.trust.subject}, but no role among the inputs of account ${j.account} has that ARN`
        + (hints.length > 0 ? ` (${hints.join('; ')})` : roles.length > 0 ? ` (its roles here: ${roles.slice(0, 5).join(', ')}${roles.length > 5 ? ', ...' : ''})` : '')
        + `: the federation cannot work, and whoever creates a role with that name and path later inherits the trust. Fix: ${KL_FED_01.fix}`);
    });
  },
};
