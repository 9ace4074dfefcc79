import { CrossInputRule, hitOnGrant, unusedGrants } from '../federation/graph';

/**
 * KL-FED-04 (warning): a role may mint tokens for an audience that no checked trust accepts from it, while trusts of
 * that kind of relying party were among the inputs (least privilege: a grant nobody needs is a token nobody reviews).
 */
export const KL_FED_04: CrossInputRule = {
  id: 'KL-FED-04',
  severity: 'warning',
  category: 'trust',
  title: 'role may mint for an audience no checked trust accepts',
  fix: 'Remove the grant for that audience, or add the trust that needs it.',
  appliesTo: [],
  reads: {},
  check: () => [],
  checkGraph(joined) {
    const kinds = new Set(joined.graph.trusts.map((t) => t.kind as string));
    return joined.graph.workloads.flatMap((w) => unusedGrants(joined, w)
      .filter(({ kind }) => kinds.has(kind))
      .map(({ token }) => hitOnGrant(KL_FED_04, w, token,
        `${w.arn} may mint tokens for audience ${JSON.stringify(token.audience)} (${token.statement}), but no trust among the inputs accepts them from this role. Fix: ${KL_FED_04.fix}`)));
  },
};
