import { Rule, RuleHit } from '../model';
import { Condition, statementLabel } from '../policy/document';
import { ASSUME_ROLE_WITH_WEB_IDENTITY, BUILT_IN_PROVIDERS, audienceCheck, oidcTrustEntries } from '../policy/oidc';
import { TRUST_POLICY_PROPERTIES, TRUST_POLICY_TYPES, trustPolicies } from '../policy/sources';
import { shortValue } from '../policy/messages';

/** What a trust without an audience pin accepts, by provider kind. */
function audienceRisk(host: string | undefined): string {
  if (host !== undefined && BUILT_IN_PROVIDERS.includes(host)) {
    const example = host === 'cognito-identity.amazonaws.com'
      ? ' (for Cognito: a token of any identity pool, in any AWS account)'
      : host === 'accounts.google.com' ? ' (for Google: a token any Google application obtains)' : '';
    return `${host} is built into IAM and has no client-id list in the account, so a token it issues for any audience${example} is accepted`;
  }
  return 'STS accepts only tokens whose aud is in the OIDC provider\'s client-id list, so the role accepts a token for any audience on that list: '
    + 'a token the provider issues to another application (or cluster, or client id added to the list later) registered on the same provider '
    + 'can assume this role, and what the role trusts is decided by a list kept on another resource';
}

function conditionText(c: Condition): string {
  return `${c.operator} {${JSON.stringify(c.key)}: ${shortValue(c.values.length === 1 ? c.values[0] : c.values)}}`;
}

/** KL-TR-01: a role trusting an OIDC provider without an audience condition. */
export const KL_TR_01: Rule = {
  id: 'KL-TR-01',
  severity: 'error',
  category: 'trust',
  title: 'OIDC trust without an audience condition',
  fix: 'Add StringEquals {"<provider host>:aud": "<audience>"} to the trust statement (GitHub Actions: "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"), together with a pinned <provider host>:sub.',
  appliesTo: TRUST_POLICY_TYPES,
  reads: TRUST_POLICY_PROPERTIES,
  check(resource, context) {
    // KL-TR-02 reads the same trust policies: the note is written once, here.
    for (const trust of trustPolicies(resource, context, ASSUME_ROLE_WITH_WEB_IDENTITY)) {
      if (trust.document.unresolved === undefined) continue;
      context.note(`${resource.file}: ${resource.address} (${resource.type}): ${trust.label}: ${trust.document.unresolved}; `
        + 'KL-TR-01 and KL-TR-02 could not check whether that part lets an OIDC provider assume the role');
    }
    return oidcTrustEntries(resource, context).flatMap(({ trust, statement, provider }): RuleHit[] => {
      if (statement.conditionsUnresolved) return [];
      const check = audienceCheck(statement, provider, context);
      if (check.ok) return [];
      const key = `${provider.host ?? '<provider>'}:aud`;
      const where = `role ${resource.address} ${trust.label} ${statementLabel(statement)} lets the OIDC provider ${provider.host ?? shortValue(provider.value)} assume it with sts:AssumeRoleWithWebIdentity`;
      if (check.unreadOperator.length > 0) {
        return [{
          severity: 'warning',
          message: `${where} and compares ${key} with ${check.unreadOperator.map(conditionText).join(', ')}, an operator only known at plan or deploy time: `
            + 'whether the audience is pinned could not be checked (a StringEquals pins it; a StringNotEquals or a wildcard StringLike does not). '
            + `Fix: write the operator literally. ${KL_TR_01.fix}`,
        }];
      }
      let found = '';
      if (check.vacuous.length > 0) {
        found = ` (only ${check.vacuous.map(conditionText).join(', ')}: ForAllValues on the single-valued aud claim is also true for a token with no aud at all, so it requires no audience and counts as no condition)`;
      } else if (check.values.length > 0) {
        found = ` (only the wildcard ${shortValue(check.values)})`;
      }
      return [{
        message: `${where} without a ${key} condition${found}: ${audienceRisk(provider.host)}. Fix: ${KL_TR_01.fix}`,
      }];
    });
  },
};
