import { CrossInputRule, hitOnGrant, hitOnTrust } from '../federation/graph';

/**
 * KL-FED-03: the role a trust names cannot mint the token the trust needs: the audience is not granted, only with an
 * algorithm the relying party does not verify, or not with the lifetime requested; or the relying party refuses it
 * (a Snowflake authentication policy that does not allow the role's account).
 */
export const KL_FED_03: CrossInputRule = {
  id: 'KL-FED-03',
  severity: 'error',
  category: 'trust',
  title: 'role cannot mint the token its trust needs',
  fix: 'Grant sts:GetWebIdentityToken for the trust\'s audience with the algorithm the relying party verifies (FederatedWorkloadRole / TokenGrant from the same FederationPlan do), or fix the relying party\'s policy.',
  appliesTo: [],
  reads: {},
  check: () => [],
  checkGraph({ joins }) {
    return joins.flatMap((j) => j.matches.flatMap((w) => (j.problems.get(w) ?? []).map((p) => {
      const message = `${w.arn} cannot use ${j.trust.label} (${j.trust.address}): ${p.reason}. Fix: ${KL_FED_03.fix}`;
      return p.on === 'trust' ? hitOnTrust(KL_FED_03, j.trust, message) : hitOnGrant(KL_FED_03, w, undefined, message);
    })));
  },
};
