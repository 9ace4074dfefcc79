import { CrossInputRule, hitOnTrust, issuerMismatch } from '../federation/graph';

/** KL-FED-02: a trust's issuer differs from the outbound issuer of the account its subject role is in. */
export const KL_FED_02: CrossInputRule = {
  id: 'KL-FED-02',
  severity: 'error',
  category: 'trust',
  title: 'trust names another issuer than the subject\'s account',
  fix: 'Set the trust\'s issuer to the account\'s issuer exactly (no trailing slash), as the FederationPlan or OutboundWebIdentityFederation gives it.',
  appliesTo: [],
  reads: {},
  check: () => [],
  checkGraph({ joins }) {
    return joins.filter(issuerMismatch).map((j) => hitOnTrust(KL_FED_02, j.trust,
      `${j.trust.label} (${j.trust.address}) expects tokens from issuer ${j.trust.issuer}, but account ${j.account ?? 'of ' + j.trust.subject} issues them as `
      + `${j.accountIssuer!.url} (from ${j.accountIssuer!.source}): the relying party compares the iss claim exactly and refuses every token. Fix: ${KL_FED_02.fix}`));
  },
};
